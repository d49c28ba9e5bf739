# Imports OpenBLAS from the folder Maven unpacked out of the org.bytedeco:openblas linux-x86_64 jar
# (include/cblas.h and libopenblas.so.0): no system OpenBLAS is needed. Defines openblas::openblas.
if(NOT OPENBLAS_DIR OR NOT EXISTS ${OPENBLAS_DIR}/include/cblas.h)
  message(FATAL_ERROR "OPENBLAS_DIR must point at the unpacked org.bytedeco:openblas linux-x86_64 folder "
                      "(with include/cblas.h); got '${OPENBLAS_DIR}'. Build through Maven: mvn install")
endif()
# The jar ships only the soname file; JavaCPP's preset links it as openblas_nolapack, we link the soname.
add_library(openblas::openblas SHARED IMPORTED)
set_target_properties(openblas::openblas PROPERTIES
  IMPORTED_LOCATION ${OPENBLAS_DIR}/libopenblas.so.0
  IMPORTED_SONAME libopenblas.so.0
  INTERFACE_INCLUDE_DIRECTORIES ${OPENBLAS_DIR}/include)
# JavaCPP links the JNI library with -lopenblas_nolapack (the preset's name for the same library).
if(NOT EXISTS ${OPENBLAS_DIR}/libopenblas_nolapack.so)
  file(CREATE_LINK libopenblas.so.0 ${OPENBLAS_DIR}/libopenblas_nolapack.so SYMBOLIC)
endif()

package dev.torchlet.presets;

import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;
import org.bytedeco.openblas.presets.openblas_nolapack;

/**
 * JavaCPP properties of libtorchlet, the CPU kernels built by CMake from src/main/cpp. Inheriting the
 * OpenBLAS preset makes JavaCPP's Loader load OpenBLAS from its own jar first.
 */
@Properties(inherit = openblas_nolapack.class, value = @Platform(include = "torchlet.h", link = "torchlet"))
public class torchlet {
}

// The mpi process group's transport: Open MPI, opened at run time (dlopen), so that libtorchlet neither
// needs Open MPI to build nor to load, and a program that never calls initProcessGroup("mpi") never touches
// it. Open MPI's handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM...) are the addresses of its exported
// ompi_mpi_* objects (mpi.h defines them so), and its MPI_Comm, MPI_Datatype, MPI_Op and MPI_Request are
// pointers: that ABI has been stable since libmpi.so.40 (Open MPI 3.0).
//
// Every collective starts non-blocking and returns its request; tl_mpi_wait polls it up to a deadline, so
// that a peer that never joins ends in an error instead of a hang.
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <chrono>
#include <mutex>
#include <thread>
#include "torchlet.h"

namespace {

using Handle = void*;
constexpr int kThreadSerialized = 2;  // MPI_THREAD_SERIALIZED: Java calls in, one thread at a time

struct Mpi {
  void* lib = nullptr;
  Handle comm_world = nullptr;
  Handle dtypes[3] = {};  // float32, float64, int64 (the DType codes)
  Handle ops[4] = {};     // TL_MPI_SUM, PROD, MAX, MIN
  int (*Initialized)(int*);
  int (*Init_thread)(int*, char***, int, int*);
  int (*Finalize)();
  int (*Abort)(Handle, int);
  int (*Comm_rank)(Handle, int*);
  int (*Comm_size)(Handle, int*);
  int (*Error_string)(int, char*, int*);
  int (*Test)(Handle*, int*, void*);
  int (*Ibarrier)(Handle, Handle*);
  int (*Iallreduce)(const void*, void*, int, Handle, Handle, Handle, Handle*);
  int (*Ibcast)(void*, int, Handle, int, Handle, Handle*);
  int (*Iallgather)(const void*, int, Handle, void*, int, Handle, Handle, Handle*);
  int (*Ireduce_scatter_block)(const void*, void*, int, Handle, Handle, Handle, Handle*);
};

Mpi mpi;
std::mutex mpi_mutex;  // MPI_THREAD_SERIALIZED: never two calls at once
char last_error[512] = "";

void set_error(const char* what, int code) {
  char text[256] = "";
  int len = 0;
  if (mpi.Error_string == nullptr || mpi.Error_string(code, text, &len) != 0) snprintf(text, sizeof text, "code %d", code);
  snprintf(last_error, sizeof last_error, "%s failed: %s", what, text);
}

template <typename F>
bool resolve(F& fn, const char* name) {
  fn = reinterpret_cast<F>(dlsym(mpi.lib, name));
  if (fn == nullptr) snprintf(last_error, sizeof last_error, "%s lacks %s", "libmpi.so.40", name);
  return fn != nullptr;
}

bool object(Handle& h, const char* name) {
  h = dlsym(mpi.lib, name);
  if (h == nullptr) snprintf(last_error, sizeof last_error, "libmpi.so.40 lacks %s (not Open MPI?)", name);
  return h != nullptr;
}

// Returns the request (an MPI_Request) or 0 with the error in last_error. By reference: read after the call
// that writes it, whatever the order its arguments are evaluated in.
int64_t started(const char* what, int code, const Handle& request) {
  if (code != 0) {
    set_error(what, code);
    return 0;
  }
  return reinterpret_cast<int64_t>(request);
}

}  // namespace

int tl_mpi_init(int32_t* rank_size) {
  std::lock_guard<std::mutex> lock(mpi_mutex);
  if (mpi.lib == nullptr) {
    // RTLD_GLOBAL: Open MPI's own plugins (mca_*.so) resolve their symbols against libmpi's
    void* lib = dlopen("libmpi.so.40", RTLD_NOW | RTLD_GLOBAL);
    if (lib == nullptr) {
      snprintf(last_error, sizeof last_error, "%s", dlerror());
      return -1;
    }
    mpi.lib = lib;
    const bool ok = resolve(mpi.Initialized, "MPI_Initialized") && resolve(mpi.Init_thread, "MPI_Init_thread") &&
        resolve(mpi.Finalize, "MPI_Finalize") && resolve(mpi.Abort, "MPI_Abort") &&
        resolve(mpi.Comm_rank, "MPI_Comm_rank") && resolve(mpi.Comm_size, "MPI_Comm_size") &&
        resolve(mpi.Error_string, "MPI_Error_string") && resolve(mpi.Test, "MPI_Test") &&
        resolve(mpi.Ibarrier, "MPI_Ibarrier") && resolve(mpi.Iallreduce, "MPI_Iallreduce") &&
        resolve(mpi.Ibcast, "MPI_Ibcast") && resolve(mpi.Iallgather, "MPI_Iallgather") &&
        resolve(mpi.Ireduce_scatter_block, "MPI_Ireduce_scatter_block") &&
        object(mpi.comm_world, "ompi_mpi_comm_world") &&
        object(mpi.dtypes[0], "ompi_mpi_float") && object(mpi.dtypes[1], "ompi_mpi_double") &&
        object(mpi.dtypes[2], "ompi_mpi_int64_t") && object(mpi.ops[TL_MPI_SUM], "ompi_mpi_op_sum") &&
        object(mpi.ops[TL_MPI_PROD], "ompi_mpi_op_prod") && object(mpi.ops[TL_MPI_MAX], "ompi_mpi_op_max") &&
        object(mpi.ops[TL_MPI_MIN], "ompi_mpi_op_min");
    if (!ok) {
      mpi.lib = nullptr;  // not unloaded: a half-initialized library stays mapped rather than risk its destructors
      return -2;
    }
  }
  int initialized = 0;
  mpi.Initialized(&initialized);
  if (!initialized) {
    int provided = 0;
    const int code = mpi.Init_thread(nullptr, nullptr, kThreadSerialized, &provided);
    if (code != 0) {
      set_error("MPI_Init_thread", code);
      return -3;
    }
    if (provided < kThreadSerialized) {
      snprintf(last_error, sizeof last_error, "Open MPI provides thread level %d, torchlet needs MPI_THREAD_SERIALIZED (2)",
               provided);
      return -3;
    }
  }
  int code = mpi.Comm_rank(mpi.comm_world, &rank_size[0]);
  if (code == 0) code = mpi.Comm_size(mpi.comm_world, &rank_size[1]);
  if (code != 0) {
    set_error("MPI_Comm_rank/size", code);
    return -3;
  }
  return 0;
}

const char* tl_mpi_last_error() { return last_error; }

int64_t tl_mpi_ibarrier() {
  std::lock_guard<std::mutex> lock(mpi_mutex);
  Handle r = nullptr;
  return started("MPI_Ibarrier", mpi.Ibarrier(mpi.comm_world, &r), r);
}

int64_t tl_mpi_iallreduce(int64_t addr, int64_t count, int dt, int op) {
  std::lock_guard<std::mutex> lock(mpi_mutex);
  Handle r = nullptr;
  void* in_place = reinterpret_cast<void*>(1);  // MPI_IN_PLACE
  return started("MPI_Iallreduce", mpi.Iallreduce(in_place, reinterpret_cast<void*>(addr), int(count), mpi.dtypes[dt],
                                                  mpi.ops[op], mpi.comm_world, &r), r);
}

int64_t tl_mpi_ibcast(int64_t addr, int64_t count, int dt, int root) {
  std::lock_guard<std::mutex> lock(mpi_mutex);
  Handle r = nullptr;
  return started("MPI_Ibcast", mpi.Ibcast(reinterpret_cast<void*>(addr), int(count), mpi.dtypes[dt], root,
                                          mpi.comm_world, &r), r);
}

int64_t tl_mpi_iallgather(int64_t in, int64_t out, int64_t count, int dt) {
  std::lock_guard<std::mutex> lock(mpi_mutex);
  Handle r = nullptr;
  return started("MPI_Iallgather", mpi.Iallgather(reinterpret_cast<void*>(in), int(count), mpi.dtypes[dt],
                                                  reinterpret_cast<void*>(out), int(count), mpi.dtypes[dt],
                                                  mpi.comm_world, &r), r);
}

int64_t tl_mpi_ireduce_scatter(int64_t in, int64_t out, int64_t count, int dt, int op) {
  std::lock_guard<std::mutex> lock(mpi_mutex);
  Handle r = nullptr;
  return started("MPI_Ireduce_scatter_block",
                 mpi.Ireduce_scatter_block(reinterpret_cast<void*>(in), reinterpret_cast<void*>(out), int(count),
                                           mpi.dtypes[dt], mpi.ops[op], mpi.comm_world, &r), r);
}

int tl_mpi_test(int64_t request) {
  std::lock_guard<std::mutex> lock(mpi_mutex);
  Handle r = reinterpret_cast<Handle>(request);
  int done = 0;
  const int code = mpi.Test(&r, &done, nullptr);  // MPI_STATUS_IGNORE
  if (code != 0) {
    set_error("MPI_Test", code);
    return -1;
  }
  return done;
}

int tl_mpi_wait(int64_t request, double timeout_seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_seconds);
  for (int polls = 0;; polls++) {
    const int done = tl_mpi_test(request);
    if (done != 0) return done < 0 ? -1 : 0;
    if (std::chrono::steady_clock::now() > deadline) return 1;
    // poll hot at first (a collective of a few KiB takes microseconds), then let the core go
    if (polls > 1000) std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
}

void tl_mpi_abort(int code) {
  std::lock_guard<std::mutex> lock(mpi_mutex);
  if (mpi.lib != nullptr) mpi.Abort(mpi.comm_world, code);
}

int tl_mpi_finalize() {
  std::lock_guard<std::mutex> lock(mpi_mutex);
  const int code = mpi.Finalize();
  if (code != 0) set_error("MPI_Finalize", code);
  return code;
}

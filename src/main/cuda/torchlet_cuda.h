// torchlet CUDA kernels: the C ABI that JavaCPP binds (dev.torchlet.backend.cuda.NativeCuda).
//
// The same conventions as the CPU kernels (src/main/cpp/torchlet.h), which every function here mirrors
// one for one; read that header for the meaning of each op. In addition:
// - Every function takes the device ordinal dev first and runs on that device's one stream (created on
//   first use, cudaStreamNonBlocking). Kernels are enqueued and the call returns at once; copies to the
//   host (tlc_memcpy_d2h) and tlc_synchronize wait for the stream.
// - Addresses are device addresses (tensor data) except where a name says host. meta arrays are host
//   memory, read before the call returns.
// - Functions return 0, or a CUDA error code (cudaError_t), or TLC_CUBLAS_ERROR + a cublasStatus_t, or
//   one of the TLC_ codes below; tlc_error_string names it. A launch error is reported by the call that
//   launched; an error while a kernel runs surfaces at the next synchronizing call, as in CUDA itself.
// - The library links the CUDA runtime statically: it loads on a machine without a GPU or driver, and
//   tlc_device_count then reports why there is none.
#pragma once
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
  TLC_CUBLAS_ERROR = 100000,     // + cublasStatus_t
  TLC_CUBLAS_MISSING = 200001,   // matmul before tlc_cublas_load succeeded
  TLC_TOO_LARGE = 200002,        // a size beyond what the kernel or cuBLAS can address (32-bit dims)
};

// ------------------------------------------------------------------------------------------- runtime

// The number of CUDA devices (>= 0), or -(cudaError_t) when the runtime cannot tell (35: the driver is
// missing or older than the runtime, 100: no device, 34: only the driver's stub library is present).
int tlc_device_count();
// The message of a code returned by any tlc_ function (CUDA's own text for CUDA errors).
const char* tlc_error_string(int code);
// The name of device dev ("NVIDIA H100 80GB HBM3"), or "" when it cannot be read.
const char* tlc_device_name(int dev);
// Waits until every op enqueued on dev's stream has finished.
int tlc_synchronize(int dev);
// Copies nbytes from host memory to device memory (dst) and waits until the copy is done.
int tlc_memcpy_h2d(int dev, int64_t dst, int64_t host_src, int64_t nbytes);
// Copies nbytes from device memory to host memory (host_dst) after every op enqueued before it.
int tlc_memcpy_d2h(int dev, int64_t host_dst, int64_t src, int64_t nbytes);

// ---------------------------------------------------------------------------- caching allocator
// Device memory in size classes (multiples of 512 bytes below 1 MiB, four classes per power of two above:
// at most 25% of a block unused). A freed block goes back to its class's pool and serves the next request
// of that class without cudaMalloc or cudaFree. Safe without events because every op of a device runs on
// its one stream: a block freed while an enqueued kernel still reads it is reused only by ops enqueued
// after that kernel. tlc_empty_cache gives every pooled block back (cudaFree, which waits for the device).

// A block of at least nbytes (nbytes 0 gives a valid block), or 0 when the device is out of memory.
int64_t tlc_alloc(int dev, int64_t nbytes);
// Returns a block from tlc_alloc(dev, nbytes) to its pool.
void tlc_free(int dev, int64_t addr, int64_t nbytes);
// cudaFree of every pooled block of dev.
void tlc_empty_cache(int dev);
// Bytes in dev's pools (freed, not yet given back).
int64_t tlc_cached_bytes(int dev);
// Bytes dev holds from cudaMalloc: blocks in use (rounded to their class) plus the pools.
int64_t tlc_reserved_bytes(int dev);

// ----------------------------------------------------------------------------------- elementwise
// Elementwise ops (operands in the order of the address parameters; meta as in torchlet.h).
int tlc_fill(int dev, int dt, int64_t out, int64_t n, const int64_t* meta, double value);
int tlc_copy(int dev, int src_dt, int dst_dt, int64_t src, int64_t dst, int64_t n, const int64_t* meta);
int tlc_binary(int dev, int op, int dt, int64_t a, int64_t b, int64_t out, int64_t n, const int64_t* meta);
int tlc_binary_scalar(int dev, int op, int dt, int64_t a, double s, int scalar_first, int64_t out, int64_t n,
                      const int64_t* meta);
int tlc_unary(int dev, int op, int dt, int64_t a, int64_t out, int64_t n, const int64_t* meta);
int tlc_where(int dev, int dt, int64_t cond, int64_t a, int64_t b, int64_t out, int64_t n, const int64_t* meta);
int tlc_grad(int dev, int op, int dt, int64_t a, int64_t b, int64_t g, double s, int64_t out, int64_t n,
             const int64_t* meta);
int tlc_scatter_rows(int dev, int dt, int64_t src, int64_t index, int64_t out, int64_t rows, int64_t m, int64_t n);
int tlc_arange(int dev, int dt, int64_t out, int64_t n, double start, double step);
int tlc_linspace(int dev, int dt, int64_t out, int64_t n, double start, double end);

// ------------------------------------------------------------------------------------ reductions
// As tl_reduce (same meta). Deterministic: the order of every sum depends only on the shapes.
int tlc_reduce(int dev, int op, int dt, int64_t in, int64_t out, int64_t out_idx, const int64_t* meta);

// --------------------------------------------------------------------------------- row kernels
int tlc_softmax(int dev, int dt, int64_t in, int64_t out, int64_t rows, int64_t len, int log);
int tlc_softmax_backward(int dev, int dt, int64_t g, int64_t y, int64_t grad_in, int64_t rows, int64_t len, int log);
// As tl_cross_entropy. The target check waits for the device (it decides whether anything is written):
// *bad_row receives -1, or the first row whose target is neither in [0, classes) nor ignore_index.
int tlc_cross_entropy(int dev, int dt, int64_t logits, int64_t target, int64_t target_stride, int64_t rows,
                      int64_t classes, int64_t ignore_index, double label_smoothing, int64_t losses,
                      int64_t* bad_row);
int tlc_cross_entropy_backward(int dev, int dt, int64_t logits, int64_t target, int64_t target_stride, int64_t g,
                               int64_t g_stride, int64_t rows, int64_t classes, int64_t ignore_index,
                               double label_smoothing, int64_t grad_logits);
// Stable sort of contiguous rows (NaN above every number, -0.0 equal to +0.0), as tl_sort.
int tlc_sort(int dev, int dt, int64_t in, int64_t values, int64_t indices, int64_t rows, int64_t len, int descending);

// ------------------------------------------------------------------------------------ optimizers
// As tl_sgd_step, tl_rmsprop_step, tl_adam_step: the same formulas, fma where they write fma, in the dtype.
int tlc_sgd_step(int dev, int dt, int64_t param, int64_t grad, int64_t buf, int64_t n, const int64_t* meta, double lr,
                 double momentum, double dampening, double weight_decay, int nesterov, int first_step);
int tlc_rmsprop_step(int dev, int dt, int64_t param, int64_t grad, int64_t square_avg, int64_t grad_avg, int64_t buf,
                     int64_t n, const int64_t* meta, double lr, double alpha, double eps, double weight_decay,
                     double momentum);
int tlc_adam_step(int dev, int dt, int64_t param, int64_t grad, int64_t exp_avg, int64_t exp_avg_sq,
                  int64_t max_exp_avg_sq, int64_t n, const int64_t* meta, int64_t step, double lr, double beta1,
                  double beta2, double eps, double weight_decay, int decoupled);

// ---------------------------------------------------------------------------------------- matmul
// Loads cuBLAS from path (a file name for the dynamic linker's own search, or a full path) with dlopen and
// resolves the entry points torchlet uses. Returns 0, or TLC_CUBLAS_MISSING (tlc_cublas_load_error says why).
int tlc_cublas_load(const char* path);
// dlerror()'s text for the last failed tlc_cublas_load.
const char* tlc_cublas_load_error();
// torch.backends.cuda.matmul.allow_tf32: float32 products may use TF32 tensor cores (default off).
void tlc_set_allow_tf32(int allow);
// As tl_matmul (same meta): float32/float64 through cublasSgemm/Dgemm (one strided-batched call for a
// batch), int64 by a plain kernel. Operands without a unit row or column stride are packed first.
int tlc_matmul(int dev, int dt, int64_t a, int64_t b, int64_t out, const int64_t* meta);

#ifdef __cplusplus
}
#endif

// Batched matrix products on the GPU (tl_matmul of src/main/cpp/matmul.cpp): float32/float64 through cuBLAS
// (cublasSgemm_v2/Dgemm_v2, and the strided-batched forms for a batch), int64 by a plain kernel.
//
// cuBLAS is reached without its SDK: the few entry points are declared here with the C types of
// cublas_api.h and resolved with dlopen/dlsym from the library Java finds (tlc_cublas_load), so building
// needs no cuBLAS headers and the library loads on machines without cuBLAS.
//
// Row-major C = A @ B is column-major C^T = B^T A^T: cuBLAS gets (B, A) with m = N, n = M. An operand with a
// unit column stride is read as it is, one with a unit row stride as transposed, anything else is packed
// into a contiguous temporary first; so is an output that is not row-major with a unit column stride.
#include <dlfcn.h>
#include <mutex>
#include <string>
#include "cuda_util.cuh"

namespace {

// ---------------------------------------------------------------------------------- cuBLAS by dlopen

using cublasHandle_t = void*;
using cublasStatus_t = int;
enum { CUBLAS_OP_N = 0, CUBLAS_OP_T = 1 };
enum { CUBLAS_DEFAULT_MATH = 0, CUBLAS_TF32_TENSOR_OP_MATH = 3 };

struct Cublas {
  cublasStatus_t (*create)(cublasHandle_t*);
  cublasStatus_t (*set_stream)(cublasHandle_t, cudaStream_t);
  cublasStatus_t (*set_math_mode)(cublasHandle_t, int);
  cublasStatus_t (*sgemm)(cublasHandle_t, int, int, int, int, int, const float*, const float*, int, const float*, int,
                          const float*, float*, int);
  cublasStatus_t (*dgemm)(cublasHandle_t, int, int, int, int, int, const double*, const double*, int, const double*,
                          int, const double*, double*, int);
  cublasStatus_t (*sgemm_batched)(cublasHandle_t, int, int, int, int, int, const float*, const float*, int, long long,
                                  const float*, int, long long, const float*, float*, int, long long, int);
  cublasStatus_t (*dgemm_batched)(cublasHandle_t, int, int, int, int, int, const double*, const double*, int,
                                  long long, const double*, int, long long, const double*, double*, int, long long,
                                  int);
};

std::mutex mutex;
Cublas* cublas = nullptr;  // set once, never freed: the library stays loaded
std::string load_error = "tlc_cublas_load was not called";
cublasHandle_t handles[64] = {};
int allow_tf32 = 0;

template <typename F>
bool resolve(void* lib, const char* name, F*& f) {
  f = reinterpret_cast<F*>(dlsym(lib, name));
  return f != nullptr;
}

// The handle of device dev, bound to its stream; created on first use.
int handle(int dev, cublasHandle_t* out) {
  if (cublas == nullptr) return TLC_CUBLAS_MISSING;
  cudaStream_t s;
  if (int e = tlc::stream(dev, &s)) return e;
  std::lock_guard<std::mutex> lock(mutex);
  if (handles[dev] == nullptr) {
    cublasHandle_t h = nullptr;
    if (cublasStatus_t st = cublas->create(&h)) return TLC_CUBLAS_ERROR + st;
    if (cublasStatus_t st = cublas->set_stream(h, s)) return TLC_CUBLAS_ERROR + st;
    handles[dev] = h;
  }
  *out = handles[dev];
  const int mode = __atomic_load_n(&allow_tf32, __ATOMIC_RELAXED) ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH;
  if (cublasStatus_t st = cublas->set_math_mode(*out, mode)) return TLC_CUBLAS_ERROR + st;
  return 0;
}

// ---------------------------------------------------------------------------------------- layouts

struct Layout {
  bool usable;      // cuBLAS can read/write it in place
  bool transposed;  // unit row stride: column-major storage
  int64_t ld;
};

// As matmul.cpp's blas_layout: a size-1 dim's stride is arbitrary; leading dimensions are 32-bit.
Layout layout_of(int64_t rows, int64_t cols, int64_t rs, int64_t cs) {
  Layout l{false, false, 0};
  const int64_t c1 = cols > 1 ? cols : 1, r1 = rows > 1 ? rows : 1;
  if ((cols == 1 || cs == 1) && (rows == 1 || rs >= c1)) l = {true, false, rows == 1 ? c1 : rs};
  else if ((rows == 1 || rs == 1) && (cols == 1 || cs >= r1)) l = {true, true, cols == 1 ? r1 : cs};
  if (l.ld > INT32_MAX) l = {false, false, 0};
  return l;
}

// dst[b, i, j] = src[b * bs + i * rs + j * cs], dst contiguous [batch, rows, cols]; or back (unpack).
template <typename T>
struct Pack {
  const T* src;
  T* dst;
  int64_t rows, cols, bs, rs, cs;
  bool unpack;
  __device__ void operator()(const int64_t* off) const {
    const int64_t i = off[0], j = i % cols, r = (i / cols) % rows, b = i / (cols * rows);
    const int64_t strided = b * bs + r * rs + j * cs;
    if (unpack) const_cast<T*>(src)[strided] = dst[i];
    else dst[i] = src[strided];
  }
};

template <typename T>
int pack(int dev, const T* src, T* dst, int64_t batch, int64_t rows, int64_t cols, int64_t bs, int64_t rs, int64_t cs,
         bool unpack) {
  return tlc::for_each<1>(dev, batch * rows * cols, nullptr, Pack<T>{src, dst, rows, cols, bs, rs, cs, unpack});
}

cublasStatus_t gemm(cublasHandle_t h, int ta, int tb, int m, int n, int k, const float* a, int lda, long long sa,
                    const float* b, int ldb, long long sb, float* c, int ldc, long long sc, int batch) {
  const float one = 1, zero = 0;
  if (batch == 1) return cublas->sgemm(h, ta, tb, m, n, k, &one, a, lda, b, ldb, &zero, c, ldc);
  return cublas->sgemm_batched(h, ta, tb, m, n, k, &one, a, lda, sa, b, ldb, sb, &zero, c, ldc, sc, batch);
}

cublasStatus_t gemm(cublasHandle_t h, int ta, int tb, int m, int n, int k, const double* a, int lda, long long sa,
                    const double* b, int ldb, long long sb, double* c, int ldc, long long sc, int batch) {
  const double one = 1, zero = 0;
  if (batch == 1) return cublas->dgemm(h, ta, tb, m, n, k, &one, a, lda, b, ldb, &zero, c, ldc);
  return cublas->dgemm_batched(h, ta, tb, m, n, k, &one, a, lda, sa, b, ldb, sb, &zero, c, ldc, sc, batch);
}

template <typename T>
int matmul_blas(int dev, const T* a, const T* b, T* out, const int64_t* p) {
  const int64_t batch = p[0], m = p[1], n = p[2], k = p[3];
  const int64_t abs_ = p[4], ars = p[5], acs = p[6], bbs = p[7], brs = p[8], bcs = p[9];
  const int64_t obs = p[10], ors = p[11], ocs = p[12];
  if (batch > INT32_MAX || m > INT32_MAX || n > INT32_MAX || k > INT32_MAX) return TLC_TOO_LARGE;
  cublasHandle_t h;
  if (int e = handle(dev, &h)) return e;
  Layout la = layout_of(m, k, ars, acs), lb = layout_of(k, n, brs, bcs), lo = layout_of(m, n, ors, ocs);
  lo.usable &= !lo.transposed;
  // temporaries for what cuBLAS cannot address; a batch stride of 0 (broadcast) is fine as it is
  const tlc::Scratch ta(dev, la.usable ? 0 : batch * m * k * int64_t(sizeof(T)));
  const tlc::Scratch tb(dev, lb.usable ? 0 : batch * k * n * int64_t(sizeof(T)));
  const tlc::Scratch to(dev, lo.usable ? 0 : batch * m * n * int64_t(sizeof(T)));
  if (!ta.ok() || !tb.ok() || !to.ok()) return int(cudaErrorMemoryAllocation);
  const T* pa = a;
  const T* pb = b;
  T* po = out;
  int64_t sa = abs_, sb = bbs, so = obs;
  if (!la.usable) {
    if (int e = pack(dev, a, ta.as<T>(), batch, m, k, abs_, ars, acs, false)) return e;
    pa = ta.as<T>();
    sa = m * k;
    la = {true, false, k > 1 ? k : 1};
  }
  if (!lb.usable) {
    if (int e = pack(dev, b, tb.as<T>(), batch, k, n, bbs, brs, bcs, false)) return e;
    pb = tb.as<T>();
    sb = k * n;
    lb = {true, false, n > 1 ? n : 1};
  }
  if (!lo.usable) {
    po = to.as<T>();
    so = m * n;
    lo = {true, false, n > 1 ? n : 1};
  }
  // column-major: C^T [n, m] = op(B) [n, k] * op(A) [k, m]; a row-major operand is its own transpose there
  if (cublasStatus_t st = gemm(h, lb.transposed ? CUBLAS_OP_T : CUBLAS_OP_N, la.transposed ? CUBLAS_OP_T : CUBLAS_OP_N,
                               int(n), int(m), int(k), pb, int(lb.ld), sb, pa, int(la.ld), sa, po, int(lo.ld), so,
                               int(batch)))
    return TLC_CUBLAS_ERROR + st;
  if (po != out) return pack(dev, out, to.as<T>(), batch, m, n, obs, ors, ocs, true);
  return tlc::launched();
}

// int64: one thread per output element, wrapping arithmetic (no BLAS for integers, as on the CPU).
struct MatmulInt {
  const int64_t* a;
  const int64_t* b;
  int64_t* out;
  int64_t m, n, k, abs_, ars, acs, bbs, brs, bcs, obs, ors, ocs;
  __device__ void operator()(const int64_t* off) const {
    const int64_t i = off[0], j = i % n, r = (i / n) % m, bt = i / (n * m);
    uint64_t acc = 0;
    for (int64_t x = 0; x < k; x++)
      acc += uint64_t(a[bt * abs_ + r * ars + x * acs]) * uint64_t(b[bt * bbs + x * brs + j * bcs]);
    out[bt * obs + r * ors + j * ocs] = int64_t(acc);
  }
};

template <typename T>
struct Zero {
  T* out;
  int64_t m, n, obs, ors, ocs;
  __device__ void operator()(const int64_t* off) const {
    const int64_t i = off[0], j = i % n, r = (i / n) % m, bt = i / (n * m);
    out[bt * obs + r * ors + j * ocs] = T(0);
  }
};

}  // namespace

int tlc_cublas_load(const char* path) {
  std::lock_guard<std::mutex> lock(mutex);
  if (cublas != nullptr) return 0;
  void* lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* why = dlerror();
    load_error = why != nullptr ? why : "dlopen failed";
    return TLC_CUBLAS_MISSING;
  }
  Cublas* c = new Cublas();
  const bool ok = resolve(lib, "cublasCreate_v2", c->create) && resolve(lib, "cublasSetStream_v2", c->set_stream) &&
                  resolve(lib, "cublasSetMathMode", c->set_math_mode) && resolve(lib, "cublasSgemm_v2", c->sgemm) &&
                  resolve(lib, "cublasDgemm_v2", c->dgemm) &&
                  resolve(lib, "cublasSgemmStridedBatched", c->sgemm_batched) &&
                  resolve(lib, "cublasDgemmStridedBatched", c->dgemm_batched);
  if (!ok) {
    const char* why = dlerror();
    load_error = std::string(path) + " lacks a cuBLAS entry point: " + (why != nullptr ? why : "?");
    delete c;
    dlclose(lib);
    return TLC_CUBLAS_MISSING;
  }
  cublas = c;
  return 0;
}

const char* tlc_cublas_load_error() {
  std::lock_guard<std::mutex> lock(mutex);
  return load_error.c_str();
}

void tlc_set_allow_tf32(int allow) { __atomic_store_n(&allow_tf32, allow != 0, __ATOMIC_RELAXED); }

int tlc_matmul(int dev, int dt, int64_t a, int64_t b, int64_t out, const int64_t* p) {
  const int64_t batch = p[0], m = p[1], n = p[2], k = p[3];
  if (batch == 0 || m == 0 || n == 0) return 0;
  if (dt == tlc::I64) {
    return tlc::for_each<1>(dev, batch * m * n, nullptr,
                            MatmulInt{reinterpret_cast<const int64_t*>(a), reinterpret_cast<const int64_t*>(b),
                                      reinterpret_cast<int64_t*>(out), m, n, k, p[4], p[5], p[6], p[7], p[8], p[9],
                                      p[10], p[11], p[12]});
  }
  if (k == 0) {  // an empty sum: zeros, without asking cuBLAS about a zero inner dimension
    int err = 0;
    auto zero = [&](auto tag) {
      using T = decltype(tag);
      err = tlc::for_each<1>(dev, batch * m * n, nullptr, Zero<T>{reinterpret_cast<T*>(out), m, n, p[10], p[11], p[12]});
    };
    if (dt == tlc::F32) zero(float{});
    else zero(double{});
    return err;
  }
  if (dt == tlc::F32)
    return matmul_blas<float>(dev, reinterpret_cast<const float*>(a), reinterpret_cast<const float*>(b),
                              reinterpret_cast<float*>(out), p);
  return matmul_blas<double>(dev, reinterpret_cast<const double*>(a), reinterpret_cast<const double*>(b),
                             reinterpret_cast<double*>(out), p);
}

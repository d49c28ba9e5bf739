// GPU harness: every CUDA kernel of libtorchlet_cuda against the CPU kernel of libtorchlet on the same inputs,
// and (--bench) the timings tools/gpu/check compares with PyTorch. Plain C++ over the two C ABIs (torchlet.h,
// torchlet_cuda.h): no Java is needed on the GPU machine.
//
// Checks: each case fills random inputs (with NaN, infinities, -0.0 and ties where they matter), runs the CPU
// kernel on host buffers and the CUDA kernel on device copies, and compares every output element: bit for bit
// (NaN matches NaN) for the ops whose CUDA formula rounds as the CPU's (arithmetic, comparisons, casts, fills,
// where, the fused gradient and optimizer formulas, sort, arange, linspace, integer results), within a few
// ulps for transcendental functions and row kernels (CUDA's libm against glibc, sums in another order), and
// within the gemm error bound for matmul. Prints one line per failing case and a summary; exit code 1 on any
// failure, 2 without a usable GPU.
//
// --bench: sgemm 4096x4096, bmm [64,512,512], [8192,8192]+[8192], and one training step of an MLP
// 784->4096->4096->10 at batch 4096 (forward, cross entropy, backward, SGD), as torchlet issues them; median
// milliseconds of 20 runs after warm-up, one "bench <name> <ms>" line each.
#include <dlfcn.h>
#include <stdint.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>
#include "torchlet.h"
#include "torchlet_cuda.h"

namespace {

constexpr int F32 = 0, F64 = 1, I64 = 2, BOOL = 3;
const char* kDt[] = {"f32", "f64", "i64", "bool"};
int64_t item(int dt) { return dt == F32 ? 4 : dt == BOOL ? 1 : 8; }
constexpr int kDev = 0;
int failures = 0, cases = 0;
std::mt19937_64 rng(20240611);

// One operand: the same bytes on the host (tl_alloc) and on the device (tlc_alloc).
struct Buf {
  int64_t bytes, host, dev;
  explicit Buf(int64_t n_bytes) : bytes(std::max<int64_t>(n_bytes, 8)), host(tl_alloc(bytes)), dev(tlc_alloc(kDev, bytes)) {
    std::memset(reinterpret_cast<void*>(host), 0, size_t(bytes));
    upload();
  }
  ~Buf() {
    tl_free(host, bytes);
    tlc_free(kDev, dev, bytes);
  }
  Buf(const Buf&) = delete;
  void upload() { tlc_memcpy_h2d(kDev, dev, host, bytes); }
  std::vector<unsigned char> download() const {
    std::vector<unsigned char> out(static_cast<size_t>(bytes));
    const int e = tlc_memcpy_d2h(kDev, reinterpret_cast<int64_t>(out.data()), dev, bytes);
    if (e != 0) std::printf("FAIL memcpy: %s\n", tlc_error_string(e));
    return out;
  }
  template <typename T> T* h() const { return reinterpret_cast<T*>(host); }
};

void fill_random(Buf& b, int dt, int64_t n, double lo = -3, double hi = 3, bool specials = false) {
  std::uniform_real_distribution<double> u(lo, hi);
  for (int64_t i = 0; i < n; i++) {
    double v = u(rng);
    if (specials && i % 17 == 3) v = NAN;
    if (specials && i % 23 == 5) v = -0.0;
    if (specials && i % 29 == 7) v = (i & 1) ? INFINITY : -INFINITY;
    if (specials && i % 5 == 1) v = std::round(v);  // ties
    switch (dt) {
      case F32: b.h<float>()[i] = float(v); break;
      case F64: b.h<double>()[i] = v; break;
      case I64: b.h<int64_t>()[i] = int64_t(std::floor(v)); break;
      default: b.h<uint8_t>()[i] = v > 0; break;
    }
  }
  b.upload();
}

double value(const unsigned char* p, int dt, int64_t i) {
  switch (dt) {
    case F32: { float v; std::memcpy(&v, p + 4 * i, 4); return v; }
    case F64: { double v; std::memcpy(&v, p + 8 * i, 8); return v; }
    case I64: { int64_t v; std::memcpy(&v, p + 8 * i, 8); return double(v); }
    default: return p[i];
  }
}

// Compares the n elements of out (host = CPU result, device = CUDA result): ulps 0 = same bits (NaN = NaN),
// else within ulps units in the last place of the CPU value, or within abs_tol.
void compare(const std::string& name, const Buf& out, int dt, int64_t n, double ulps = 0, double abs_tol = 0) {
  cases++;
  const std::vector<unsigned char> gpu = out.download();
  const unsigned char* cpu = reinterpret_cast<const unsigned char*>(out.host);
  for (int64_t i = 0; i < n; i++) {
    const double c = value(cpu, dt, i), g = value(gpu.data(), dt, i);
    bool ok;
    if (ulps == 0 && abs_tol == 0) {
      ok = std::memcmp(cpu + i * item(dt), gpu.data() + i * item(dt), size_t(item(dt))) == 0 ||
           (std::isnan(c) && std::isnan(g));
    } else {
      const double ulp = dt == F32 ? std::ldexp(1.0, std::ilogb(std::max(std::fabs(c), 1e-38)) - 23)
                                   : std::ldexp(1.0, std::ilogb(std::max(std::fabs(c), 1e-300)) - 52);
      ok = c == g || (std::isnan(c) && std::isnan(g)) || std::fabs(c - g) <= ulps * ulp || std::fabs(c - g) <= abs_tol;
    }
    if (!ok) {
      failures++;
      std::printf("FAIL %s at %lld: cpu %.17g cuda %.17g\n", name.c_str(), (long long)i, c, g);
      return;
    }
  }
}

void check_status(const std::string& name, int e) {
  if (e != 0) {
    failures++;
    std::printf("FAIL %s: %s\n", name.c_str(), tlc_error_string(e));
  }
}

// meta for K operands of shape [r, c]: layout 0 contiguous, 1 operand 0 transposed (column-major),
// 2 operand 0 broadcast along dim 0 (stride 0).
std::vector<int64_t> meta2(int K, int64_t r, int64_t c, int layout) {
  std::vector<int64_t> m = {2, r, c};
  for (int k = 0; k < K; k++) {
    if (k == 0 && layout == 1) { m.push_back(1); m.push_back(r); }
    else if (k == 0 && layout == 2) { m.push_back(0); m.push_back(1); }
    else { m.push_back(c); m.push_back(1); }
  }
  return m;
}

void elementwise_checks() {
  const int64_t r = 37, c = 53, n = r * c;
  for (int layout = 0; layout < 3; layout++) {
    std::vector<int64_t> m1 = meta2(1, r, c, layout), m2 = meta2(2, r, c, layout), m3 = meta2(3, r, c, layout),
                         m4 = meta2(4, r, c, layout);
    const int64_t* mp1 = layout == 0 ? nullptr : m1.data();
    const int64_t* mp2 = layout == 0 ? nullptr : m2.data();
    const int64_t* mp3 = layout == 0 ? nullptr : m3.data();
    const int64_t* mp4 = layout == 0 ? nullptr : m4.data();
    const std::string L = " layout " + std::to_string(layout);
    for (int dt = 0; dt < 4; dt++) {
      { // fill
        Buf o(n * 8);
        tl_fill(dt, o.host, n, layout == 2 ? nullptr : mp1, -2.5);
        check_status("fill", tlc_fill(kDev, dt, o.dev, n, layout == 2 ? nullptr : mp1, -2.5));
        compare(std::string("fill ") + kDt[dt] + L, o, dt, n);
      }
      for (int to = 0; to < 4; to++) {  // copy / cast
        Buf a(n * 8), o(n * 8);
        fill_random(a, dt, n, -1e19, 1e19, true);
        tl_copy(dt, to, a.host, o.host, n, mp2);
        check_status("copy", tlc_copy(kDev, dt, to, a.dev, o.dev, n, mp2));
        compare(std::string("copy ") + kDt[dt] + "->" + kDt[to] + L, o, to, n);
      }
      for (int op = TL_ADD; op <= TL_GE; op++) {
        Buf a(n * 8), b(n * 8), o(n * 8), os(n * 8);
        fill_random(a, dt, n, -3, 3, true);
        fill_random(b, dt, n, -3, 3, true);
        const int out_dt = op >= TL_EQ ? BOOL : dt;
        const double ulps = op == TL_POW && dt < I64 ? 2 : 0;  // glibc's pow against CUDA's
        tl_binary(op, dt, a.host, b.host, o.host, n, mp3);
        check_status("binary", tlc_binary(kDev, op, dt, a.dev, b.dev, o.dev, n, mp3));
        compare("binary op " + std::to_string(op) + " " + kDt[dt] + L, o, out_dt, n, ulps);
        for (double s : {2.0, 3.0, 0.5, -1.0, -1.5}) {
          for (int first = 0; first < 2; first++) {
            tl_binary_scalar(op, dt, a.host, s, first, os.host, n, mp2);
            check_status("binary_scalar", tlc_binary_scalar(kDev, op, dt, a.dev, s, first, os.dev, n, mp2));
            compare("scalar op " + std::to_string(op) + " s " + std::to_string(s) + " first " + std::to_string(first) +
                    " " + kDt[dt] + L, os, out_dt, n, ulps);
          }
        }
      }
      { // where
        Buf cnd(n), a(n * 8), b(n * 8), o(n * 8);
        fill_random(cnd, BOOL, n);
        fill_random(a, dt, n);
        fill_random(b, dt, n);
        tl_where(dt, cnd.host, a.host, b.host, o.host, n, mp4);
        check_status("where", tlc_where(kDev, dt, cnd.dev, a.dev, b.dev, o.dev, n, mp4));
        compare(std::string("where ") + kDt[dt] + L, o, dt, n);
      }
    }
    for (int dt = F32; dt <= I64; dt++) {
      for (int op = TL_NEG; op <= TL_RELU; op++) {
        if (dt == I64 && op != TL_NEG && op != TL_ABS && op != TL_RELU) continue;
        Buf a(n * 8), o(n * 8);
        fill_random(a, dt, n, op == TL_LOG || op == TL_SQRT ? 0 : -5, 5, true);
        tl_unary(op, dt, a.host, o.host, n, mp2);
        check_status("unary", tlc_unary(kDev, op, dt, a.dev, o.dev, n, mp2));
        const bool exact = op == TL_NEG || op == TL_ABS || op == TL_RELU || op == TL_SQRT;
        compare("unary op " + std::to_string(op) + " " + kDt[dt] + L, o, dt, n, exact ? 0 : 4);  // CUDA's libm: <= 2 ulp
      }
    }
    for (int dt = F32; dt <= F64; dt++) {
      for (int op = TL_GRAD_RELU; op <= TL_GRAD_BCE_LOGITS; op++) {
        for (double s : {0.0, 2.0, 0.5, 1.7}) {
          Buf a(n * 8), b(n * 8), g(n * 8), o(n * 8);
          fill_random(a, dt, n, 0.1, 3);
          fill_random(b, dt, n);
          fill_random(g, dt, n);
          tl_grad(op, dt, a.host, b.host, g.host, s, o.host, n, mp4);
          check_status("grad", tlc_grad(kDev, op, dt, a.dev, b.dev, g.dev, s, o.dev, n, mp4));
          const bool exact = op != TL_GRAD_BCE_LOGITS && !(op == TL_GRAD_POW_SCALAR && s == 1.7);
          compare("grad op " + std::to_string(op) + " s " + std::to_string(s) + " " + kDt[dt] + L, o, dt, n,
                  exact ? 0 : 4);
        }
      }
    }
  }
}

// dims [a, b, c]: reduce over the trailing nred dims of a permutation given by strides.
void reduce_checks() {
  struct Shape { std::vector<int64_t> shape, strides; int nred; };
  const std::vector<Shape> shapes = {
      {{7, 300}, {300, 1}, 1}, {{300, 7}, {1, 300}, 1} /* column sums */, {{2100}, {1}, 1},
      {{5, 6, 70}, {420, 70, 1}, 2}, {{4096, 3}, {1, 4096}, 1}, {{3, 70000}, {70000, 1}, 1}, {{9, 0}, {1, 1}, 1}};
  for (const Shape& s : shapes) {
    int64_t numel = 1;
    for (int64_t d : s.shape) numel *= d;
    const int nd = int(s.shape.size()), nkeep = nd - s.nred;
    int64_t outputs = 1;
    for (int d = 0; d < nkeep; d++) outputs *= s.shape[d];
    std::vector<int64_t> meta = {nkeep, s.nred};
    for (int64_t d : s.shape) meta.push_back(d);
    for (int64_t d : s.strides) meta.push_back(d);
    int64_t st = 1;
    std::vector<int64_t> out_st(static_cast<size_t>(nkeep));
    for (int d = nkeep - 1; d >= 0; d--) { out_st[size_t(d)] = st; st *= s.shape[size_t(d)]; }
    for (int64_t v : out_st) meta.push_back(v);
    for (int64_t v : out_st) meta.push_back(v);
    for (int dt = 0; dt < 4; dt++) {
      for (int op = TL_SUM; op <= TL_ARGMIN; op++) {
        if (op == TL_MEAN && dt >= I64) continue;
        Buf in(numel * 8 + 8), out(outputs * 8), idx(outputs * 8);
        fill_random(in, dt, numel, op == TL_PROD ? 0.9 : -3, op == TL_PROD ? 1.1 : 3, op >= TL_MAX && dt < I64);
        const bool values = op != TL_ARGMAX && op != TL_ARGMIN, indices = op >= TL_MAX;
        tl_reduce(op, dt, in.host, values ? out.host : 0, indices ? idx.host : 0, meta.data());
        check_status("reduce", tlc_reduce(kDev, op, dt, in.dev, values ? out.dev : 0, indices ? idx.dev : 0, meta.data()));
        std::string name = "reduce op " + std::to_string(op) + " " + kDt[dt] + " numel " + std::to_string(numel) +
                           " nred " + std::to_string(s.nred);
        const int out_dt = (op == TL_SUM || op == TL_PROD) && dt >= I64 ? I64 : dt;
        // float sums in double in another order: the double result within n * eps * sum|x| (|x| <= 3)
        const double bound = double(numel) * double(numel) * 3 * 0x1p-52;
        if (values) compare(name, out, out_dt, outputs, op <= TL_PROD && dt < I64 ? 2 : 0, op <= TL_PROD && dt < I64 ? bound : 0);
        if (indices) compare(name + " indices", idx, I64, outputs);
      }
    }
  }
}

void row_checks() {
  for (int dt = F32; dt <= F64; dt++) {
    // rows in double on both, sums in another order, CUDA's exp and log against glibc's
    const double tol = dt == F32 ? 1e-6 : 1e-12;
    for (int64_t len : {1, 10, 257, 3000}) {
      const int64_t rows = 33, n = rows * len;
      Buf x(n * 8), y(n * 8), g(n * 8), gi(n * 8);
      fill_random(x, dt, n, -20, 20);
      fill_random(g, dt, n);
      for (int log = 0; log < 2; log++) {
        const std::string name = std::string(log ? "log_softmax " : "softmax ") + kDt[dt] + " len " + std::to_string(len);
        tl_softmax(dt, x.host, y.host, rows, len, log);
        check_status(name, tlc_softmax(kDev, dt, x.dev, y.dev, rows, len, log));
        compare(name, y, dt, n, 4, tol);
        y.upload();  // the backward of both from the CPU's forward
        tl_softmax_backward(dt, g.host, y.host, gi.host, rows, len, log);
        check_status(name, tlc_softmax_backward(kDev, dt, g.dev, y.dev, gi.dev, rows, len, log));
        compare(name + " backward", gi, dt, n, 4, tol);
      }
      // cross entropy with an ignored row and label smoothing
      Buf t(rows * 8), losses(rows * 8), gl(n * 8), gin(rows * 8);
      for (int64_t i = 0; i < rows; i++) t.h<int64_t>()[i] = i == 5 ? -100 : int64_t(rng() % uint64_t(len));
      t.upload();
      fill_random(gin, dt, rows);
      for (double ls : {0.0, 0.1}) {
        const std::string name = std::string("cross_entropy ") + kDt[dt] + " len " + std::to_string(len) + " ls " +
                                 std::to_string(ls);
        const int64_t bad_cpu = tl_cross_entropy(dt, x.host, t.host, 1, rows, len, -100, ls, losses.host);
        int64_t bad_gpu = 0;
        check_status(name, tlc_cross_entropy(kDev, dt, x.dev, t.dev, 1, rows, len, -100, ls, losses.dev, &bad_gpu));
        if (bad_cpu != bad_gpu) { failures++; std::printf("FAIL %s: bad row %lld vs %lld\n", name.c_str(), (long long)bad_cpu, (long long)bad_gpu); }
        compare(name, losses, dt, rows, 4, tol);
        tl_cross_entropy_backward(dt, x.host, t.host, 1, gin.host, 1, rows, len, -100, ls, gl.host);
        check_status(name, tlc_cross_entropy_backward(kDev, dt, x.dev, t.dev, 1, gin.dev, 1, rows, len, -100, ls, gl.dev));
        compare(name + " backward", gl, dt, n, 4, tol);
      }
      t.h<int64_t>()[7] = len;  // out of range: nothing written, the row reported
      t.upload();
      int64_t bad = -1;
      check_status("cross_entropy bad target", tlc_cross_entropy(kDev, dt, x.dev, t.dev, 1, rows, len, -100, 0, losses.dev, &bad));
      cases++;
      if (bad != 7) { failures++; std::printf("FAIL cross_entropy bad target: got row %lld\n", (long long)bad); }
    }
  }
}

void optim_checks() {
  const int64_t r = 64, c = 129, n = r * c;
  for (int dt = F32; dt <= F64; dt++) {
    for (int layout = 0; layout < 2; layout++) {
      std::vector<int64_t> m3 = meta2(3, r, c, layout), m5 = meta2(5, r, c, layout);
      const int64_t* mp3 = layout ? m3.data() : nullptr;
      const int64_t* mp5 = layout ? m5.data() : nullptr;
      for (int variant = 0; variant < 4; variant++) {
        Buf p(n * 8), g(n * 8), b1(n * 8), b2(n * 8), b3(n * 8);
        fill_random(p, dt, n); fill_random(g, dt, n); fill_random(b1, dt, n, 0, 1); fill_random(b2, dt, n, 0, 1);
        fill_random(b3, dt, n, 0, 1);
        const std::string v = std::string(kDt[dt]) + " variant " + std::to_string(variant) + " layout " + std::to_string(layout);
        const bool odd = variant & 1, high = variant & 2;
        tl_sgd_step(dt, p.host, g.host, b1.host, n, mp3, 0.1, 0.9, high ? 0.1 : 0, odd ? 1e-2 : 0, odd, high);
        check_status("sgd", tlc_sgd_step(kDev, dt, p.dev, g.dev, b1.dev, n, mp3, 0.1, 0.9, high ? 0.1 : 0, odd ? 1e-2 : 0, odd, high));
        compare("sgd " + v, p, dt, n);
        compare("sgd buffer " + v, b1, dt, n);
        tl_rmsprop_step(dt, p.host, g.host, b1.host, odd ? b2.host : 0, high ? b3.host : 0, n, mp5, 0.01, 0.99, 1e-8,
                        odd ? 1e-2 : 0, high ? 0.9 : 0);
        check_status("rmsprop", tlc_rmsprop_step(kDev, dt, p.dev, g.dev, b1.dev, odd ? b2.dev : 0, high ? b3.dev : 0, n,
                                                 mp5, 0.01, 0.99, 1e-8, odd ? 1e-2 : 0, high ? 0.9 : 0));
        compare("rmsprop " + v, p, dt, n);
        tl_adam_step(dt, p.host, g.host, b1.host, b2.host, odd ? b3.host : 0, n, mp5, 3, 1e-3, 0.9, 0.999, 1e-8,
                     high ? 1e-2 : 0, odd);
        check_status("adam", tlc_adam_step(kDev, dt, p.dev, g.dev, b1.dev, b2.dev, odd ? b3.dev : 0, n, mp5, 3, 1e-3, 0.9,
                                           0.999, 1e-8, high ? 1e-2 : 0, odd));
        compare("adam " + v, p, dt, n);
        compare("adam exp_avg_sq " + v, b2, dt, n);
      }
    }
  }
}

void sort_and_creation_checks() {
  for (int dt = 0; dt < 4; dt++) {
    for (int64_t len : {1, 5, 1000}) {
      const int64_t rows = 7, n = rows * len;
      Buf in(n * 8), vals(n * 8), idx(n * 8);
      fill_random(in, dt, n, -4, 4, true);
      for (int desc = 0; desc < 2; desc++) {
        const std::string name = std::string("sort ") + kDt[dt] + " len " + std::to_string(len) + (desc ? " desc" : "");
        tl_sort(dt, in.host, vals.host, idx.host, rows, len, desc);
        check_status(name, tlc_sort(kDev, dt, in.dev, vals.dev, idx.dev, rows, len, desc));
        compare(name, vals, dt, n);
        compare(name + " indices", idx, I64, n);
      }
    }
    for (int64_t n : {1, 7, 100, 1001}) {
      Buf o(n * 8);
      tl_arange(dt, o.host, n, dt == BOOL ? 0 : -3.3, 0.7);
      check_status("arange", tlc_arange(kDev, dt, o.dev, n, dt == BOOL ? 0 : -3.3, 0.7));
      compare(std::string("arange ") + kDt[dt] + " n " + std::to_string(n), o, dt, n);
      if (dt == BOOL) continue;
      tl_linspace(dt, o.host, n, -2.5, 7.25);
      check_status("linspace", tlc_linspace(kDev, dt, o.dev, n, -2.5, 7.25));
      compare(std::string("linspace ") + kDt[dt] + " n " + std::to_string(n), o, dt, n);
    }
  }
  // scatter along rows: the inverse of a permutation
  const int64_t rows = 4, m = 50;
  Buf src(rows * m * 8), index(rows * m * 8), out(rows * m * 8);
  fill_random(src, F32, rows * m);
  for (int64_t r = 0; r < rows; r++)
    for (int64_t j = 0; j < m; j++) index.h<int64_t>()[r * m + j] = (j * 7 + r) % m;
  index.upload();
  tl_scatter_rows(F32, src.host, index.host, out.host, rows, m, m);
  check_status("scatter", tlc_scatter_rows(kDev, F32, src.dev, index.dev, out.dev, rows, m, m));
  compare("scatter_rows", out, F32, rows * m);
}

void matmul_checks() {
  struct Case { int64_t batch, m, n, k; bool ta, tb, bcast; };
  const std::vector<Case> list = {{1, 3, 4, 5, false, false, false}, {1, 64, 33, 130, true, false, false},
                                  {3, 17, 9, 40, false, true, false}, {4, 8, 8, 8, true, true, true},
                                  {2, 5, 6, 0, false, false, false}, {1, 1, 1, 1, false, false, false}};
  for (int dt = F32; dt <= I64; dt++) {
    for (const Case& c : list) {
      Buf a(c.batch * c.m * c.k * 8 + 8), b(c.batch * c.k * c.n * 8 + 8), o(c.batch * c.m * c.n * 8 + 8);
      fill_random(a, dt, c.batch * c.m * c.k);
      fill_random(b, dt, c.batch * c.k * c.n);
      // a [batch, m, k] row-major or transposed per matrix; b broadcast over the batch when bcast
      const int64_t ars = c.ta ? 1 : c.k, acs = c.ta ? c.m : 1, brs = c.tb ? 1 : c.n, bcs = c.tb ? c.k : 1;
      const int64_t meta[] = {c.batch, c.m, c.n, c.k, c.m * c.k, ars, acs, c.bcast ? 0 : c.k * c.n, brs, bcs,
                              c.m * c.n, c.n, 1};
      tl_matmul(dt, a.host, b.host, o.host, meta);
      const std::string name = std::string("matmul ") + kDt[dt] + " " + std::to_string(c.batch) + "x" +
                               std::to_string(c.m) + "x" + std::to_string(c.n) + "x" + std::to_string(c.k) +
                               (c.ta ? " ta" : "") + (c.tb ? " tb" : "") + (c.bcast ? " broadcast" : "");
      check_status(name, tlc_matmul(kDev, dt, a.dev, b.dev, o.dev, meta));
      // gemm bound: (k + 2) eps sum |a||b| <= (k + 2) eps k 9 for inputs in [-3, 3]
      const double eps = dt == F32 ? 0x1p-24 : 0x1p-53;
      compare(name, o, dt, c.batch * c.m * c.n, 0, dt == I64 ? 0 : double(c.k + 2) * eps * double(c.k) * 9);
    }
  }
}

// ------------------------------------------------------------------------------------------------ bench

double median_ms(const std::function<void()>& step) {
  for (int i = 0; i < 3; i++) step();
  tlc_synchronize(kDev);
  std::vector<double> t;
  for (int i = 0; i < 20; i++) {
    const auto t0 = std::chrono::steady_clock::now();
    step();
    tlc_synchronize(kDev);
    t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

struct Dev {  // a device buffer only
  int64_t bytes, p;
  explicit Dev(int64_t b) : bytes(b), p(tlc_alloc(kDev, b)) {}
  ~Dev() { tlc_free(kDev, p, bytes); }
  void fill(double v) { tlc_fill(kDev, F32, p, bytes / 4, nullptr, v); }
};

void bench() {
  { // sgemm 4096
    const int64_t n = 4096;
    Dev a(n * n * 4), b(n * n * 4), c(n * n * 4);
    a.fill(0.5); b.fill(0.25);
    const int64_t meta[] = {1, n, n, n, 0, n, 1, 0, n, 1, 0, n, 1};
    std::printf("bench sgemm_4096 %.4f\n", median_ms([&] { tlc_matmul(kDev, F32, a.p, b.p, c.p, meta); }));
  }
  { // bmm [64, 512, 512]
    const int64_t B = 64, n = 512;
    Dev a(B * n * n * 4), b(B * n * n * 4), c(B * n * n * 4);
    a.fill(0.5); b.fill(0.25);
    const int64_t meta[] = {B, n, n, n, n * n, n, 1, n * n, n, 1, n * n, n, 1};
    std::printf("bench bmm_64x512x512 %.4f\n", median_ms([&] { tlc_matmul(kDev, F32, a.p, b.p, c.p, meta); }));
  }
  { // [8192, 8192] + [8192]
    const int64_t n = 8192;
    Dev a(n * n * 4), b(n * 4), c(n * n * 4);
    a.fill(1); b.fill(2);
    const int64_t meta[] = {2, n, n, n, 1, 0, 1, n, 1};
    std::printf("bench add_8192x8192_bcast %.4f\n",
                median_ms([&] { tlc_binary(kDev, TL_ADD, F32, a.p, b.p, c.p, n * n, meta); }));
  }
  { // one training step of 784 -> 4096 -> 4096 -> 10, batch 4096, as torchlet's ops issue it
    const int64_t B = 4096, D0 = 784, D1 = 4096, D2 = 4096, D3 = 10;
    Dev x(B * D0 * 4), w1(D1 * D0 * 4), b1(D1 * 4), w2(D2 * D1 * 4), b2(D2 * 4), w3(D3 * D2 * 4), b3(D3 * 4);
    Dev h1(B * D1 * 4), a1(B * D1 * 4), h2(B * D2 * 4), a2(B * D2 * 4), z(B * D3 * 4), loss(B * 4), lsum(4), tgt(B * 8);
    Dev gz(B * D3 * 4), ga2(B * D2 * 4), gh2(B * D2 * 4), ga1(B * D1 * 4), gh1(B * D1 * 4);
    Dev gw1(D1 * D0 * 4), gb1(D1 * 4), gw2(D2 * D1 * 4), gb2(D2 * 4), gw3(D3 * D2 * 4), gb3(D3 * 4), gscale(B * 4);
    x.fill(0.1); w1.fill(0.01); w2.fill(0.01); w3.fill(0.01); b1.fill(0); b2.fill(0); b3.fill(0); gscale.fill(1.0 / B);
    tlc_fill(kDev, I64, tgt.p, B, nullptr, 3);
    // y = x @ w^T + b: w^T is w with swapped strides, the bias a stride-0 broadcast
    auto linear = [&](const Dev& in, const Dev& w, const Dev& b, const Dev& out, int64_t k, int64_t n) {
      const int64_t mm[] = {1, B, n, k, 0, k, 1, 0, 1, k, 0, n, 1};
      tlc_matmul(kDev, F32, in.p, w.p, out.p, mm);
      const int64_t bc[] = {2, B, n, n, 1, 0, 1, n, 1};
      tlc_binary(kDev, TL_ADD, F32, out.p, b.p, out.p, B * n, bc);
    };
    // grad_in = g @ w; grad_w = g^T @ in; grad_b = sum over the batch
    auto linear_back = [&](const Dev& g, const Dev& in, const Dev& w, const Dev* gin, const Dev& gw, const Dev& gb,
                           int64_t k, int64_t n) {
      if (gin != nullptr) {
        const int64_t mm[] = {1, B, k, n, 0, n, 1, 0, k, 1, 0, k, 1};
        tlc_matmul(kDev, F32, g.p, w.p, gin->p, mm);
      }
      const int64_t mw[] = {1, n, k, B, 0, 1, n, 0, k, 1, 0, k, 1};
      tlc_matmul(kDev, F32, g.p, in.p, gw.p, mw);
      const int64_t red[] = {1, 1, n, B, 1, n, 1, 0};
      tlc_reduce(kDev, TL_SUM, F32, g.p, gb.p, 0, red);
    };
    auto sgd = [&](const Dev& p, const Dev& g) {
      tlc_sgd_step(kDev, F32, p.p, g.p, 0, p.bytes / 4, nullptr, 0.01, 0, 0, 0, 0, 0);
    };
    std::printf("bench mlp_step_784_4096_4096_10_b4096 %.4f\n", median_ms([&] {
      linear(x, w1, b1, h1, D0, D1);
      tlc_unary(kDev, TL_RELU, F32, h1.p, a1.p, B * D1, nullptr);
      linear(a1, w2, b2, h2, D1, D2);
      tlc_unary(kDev, TL_RELU, F32, h2.p, a2.p, B * D2, nullptr);
      linear(a2, w3, b3, z, D2, D3);
      int64_t bad = 0;
      tlc_cross_entropy(kDev, F32, z.p, tgt.p, 1, B, D3, -100, 0, loss.p, &bad);
      const int64_t all[] = {0, 1, B, 1, 0, 0};
      tlc_reduce(kDev, TL_MEAN, F32, loss.p, lsum.p, 0, all);
      tlc_cross_entropy_backward(kDev, F32, z.p, tgt.p, 1, gscale.p, 1, B, D3, -100, 0, gz.p);
      linear_back(gz, a2, w3, &ga2, gw3, gb3, D2, D3);
      tlc_grad(kDev, TL_GRAD_RELU, F32, h2.p, h2.p, ga2.p, 0, gh2.p, B * D2, nullptr);
      linear_back(gh2, a1, w2, &ga1, gw2, gb2, D1, D2);
      tlc_grad(kDev, TL_GRAD_RELU, F32, h1.p, h1.p, ga1.p, 0, gh1.p, B * D1, nullptr);
      linear_back(gh1, x, w1, nullptr, gw1, gb1, D0, D1);
      sgd(w1, gw1); sgd(b1, gb1); sgd(w2, gw2); sgd(b2, gb2); sgd(w3, gw3); sgd(b3, gb3);
    }));
  }
  const int e = tlc_synchronize(kDev);
  if (e != 0) { std::printf("FAIL bench: %s\n", tlc_error_string(e)); failures++; }
}

// cuBLAS as CudaRuntime finds it: $TORCHLET_CUBLAS, the linker's search, then the usual folders.
bool load_cublas() {
  std::vector<std::string> candidates;
  if (const char* p = std::getenv("TORCHLET_CUBLAS")) candidates.push_back(p);
  for (const char* name : {"libcublas.so.13", "libcublas.so.12", "/usr/local/cuda/lib64/libcublas.so.13"})
    candidates.push_back(name);
  for (const std::string& c : candidates) {
    if (tlc_cublas_load(c.c_str()) == 0) {
      std::printf("cuBLAS: %s\n", c.c_str());
      return true;
    }
    std::printf("cuBLAS not at %s: %s\n", c.c_str(), tlc_cublas_load_error());
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  const bool bench_only = argc > 1 && std::strcmp(argv[1], "--bench") == 0;
  const int count = tlc_device_count();
  if (count <= 0) {
    std::printf("no usable CUDA device: %s\n", count < 0 ? tlc_error_string(-count) : "no CUDA GPUs are available");
    return 2;
  }
  std::printf("device 0: %s\n", tlc_device_name(0));
  if (!load_cublas()) return 2;
  if (bench_only) {
    bench();
    return failures == 0 ? 0 : 1;
  }
  elementwise_checks();
  reduce_checks();
  row_checks();
  optim_checks();
  sort_and_creation_checks();
  matmul_checks();
  const int e = tlc_synchronize(kDev);
  if (e != 0) { std::printf("FAIL final synchronize: %s\n", tlc_error_string(e)); failures++; }
  std::printf("%d of %d GPU-vs-CPU checks failed\n", failures, cases);
  return failures == 0 ? 0 : 1;
}

// tl_grad, tl_softmax, tl_softmax_backward, tl_cross_entropy(_backward), tl_sgd_step, tl_rmsprop_step,
// tl_adam_step: hand-derived values, a strided/broadcast tl_grad against a scalar loop, and absent optimizer
// buffers (address 0) on both the contiguous and the strided path.
#include "harness.h"
#include "optim_isa.h"

namespace th {
namespace {

template <typename T> int64_t addr(std::vector<T>& v) { return reinterpret_cast<int64_t>(v.data()); }

bool close(double a, double b, double tol) { return std::fabs(a - b) <= tol || (std::isnan(a) && std::isnan(b)); }

template <typename T> void check_all(const char* what, const std::vector<T>& got, const std::vector<double>& want,
                                     double tol) {
  for (size_t i = 0; i < want.size(); i++)
    CHECK(close(double(got[i]), want[i], tol), "%s %s [%zu]: got %s want %s", what, dt_name(dt_of<T>()), i,
          show(got[i]).c_str(), show(want[i]).c_str());
}

template <typename T> void grad_values() {
  const double tol = std::is_same_v<T, float> ? 1e-6 : 1e-14;
  std::vector<T> a = {-1, 0, 2, T(NAN)}, g = {5, 5, 5, 5}, out(4);
  tl_grad(TL_GRAD_RELU, dt_of<T>(), addr(a), addr(a), addr(g), 0, addr(out), 4, nullptr);
  check_all("grad relu", out, {0, 0, 5, 5}, 0);
  std::vector<T> y = {0.5, 0.25, 1, 0}, g2 = {2, 2, 2, 2};
  tl_grad(TL_GRAD_SIGMOID, dt_of<T>(), addr(y), addr(y), addr(g2), 0, addr(out), 4, nullptr);
  check_all("grad sigmoid", out, {0.5, 0.375, 0, 0}, tol);
  tl_grad(TL_GRAD_TANH, dt_of<T>(), addr(y), addr(y), addr(g2), 0, addr(out), 4, nullptr);
  check_all("grad tanh", out, {1.5, 1.875, 0, 2}, tol);
  std::vector<T> base = {3, 4, 0.5, -2}, target = {1, 4, 0.5, -2};
  tl_grad(TL_GRAD_POW_SCALAR, dt_of<T>(), addr(base), addr(base), addr(g2), 3, addr(out), 4, nullptr);
  check_all("grad pow 3", out, {54, 96, 1.5, 24}, tol);
  tl_grad(TL_GRAD_POW_SCALAR, dt_of<T>(), addr(base), addr(base), addr(g2), 2.5, addr(out), 4, nullptr);
  check_all("grad pow 2.5", out, {15 * std::sqrt(3.0), 40, 5 * std::pow(0.5, 1.5), NAN}, 1e-4);  // 2 * 2.5 * a^1.5
  tl_grad(TL_GRAD_POW_SCALAR, dt_of<T>(), addr(base), addr(base), addr(g2), 0, addr(out), 4, nullptr);
  check_all("grad pow 0", out, {0, 0, 0, 0}, 0);
  tl_grad(TL_GRAD_MSE, dt_of<T>(), addr(base), addr(target), addr(g2), 0.5, addr(out), 4, nullptr);
  check_all("grad mse", out, {2, 0, 0, 0}, tol);
  std::vector<T> logits = {0, 0, T(std::log(3.0)), T(-std::log(3.0))}, labels = {1, 0, 1, 0};
  tl_grad(TL_GRAD_BCE_LOGITS, dt_of<T>(), addr(logits), addr(labels), addr(g2), 0.5, addr(out), 4, nullptr);
  check_all("grad bce", out, {-0.5, 0.5, -0.25, 0.25}, tol);

  // [3, 4]: a transposed (strides 1, 3), b broadcast along rows (0, 1), g a scalar (0, 0), out padded (5, 1)
  std::vector<T> am(12), bm(4), gm = {T(0.5)}, om(15, T(-7));
  for (int i = 0; i < 12; i++) am[size_t(i)] = T(i - 5);
  for (int j = 0; j < 4; j++) bm[size_t(j)] = T(j);
  const int64_t meta[] = {2, 3, 4, 1, 3, 0, 1, 0, 0, 5, 1};
  tl_grad(TL_GRAD_MSE, dt_of<T>(), addr(am), addr(bm), addr(gm), 2, addr(om), 12, meta);
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 4; j++) {
      const double want = 2 * (double(am[size_t(i + 3 * j)]) - j) * 0.5;
      CHECK(close(double(om[size_t(5 * i + j)]), want, 0), "grad mse strided %s (%d, %d)", dt_name(dt_of<T>()), i, j);
    }
  CHECK(om[4] == T(-7) && om[9] == T(-7) && om[14] == T(-7), "grad mse strided wrote outside its view");
}

template <typename T> void row_values() {
  const double tol = std::is_same_v<T, float> ? 1e-6 : 1e-14;
  std::vector<T> x = {0, T(std::log(3.0)), 1000, 1000, 1000, 0}, p(6), lp(6);
  tl_softmax(dt_of<T>(), addr(x), addr(p), 3, 2, 0);
  tl_softmax(dt_of<T>(), addr(x), addr(lp), 3, 2, 1);
  check_all("softmax", p, {0.25, 0.75, 0.5, 0.5, 1, 0}, tol);
  check_all("log_softmax", lp, {std::log(0.25), std::log(0.75), -std::log(2.0), -std::log(2.0), 0, -1000}, tol * 100);
  std::vector<T> g = {1, 0}, y = {0.25, 0.75}, ly = {T(std::log(0.25)), T(std::log(0.75))}, gi(2);
  tl_softmax_backward(dt_of<T>(), addr(g), addr(y), addr(gi), 1, 2, 0);
  check_all("softmax backward", gi, {0.1875, -0.1875}, tol);
  tl_softmax_backward(dt_of<T>(), addr(g), addr(ly), addr(gi), 1, 2, 1);
  check_all("log_softmax backward", gi, {0.75, -0.75}, tol);

  std::vector<T> logits = {0, 0, 0, T(std::log(3.0)), 5, 7}, losses(3, T(-1));
  std::vector<int64_t> target = {0, 9, 0, 9, -100, 9};  // stride 2
  CHECK(tl_cross_entropy(dt_of<T>(), addr(logits), addr(target), 2, 3, 2, -100, 0, addr(losses)) == -1, "ce ok");
  check_all("cross entropy", losses, {std::log(2.0), -std::log(0.25), 0}, tol);
  std::vector<int64_t> bad = {0, 2, -1};
  CHECK(tl_cross_entropy(dt_of<T>(), addr(logits), addr(bad), 1, 3, 2, -100, 0, addr(losses)) == 1, "ce bad row 1");
  std::vector<T> grad(6), gs = {2};
  tl_cross_entropy_backward(dt_of<T>(), addr(logits), addr(target), 2, addr(gs), 0, 3, 2, -100, 0.2, addr(grad));
  check_all("cross entropy backward", grad, {-0.8, 0.8, -1.3, 1.3, 0, 0}, tol);  // row 0: 2 * (.5 - .8 - .1, .5 - .1)
}

template <typename T> void optim_values() {
  const double tol = std::is_same_v<T, float> ? 1e-6 : 1e-14;
  // SGD momentum 0.9, dampening 0.5, two steps of grad 0.5; no buffer: plain step
  std::vector<T> p = {1}, g = {0.5}, buf = {0};
  tl_sgd_step(dt_of<T>(), addr(p), addr(g), addr(buf), 1, nullptr, 0.1, 0.9, 0.5, 0, 0, 1);
  tl_sgd_step(dt_of<T>(), addr(p), addr(g), addr(buf), 1, nullptr, 0.1, 0.9, 0.5, 0, 0, 0);
  check_all("sgd momentum buf", buf, {0.7}, tol);
  check_all("sgd momentum param", p, {0.88}, tol);
  // strided param (stride 2) with absent buffer on the strided path: meta strides of the buffer all 0
  std::vector<T> ps = {1, 9, 1, 9}, gs = {0.5, -0.5};
  const int64_t meta[] = {1, 2, 2, 1, 0};
  tl_sgd_step(dt_of<T>(), addr(ps), addr(gs), 0, 2, meta, 0.1, 0, 0, 0, 0, 1);
  check_all("sgd strided", ps, {0.95, 9, 1.05, 9}, tol);
  // RMSprop, one step of grad 2: sq = 0.04, param = 1 - 0.01 * 2 / 0.2
  std::vector<T> pr = {1}, gr = {2}, sq = {0};
  tl_rmsprop_step(dt_of<T>(), addr(pr), addr(gr), addr(sq), 0, 0, 1, nullptr, 0.01, 0.99, 0, 0, 0);
  check_all("rmsprop", pr, {0.9}, tol);
  // Adam first step from zero state: param moves by lr * sign(grad)
  std::vector<T> pa = {1, 1}, ga = {2, -0.5}, m = {0, 0}, v = {0, 0};
  tl_adam_step(dt_of<T>(), addr(pa), addr(ga), addr(m), addr(v), 0, 2, nullptr, 1, 0.01, 0.9, 0.999, 0, 0, 0);
  check_all("adam", pa, {0.99, 1.01}, tol);
}

}  // namespace

// The baseline and the FMA/AVX2 builds of the optimizer kernels (optim_dispatch.cpp picks one by the CPU)
// give the same bits: contiguous and strided, every flag, float and double.
template <typename T> void optim_builds_agree() {
  if (!__builtin_cpu_supports("fma") || !__builtin_cpu_supports("avx2")) return;  // only the baseline runs here
  const int64_t n = 1000;
  std::vector<T> g(n), m(n), v(n), vmax(n);
  for (int64_t i = 0; i < n; i++) {
    g[i] = T(std::sin(0.37 * double(i)) * 3);
    m[i] = T(std::cos(0.11 * double(i)));
    v[i] = T(0.5 + 0.25 * std::sin(double(i)));
    vmax[i] = T(0.6);
  }
  const int64_t strided[] = {1, n / 2, 2, 2, 2, 2, 2};  // every other element: ndim 1, size n/2, stride 2 for each of up to 5 operands
  for (const int64_t* meta : {static_cast<const int64_t*>(nullptr), strided}) {
    const int64_t count = meta ? n / 2 : n;
    for (int flags = 0; flags < 8; flags++) {
      std::vector<T> w0(n), w1(n), b0 = m, b1 = m, s0 = v, s1 = v, a0 = m, a1 = m, x0 = vmax, x1 = vmax;
      for (int64_t i = 0; i < n; i++) w0[i] = w1[i] = T(1 + 0.01 * double(i));
      const double wd = flags & 1 ? 0.01 : 0;
      const int nesterov = flags & 2 ? 1 : 0, first = flags & 4 ? 1 : 0;
      optim_base::sgd_step(dt_of<T>(), addr(w0), addr(g), addr(b0), count, meta, 0.1, 0.9, 0.1, wd, nesterov, first);
      optim_fma::sgd_step(dt_of<T>(), addr(w1), addr(g), addr(b1), count, meta, 0.1, 0.9, 0.1, wd, nesterov, first);
      CHECK(std::memcmp(w0.data(), w1.data(), n * sizeof(T)) == 0 && std::memcmp(b0.data(), b1.data(), n * sizeof(T)) == 0,
            "sgd %s flags %d %s: the two builds agree", dt_name(dt_of<T>()), flags, meta ? "strided" : "contiguous");
      optim_base::rmsprop_step(dt_of<T>(), addr(w0), addr(g), addr(s0), flags & 2 ? addr(a0) : 0, flags & 4 ? addr(b0) : 0,
                               count, meta, 0.01, 0.99, 1e-8, wd, flags & 4 ? 0.9 : 0);
      optim_fma::rmsprop_step(dt_of<T>(), addr(w1), addr(g), addr(s1), flags & 2 ? addr(a1) : 0, flags & 4 ? addr(b1) : 0,
                              count, meta, 0.01, 0.99, 1e-8, wd, flags & 4 ? 0.9 : 0);
      CHECK(std::memcmp(w0.data(), w1.data(), n * sizeof(T)) == 0 && std::memcmp(s0.data(), s1.data(), n * sizeof(T)) == 0,
            "rmsprop %s flags %d %s: the two builds agree", dt_name(dt_of<T>()), flags, meta ? "strided" : "contiguous");
      optim_base::adam_step(dt_of<T>(), addr(w0), addr(g), addr(a0), addr(s0), flags & 2 ? addr(x0) : 0, count, meta, 3,
                            0.001, 0.9, 0.999, 1e-8, wd, flags & 4 ? 1 : 0);
      optim_fma::adam_step(dt_of<T>(), addr(w1), addr(g), addr(a1), addr(s1), flags & 2 ? addr(x1) : 0, count, meta, 3,
                           0.001, 0.9, 0.999, 1e-8, wd, flags & 4 ? 1 : 0);
      CHECK(std::memcmp(w0.data(), w1.data(), n * sizeof(T)) == 0 && std::memcmp(a0.data(), a1.data(), n * sizeof(T)) == 0,
            "adam %s flags %d %s: the two builds agree", dt_name(dt_of<T>()), flags, meta ? "strided" : "contiguous");
    }
  }
}

void test_fused() {
  grad_values<float>();
  grad_values<double>();
  row_values<float>();
  row_values<double>();
  optim_values<float>();
  optim_values<double>();
  optim_builds_agree<float>();
  optim_builds_agree<double>();
}

}  // namespace th

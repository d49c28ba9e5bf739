// tl_fill, tl_copy, tl_binary, tl_binary_scalar, tl_unary: hand-computed values, then every layout kind
// (contiguous, transposed, padded, inner stride 2, odd strides on size-1 dims, stride-0 broadcasts, a
// storage offset) of every test shape against a scalar loop over the N-d index space. Outputs must be
// written exactly at their view's positions: the rest of their buffers keeps a sentinel.
#include <memory>
#include "harness.h"

namespace th {
namespace {

constexpr unsigned char kSentinel = 0xA5;

// One operand: its own tl_alloc buffer, strides and storage offset (elements).
struct Operand {
  Dims strides;
  int64_t offset = 0, ext = 0, esize = 0;
  std::unique_ptr<Buf> buf;
  Operand(const Dims& shape, int kind, int64_t item, int64_t off) : strides(strides_for(shape, kind)), offset(off), esize(item) {
    ext = extent(shape, strides, offset) + 2;  // a spare element after the view too
    buf = std::make_unique<Buf>(ext * esize);
    std::memset(reinterpret_cast<void*>(buf->addr), kSentinel, size_t(ext * esize));
  }
  int64_t addr() const { return buf->addr + offset * esize; }
  template <typename T> T at(const Dims& idx) const { return buf->as<T>()[offset + offset_of(idx, strides)]; }
  template <typename T> void fill_random(Rng& r) {
    for (int64_t i = 0; i < ext; i++) buf->as<T>()[i] = random_value<T>(r);
  }
  // "" when every byte outside the view still holds the sentinel
  std::string untouched_outside(const Dims& shape) const {
    std::vector<bool> in_view(size_t(ext), false);
    for_each_index(shape, [&](const Dims& idx) { in_view[size_t(offset + offset_of(idx, strides))] = true; });
    const unsigned char* bytes = reinterpret_cast<const unsigned char*>(buf->addr);
    for (int64_t i = 0; i < ext; i++)
      if (!in_view[size_t(i)])
        for (int64_t b = 0; b < esize; b++)
          if (bytes[i * esize + b] != kSentinel) return "element " + std::to_string(i) + " outside the view was written";
    return "";
  }
};

bool all_contig(const std::vector<int>& kinds) {
  for (int k : kinds)
    if (k != CONTIG) return false;
  return true;
}

// The meta a kernel gets: nullptr for the all-contiguous fast path (half the time), else the full layout.
const int64_t* meta_or_null(const std::vector<int64_t>& meta, const std::vector<int>& kinds, bool prefer_null) {
  return prefer_null && all_contig(kinds) ? nullptr : meta.data();
}

std::string where(const char* what, int dt, const Dims& shape, const std::vector<int>& kinds) {
  std::string s = std::string(what) + " " + dt_name(dt) + " shape " + show(shape) + " kinds";
  for (int k : kinds) s += std::string(" ") + kind_name(k);
  return s;
}

// ------------------------------------------------------------------------------------------------ fill

template <typename T> void fill_layouts() {
  const double values[] = {0.0, -0.0, 1.5, -2.7, 3e10, 1e300, -1e300, NAN, INFINITY};
  int vi = 0;
  for (const Dims& shape : test_shapes())
    for (int k = 0; k < kOutKinds; k++) {
      const double v = values[vi++ % 9];
      Operand out(shape, k, sizeof(T), k % 2);
      auto meta = elementwise_meta(shape, {out.strides});
      tl_fill(dt_of<T>(), out.addr(), numel(shape), meta_or_null(meta, {k}, vi % 2), v);
      std::string err = out.untouched_outside(shape);
      const T want = ref_convert<T>(v);
      for_each_index(shape, [&](const Dims& idx) {
        if (err.empty() && !same(out.at<T>(idx), want))
          err = "at " + show(idx) + ": got " + show(out.at<T>(idx)) + ", want " + show(want) + " (value " + show(v) + ")";
      });
      CHECK(err.empty(), "tl_fill %s: %s", where("", dt_of<T>(), shape, {k}).c_str(), err.c_str());
    }
}

}  // namespace

void test_fill() {
  // hand-computed conversions of the fill value
  Buf b(64);
  tl_fill(F32, b.addr, 3, nullptr, 0.1);
  CHECK(b.as<float>()[0] == 0.1f && b.as<float>()[2] == 0.1f, "fill float32 0.1 gives (float)0.1");
  tl_fill(I64, b.addr, 2, nullptr, -2.7);
  CHECK(b.as<int64_t>()[0] == -2 && b.as<int64_t>()[1] == -2, "fill int64 -2.7 truncates to -2");
  tl_fill(I64, b.addr, 1, nullptr, NAN);
  CHECK(b.as<int64_t>()[0] == INT64_MIN, "fill int64 NaN gives INT64_MIN");
  tl_fill(I64, b.addr, 1, nullptr, 1e19);
  CHECK(b.as<int64_t>()[0] == INT64_MIN, "fill int64 1e19 gives INT64_MIN");
  tl_fill(BOOL, b.addr, 4, nullptr, 0.5);
  CHECK(b.as<boolean>()[0] == 1 && b.as<boolean>()[3] == 1, "fill bool 0.5 gives true");
  tl_fill(BOOL, b.addr, 4, nullptr, -0.0);
  CHECK(b.as<boolean>()[0] == 0 && b.as<boolean>()[3] == 0, "fill bool -0.0 gives false");
  tl_fill(BOOL, b.addr, 1, nullptr, NAN);
  CHECK(b.as<boolean>()[0] == 1, "fill bool NaN gives true");
  // 0-dim: meta = [0], one element
  const int64_t meta0[] = {0};
  tl_fill(F64, b.addr, 1, meta0, 4.25);
  CHECK(b.as<double>()[0] == 4.25, "fill 0-dim");
  // n = 0 writes nothing
  b.as<double>()[0] = 7;
  tl_fill(F64, b.addr, 0, nullptr, 1);
  CHECK(b.as<double>()[0] == 7, "fill with n = 0 writes nothing");

  for_each_dtype([](auto tag) { fill_layouts<decltype(tag)>(); });
}

// ------------------------------------------------------------------------------------------------ copy

namespace {

template <typename S, typename D> void copy_layouts(Rng& rng) {
  int variant = 0;
  for (const Dims& shape : test_shapes())
    for (int ks = 0; ks < NUM_KINDS; ks++) {
      const int kd = (ks + variant++) % kOutKinds;
      Operand src(shape, ks, sizeof(S), ks % 2), dst(shape, kd, sizeof(D), (ks + 1) % 2);
      src.fill_random<S>(rng);
      auto meta = elementwise_meta(shape, {src.strides, dst.strides});
      tl_copy(dt_of<S>(), dt_of<D>(), src.addr(), dst.addr(), numel(shape), meta_or_null(meta, {ks, kd}, variant % 2));
      std::string err = dst.untouched_outside(shape);
      for_each_index(shape, [&](const Dims& idx) {
        const D want = ref_convert<D>(src.at<S>(idx));
        if (err.empty() && !same(dst.at<D>(idx), want))
          err = "at " + show(idx) + ": " + show(src.at<S>(idx)) + " -> got " + show(dst.at<D>(idx)) + ", want " + show(want);
      });
      CHECK(err.empty(), "tl_copy %s -> %s shape %s kinds %s %s: %s", dt_name(dt_of<S>()), dt_name(dt_of<D>()),
            show(shape).c_str(), kind_name(ks), kind_name(kd), err.c_str());
    }
}

}  // namespace

void test_copy() {
  // hand-computed conversions
  Buf src(256), dst(256);
  const double d[] = {-2.7, 2.7, -0.0, NAN, 1e19, -1e19, -9223372036854775808.0, 9223372036854775808.0, 0.5, 1e300};
  std::memcpy(reinterpret_cast<void*>(src.addr), d, sizeof d);
  tl_copy(F64, I64, src.addr, dst.addr, 10, nullptr);
  const int64_t* i = dst.as<int64_t>();
  CHECK(i[0] == -2 && i[1] == 2 && i[2] == 0, "double -> int64 truncates toward zero: %lld %lld %lld",
        (long long)i[0], (long long)i[1], (long long)i[2]);
  CHECK(i[3] == INT64_MIN && i[4] == INT64_MIN && i[5] == INT64_MIN, "NaN and out of range -> INT64_MIN");
  CHECK(i[6] == INT64_MIN && i[7] == INT64_MIN && i[8] == 0, "-2^63 exact, 2^63 out of range, 0.5 -> 0");
  tl_copy(F64, BOOL, src.addr, dst.addr, 10, nullptr);
  const boolean* b = dst.as<boolean>();
  CHECK(b[0] == 1 && b[2] == 0 && b[3] == 1 && b[8] == 1, "double -> bool is x != 0 (NaN true, -0 false)");
  tl_copy(F64, F32, src.addr, dst.addr, 10, nullptr);
  CHECK(dst.as<float>()[0] == -2.7f && std::isinf(dst.as<float>()[9]), "double -> float rounds, overflows to inf");
  const int64_t big[] = {(int64_t(1) << 53) + 1, INT64_MAX, -3};
  std::memcpy(reinterpret_cast<void*>(src.addr), big, sizeof big);
  tl_copy(I64, F64, src.addr, dst.addr, 3, nullptr);
  CHECK(dst.as<double>()[0] == 9007199254740992.0 && dst.as<double>()[1] == 9223372036854775808.0 && dst.as<double>()[2] == -3,
        "int64 -> double rounds to nearest even");
  tl_copy(I64, BOOL, src.addr, dst.addr, 3, nullptr);
  CHECK(b[0] == 1 && b[1] == 1 && b[2] == 1, "int64 -> bool");
  const boolean bs[] = {1, 0, 1};
  std::memcpy(reinterpret_cast<void*>(src.addr), bs, sizeof bs);
  tl_copy(BOOL, F32, src.addr, dst.addr, 3, nullptr);
  CHECK(dst.as<float>()[0] == 1 && dst.as<float>()[1] == 0 && dst.as<float>()[2] == 1, "bool -> float32 is 0/1");
  tl_copy(BOOL, I64, src.addr, dst.addr, 3, nullptr);
  CHECK(i[0] == 1 && i[1] == 0 && i[2] == 1, "bool -> int64 is 0/1");
  // transpose a 2x3 into a contiguous 3x2: meta in the destination's shape
  const float m[] = {1, 2, 3, 4, 5, 6};
  std::memcpy(reinterpret_cast<void*>(src.addr), m, sizeof m);
  const int64_t tmeta[] = {2, 3, 2, /*src*/ 1, 3, /*dst*/ 2, 1};
  tl_copy(F32, F32, src.addr, dst.addr, 6, tmeta);
  const float* t = dst.as<float>();
  CHECK(t[0] == 1 && t[1] == 4 && t[2] == 2 && t[3] == 5 && t[4] == 3 && t[5] == 6, "transposing copy");
  // broadcast a row over 3 rows (stride 0)
  const int64_t bmeta[] = {2, 3, 2, /*src*/ 0, 1, /*dst*/ 2, 1};
  tl_copy(F32, F64, src.addr, dst.addr, 6, bmeta);
  const double* bd = dst.as<double>();
  CHECK(bd[0] == 1 && bd[1] == 2 && bd[2] == 1 && bd[5] == 2, "broadcasting copy with a cast");

  Rng rng(11);
  for_each_dtype([&](auto from) {
    for_each_dtype([&](auto to) { copy_layouts<decltype(from), decltype(to)>(rng); });
  });
}

// ---------------------------------------------------------------------------------------------- binary

namespace {

template <typename T> void binary_layouts(int op, Rng& rng) {
  int variant = 0;
  for (const Dims& shape : test_shapes())
    for (int ka = 0; ka < NUM_KINDS; ka++)
      for (int kb = 0; kb < NUM_KINDS; kb++) {
        if (numel(shape) > 256 && kb != ka && kb != (ka + 4) % NUM_KINDS) continue;  // big shapes: fewer pairs
        const int ko = (ka + kb + variant++) % kOutKinds;
        const int64_t osize = is_compare(op) ? 1 : int64_t(sizeof(T));
        Operand a(shape, ka, sizeof(T), ka % 2), b(shape, kb, sizeof(T), kb % 3), out(shape, ko, osize, variant % 2);
        a.fill_random<T>(rng);
        b.fill_random<T>(rng);
        auto meta = elementwise_meta(shape, {a.strides, b.strides, out.strides});
        tl_binary(op, dt_of<T>(), a.addr(), b.addr(), out.addr(), numel(shape),
                  meta_or_null(meta, {ka, kb, ko}, variant % 2));
        std::string err = out.untouched_outside(shape);
        for_each_index(shape, [&](const Dims& idx) {
          if (!err.empty()) return;
          const T x = a.at<T>(idx), y = b.at<T>(idx);
          if (is_compare(op)) {
            const boolean got = out.at<boolean>(idx), want = ref_compare(op, x, y);
            if (got != want) err = "at " + show(idx) + ": " + show(x) + " vs " + show(y) + " got " + show(got) + ", want " + show(want);
          } else {
            const T got = out.at<T>(idx), want = ref_arith<T>(op, x, y);
            if (!same(got, want))
              err = "at " + show(idx) + ": " + show(x) + ", " + show(y) + " got " + show(got) + ", want " + show(want);
          }
        });
        CHECK(err.empty(), "tl_binary %s %s: %s", binary_name(op), where("", dt_of<T>(), shape, {ka, kb, ko}).c_str(),
              err.c_str());
      }
}

// out aliases a (an in-place op): same buffer, same layout
template <typename T> void binary_in_place(Rng& rng) {
  const Dims shape{5, 6};
  for (int k = 0; k < kOutKinds; k++) {
    Operand a(shape, k, sizeof(T), 1), b(shape, BCAST_OUTER, sizeof(T), 0);
    a.fill_random<T>(rng);
    b.fill_random<T>(rng);
    std::vector<T> before;
    for_each_index(shape, [&](const Dims& idx) { before.push_back(a.at<T>(idx)); });
    auto meta = elementwise_meta(shape, {a.strides, b.strides, a.strides});
    tl_binary(TL_SUB, dt_of<T>(), a.addr(), b.addr(), a.addr(), numel(shape), meta.data());
    size_t n = 0;
    bool ok = true;
    for_each_index(shape, [&](const Dims& idx) { ok &= same(a.at<T>(idx), ref_arith<T>(TL_SUB, before[n++], b.at<T>(idx))); });
    CHECK(ok, "in-place tl_binary SUB %s kind %s", dt_name(dt_of<T>()), kind_name(k));
  }
}

template <typename T> std::vector<T> binary_contig(int op, std::vector<T> a, std::vector<T> b) {
  const int64_t n = int64_t(a.size());
  Buf ba(n * 8 + 8), bb(n * 8 + 8), bo(n * 8 + 8);
  std::memcpy(reinterpret_cast<void*>(ba.addr), a.data(), a.size() * sizeof(T));
  std::memcpy(reinterpret_cast<void*>(bb.addr), b.data(), b.size() * sizeof(T));
  tl_binary(op, dt_of<T>(), ba.addr, bb.addr, bo.addr, n, nullptr);
  return std::vector<T>(bo.as<T>(), bo.as<T>() + n);
}

std::vector<boolean> compare_f(int op, std::vector<float> a, std::vector<float> b) {
  const int64_t n = int64_t(a.size());
  Buf ba(n * 4 + 4), bb(n * 4 + 4), bo(n + 1);
  std::memcpy(reinterpret_cast<void*>(ba.addr), a.data(), a.size() * 4);
  std::memcpy(reinterpret_cast<void*>(bb.addr), b.data(), b.size() * 4);
  tl_binary(op, F32, ba.addr, bb.addr, bo.addr, n, nullptr);
  return std::vector<boolean>(bo.as<boolean>(), bo.as<boolean>() + n);
}

}  // namespace

void test_binary() {
  const float nan = NAN;
  // float32 arithmetic stays in float: 0.1f + 0.2f is the float sum, not a rounded double sum
  auto f = binary_contig<float>(TL_ADD, {0.1f, 16777216.0f}, {0.2f, 1.0f});
  CHECK(f[0] == 0.1f + 0.2f && f[1] == 16777216.0f, "float32 add in float");
  f = binary_contig<float>(TL_DIV, {1, -1, 0}, {0, 0, 0});
  CHECK(std::isinf(f[0]) && f[0] > 0 && std::isinf(f[1]) && f[1] < 0 && std::isnan(f[2]), "float division by zero");
  f = binary_contig<float>(TL_MAXIMUM, {nan, 1, 2, -1}, {1, nan, 1, -2});
  CHECK(std::isnan(f[0]) && std::isnan(f[1]) && f[2] == 2 && f[3] == -1, "maximum propagates NaN");
  f = binary_contig<float>(TL_MINIMUM, {nan, 1, 2, -1}, {1, nan, 1, -2});
  CHECK(std::isnan(f[0]) && std::isnan(f[1]) && f[2] == 1 && f[3] == -2, "minimum propagates NaN");
  f = binary_contig<float>(TL_POW, {2, -8, 0, nan, 1}, {10, 1.0f / 3, -1, 0, nan});
  CHECK(f[0] == 1024 && std::isnan(f[1]) && std::isinf(f[2]) && f[3] == 1 && f[4] == 1, "float pow (std::pow rules)");
  auto c = compare_f(TL_EQ, {nan, 1, 2}, {nan, 1, 3});
  CHECK(c[0] == 0 && c[1] == 1 && c[2] == 0, "EQ: NaN is unequal to itself");
  c = compare_f(TL_NE, {nan, 1, 2}, {nan, 1, 3});
  CHECK(c[0] == 1 && c[1] == 0 && c[2] == 1, "NE: NaN != NaN is true");
  for (int op : {TL_LT, TL_LE, TL_GT, TL_GE}) {
    c = compare_f(op, {nan, 1, nan}, {1, nan, nan});
    CHECK(c[0] == 0 && c[1] == 0 && c[2] == 0, "%s with NaN is false", binary_name(op));
  }
  c = compare_f(TL_LE, {1, 2, -0.0f}, {2, 2, 0.0f});
  CHECK(c[0] == 1 && c[1] == 1 && c[2] == 1, "LE, -0 <= +0");

  auto i = binary_contig<int64_t>(TL_DIV, {7, -7, 7, -7, 5, 0, INT64_MIN}, {2, 2, -2, -2, 0, 0, -1});
  CHECK(i[0] == 3 && i[1] == -3 && i[2] == -3 && i[3] == 3, "int64 division truncates toward zero");
  CHECK(i[4] == 0 && i[5] == 0 && i[6] == INT64_MIN, "int64 division by zero gives 0, INT64_MIN / -1 wraps");
  i = binary_contig<int64_t>(TL_POW, {2, 3, -2, 0, 1, -1, -1, 2, 0, 3}, {10, 4, 3, 0, -5, -3, -4, -1, -2, 40});
  CHECK(i[0] == 1024 && i[1] == 81 && i[2] == -8 && i[3] == 1, "int64 pow, exponent >= 0");
  CHECK(i[4] == 1 && i[5] == -1 && i[6] == 1 && i[7] == 0 && i[8] == 0, "int64 pow, negative exponent");
  CHECK(i[9] == int64_t(12157665459056928801ull), "int64 pow wraps: 3^40 mod 2^64");
  i = binary_contig<int64_t>(TL_ADD, {INT64_MAX, INT64_MIN}, {1, -1});
  CHECK(i[0] == INT64_MIN && i[1] == INT64_MAX, "int64 add wraps");
  i = binary_contig<int64_t>(TL_MUL, {INT64_MAX, int64_t(1) << 62}, {2, 4});
  CHECK(i[0] == -2 && i[1] == 0, "int64 mul wraps");

  auto bl = binary_contig<boolean>(TL_ADD, {0, 0, 1, 1}, {0, 1, 0, 1});
  CHECK(bl == std::vector<boolean>({0, 1, 1, 1}), "bool add is or");
  bl = binary_contig<boolean>(TL_MUL, {0, 0, 1, 1}, {0, 1, 0, 1});
  CHECK(bl == std::vector<boolean>({0, 0, 0, 1}), "bool mul is and");
  bl = binary_contig<boolean>(TL_MAXIMUM, {0, 0, 1, 1}, {0, 1, 0, 1});
  CHECK(bl == std::vector<boolean>({0, 1, 1, 1}), "bool maximum is or");
  bl = binary_contig<boolean>(TL_MINIMUM, {0, 0, 1, 1}, {0, 1, 0, 1});
  CHECK(bl == std::vector<boolean>({0, 0, 0, 1}), "bool minimum is and");
  bl = binary_contig<boolean>(TL_SUB, {0, 0, 1, 1}, {0, 1, 0, 1});
  CHECK(bl == std::vector<boolean>({0, 1, 1, 0}), "bool sub through int, != 0");
  bl = binary_contig<boolean>(TL_DIV, {0, 0, 1, 1}, {0, 1, 0, 1});
  CHECK(bl == std::vector<boolean>({0, 0, 0, 1}), "bool div through int (x / 0 = 0)");

  // row broadcast [3,4] + [4] and column broadcast [3,4] + [3,1], hand-computed
  Buf a(96), b(32), o(96);
  for (int k = 0; k < 12; k++) a.as<double>()[k] = k;
  for (int k = 0; k < 4; k++) b.as<double>()[k] = 100 * (k + 1);
  const int64_t row[] = {2, 3, 4, 4, 1, 0, 1, 4, 1};
  tl_binary(TL_ADD, F64, a.addr, b.addr, o.addr, 12, row);
  CHECK(o.as<double>()[0] == 100 && o.as<double>()[5] == 205 && o.as<double>()[11] == 411, "row broadcast");
  const int64_t col[] = {2, 3, 4, 4, 1, 1, 0, 4, 1};
  tl_binary(TL_MUL, F64, a.addr, b.addr, o.addr, 12, col);
  CHECK(o.as<double>()[0] == 0 && o.as<double>()[5] == 1000 && o.as<double>()[11] == 3300, "column broadcast");
  // 0-dim operands
  const int64_t scalar_meta[] = {0};
  tl_binary(TL_SUB, F64, a.addr + 8 * 3, b.addr, o.addr, 1, scalar_meta);
  CHECK(o.as<double>()[0] == -97, "0-dim binary");

  Rng rng(21);
  for (int op = TL_ADD; op <= TL_GE; op++)
    for_each_dtype([&](auto tag) { binary_layouts<decltype(tag)>(op, rng); });
  for_each_dtype([&](auto tag) { binary_in_place<decltype(tag)>(rng); });
}

// --------------------------------------------------------------------------------------- binary scalar

namespace {

// PyTorch's x.pow(s) fast paths for floats (pow_tensor_scalar_kernel): x*x, x*x*x, sqrt, rsqrt,
// reciprocal, 1/(x*x); everything else std::pow with the scalar converted to the dtype.
template <typename T> T ref_pow_scalar(T x, double s) {
  if (s == 2) return x * x;
  if (s == 3) return x * x * x;
  if (s == 0.5) return std::sqrt(x);
  if (s == -0.5) return T(1) / std::sqrt(x);
  if (s == -1) return T(1) / x;
  if (s == -2) return T(1) / (x * x);
  return std::pow(x, T(s));
}

template <typename T> void scalar_layouts(int op, Rng& rng) {
  const double scalars[] = {0.1, -2.5, 0, 3, 2, 0.5, -0.5, -1, -2, 7.9, NAN, INFINITY, 1e300, -0.0};
  int variant = 0;
  for (const Dims& shape : test_shapes())
    for (int ka = 0; ka < NUM_KINDS; ka++)
      for (int first = 0; first < 2; first++) {
        const int ko = (ka + variant) % kOutKinds;
        const double s = scalars[variant++ % 14];
        const int64_t osize = is_compare(op) ? 1 : int64_t(sizeof(T));
        Operand a(shape, ka, sizeof(T), ka % 2), out(shape, ko, osize, variant % 2);
        a.fill_random<T>(rng);
        auto meta = elementwise_meta(shape, {a.strides, out.strides});
        tl_binary_scalar(op, dt_of<T>(), a.addr(), s, first, out.addr(), numel(shape),
                         meta_or_null(meta, {ka, ko}, variant % 2));
        const T c = ref_convert<T>(s);
        std::string err = out.untouched_outside(shape);
        for_each_index(shape, [&](const Dims& idx) {
          if (!err.empty()) return;
          const T x = a.at<T>(idx);
          const T l = first ? c : x, r = first ? x : c;
          if (is_compare(op)) {
            const boolean got = out.at<boolean>(idx), want = ref_compare(op, l, r);
            if (got != want) err = "at " + show(idx) + ": got " + show(got) + ", want " + show(want);
          } else {
            T want = ref_arith<T>(op, l, r);
            if constexpr (std::is_floating_point_v<T>)
              if (op == TL_POW && !first) want = ref_pow_scalar(x, s);
            if (!same(out.at<T>(idx), want))
              err = "at " + show(idx) + ": x " + show(x) + " got " + show(out.at<T>(idx)) + ", want " + show(want);
          }
        });
        CHECK(err.empty(), "tl_binary_scalar %s s=%g first=%d %s: %s", binary_name(op), s, first,
              where("", dt_of<T>(), shape, {ka, ko}).c_str(), err.c_str());
      }
}

}  // namespace

void test_binary_scalar() {
  Buf a(64), o(64);
  float* fa = a.as<float>();
  fa[0] = 3;
  fa[1] = 1.0f / 3;
  tl_binary_scalar(TL_MUL, F32, a.addr, 0.1, 0, o.addr, 2, nullptr);
  CHECK(o.as<float>()[0] == 3 * 0.1f && o.as<float>()[1] == (1.0f / 3) * 0.1f, "float32 * 0.1 multiplies by (float)0.1");
  tl_binary_scalar(TL_SUB, F32, a.addr, 1, 1, o.addr, 2, nullptr);
  CHECK(o.as<float>()[0] == -2, "1 - x (scalar first)");
  tl_binary_scalar(TL_DIV, F32, a.addr, 6, 1, o.addr, 1, nullptr);
  CHECK(o.as<float>()[0] == 2, "6 / x (scalar first)");
  tl_binary_scalar(TL_POW, F32, a.addr, 2, 1, o.addr, 1, nullptr);
  CHECK(o.as<float>()[0] == 8, "2 ** x (scalar first)");
  fa[0] = -0.0f;
  fa[1] = -INFINITY;
  tl_binary_scalar(TL_POW, F32, a.addr, 0.5, 0, o.addr, 2, nullptr);
  CHECK(std::signbit(o.as<float>()[0]) && std::isnan(o.as<float>()[1]), "x ** 0.5 is sqrt (as PyTorch): sqrt(-0) = -0, sqrt(-inf) = NaN");
  int64_t* ia = a.as<int64_t>();
  ia[0] = 7;
  ia[1] = -7;
  tl_binary_scalar(TL_DIV, I64, a.addr, 2.9, 0, o.addr, 2, nullptr);
  CHECK(o.as<int64_t>()[0] == 3 && o.as<int64_t>()[1] == -3, "int64 / 2.9: the scalar becomes 2 first");
  tl_binary_scalar(TL_DIV, I64, a.addr, 0.5, 0, o.addr, 2, nullptr);
  CHECK(o.as<int64_t>()[0] == 0 && o.as<int64_t>()[1] == 0, "int64 / 0.5: the scalar becomes 0, division by zero gives 0");
  tl_binary_scalar(TL_GT, I64, a.addr, 0, 0, o.addr, 2, nullptr);
  CHECK(o.as<boolean>()[0] == 1 && o.as<boolean>()[1] == 0, "int64 > 0 gives bool");
  a.as<boolean>()[0] = 0;
  a.as<boolean>()[1] = 1;
  tl_binary_scalar(TL_ADD, BOOL, a.addr, 0.25, 0, o.addr, 2, nullptr);
  CHECK(o.as<boolean>()[0] == 1 && o.as<boolean>()[1] == 1, "bool + 0.25: the scalar becomes true, add is or");

  Rng rng(31);
  for (int op = TL_ADD; op <= TL_GE; op++)
    for_each_dtype([&](auto tag) { scalar_layouts<decltype(tag)>(op, rng); });
}

// ----------------------------------------------------------------------------------------------- unary

namespace {

template <typename T> T ref_unary(int op, T x) {
  if constexpr (std::is_floating_point_v<T>) {
    switch (op) {
      case TL_NEG: return -x;
      case TL_ABS: return std::fabs(x);
      case TL_EXP: return std::exp(x);
      case TL_LOG: return std::log(x);
      case TL_SQRT: return std::sqrt(x);
      case TL_SIN: return std::sin(x);
      case TL_COS: return std::cos(x);
      case TL_TANH: return std::tanh(x);
      case TL_SIGMOID: return T(1) / (T(1) + std::exp(-x));
      default: return x < 0 ? T(0) : x;  // PyTorch's clamp_min(x, 0): NaN and -0.0 stay
    }
  } else {
    switch (op) {
      case TL_NEG: return wrap_sub(0, x);
      case TL_ABS: return x < 0 ? wrap_sub(0, x) : x;
      default: return x > 0 ? x : 0;
    }
  }
}

template <typename T> void unary_layouts(int op, Rng& rng) {
  int variant = 0;
  for (const Dims& shape : test_shapes())
    for (int ka = 0; ka < NUM_KINDS; ka++) {
      const int ko = (ka + variant++) % kOutKinds;
      Operand a(shape, ka, sizeof(T), ka % 2), out(shape, ko, sizeof(T), variant % 2);
      a.fill_random<T>(rng);
      auto meta = elementwise_meta(shape, {a.strides, out.strides});
      tl_unary(op, dt_of<T>(), a.addr(), out.addr(), numel(shape), meta_or_null(meta, {ka, ko}, variant % 2));
      std::string err = out.untouched_outside(shape);
      for_each_index(shape, [&](const Dims& idx) {
        const T x = a.at<T>(idx), want = ref_unary<T>(op, x);
        if (err.empty() && !same(out.at<T>(idx), want))
          err = "at " + show(idx) + ": x " + show(x) + " got " + show(out.at<T>(idx)) + ", want " + show(want);
      });
      CHECK(err.empty(), "tl_unary %s %s: %s", unary_name(op), where("", dt_of<T>(), shape, {ka, ko}).c_str(), err.c_str());
    }
}

}  // namespace

void test_unary() {
  Buf a(64), o(64);
  float* x = a.as<float>();
  float* y = o.as<float>();
  x[0] = NAN;
  x[1] = -3;
  x[2] = 2;
  x[3] = -0.0f;
  tl_unary(TL_RELU, F32, a.addr, o.addr, 4, nullptr);
  CHECK(std::isnan(y[0]) && y[1] == 0 && !std::signbit(y[1]) && y[2] == 2 && y[3] == 0 && std::signbit(y[3]),
        "relu: NaN stays NaN, negatives 0, -0.0 stays -0.0 (PyTorch's clamp_min)");
  tl_unary(TL_SIGMOID, F32, a.addr, o.addr, 3, nullptr);
  // expectations from the buffer (not literals) so the compiler cannot fold exp at compile time
  CHECK(std::isnan(y[0]) && y[1] == 1.0f / (1.0f + std::exp(-x[1])) && y[2] == 1.0f / (1.0f + std::exp(-x[2])),
        "sigmoid = 1/(1+exp(-x)) in float");
  x[0] = 100;
  x[1] = -100;
  tl_unary(TL_SIGMOID, F32, a.addr, o.addr, 2, nullptr);
  CHECK(y[0] == 1 && y[1] == 0, "sigmoid saturates without NaN");
  x[0] = -4;
  x[1] = -0.0f;
  tl_unary(TL_ABS, F32, a.addr, o.addr, 2, nullptr);
  CHECK(y[0] == 4 && y[1] == 0 && !std::signbit(y[1]), "abs clears the sign of -0");
  x[0] = -1;
  x[1] = 0;
  tl_unary(TL_LOG, F32, a.addr, o.addr, 2, nullptr);
  CHECK(std::isnan(y[0]) && std::isinf(y[1]) && y[1] < 0, "log(-1) NaN, log(0) -inf");
  tl_unary(TL_SQRT, F32, a.addr, o.addr, 1, nullptr);
  CHECK(std::isnan(y[0]), "sqrt(-1) NaN");
  int64_t* ix = a.as<int64_t>();
  ix[0] = INT64_MIN;
  ix[1] = -5;
  ix[2] = 6;
  tl_unary(TL_ABS, I64, a.addr, o.addr, 3, nullptr);
  CHECK(o.as<int64_t>()[0] == INT64_MIN && o.as<int64_t>()[1] == 5 && o.as<int64_t>()[2] == 6, "int64 abs (INT64_MIN wraps)");
  tl_unary(TL_NEG, I64, a.addr, o.addr, 3, nullptr);
  CHECK(o.as<int64_t>()[0] == INT64_MIN && o.as<int64_t>()[1] == 5 && o.as<int64_t>()[2] == -6, "int64 neg");
  tl_unary(TL_RELU, I64, a.addr, o.addr, 3, nullptr);
  CHECK(o.as<int64_t>()[0] == 0 && o.as<int64_t>()[1] == 0 && o.as<int64_t>()[2] == 6, "int64 relu");

  Rng rng(41);
  for (int op = TL_NEG; op <= TL_RELU; op++) {
    unary_layouts<float>(op, rng);
    unary_layouts<double>(op, rng);
    if (op == TL_NEG || op == TL_ABS || op == TL_RELU) unary_layouts<int64_t>(op, rng);
  }
}

}  // namespace th

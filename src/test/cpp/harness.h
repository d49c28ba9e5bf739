// Shared helpers of the native test harness: checks, buffers from tl_alloc, strided layouts, data and
// independent reference semantics (written from PyTorch's documented behaviour, not from the kernels).
#pragma once
#include <stdint.h>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>
#include "torchlet.h"

namespace th {

// ------------------------------------------------------------------------------------------- checks

void check_at(bool ok, const char* file, int line, const char* fmt, ...) __attribute__((format(printf, 4, 5)));
#define CHECK(cond, ...) ::th::check_at(static_cast<bool>(cond), __FILE__, __LINE__, __VA_ARGS__)
int64_t failures();

// ------------------------------------------------------------------------------------------- dtypes

using boolean = uint8_t;
enum { F32 = 0, F64 = 1, I64 = 2, BOOL = 3 };
const char* dt_name(int dt);
int64_t dt_size(int dt);

template <typename T> constexpr int dt_of() {
  if constexpr (std::is_same_v<T, float>) return F32;
  else if constexpr (std::is_same_v<T, double>) return F64;
  else if constexpr (std::is_same_v<T, int64_t>) return I64;
  else return BOOL;
}

// f(T{}) for each of the 4 element types
template <typename F> void for_each_dtype(F&& f) {
  f(float{});
  f(double{});
  f(int64_t{});
  f(boolean{});
}

// Same value: floats bit-equal up to NaN payloads (any NaN matches any NaN), -0 differs from +0.
template <typename T> bool same(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    return a == b && std::signbit(a) == std::signbit(b);
  } else {
    return a == b;
  }
}
std::string show(double v);
std::string show(float v);
std::string show(int64_t v);
std::string show(boolean v);

// ------------------------------------------------------------------------------------------- memory

// A block from tl_alloc, freed with tl_free.
struct Buf {
  int64_t addr = 0, bytes = 0;
  explicit Buf(int64_t nbytes);
  ~Buf();
  Buf(const Buf&) = delete;
  Buf& operator=(const Buf&) = delete;
  template <typename T> T* as() const { return reinterpret_cast<T*>(addr); }
};

// ------------------------------------------------------------------------------------------- layouts

using Dims = std::vector<int64_t>;

int64_t numel(const Dims& shape);
Dims contiguous_strides(const Dims& shape);
// Elements a buffer needs so that every index of shape with these strides, plus offset, is inside.
int64_t extent(const Dims& shape, const Dims& strides, int64_t offset);
// f(index) for every index of shape in row-major order (nothing when some size is 0; once for ndim 0).
void for_each_index(const Dims& shape, const std::function<void(const Dims&)>& f);
int64_t offset_of(const Dims& index, const Dims& strides);
// [ndim, shape, strides of each operand]
std::vector<int64_t> elementwise_meta(const Dims& shape, const std::vector<Dims>& strides);

// Layout kinds for an operand of a shape. Broadcast kinds are for inputs only.
enum Kind { CONTIG, TRANSPOSED, PADDED, INNER2, ONES_WEIRD, SWAP_LAST2, BCAST_INNER, BCAST_OUTER, BCAST_ALL, NUM_KINDS };
constexpr int kOutKinds = 6;  // CONTIG .. SWAP_LAST2
const char* kind_name(int kind);
Dims strides_for(const Dims& shape, int kind);

// The shapes every elementwise test runs through: 0-dim, empty, size-1 and longer-than-a-vector dims.
const std::vector<Dims>& test_shapes();
std::string show(const Dims& d);

// ------------------------------------------------------------------------------------------- data

struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed) {}
  uint64_t next() {  // splitmix64
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  int64_t range(int64_t lo, int64_t hi) { return lo + int64_t(next() % uint64_t(hi - lo + 1)); }
  double uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
};

// Random values with the interesting ones mixed in: NaN, ±inf, ±0 for floats, extremes for int64.
template <typename T> T random_value(Rng& r, bool specials = true) {
  if constexpr (std::is_floating_point_v<T>) {
    if (specials && r.next() % 8 == 0) {
      const T sp[] = {std::numeric_limits<T>::quiet_NaN(), std::numeric_limits<T>::infinity(),
                      -std::numeric_limits<T>::infinity(), T(0), T(-0.0), T(1), T(-1), T(0.5)};
      return sp[r.next() % 8];
    }
    return T((r.uniform() * 2 - 1) * std::pow(10.0, double(r.range(-3, 3))));
  } else if constexpr (std::is_same_v<T, int64_t>) {
    if (specials && r.next() % 8 == 0) {
      const int64_t sp[] = {INT64_MIN, INT64_MAX, -1, 0, 1, INT64_MIN + 1, int64_t(1) << 40, -(int64_t(1) << 33)};
      return sp[r.next() % 8];
    }
    return r.range(-20, 20);
  } else {
    return boolean(r.next() & 1);
  }
}

// Small integer values (exact in every type, exact sums and products).
template <typename T> T small_value(Rng& r) {
  if constexpr (std::is_same_v<T, boolean>) return boolean(r.next() & 1);
  else return T(r.range(-4, 4));
}

// ------------------------------------------------------------------------------------------- semantics

// PyTorch's conversion of a double (a scalar, or an element) to dtype T: to bool is x != 0 (NaN true);
// float to int64 truncates, NaN and out of range give INT64_MIN (x86's cvttsd2si answer, defined here).
template <typename To, typename From> To ref_convert(From x) {
  if constexpr (std::is_same_v<To, boolean>) {
    return boolean(x != From(0));
  } else if constexpr (std::is_same_v<To, int64_t> && std::is_floating_point_v<From>) {
    const double d = double(x);
    if (std::isnan(d) || d >= 9223372036854775808.0 || d < -9223372036854775808.0) return INT64_MIN;
    return int64_t(std::trunc(d));
  } else {
    return To(x);
  }
}

inline int64_t wrap_add(int64_t a, int64_t b) { return int64_t(uint64_t(a) + uint64_t(b)); }
inline int64_t wrap_sub(int64_t a, int64_t b) { return int64_t(uint64_t(a) - uint64_t(b)); }
inline int64_t wrap_mul(int64_t a, int64_t b) { return int64_t(uint64_t(a) * uint64_t(b)); }

inline int64_t ref_ipow(int64_t a, int64_t e) {
  if (e < 0) return a == 1 ? 1 : a == -1 ? (e % 2 != 0 ? -1 : 1) : 0;
  int64_t r = 1;
  if (e <= 64) {
    for (int64_t i = 0; i < e; i++) r = wrap_mul(r, a);
    return r;
  }
  // large exponents: a^e = a^(e/2)^2 * a^(e%2) (mod 2^64)
  const int64_t h = ref_ipow(a, e / 2);
  r = wrap_mul(h, h);
  return e % 2 ? wrap_mul(r, a) : r;
}

inline bool is_compare(int op) { return op >= TL_EQ; }

// a op b for a, b of type T; comparisons give 0/1 in an int.
template <typename T> T ref_arith(int op, T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    switch (op) {
      case TL_ADD: return a + b;
      case TL_SUB: return a - b;
      case TL_MUL: return a * b;
      case TL_DIV: return a / b;
      case TL_POW: return std::pow(a, b);
      case TL_MAXIMUM: return std::isnan(a) || std::isnan(b) ? std::numeric_limits<T>::quiet_NaN() : (a < b ? b : a);
      default: return std::isnan(a) || std::isnan(b) ? std::numeric_limits<T>::quiet_NaN() : (b < a ? b : a);
    }
  } else if constexpr (std::is_same_v<T, int64_t>) {
    switch (op) {
      case TL_ADD: return wrap_add(a, b);
      case TL_SUB: return wrap_sub(a, b);
      case TL_MUL: return wrap_mul(a, b);
      case TL_DIV: return b == 0 ? 0 : (a == INT64_MIN && b == -1) ? INT64_MIN : a / b;
      case TL_POW: return ref_ipow(a, b);
      case TL_MAXIMUM: return a < b ? b : a;
      default: return b < a ? b : a;
    }
  } else {  // bool: add = maximum = or, mul = minimum = and, others through int64 then != 0
    switch (op) {
      case TL_ADD: case TL_MAXIMUM: return boolean(a || b);
      case TL_MUL: case TL_MINIMUM: return boolean(a && b);
      default: return boolean(ref_arith<int64_t>(op, a, b) != 0);
    }
  }
}

template <typename T> boolean ref_compare(int op, T a, T b) {
  switch (op) {
    case TL_EQ: return a == b;
    case TL_NE: return a != b;
    case TL_LT: return a < b;
    case TL_LE: return a <= b;
    case TL_GT: return a > b;
    default: return a >= b;
  }
}

const char* binary_name(int op);
const char* unary_name(int op);
const char* reduce_name(int op);

// ------------------------------------------------------------------------------------------- groups

void test_memory();
void test_fill();
void test_copy();
void test_binary();
void test_binary_scalar();
void test_unary();
void test_reduce();
void test_matmul();
void test_sort();
void test_creation();
void test_fused();
void test_parallel();

}  // namespace th

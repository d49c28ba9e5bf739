// Elementwise kernels: fill, copy/cast, binary and scalar-binary ops, unary ops. Each runs one dtype-typed
// loop per innermost run (see tl::for_each_run); contiguous and one-side-broadcast runs get plain loops the
// compiler vectorizes. float32 math stays in float, as in PyTorch.
#include <algorithm>
#include <cmath>
#include "kernel_util.h"
#include "torchlet.h"

using tl::boolean;

namespace {

// ---------------------------------------------------------------------------------------------- binary

template <int OP, typename T>
inline auto binary_apply(T a, T b) {
  if constexpr (OP == TL_EQ) return boolean(a == b);
  else if constexpr (OP == TL_NE) return boolean(a != b);
  else if constexpr (OP == TL_LT) return boolean(a < b);
  else if constexpr (OP == TL_LE) return boolean(a <= b);
  else if constexpr (OP == TL_GT) return boolean(a > b);
  else if constexpr (OP == TL_GE) return boolean(a >= b);
  else if constexpr (std::is_same_v<T, boolean>) {
    // PyTorch's bool arithmetic: add = maximum = or, mul = minimum = and; the rest through int64, != 0
    if constexpr (OP == TL_ADD || OP == TL_MAXIMUM) return boolean(a | b);
    else if constexpr (OP == TL_MUL || OP == TL_MINIMUM) return boolean(a & b);
    else return boolean(binary_apply<OP, int64_t>(a, b) != 0);
  } else if constexpr (std::is_floating_point_v<T>) {
    if constexpr (OP == TL_ADD) return T(a + b);
    else if constexpr (OP == TL_SUB) return T(a - b);
    else if constexpr (OP == TL_MUL) return T(a * b);
    else if constexpr (OP == TL_DIV) return T(a / b);
    else if constexpr (OP == TL_POW) return T(std::pow(a, b));
    else if constexpr (OP == TL_MAXIMUM) return (a != a || b != b) ? std::numeric_limits<T>::quiet_NaN() : std::max(a, b);
    else return (a != a || b != b) ? std::numeric_limits<T>::quiet_NaN() : std::min(a, b);
  } else {  // int64: wrapping arithmetic, no traps
    using U = uint64_t;
    if constexpr (OP == TL_ADD) return int64_t(U(a) + U(b));
    else if constexpr (OP == TL_SUB) return int64_t(U(a) - U(b));
    else if constexpr (OP == TL_MUL) return int64_t(U(a) * U(b));
    else if constexpr (OP == TL_DIV) return b == 0 ? int64_t(0) : (b == -1 ? int64_t(U(0) - U(a)) : int64_t(a / b));
    else if constexpr (OP == TL_POW) {
      if (b < 0) return a == 1 ? int64_t(1) : a == -1 ? int64_t((b & 1) ? -1 : 1) : int64_t(0);
      U result = 1, base = U(a);
      for (int64_t e = b; e > 0; e >>= 1) {
        if (e & 1) result *= base;
        base *= base;
      }
      return int64_t(result);
    } else if constexpr (OP == TL_MAXIMUM) return std::max(a, b);
    else return std::min(a, b);
  }
}

template <int OP, typename T>
void binary_typed(char* a, char* b, char* out, int64_t n, const int64_t* meta) {
  using O = decltype(binary_apply<OP, T>(T(), T()));
  tl::for_each_run<3>(n, meta, {a, b, out}, {sizeof(T), sizeof(T), sizeof(O)},
                      [](std::array<char*, 3> p, int64_t count, std::array<int64_t, 3> s) {
    const T* x = reinterpret_cast<const T*>(p[0]);
    const T* y = reinterpret_cast<const T*>(p[1]);
    O* z = reinterpret_cast<O*>(p[2]);
    if (s[0] == 1 && s[1] == 1 && s[2] == 1) {
      for (int64_t i = 0; i < count; i++) z[i] = binary_apply<OP, T>(x[i], y[i]);
    } else if (s[0] == 1 && s[1] == 0 && s[2] == 1) {
      const T c = *y;
      for (int64_t i = 0; i < count; i++) z[i] = binary_apply<OP, T>(x[i], c);
    } else if (s[0] == 0 && s[1] == 1 && s[2] == 1) {
      const T c = *x;
      for (int64_t i = 0; i < count; i++) z[i] = binary_apply<OP, T>(c, y[i]);
    } else {
      for (int64_t i = 0; i < count; i++) z[i * s[2]] = binary_apply<OP, T>(x[i * s[0]], y[i * s[1]]);
    }
  });
}

template <int OP>
void binary_op(int dt, char* a, char* b, char* out, int64_t n, const int64_t* meta) {
  tl::dispatch(dt, [&](auto tag) { binary_typed<OP, decltype(tag)>(a, b, out, n, meta); });
}

// out = a op s (or s op a): the scalar is converted to the element type first, as PyTorch does.
template <int OP, typename T>
void binary_scalar_typed(char* a, double scalar, bool scalar_first, char* out, int64_t n, const int64_t* meta) {
  using O = decltype(binary_apply<OP, T>(T(), T()));
  const T c = tl::convert<T>(scalar);
  tl::for_each_run<2>(n, meta, {a, out}, {sizeof(T), sizeof(O)},
                      [c, scalar_first](std::array<char*, 2> p, int64_t count, std::array<int64_t, 2> s) {
    const T* x = reinterpret_cast<const T*>(p[0]);
    O* z = reinterpret_cast<O*>(p[1]);
    if (s[0] == 1 && s[1] == 1) {
      if (scalar_first) for (int64_t i = 0; i < count; i++) z[i] = binary_apply<OP, T>(c, x[i]);
      else for (int64_t i = 0; i < count; i++) z[i] = binary_apply<OP, T>(x[i], c);
    } else {
      if (scalar_first) for (int64_t i = 0; i < count; i++) z[i * s[1]] = binary_apply<OP, T>(c, x[i * s[0]]);
      else for (int64_t i = 0; i < count; i++) z[i * s[1]] = binary_apply<OP, T>(x[i * s[0]], c);
    }
  });
}

// PyTorch's pow(tensor, scalar) fast paths for floats (pow_tensor_scalar_optimized_kernel): the same
// bits as PyTorch, e.g. x.pow(2) is x * x, not std::pow.
template <typename T>
bool pow_special(char* a, double e, char* out, int64_t n, const int64_t* meta) {
  int which = e == 2 ? 0 : e == 3 ? 1 : e == 0.5 ? 2 : e == -0.5 ? 3 : e == -1 ? 4 : e == -2 ? 5 : -1;
  if (which < 0) return false;
  tl::for_each_run<2>(n, meta, {a, out}, {sizeof(T), sizeof(T)},
                      [which](std::array<char*, 2> p, int64_t count, std::array<int64_t, 2> s) {
    const T* x = reinterpret_cast<const T*>(p[0]);
    T* z = reinterpret_cast<T*>(p[1]);
    for (int64_t i = 0; i < count; i++) {
      const T v = x[i * s[0]];
      T r;
      switch (which) {
        case 0: r = v * v; break;
        case 1: r = v * v * v; break;
        case 2: r = std::sqrt(v); break;
        case 3: r = T(1) / std::sqrt(v); break;
        case 4: r = T(1) / v; break;
        default: r = T(1) / (v * v); break;
      }
      z[i * s[1]] = r;
    }
  });
  return true;
}

template <int OP>
void binary_scalar_op(int dt, char* a, double s, bool scalar_first, char* out, int64_t n, const int64_t* meta) {
  tl::dispatch(dt, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (OP == TL_POW && std::is_floating_point_v<T>) {
      if (!scalar_first && pow_special<T>(a, s, out, n, meta)) return;
    }
    binary_scalar_typed<OP, T>(a, s, scalar_first, out, n, meta);
  });
}

using BinaryFn = void (*)(int, char*, char*, char*, int64_t, const int64_t*);
using BinaryScalarFn = void (*)(int, char*, double, bool, char*, int64_t, const int64_t*);

template <int... OPS>
struct BinaryTables {
  static constexpr BinaryFn binary[] = {binary_op<OPS>...};
  static constexpr BinaryScalarFn scalar[] = {binary_scalar_op<OPS>...};
};
using Binary = BinaryTables<TL_ADD, TL_SUB, TL_MUL, TL_DIV, TL_POW, TL_MAXIMUM, TL_MINIMUM, TL_EQ, TL_NE, TL_LT,
                            TL_LE, TL_GT, TL_GE>;

// ----------------------------------------------------------------------------------------------- unary

template <int OP, typename T>
inline T unary_apply(T x) {
  if constexpr (std::is_floating_point_v<T>) {
    if constexpr (OP == TL_NEG) return -x;
    else if constexpr (OP == TL_ABS) return std::abs(x);
    else if constexpr (OP == TL_EXP) return std::exp(x);
    else if constexpr (OP == TL_LOG) return std::log(x);
    else if constexpr (OP == TL_SQRT) return std::sqrt(x);
    else if constexpr (OP == TL_SIN) return std::sin(x);
    else if constexpr (OP == TL_COS) return std::cos(x);
    else if constexpr (OP == TL_TANH) return std::tanh(x);
    else if constexpr (OP == TL_SIGMOID) return T(1) / (T(1) + std::exp(-x));
    else return x < T(0) ? T(0) : x;  // relu is clamp_min(x, 0): std::max(x, 0) keeps NaN and -0.0
  } else if constexpr (std::is_same_v<T, boolean>) {
    return x;  // Java never sends bool; stay a valid 0/1 value all the same
  } else {  // int64: NEG, ABS, RELU (Java never sends the others); wrapping, so abs(INT64_MIN) = INT64_MIN
    if constexpr (OP == TL_NEG) return T(uint64_t(0) - uint64_t(x));
    else if constexpr (OP == TL_ABS) return x < 0 ? T(uint64_t(0) - uint64_t(x)) : x;
    else if constexpr (OP == TL_RELU) return x > 0 ? x : T(0);
    else return x;
  }
}

template <int OP>
void unary_op(int dt, char* a, char* out, int64_t n, const int64_t* meta) {
  tl::dispatch(dt, [&](auto tag) {
    using T = decltype(tag);
    tl::for_each_run<2>(n, meta, {a, out}, {sizeof(T), sizeof(T)},
                        [](std::array<char*, 2> p, int64_t count, std::array<int64_t, 2> s) {
      const T* x = reinterpret_cast<const T*>(p[0]);
      T* z = reinterpret_cast<T*>(p[1]);
      if (s[0] == 1 && s[1] == 1) {
        for (int64_t i = 0; i < count; i++) z[i] = unary_apply<OP, T>(x[i]);
      } else {
        for (int64_t i = 0; i < count; i++) z[i * s[1]] = unary_apply<OP, T>(x[i * s[0]]);
      }
    });
  });
}

using UnaryFn = void (*)(int, char*, char*, int64_t, const int64_t*);
constexpr UnaryFn kUnary[] = {unary_op<TL_NEG>, unary_op<TL_ABS>, unary_op<TL_EXP>, unary_op<TL_LOG>,
                              unary_op<TL_SQRT>, unary_op<TL_SIN>, unary_op<TL_COS>, unary_op<TL_TANH>,
                              unary_op<TL_SIGMOID>, unary_op<TL_RELU>};

inline char* ptr(int64_t addr) { return reinterpret_cast<char*>(addr); }

}  // namespace

void tl_fill(int dt, int64_t out, int64_t n, const int64_t* meta, double value) {
  tl::dispatch(dt, [&](auto tag) {
    using T = decltype(tag);
    const T v = tl::convert<T>(value);
    tl::for_each_run<1>(n, meta, {ptr(out)}, {sizeof(T)},
                        [v](std::array<char*, 1> p, int64_t count, std::array<int64_t, 1> s) {
      T* z = reinterpret_cast<T*>(p[0]);
      if (s[0] == 1) std::fill(z, z + count, v);
      else for (int64_t i = 0; i < count; i++) z[i * s[0]] = v;
    });
  });
}

void tl_copy(int src_dt, int dst_dt, int64_t src, int64_t dst, int64_t n, const int64_t* meta) {
  tl::dispatch(src_dt, [&](auto src_tag) {
    tl::dispatch(dst_dt, [&](auto dst_tag) {
      using S = decltype(src_tag);
      using D = decltype(dst_tag);
      tl::for_each_run<2>(n, meta, {ptr(src), ptr(dst)}, {sizeof(S), sizeof(D)},
                          [](std::array<char*, 2> p, int64_t count, std::array<int64_t, 2> s) {
        const S* x = reinterpret_cast<const S*>(p[0]);
        D* z = reinterpret_cast<D*>(p[1]);
        if (s[0] == 1 && s[1] == 1) {
          for (int64_t i = 0; i < count; i++) z[i] = tl::convert<D>(x[i]);
        } else {
          for (int64_t i = 0; i < count; i++) z[i * s[1]] = tl::convert<D>(x[i * s[0]]);
        }
      });
    });
  });
}

void tl_binary(int op, int dt, int64_t a, int64_t b, int64_t out, int64_t n, const int64_t* meta) {
  Binary::binary[op](dt, ptr(a), ptr(b), ptr(out), n, meta);
}

void tl_binary_scalar(int op, int dt, int64_t a, double s, int scalar_first, int64_t out, int64_t n,
                      const int64_t* meta) {
  Binary::scalar[op](dt, ptr(a), s, scalar_first != 0, ptr(out), n, meta);
}

void tl_unary(int op, int dt, int64_t a, int64_t out, int64_t n, const int64_t* meta) {
  kUnary[op](dt, ptr(a), ptr(out), n, meta);
}

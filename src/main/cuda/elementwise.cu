// Elementwise kernels on any strides, the counterparts of src/main/cpp/elementwise.cpp, select.cpp,
// grad.cpp and creation.cpp with the same formulas: fill, copy/cast, binary, scalar-binary, unary, where,
// the fused gradient formulas, scatter along rows, arange and linspace. Float math stays in the dtype
// (nvcc --fmad=false: no a * b + c is fused unless written as fma, as on the CPU); pow on float32 is
// computed in double and rounded once, within 1 ulp of the exact result (CUDA's powf allows 4).
#include <cmath>
#include "cuda_util.cuh"

using tlc::boolean;

namespace {

template <typename T> __device__ inline T nan_of() { return T(NAN); }

// ---------------------------------------------------------------------------------------------- binary

template <int OP, typename T>
__device__ inline auto binary_apply(T a, T b) {
  if constexpr (OP == TL_EQ) return boolean(a == b);
  else if constexpr (OP == TL_NE) return boolean(a != b);
  else if constexpr (OP == TL_LT) return boolean(a < b);
  else if constexpr (OP == TL_LE) return boolean(a <= b);
  else if constexpr (OP == TL_GT) return boolean(a > b);
  else if constexpr (OP == TL_GE) return boolean(a >= b);
  else if constexpr (std::is_same_v<T, boolean>) {
    if constexpr (OP == TL_ADD || OP == TL_MAXIMUM) return boolean(a | b);
    else if constexpr (OP == TL_MUL || OP == TL_MINIMUM) return boolean(a & b);
    else return boolean(binary_apply<OP, int64_t>(a, b) != 0);
  } else if constexpr (std::is_floating_point_v<T>) {
    if constexpr (OP == TL_ADD) return T(a + b);
    else if constexpr (OP == TL_SUB) return T(a - b);
    else if constexpr (OP == TL_MUL) return T(a * b);
    else if constexpr (OP == TL_DIV) return T(a / b);
    else if constexpr (OP == TL_POW) return T(pow(double(a), double(b)));
    else if constexpr (OP == TL_MAXIMUM) return (a != a || b != b) ? nan_of<T>() : (a > b ? a : b);
    else return (a != a || b != b) ? nan_of<T>() : (a < b ? a : b);
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
    } else if constexpr (OP == TL_MAXIMUM) return a > b ? a : b;
    else return a < b ? a : b;
  }
}

template <int OP, typename T>
struct BinaryFn {
  __device__ auto operator()(T a, T b) const { return binary_apply<OP, T>(a, b); }
};

template <int OP, typename T>
struct ScalarFn {  // a op c, or c op a
  T c;
  bool first;
  __device__ auto operator()(T a) const { return first ? binary_apply<OP, T>(c, a) : binary_apply<OP, T>(a, c); }
};

// PyTorch's pow(tensor, scalar) fast paths (as elementwise.cpp): 2, 3, 0.5, -0.5, -1, -2.
template <typename T>
struct PowSpecial {
  int which;
  __device__ T operator()(T v) const {
    switch (which) {
      case 0: return v * v;
      case 1: return v * v * v;
      case 2: return sqrt(v);
      case 3: return T(1) / sqrt(v);
      case 4: return T(1) / v;
      default: return T(1) / (v * v);
    }
  }
};

// out (of type O) = f(a, b) over a, b of type T.
template <typename T, typename O, typename F>
struct Map2 {
  const T* a;
  const T* b;
  O* out;
  F f;
  __device__ void operator()(const int64_t* off) const { out[off[2]] = f(a[off[0]], b[off[1]]); }
};

template <typename T, typename O, typename F>
struct Map1 {
  const T* a;
  O* out;
  F f;
  __device__ void operator()(const int64_t* off) const { out[off[1]] = f(a[off[0]]); }
};

template <int OP>
int binary_op(int dev, int dt, int64_t a, int64_t b, int64_t out, int64_t n, const int64_t* meta) {
  int err = 0;
  tlc::dispatch(dt, [&](auto tag) {
    using T = decltype(tag);
    using O = decltype(binary_apply<OP, T>(T(), T()));
    const T* pa = reinterpret_cast<const T*>(a);
    const T* pb = reinterpret_cast<const T*>(b);
    if constexpr (std::is_same_v<O, T>) {
      err = tlc::map_same<T, 2>(dev, n, meta, tlc::Ins<T, 2>{{pa, pb}}, reinterpret_cast<T*>(out), BinaryFn<OP, T>{});
    } else {
      err = tlc::for_each<3>(dev, n, meta, Map2<T, O, BinaryFn<OP, T>>{pa, pb, reinterpret_cast<O*>(out), {}});
    }
  });
  return err;
}

template <int OP>
int binary_scalar_op(int dev, int dt, int64_t a, double s, bool first, int64_t out, int64_t n, const int64_t* meta) {
  int err = 0;
  tlc::dispatch(dt, [&](auto tag) {
    using T = decltype(tag);
    using O = decltype(binary_apply<OP, T>(T(), T()));
    const T* pa = reinterpret_cast<const T*>(a);
    if constexpr (OP == TL_POW && std::is_floating_point_v<T>) {
      const int which = s == 2 ? 0 : s == 3 ? 1 : s == 0.5 ? 2 : s == -0.5 ? 3 : s == -1 ? 4 : s == -2 ? 5 : -1;
      if (!first && which >= 0) {
        err = tlc::map_same<T, 1>(dev, n, meta, tlc::Ins<T, 1>{{pa}}, reinterpret_cast<T*>(out), PowSpecial<T>{which});
        return;
      }
    }
    const ScalarFn<OP, T> f{tlc::convert<T>(s), first};
    if constexpr (std::is_same_v<O, T>) {
      err = tlc::map_same<T, 1>(dev, n, meta, tlc::Ins<T, 1>{{pa}}, reinterpret_cast<T*>(out), f);
    } else {
      err = tlc::for_each<2>(dev, n, meta, Map1<T, O, ScalarFn<OP, T>>{pa, reinterpret_cast<O*>(out), f});
    }
  });
  return err;
}

using BinaryOpFn = int (*)(int, int, int64_t, int64_t, int64_t, int64_t, const int64_t*);
using BinaryScalarOpFn = int (*)(int, int, int64_t, double, bool, int64_t, int64_t, const int64_t*);

template <int... OPS>
struct BinaryTables {
  static constexpr BinaryOpFn binary[] = {binary_op<OPS>...};
  static constexpr BinaryScalarOpFn scalar[] = {binary_scalar_op<OPS>...};
};
using Binary = BinaryTables<TL_ADD, TL_SUB, TL_MUL, TL_DIV, TL_POW, TL_MAXIMUM, TL_MINIMUM, TL_EQ, TL_NE, TL_LT,
                            TL_LE, TL_GT, TL_GE>;

// ----------------------------------------------------------------------------------------------- unary

template <int OP, typename T>
struct UnaryFn {
  __device__ T operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) {
      if constexpr (OP == TL_NEG) return -x;
      else if constexpr (OP == TL_ABS) return fabs(x);
      else if constexpr (OP == TL_EXP) return exp(x);
      else if constexpr (OP == TL_LOG) return log(x);
      else if constexpr (OP == TL_SQRT) return sqrt(x);
      else if constexpr (OP == TL_SIN) return sin(x);
      else if constexpr (OP == TL_COS) return cos(x);
      else if constexpr (OP == TL_TANH) return tanh(x);
      else if constexpr (OP == TL_SIGMOID) return T(1) / (T(1) + exp(-x));
      else return x != x ? x : (x > T(0) ? x : T(0));
    } else if constexpr (std::is_same_v<T, boolean>) {
      return x;
    } else {
      if constexpr (OP == TL_NEG) return T(uint64_t(0) - uint64_t(x));
      else if constexpr (OP == TL_ABS) return x < 0 ? T(uint64_t(0) - uint64_t(x)) : x;
      else if constexpr (OP == TL_RELU) return x > 0 ? x : T(0);
      else return x;
    }
  }
};

template <int OP>
int unary_op(int dev, int dt, int64_t a, int64_t out, int64_t n, const int64_t* meta) {
  int err = 0;
  tlc::dispatch(dt, [&](auto tag) {
    using T = decltype(tag);
    err = tlc::map_same<T, 1>(dev, n, meta, tlc::Ins<T, 1>{{reinterpret_cast<const T*>(a)}}, reinterpret_cast<T*>(out),
                              UnaryFn<OP, T>{});
  });
  return err;
}

using UnaryOpFn = int (*)(int, int, int64_t, int64_t, int64_t, const int64_t*);
constexpr UnaryOpFn kUnary[] = {unary_op<TL_NEG>, unary_op<TL_ABS>, unary_op<TL_EXP>, unary_op<TL_LOG>,
                                unary_op<TL_SQRT>, unary_op<TL_SIN>, unary_op<TL_COS>, unary_op<TL_TANH>,
                                unary_op<TL_SIGMOID>, unary_op<TL_RELU>};

// ------------------------------------------------------------------------------------ fill, copy, where

template <typename T>
struct Constant {
  T v;
  __device__ T operator()() const { return v; }
};

template <typename S, typename D>
struct Convert {
  __device__ D operator()(S x) const { return tlc::convert<D>(x); }
};

template <typename T>
struct Where {
  const boolean* c;
  const T* a;
  const T* b;
  T* out;
  __device__ void operator()(const int64_t* off) const { out[off[3]] = c[off[0]] ? a[off[1]] : b[off[2]]; }
};

// ---------------------------------------------------------------------------------------------- grad

template <typename T>
__device__ inline T pow_scalar(T v, double e, T et) {
  if (e == 0) return T(1);
  if (e == 1) return v;
  if (e == 2) return v * v;
  if (e == 3) return v * v * v;
  if (e == 0.5) return sqrt(v);
  if (e == -0.5) return T(1) / sqrt(v);
  if (e == -1) return T(1) / v;
  if (e == -2) return T(1) / (v * v);
  return T(pow(double(v), double(et)));
}

template <int OP, typename T>
struct GradFn {
  T s;       // the scalar in the dtype
  double e;  // POW_SCALAR: s - 1 in double
  T et;      // e in the dtype
  bool zero; // POW_SCALAR with s == 0
  __device__ T operator()(T a, T b, T g) const {
    if constexpr (OP == TL_GRAD_RELU) {
      return a <= T(0) ? T(0) : g;
    } else if constexpr (OP == TL_GRAD_SIGMOID) {
      return g * (T(1) - a) * a;
    } else if constexpr (OP == TL_GRAD_TANH) {
      return g * (T(1) - a * a);
    } else if constexpr (OP == TL_GRAD_POW_SCALAR) {
      return zero ? T(0) : g * (s * pow_scalar<T>(a, e, et));
    } else if constexpr (OP == TL_GRAD_MSE) {
      return s * (a - b) * g;
    } else {
      const T sig = T(1) / (T(1) + exp(-a));
      return s * (sig - b) * g;
    }
  }
};

template <int OP>
int grad_op(int dev, int dt, int64_t a, int64_t b, int64_t g, double s, int64_t out, int64_t n, const int64_t* meta) {
  int err = 0;
  auto run = [&](auto tag) {
    using T = decltype(tag);
    const GradFn<OP, T> f{T(s), s - 1, T(s - 1), OP == TL_GRAD_POW_SCALAR && s == 0};
    err = tlc::map_same<T, 3>(dev, n, meta,
                              tlc::Ins<T, 3>{{reinterpret_cast<const T*>(a), reinterpret_cast<const T*>(b),
                                              reinterpret_cast<const T*>(g)}},
                              reinterpret_cast<T*>(out), f);
  };
  if (dt == tlc::F32) run(float{});
  else run(double{});
  return err;
}

using GradOpFn = int (*)(int, int, int64_t, int64_t, int64_t, double, int64_t, int64_t, const int64_t*);
constexpr GradOpFn kGrad[] = {grad_op<TL_GRAD_RELU>, grad_op<TL_GRAD_SIGMOID>, grad_op<TL_GRAD_TANH>,
                              grad_op<TL_GRAD_POW_SCALAR>, grad_op<TL_GRAD_MSE>, grad_op<TL_GRAD_BCE_LOGITS>};

// ------------------------------------------------------------------------------- scatter, arange, linspace

template <typename T>
struct ScatterRows {
  const T* src;
  const int64_t* index;
  T* out;
  int64_t m, n;
  __device__ void operator()(const int64_t* off) const {
    const int64_t i = off[0], r = i / m, j = index[i];
    if (j >= 0 && j < n) out[r * n + j] = src[i];  // never a write outside out (not yet reported: see CudaBackend)
  }
};

constexpr int64_t kVectorBytes = 32;  // PyTorch's AVX2 Vectorized<T> width, which its CPU arange follows

template <typename T>
struct Arange {
  T* out;
  int64_t n;
  double start, step;
  __device__ void operator()(const int64_t* off) const {
    const int64_t i = off[0];
    if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, boolean>) {
      const int64_t s = int64_t(start), st = int64_t(step);
      out[i] = tlc::convert<T>(int64_t(uint64_t(s) + uint64_t(st) * uint64_t(i)));
    } else {
      const int64_t w = kVectorBytes / int64_t(sizeof(T)), vec_end = n - n % (2 * w);
      if (i < vec_end) {
        const int64_t i0 = i - i % w;
        const T base = T(fma(step, double(i0), start));
        out[i] = T(fma(double(i - i0), step, double(base)));
      } else {
        out[i] = T(fma(step, double(i), start));
      }
    }
  }
};

template <typename T>
struct LinspaceFloat {
  T* out;
  int64_t n;
  T start, end, step;
  __device__ T one(int64_t i) const {
    return i < n / 2 ? fma(step, T(i), start) : fma(-step, T(n - 1 - i), end);
  }
  __device__ void operator()(const int64_t* off) const {
    const int64_t i = off[0];
    if (n == 1) {
      out[0] = start;
      return;
    }
    const int64_t w = kVectorBytes / int64_t(sizeof(T)), vec_end = n - n % (2 * w);
    if (i < vec_end) {
      const int64_t i0 = i - i % w;
      out[i] = one(i0) + T(i - i0) * step;
    } else {
      out[i] = one(i);
    }
  }
};

template <typename T>
struct LinspaceInt {
  T* out;
  int64_t n;
  double start, end, step;
  __device__ double one(int64_t i) const {
    return i < n / 2 ? fma(step, double(i), start) : fma(-step, double(n - 1 - i), end);
  }
  __device__ void operator()(const int64_t* off) const {
    const int64_t i = off[0];
    if (n == 1) {
      out[0] = tlc::convert<T>(int64_t(start));
      return;
    }
    const int64_t w = kVectorBytes / int64_t(sizeof(int64_t)), vec_end = n - n % (2 * w);
    if (i < vec_end) {
      const int64_t i0 = i - i % w;
      const int64_t base = tlc::convert<int64_t>(one(i0));
      out[i] = tlc::convert<T>(tlc::convert<int64_t>(double(base) + double(i - i0) * step));
    } else {
      out[i] = tlc::convert<T>(tlc::convert<int64_t>(one(i)));
    }
  }
};

}  // namespace

int tlc_fill(int dev, int dt, int64_t out, int64_t n, const int64_t* meta, double value) {
  int err = 0;
  tlc::dispatch(dt, [&](auto tag) {
    using T = decltype(tag);
    err = tlc::map_same<T, 0>(dev, n, meta, tlc::Ins<T, 0>{}, reinterpret_cast<T*>(out),
                              Constant<T>{tlc::convert<T>(value)});
  });
  return err;
}

int tlc_copy(int dev, int src_dt, int dst_dt, int64_t src, int64_t dst, int64_t n, const int64_t* meta) {
  if (n == 0) return 0;
  if (src_dt == dst_dt && meta == nullptr) {  // a plain device-to-device copy
    cudaStream_t s;
    if (int e = tlc::stream(dev, &s)) return e;
    int64_t item = src_dt == tlc::F32 ? 4 : src_dt == tlc::BOOL ? 1 : 8;
    return int(cudaMemcpyAsync(reinterpret_cast<void*>(dst), reinterpret_cast<const void*>(src), size_t(n * item),
                               cudaMemcpyDeviceToDevice, s));
  }
  int err = 0;
  tlc::dispatch(src_dt, [&](auto src_tag) {
    tlc::dispatch(dst_dt, [&](auto dst_tag) {
      using S = decltype(src_tag);
      using D = decltype(dst_tag);
      err = tlc::for_each<2>(dev, n, meta,
                             Map1<S, D, Convert<S, D>>{reinterpret_cast<const S*>(src), reinterpret_cast<D*>(dst), {}});
    });
  });
  return err;
}

int tlc_binary(int dev, int op, int dt, int64_t a, int64_t b, int64_t out, int64_t n, const int64_t* meta) {
  return Binary::binary[op](dev, dt, a, b, out, n, meta);
}

int tlc_binary_scalar(int dev, int op, int dt, int64_t a, double s, int scalar_first, int64_t out, int64_t n,
                      const int64_t* meta) {
  return Binary::scalar[op](dev, dt, a, s, scalar_first != 0, out, n, meta);
}

int tlc_unary(int dev, int op, int dt, int64_t a, int64_t out, int64_t n, const int64_t* meta) {
  return kUnary[op](dev, dt, a, out, n, meta);
}

int tlc_where(int dev, int dt, int64_t cond, int64_t a, int64_t b, int64_t out, int64_t n, const int64_t* meta) {
  int err = 0;
  tlc::dispatch(dt, [&](auto tag) {
    using T = decltype(tag);
    err = tlc::for_each<4>(dev, n, meta,
                           Where<T>{reinterpret_cast<const boolean*>(cond), reinterpret_cast<const T*>(a),
                                    reinterpret_cast<const T*>(b), reinterpret_cast<T*>(out)});
  });
  return err;
}

int tlc_grad(int dev, int op, int dt, int64_t a, int64_t b, int64_t g, double s, int64_t out, int64_t n,
             const int64_t* meta) {
  return kGrad[op](dev, dt, a, b, g, s, out, n, meta);
}

int tlc_scatter_rows(int dev, int dt, int64_t src, int64_t index, int64_t out, int64_t rows, int64_t m, int64_t n) {
  int err = 0;
  tlc::dispatch(dt, [&](auto tag) {
    using T = decltype(tag);
    err = tlc::for_each<1>(dev, rows * m, nullptr,
                           ScatterRows<T>{reinterpret_cast<const T*>(src), reinterpret_cast<const int64_t*>(index),
                                          reinterpret_cast<T*>(out), m, n});
  });
  return err;
}

int tlc_arange(int dev, int dt, int64_t out, int64_t n, double start, double step) {
  int err = 0;
  tlc::dispatch(dt, [&](auto tag) {
    using T = decltype(tag);
    err = tlc::for_each<1>(dev, n, nullptr, Arange<T>{reinterpret_cast<T*>(out), n, start, step});
  });
  return err;
}

int tlc_linspace(int dev, int dt, int64_t out, int64_t n, double start, double end) {
  int err = 0;
  tlc::dispatch(dt, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point_v<T>) {
      const T s = T(start), e = T(end);
      const T step = n > 1 ? (e - s) / T(n - 1) : T(0);
      err = tlc::for_each<1>(dev, n, nullptr, LinspaceFloat<T>{reinterpret_cast<T*>(out), n, s, e, step});
    } else {
      const double s = double(tlc::convert<int64_t>(start)), e = double(tlc::convert<int64_t>(end));
      const double step = n > 1 ? (e - s) / double(n - 1) : 0;
      err = tlc::for_each<1>(dev, n, nullptr, LinspaceInt<T>{reinterpret_cast<T*>(out), n, s, e, step});
    }
  });
  return err;
}

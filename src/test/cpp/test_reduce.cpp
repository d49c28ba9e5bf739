// tl_reduce: hand-computed values (double accumulation, empty spaces, NaN, ties, wrapping, nkeep 0 and
// nred 0), then every subset of reduced dims of several input shapes and layouts (contiguous,
// transposed, padded, broadcast; outputs and indices in their own strided layouts) against a scalar
// reference that walks the reduced space in row-major order.
#include <memory>
#include "harness.h"

namespace th {
namespace {

constexpr unsigned char kSentinel = 0x5A;

std::vector<int64_t> reduce_meta(const Dims& keep, const Dims& red, const Dims& in_keep, const Dims& in_red,
                                 const Dims& out_st, const Dims& idx_st) {
  std::vector<int64_t> m{int64_t(keep.size()), int64_t(red.size())};
  for (const Dims* d : {&keep, &red, &in_keep, &in_red, &out_st, &idx_st}) m.insert(m.end(), d->begin(), d->end());
  return m;
}

// Reduces a contiguous 1-d array with nkeep = 0.
template <typename T, typename O> O reduce_all(int op, const std::vector<T>& x, int64_t* idx = nullptr) {
  Buf in(int64_t(x.size()) * 8 + 8), out(64), ix(64);
  if (!x.empty()) std::memcpy(reinterpret_cast<void*>(in.addr), x.data(), x.size() * sizeof(T));
  const Dims red{int64_t(x.size())};
  auto meta = reduce_meta({}, red, {}, {1}, {}, {});
  const bool want_idx = op >= TL_MAX;
  tl_reduce(op, dt_of<T>(), in.addr, op >= TL_ARGMAX ? 0 : out.addr, want_idx ? ix.addr : 0, meta.data());
  if (idx != nullptr) *idx = ix.as<int64_t>()[0];
  return op >= TL_ARGMAX ? O() : out.as<O>()[0];
}

struct Expect {
  double value = 0;  // sum / mean / prod / extreme value (int64 as double only for display)
  int64_t ivalue = 0;
  int64_t pos = 0;
  double abs_sum = 0;
};

// The reference: walks the reduced space of one output row-major, sequentially.
template <typename T> Expect reference(int op, const T* base, const Dims& red, const Dims& in_red) {
  Expect e;
  const int64_t count = numel(red);
  double sum = 0, prod = 1;
  uint64_t isum = 0, iprod = 1;
  T best = T();
  int64_t best_pos = -1, pos = 0;
  bool nan = false;
  for_each_index(red, [&](const Dims& idx) {
    const T v = base[offset_of(idx, in_red)];
    sum += double(v);
    prod *= double(v);
    e.abs_sum += std::fabs(double(v));
    isum += uint64_t(int64_t(v));
    iprod *= uint64_t(int64_t(v));
    if (!nan) {
      const bool is_max = op == TL_MAX || op == TL_ARGMAX;
      if (v != v) {
        nan = true;
        best = v;
        best_pos = pos;
      } else if (best_pos < 0 || (is_max ? v > best : v < best)) {
        best = v;
        best_pos = pos;
      }
    }
    pos++;
  });
  switch (op) {
    case TL_SUM: e.value = sum; e.ivalue = int64_t(isum); break;
    case TL_MEAN: e.value = count == 0 ? NAN : sum / double(count); break;
    case TL_PROD: e.value = prod; e.ivalue = int64_t(iprod); break;
    default: e.value = double(best); e.ivalue = int64_t(best); e.pos = best_pos < 0 ? 0 : best_pos; break;
  }
  return e;
}

// A strided buffer for an output of shape keep (values or indices), filled with the sentinel.
struct OutBuf {
  Dims strides;
  int64_t offset, ext, esize;
  std::unique_ptr<Buf> buf;
  OutBuf(const Dims& keep, int kind, int64_t item, int64_t off) : strides(strides_for(keep, kind)), offset(off), esize(item) {
    ext = extent(keep, strides, offset) + 1;
    buf = std::make_unique<Buf>(ext * esize);
    std::memset(reinterpret_cast<void*>(buf->addr), kSentinel, size_t(ext * esize));
  }
  int64_t addr() const { return buf->addr + offset * esize; }
  template <typename T> T at(const Dims& idx) const { return buf->as<T>()[offset + offset_of(idx, strides)]; }
  bool untouched_outside(const Dims& keep) const {
    std::vector<bool> in_view(size_t(ext), false);
    for_each_index(keep, [&](const Dims& idx) { in_view[size_t(offset + offset_of(idx, strides))] = true; });
    const unsigned char* bytes = reinterpret_cast<const unsigned char*>(buf->addr);
    for (int64_t i = 0; i < ext; i++)
      for (int64_t b = 0; b < esize && !in_view[size_t(i)]; b++)
        if (bytes[i * esize + b] != kSentinel) return false;
    return true;
  }
};

// Float sums may be added in another order than the reference's: allow the double rounding differences
// (relative to the sum of magnitudes) and one rounding to float.
template <typename T> bool close_sum(T got, double want, double abs_sum) {
  if (std::isnan(want)) return std::isnan(got);
  if (std::isinf(want)) return double(got) == want;
  const double tol = 1e-12 * abs_sum + (std::is_same_v<T, float> ? std::fabs(want) * 1.2e-7 : 0.0);
  return std::fabs(double(got) - want) <= tol;
}

template <typename T> void reduce_case(int op, const Dims& base_shape, int in_kind, const std::vector<bool>& reduced,
                                       int out_kind, int idx_kind, bool small, Rng& rng) {
  constexpr bool floating = std::is_floating_point_v<T>;
  using SumT = std::conditional_t<floating, T, int64_t>;
  // the input: a buffer laid out with in_kind over base_shape, viewed with the reduced dims moved last
  const Dims base_strides = strides_for(base_shape, in_kind);
  const int64_t in_ext = extent(base_shape, base_strides, 1) + 1;
  Buf in(in_ext * int64_t(sizeof(T)));
  for (int64_t i = 0; i < in_ext; i++) in.as<T>()[i] = small ? small_value<T>(rng) : random_value<T>(rng);
  Dims keep, red, in_keep, in_red;
  for (size_t d = 0; d < base_shape.size(); d++) {
    (reduced[d] ? red : keep).push_back(base_shape[d]);
    (reduced[d] ? in_red : in_keep).push_back(base_strides[d]);
  }
  const bool selects = op >= TL_MAX, has_out = op < TL_ARGMAX;
  const int64_t out_item = (op == TL_SUM || op == TL_PROD) ? int64_t(sizeof(SumT)) : int64_t(sizeof(T));
  OutBuf out(keep, out_kind, out_item, 1), idx(keep, idx_kind, 8, 0);
  const bool with_idx = selects && (op >= TL_ARGMAX || (rng.next() & 1));
  auto meta = reduce_meta(keep, red, in_keep, in_red, has_out ? out.strides : Dims(keep.size(), 0),
                          with_idx ? idx.strides : Dims(keep.size(), 0));
  const T* in_base = in.as<T>() + 1;
  tl_reduce(op, dt_of<T>(), reinterpret_cast<int64_t>(in_base), has_out ? out.addr() : 0, with_idx ? idx.addr() : 0,
            meta.data());

  std::string err;
  if (!(has_out ? out.untouched_outside(keep) : out.untouched_outside({}))) err = "values written outside the output view";
  if (!(with_idx ? idx.untouched_outside(keep) : idx.untouched_outside({}))) err = "indices written outside their view";
  for_each_index(keep, [&](const Dims& k) {
    if (!err.empty()) return;
    const Expect e = reference<T>(op, in_base + offset_of(k, in_keep), red, in_red);
    bool ok = true;
    std::string got;
    if (op == TL_SUM || op == TL_PROD) {
      const SumT g = out.at<SumT>(k);
      got = show(g);
      if constexpr (floating) ok = op == TL_PROD || small ? same(g, T(e.value)) : close_sum(g, e.value, e.abs_sum);
      else ok = g == e.ivalue;
    } else if (op == TL_MEAN) {
      if constexpr (floating) {
        const T g = out.at<T>(k);
        got = show(g);
        ok = small ? same(g, T(e.value)) : close_sum(g, e.value, e.abs_sum);
      }
    } else {
      if (has_out) {
        const T g = out.at<T>(k);
        got = show(g);
        if constexpr (floating) ok = same(g, T(e.value));
        else ok = int64_t(g) == e.ivalue;
      }
      if (with_idx) {
        got += " idx " + std::to_string(idx.at<int64_t>(k));
        ok &= idx.at<int64_t>(k) == e.pos;
      }
    }
    if (!ok)
      err = "at " + show(k) + ": got " + got + ", want " + show(e.value) + " / " + std::to_string(e.ivalue) + " idx " +
            std::to_string(e.pos);
  });
  std::string red_dims;
  for (bool r : reduced) red_dims += r ? "r" : "k";
  CHECK(err.empty(), "tl_reduce %s %s shape %s dims %s in %s out %s idx %s%s: %s", reduce_name(op), dt_name(dt_of<T>()),
        show(base_shape).c_str(), red_dims.c_str(), kind_name(in_kind), kind_name(out_kind), kind_name(idx_kind),
        small ? " small" : "", err.c_str());
}

}  // namespace

void test_reduce() {
  // float32 sums and means accumulate in double: float accumulation would lose the 1s
  const std::vector<float> big{1e8f, 1, -1e8f, 1};
  CHECK((reduce_all<float, float>(TL_SUM, big) == 2), "float32 sum in double");
  CHECK((reduce_all<float, float>(TL_MEAN, big) == 0.5f), "float32 mean in double");
  CHECK((reduce_all<double, double>(TL_PROD, {1.5, -2, 4}) == -12), "prod");
  // empty reduced spaces
  CHECK((reduce_all<float, float>(TL_SUM, {}) == 0), "empty sum 0");
  CHECK((reduce_all<double, double>(TL_PROD, {}) == 1), "empty prod 1");
  CHECK((std::isnan(reduce_all<double, double>(TL_MEAN, {}))), "empty mean NaN");
  CHECK((reduce_all<int64_t, int64_t>(TL_SUM, {}) == 0 && reduce_all<int64_t, int64_t>(TL_PROD, {}) == 1), "empty int64 sum/prod");
  CHECK((reduce_all<boolean, int64_t>(TL_SUM, {}) == 0 && reduce_all<boolean, int64_t>(TL_PROD, {}) == 1), "empty bool sum/prod");
  // integer sums are int64 and wrap; bool sums count
  CHECK((reduce_all<int64_t, int64_t>(TL_SUM, {INT64_MAX, 1}) == INT64_MIN), "int64 sum wraps");
  CHECK((reduce_all<int64_t, int64_t>(TL_PROD, {int64_t(1) << 32, int64_t(1) << 32}) == 0), "int64 prod wraps");
  CHECK((reduce_all<boolean, int64_t>(TL_SUM, {1, 0, 1, 1}) == 3), "bool sum counts, as int64");
  CHECK((reduce_all<boolean, int64_t>(TL_PROD, {1, 1, 0}) == 0), "bool prod as int64");
  // NaN is the extreme; its first occurrence is the index
  int64_t ix = -1;
  const float nan = NAN;
  CHECK((std::isnan(reduce_all<float, float>(TL_MAX, {1, 5, nan, 9, nan}, &ix)) && ix == 2), "max: first NaN wins (idx %lld)", (long long)ix);
  CHECK((std::isnan(reduce_all<float, float>(TL_MIN, {1, -5, nan, -9}, &ix)) && ix == 2), "min: first NaN wins");
  reduce_all<float, float>(TL_ARGMAX, {nan, 5, nan}, &ix);
  CHECK(ix == 0, "argmax of a leading NaN is 0");
  // ties: first occurrence
  CHECK((reduce_all<double, double>(TL_MAX, {3, 1, 3, 1}, &ix) == 3 && ix == 0), "max tie -> first");
  CHECK((reduce_all<double, double>(TL_MIN, {3, 1, 3, 1}, &ix) == 1 && ix == 1), "min tie -> first");
  reduce_all<int64_t, int64_t>(TL_ARGMIN, {4, INT64_MIN, 2, INT64_MIN}, &ix);
  CHECK(ix == 1, "int64 argmin tie -> first");
  CHECK((reduce_all<boolean, boolean>(TL_MAX, {0, 1, 1}, &ix) == 1 && ix == 1), "bool max");
  CHECK((reduce_all<float, float>(TL_MAX, {-INFINITY, -INFINITY}, &ix) == -INFINITY && ix == 0), "max of -inf");

  // nkeep 0 over a transposed [2,3] (reduce everything, row-major positions of the view)
  {
    Buf in(64), out(8), idx(8);
    const double v[] = {1, 2, 3, 40, 5, 6};  // storage of a [3,2] contiguous; the view [2,3] is its transpose
    std::memcpy(reinterpret_cast<void*>(in.addr), v, sizeof v);
    auto meta = reduce_meta({}, {2, 3}, {}, {1, 2}, {}, {});
    tl_reduce(TL_MAX, F64, in.addr, out.addr, idx.addr, meta.data());
    // view row-major: [1,3,5,2,40,6] -> 40 at position 4
    CHECK(out.as<double>()[0] == 40 && idx.as<int64_t>()[0] == 4, "nkeep 0 over a transposed view: %g at %lld",
          out.as<double>()[0], (long long)idx.as<int64_t>()[0]);
    tl_reduce(TL_SUM, F64, in.addr, out.addr, 0, meta.data());
    CHECK(out.as<double>()[0] == 57, "nkeep 0 sum");
  }
  // nred 0: a copy (SUM of bool -> int64) and index 0
  {
    Buf in(8), out(64), idx(64);
    in.as<boolean>()[0] = 1;
    in.as<boolean>()[1] = 0;
    in.as<boolean>()[2] = 1;
    auto meta = reduce_meta({3}, {}, {1}, {}, {1}, {1});
    tl_reduce(TL_SUM, BOOL, in.addr, out.addr, 0, meta.data());
    const int64_t* o = out.as<int64_t>();
    CHECK(o[0] == 1 && o[1] == 0 && o[2] == 1, "nred 0 is a cast");
    tl_reduce(TL_MIN, BOOL, in.addr, out.addr, idx.addr, meta.data());
    CHECK(out.as<boolean>()[1] == 0 && idx.as<int64_t>()[0] == 0 && idx.as<int64_t>()[2] == 0, "nred 0 index 0");
  }
  // a reduced size-0 dim with kept dims: every output is the empty value
  {
    Buf in(8), out(64);
    auto meta = reduce_meta({3}, {0}, {0}, {1}, {1}, {0});
    tl_reduce(TL_PROD, F32, in.addr, out.addr, 0, meta.data());
    CHECK(out.as<float>()[0] == 1 && out.as<float>()[2] == 1, "prod over an empty dim");
    tl_reduce(TL_MEAN, F32, in.addr, out.addr, 0, meta.data());
    CHECK(std::isnan(out.as<float>()[0]) && std::isnan(out.as<float>()[2]), "mean over an empty dim");
  }

  // Column reductions (kept innermost dim of unit stride) and strided reduced runs add each output's
  // elements one by one in row-major order: exactly the sequential double sum, even on random data.
  {
    Rng r(52);
    const int64_t R = 37, C = 33;
    Buf in(R * C * 8 * 2), out(C * 8 * 2);
    for (int64_t i = 0; i < R * C * 2; i++) in.as<float>()[i] = random_value<float>(r, false);
    for (int64_t stride : {int64_t(1), int64_t(2)}) {  // 1: the column path; 2: strided runs in the general path
      auto meta = reduce_meta({C}, {R}, {stride}, {C * stride}, {1}, {0});
      tl_reduce(TL_SUM, F32, in.addr, out.addr, 0, meta.data());
      bool exact = true;
      for (int64_t c = 0; c < C; c++) {
        double want = 0;
        for (int64_t i = 0; i < R; i++) want += double(in.as<float>()[(i * C + c) * stride]);
        exact &= out.as<float>()[c] == float(want);
      }
      CHECK(exact, "sum over dim 0 with kept stride %lld is the sequential double sum", (long long)stride);
    }
  }

  // every subset of reduced dims, several layouts
  const std::vector<Dims> shapes = {{}, {5}, {40}, {4, 3}, {3, 37}, {2, 3, 4}, {1, 4, 1}, {3, 0, 2}, {2, 3, 2, 3}, {6, 1, 7}};
  const int in_kinds[] = {CONTIG, TRANSPOSED, PADDED, INNER2, ONES_WEIRD, SWAP_LAST2, BCAST_INNER, BCAST_OUTER};
  Rng rng(51);
  int variant = 0;
  for (int op = TL_SUM; op <= TL_ARGMIN; op++)
    for_each_dtype([&](auto tag) {
      using T = decltype(tag);
      if (op == TL_MEAN && !std::is_floating_point_v<T>) return;
      for (const Dims& shape : shapes)
        for (uint32_t mask = 0; mask < (1u << shape.size()); mask++) {
          std::vector<bool> reduced(shape.size());
          Dims red_shape;
          for (size_t d = 0; d < shape.size(); d++) {
            reduced[d] = (mask >> d) & 1;
            if (reduced[d]) red_shape.push_back(shape[d]);
          }
          if (op >= TL_MAX && numel(red_shape) == 0) continue;  // Java rejects these
          for (int in_kind : in_kinds) {
            variant++;
            const int out_kind = variant % kOutKinds, idx_kind = (variant / 2) % kOutKinds;
            reduce_case<T>(op, shape, in_kind, reduced, out_kind, idx_kind, false, rng);
            if (std::is_floating_point_v<T> && op <= TL_MEAN)
              reduce_case<T>(op, shape, in_kind, reduced, out_kind, idx_kind, true, rng);  // exact sums
          }
        }
    });
}

}  // namespace th

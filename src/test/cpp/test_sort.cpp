// tl_sort: hand-computed orders (NaN placement, stability for equal keys including -0/+0, descending
// stability), then random rows with many duplicates, for every dtype, against a stable insertion sort.
#include "harness.h"

namespace th {
namespace {

// Ascending order with NaN above every number; NaNs (and -0/+0) are equal keys.
template <typename T> bool key_less(T a, T b) {
  const bool na = a != a, nb = b != b;
  if (na || nb) return !na && nb;
  return a < b;
}

// Stable insertion sort: each element moves left only past elements that strictly follow it.
template <typename T> std::vector<int64_t> ref_order(const T* x, int64_t len, bool descending) {
  std::vector<int64_t> order;
  for (int64_t i = 0; i < len; i++) {
    size_t at = order.size();
    while (at > 0 && (descending ? key_less(x[order[at - 1]], x[i]) : key_less(x[i], x[order[at - 1]]))) at--;
    order.insert(order.begin() + int64_t(at), i);
  }
  return order;
}

template <typename T> std::string sort_and_check(const std::vector<T>& data, int64_t rows, int64_t len, bool descending) {
  Buf in(int64_t(data.size() * sizeof(T)) + 8), values(int64_t(data.size() * sizeof(T)) + 8), indices(int64_t(data.size()) * 8 + 8);
  std::memcpy(reinterpret_cast<void*>(in.addr), data.data(), data.size() * sizeof(T));
  tl_sort(dt_of<T>(), in.addr, values.addr, indices.addr, rows, len, descending ? 1 : 0);
  for (int64_t r = 0; r < rows; r++) {
    const T* x = data.data() + r * len;
    const std::vector<int64_t> want = ref_order(x, len, descending);
    for (int64_t i = 0; i < len; i++) {
      const int64_t gi = indices.as<int64_t>()[r * len + i];
      const T gv = values.as<T>()[r * len + i];
      if (gi != want[size_t(i)] || !same(gv, x[want[size_t(i)]]))
        return "row " + std::to_string(r) + " pos " + std::to_string(i) + ": got index " + std::to_string(gi) + " value " +
               show(gv) + ", want index " + std::to_string(want[size_t(i)]) + " value " + show(x[want[size_t(i)]]);
    }
  }
  CHECK(std::memcmp(reinterpret_cast<void*>(in.addr), data.data(), data.size() * sizeof(T)) == 0, "tl_sort left its input alone");
  return "";
}

std::vector<int64_t> indices_of(const std::vector<float>& x, bool descending) {
  Buf in(int64_t(x.size()) * 4 + 4), v(int64_t(x.size()) * 4 + 4), ix(int64_t(x.size()) * 8 + 8);
  if (!x.empty()) std::memcpy(reinterpret_cast<void*>(in.addr), x.data(), x.size() * 4);
  tl_sort(F32, in.addr, v.addr, ix.addr, 1, int64_t(x.size()), descending ? 1 : 0);
  return std::vector<int64_t>(ix.as<int64_t>(), ix.as<int64_t>() + x.size());
}

template <typename T> void random_rows(Rng& rng) {
  const int64_t shapes[][2] = {{1, 1}, {1, 2}, {3, 5}, {2, 31}, {4, 100}, {1, 1000}, {7, 3}};
  for (const auto& s : shapes)
    for (int desc = 0; desc < 2; desc++)
      for (int dup = 0; dup < 2; dup++) {
        std::vector<T> data(size_t(s[0] * s[1]));
        for (T& v : data) {
          v = random_value<T>(rng);
          if constexpr (!std::is_same_v<T, boolean>)
            if (dup) v = T(ref_convert<int64_t>(v) % 3);  // many equal keys
          if constexpr (std::is_floating_point_v<T>)
            if (dup && rng.next() % 7 == 0) v = T(NAN);
        }
        const std::string err = sort_and_check(data, s[0], s[1], desc);
        CHECK(err.empty(), "tl_sort %s rows %lld len %lld %s%s: %s", dt_name(dt_of<T>()), (long long)s[0], (long long)s[1],
              desc ? "descending" : "ascending", dup ? " duplicates" : "", err.c_str());
      }
}

}  // namespace

void test_sort() {
  const float nan = NAN, inf = INFINITY;
  const std::vector<float> x{3, nan, -1, inf, 3, -inf, nan, 0.0f, -0.0f};
  CHECK((indices_of(x, false) == std::vector<int64_t>{5, 2, 7, 8, 0, 4, 3, 1, 6}),
        "ascending: NaN last, equal keys (3,3), (0,-0), (NaN,NaN) in input order");
  CHECK((indices_of(x, true) == std::vector<int64_t>{1, 6, 3, 0, 4, 7, 8, 2, 5}),
        "descending: NaN first, equal keys still in input order");
  CHECK((indices_of({}, false).empty()), "empty row");
  // rows = 0, len = 0 do nothing
  Buf b(8);
  tl_sort(F64, b.addr, b.addr, b.addr, 0, 5, 0);
  tl_sort(F64, b.addr, b.addr, b.addr, 3, 0, 1);
  CHECK(true, "rows 0 / len 0");
  CHECK(sort_and_check<int64_t>({5, INT64_MIN, INT64_MAX, 5, -1}, 1, 5, false).empty(), "int64 ascending with extremes");
  CHECK(sort_and_check<boolean>({1, 0, 1, 0, 0}, 1, 5, true).empty(), "bool descending");
  CHECK(sort_and_check<double>({2, 1, 2, 1, nan, 0, 9, 9, -3, nan}, 2, 5, true).empty(), "two rows, each on its own");

  Rng rng(71);
  for_each_dtype([&](auto tag) { random_rows<decltype(tag)>(rng); });
}

}  // namespace th

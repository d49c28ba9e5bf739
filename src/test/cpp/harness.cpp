// The native kernels' test harness: runs every group, prints each failure (the first 100 in full) and
// closes with "N passed, N failed"; exits non-zero on any failure.
#include "harness.h"
#include <chrono>
#include <cstdarg>
#include <cstdlib>

namespace th {

namespace {
int64_t g_passed = 0, g_failed = 0;
}

void check_at(bool ok, const char* file, int line, const char* fmt, ...) {
  if (ok) {
    g_passed++;
    return;
  }
  if (++g_failed <= 100) {
    const char* base = std::strrchr(file, '/');
    std::fprintf(stderr, "FAIL %s:%d: ", base ? base + 1 : file, line);
    va_list args;
    va_start(args, fmt);
    std::vfprintf(stderr, fmt, args);
    va_end(args);
    std::fputc('\n', stderr);
  }
}

int64_t failures() { return g_failed; }

const char* dt_name(int dt) {
  static const char* names[] = {"float32", "float64", "int64", "bool"};
  return names[dt];
}

int64_t dt_size(int dt) { return dt == F32 ? 4 : dt == BOOL ? 1 : 8; }

std::string show(double v) {
  char s[64];
  std::snprintf(s, sizeof s, "%.17g", v);
  return s;
}
std::string show(float v) {
  char s[64];
  std::snprintf(s, sizeof s, "%.9gf", double(v));
  return s;
}
std::string show(int64_t v) { return std::to_string(v); }
std::string show(boolean v) { return v == 0 ? "false" : v == 1 ? "true" : "bool(" + std::to_string(v) + ")"; }

std::string show(const Dims& d) {
  std::string s = "[";
  for (size_t i = 0; i < d.size(); i++) s += (i ? "," : "") + std::to_string(d[i]);
  return s + "]";
}

Buf::Buf(int64_t nbytes) : addr(tl_alloc(nbytes)), bytes(nbytes) {
  if (addr == 0) {
    std::fprintf(stderr, "tl_alloc(%lld) failed\n", static_cast<long long>(nbytes));
    std::abort();
  }
}
Buf::~Buf() { tl_free(addr, bytes); }

int64_t numel(const Dims& shape) {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  return n;
}

Dims contiguous_strides(const Dims& shape) {
  Dims st(shape.size());
  int64_t acc = 1;
  for (size_t d = shape.size(); d-- > 0;) {
    st[d] = acc;
    acc *= shape[d];
  }
  return st;
}

int64_t extent(const Dims& shape, const Dims& strides, int64_t offset) {
  int64_t last = offset;
  if (numel(shape) > 0)
    for (size_t d = 0; d < shape.size(); d++) last += (shape[d] - 1) * strides[d];
  return last + 1;
}

void for_each_index(const Dims& shape, const std::function<void(const Dims&)>& f) {
  if (numel(shape) == 0) return;
  Dims idx(shape.size(), 0);
  for (;;) {
    f(idx);
    size_t d = shape.size();
    while (d > 0) {
      d--;
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
      if (d == 0) return;
    }
    if (shape.empty()) return;
  }
}

int64_t offset_of(const Dims& index, const Dims& strides) {
  int64_t o = 0;
  for (size_t d = 0; d < index.size(); d++) o += index[d] * strides[d];
  return o;
}

std::vector<int64_t> elementwise_meta(const Dims& shape, const std::vector<Dims>& strides) {
  std::vector<int64_t> meta{int64_t(shape.size())};
  meta.insert(meta.end(), shape.begin(), shape.end());
  for (const Dims& s : strides) meta.insert(meta.end(), s.begin(), s.end());
  return meta;
}

const char* kind_name(int kind) {
  static const char* names[] = {"contig",     "transposed",  "padded",      "inner2",   "ones_weird",
                                "swap_last2", "bcast_inner", "bcast_outer", "bcast_all"};
  return names[kind];
}

Dims strides_for(const Dims& shape, int kind) {
  const size_t nd = shape.size();
  Dims st = contiguous_strides(shape);
  switch (kind) {
    case TRANSPOSED: {  // column-major
      int64_t acc = 1;
      for (size_t d = 0; d < nd; d++) {
        st[d] = acc;
        acc *= shape[d];
      }
      break;
    }
    case PADDED: {  // row-major with 3 spare elements after every row of every dim
      int64_t acc = 1;
      for (size_t d = nd; d-- > 0;) {
        st[d] = acc;
        acc = acc * shape[d] + 3;
      }
      break;
    }
    case INNER2:  // every other element
      for (int64_t& s : st) s *= 2;
      break;
    case ONES_WEIRD:  // a size-1 dim's stride is meaningless: make it odd
      for (size_t d = 0; d < nd; d++)
        if (shape[d] == 1) st[d] = 777;
      break;
    case SWAP_LAST2:  // a batch of transposed matrices: row-major with the last two dims exchanged
      if (nd >= 2) {
        st[nd - 1] = shape[nd - 2];
        st[nd - 2] = 1;
        int64_t acc = shape[nd - 1] * shape[nd - 2];
        for (size_t d = nd - 2; d-- > 0;) {
          st[d] = acc;
          acc *= shape[d];
        }
      }
      break;
    case BCAST_INNER:
      if (nd > 0) st[nd - 1] = 0;
      break;
    case BCAST_OUTER:
      if (nd > 0) st[0] = 0;
      break;
    case BCAST_ALL:
      for (int64_t& s : st) s = 0;
      break;
    default:
      break;
  }
  return st;
}

const std::vector<Dims>& test_shapes() {
  static const std::vector<Dims> shapes = {
      {}, {0}, {1}, {5}, {37}, {3, 0, 2}, {4, 3}, {7, 1}, {1, 9}, {2, 3, 4}, {1, 3, 1, 4}, {3, 17, 5}, {2, 2, 2, 2, 3},
      {35, 40}, {2, 20, 35}};  // the last two: full and partial tiles of transposing layouts
  return shapes;
}

const char* binary_name(int op) {
  static const char* names[] = {"ADD", "SUB", "MUL", "DIV", "POW", "MAXIMUM", "MINIMUM",
                                "EQ", "NE", "LT", "LE", "GT", "GE"};
  return names[op];
}
const char* unary_name(int op) {
  static const char* names[] = {"NEG", "ABS", "EXP", "LOG", "SQRT", "SIN", "COS", "TANH", "SIGMOID", "RELU"};
  return names[op];
}
const char* reduce_name(int op) {
  static const char* names[] = {"SUM", "MEAN", "PROD", "MAX", "MIN", "ARGMAX", "ARGMIN"};
  return names[op];
}

}  // namespace th

int main() {
  using namespace th;
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  tl_set_parallel_grain_scale(1);  // the kernels' unscaled thresholds: mid-sized inputs take the threaded paths
  const std::pair<const char*, void (*)()> groups[] = {
      {"memory", test_memory}, {"fill", test_fill},       {"copy", test_copy},
      {"binary", test_binary}, {"binary_scalar", test_binary_scalar}, {"unary", test_unary},
      {"reduce", test_reduce}, {"matmul", test_matmul},   {"sort", test_sort},
      {"creation", test_creation}, {"fused", test_fused}, {"parallel", test_parallel}};
  for (const auto& [name, run] : groups) {
    const int64_t before = failures();
    const auto start = std::chrono::steady_clock::now();
    run();
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::printf("%-14s %-6s %8.0f ms\n", name, failures() == before ? "ok" : "FAILED", ms);
  }
  tl_empty_cache();  // hand the cached blocks back before the leak checker looks
  std::printf("%lld passed, %lld failed\n", static_cast<long long>(g_passed), static_cast<long long>(g_failed));
  std::fflush(stdout);  // before a sanitizer's exit report
  return g_failed == 0 ? 0 : 1;
}

// tl_arange, tl_linspace: hand-computed values, then every line of src/test/resources/golden/creation.txt
// (bits real PyTorch produced on CPU, written by tools/golden/creation.py; includes linspace(-pi, pi,
// 2000)). tl_alloc, tl_free and the allocation cache as well.
#include <fstream>
#include <sstream>
#include "harness.h"

#if defined(__SANITIZE_ADDRESS__)
// Let a failing huge allocation return null under ASan too (it aborts by default), so the
// "tl_alloc returns 0" contract can be checked in the sanitizer build.
extern "C" const char* __asan_default_options() { return "allocator_may_return_null=1"; }
#endif

namespace th {

void test_memory() {
  std::vector<std::pair<int64_t, int64_t>> seen;  // (address, nbytes)
  const int64_t sizes[] = {0, 0, 1, 7, 64, 65, 1000, 65535, 65536, 100000, int64_t(1) << 20};
  for (int64_t n : sizes) {
    const int64_t p = tl_alloc(n);
    CHECK(p != 0 && p % 64 == 0, "tl_alloc(%lld) = %llx is 64-byte aligned", (long long)n, (long long)p);
    if (p == 0) continue;
    std::memset(reinterpret_cast<void*>(p), 0x11, size_t(n));  // every byte asked for is usable (no more: the
                                                                // sanitizer build poisons the rest of the block)
    for (const auto& q : seen) CHECK(q.first != p, "tl_alloc returns distinct live blocks (nbytes %lld)", (long long)n);
    seen.emplace_back(p, n);
  }
  for (const auto& q : seen) tl_free(q.first, q.second);
  tl_free(0, 0);
  tl_free(0, int64_t(1) << 20);
  CHECK(true, "tl_free(0, n) is a no-op");
  CHECK(tl_alloc(int64_t(1) << 62) == 0, "tl_alloc of 2^62 bytes fails with 0");
  CHECK(tl_alloc(INT64_MAX) == 0, "tl_alloc of INT64_MAX bytes fails with 0");

  // the cache: blocks are kept when freed and handed out again for the same size class
  tl_empty_cache();
  CHECK(tl_cached_bytes() == 0, "tl_empty_cache empties the cache");
  const int64_t small = tl_alloc(1000);
  tl_free(small, 1000);
  CHECK(tl_cached_bytes() == 1024, "a freed 1000-byte block is cached in its class of 1024 (%lld)", (long long)tl_cached_bytes());
  CHECK(tl_alloc(1010) == small && tl_cached_bytes() == 0, "a small block is reused for its size class");
  tl_free(small, 1010);
  const int64_t tiny = tl_alloc(0);
  CHECK(tiny != 0 && tiny % 64 == 0, "tl_alloc(0) gives a unique aligned block");
  tl_free(tiny, 0);
  CHECK(tl_cached_bytes() == 1024 + 64, "an empty block is cached in the 64-byte class (%lld)", (long long)tl_cached_bytes());
  tl_empty_cache();
  const int64_t big = tl_alloc(100000);
  std::memset(reinterpret_cast<void*>(big), 1, 100000);
  tl_free(big, 100000);
  const int64_t cached = tl_cached_bytes();
  CHECK(cached >= 100000 && cached <= 125000, "a freed 100000-byte block is cached in its size class (%lld)", (long long)cached);
  const int64_t again = tl_alloc(100001);  // same size class
  CHECK(again == big && tl_cached_bytes() == 0, "tl_alloc reuses the cached block of the same size class");
  std::memset(reinterpret_cast<void*>(again), 2, 100001);
  tl_free(again, 100001);
  // at most the limit cached: of three 200 MiB blocks (size class 224 MiB, never touched) two stay cached
  // under a 512 MiB limit; a limit below what is cached empties the cache
  tl_empty_cache();
  const int64_t mib = int64_t(1) << 20;
  tl_set_cache_limit(512 * mib);
  int64_t blocks[3];
  for (int64_t& b : blocks) b = tl_alloc(200 * mib);
  for (int64_t b : blocks) tl_free(b, 200 * mib);
  CHECK(tl_cached_bytes() == 448 * mib, "the cache holds at most its 512 MiB limit (%lld MiB cached)", (long long)(tl_cached_bytes() / mib));
  tl_set_cache_limit(448 * mib);
  CHECK(tl_cached_bytes() == 448 * mib, "a limit equal to what is cached keeps it");
  tl_set_cache_limit(447 * mib);
  CHECK(tl_cached_bytes() == 0, "a limit below what is cached empties the cache (%lld MiB cached)", (long long)(tl_cached_bytes() / mib));
  tl_set_cache_limit(int64_t(1) << 30);
  tl_empty_cache();
  CHECK(tl_cached_bytes() == 0, "tl_empty_cache frees everything");
}

namespace {

std::string golden_path() {
  std::string f = __FILE__;  // .../src/test/cpp/test_creation.cpp
  f = f.substr(0, f.find_last_of('/'));
  f = f.substr(0, f.find_last_of('/'));
  return f + "/resources/golden/creation.txt";
}

std::string hex_of(int dt, int64_t addr, int64_t i) {
  char s[32];
  if (dt == F32) {
    uint32_t u;
    std::memcpy(&u, reinterpret_cast<const float*>(addr) + i, 4);
    std::snprintf(s, sizeof s, "%08x", u);
  } else if (dt == F64) {
    uint64_t u;
    std::memcpy(&u, reinterpret_cast<const double*>(addr) + i, 8);
    std::snprintf(s, sizeof s, "%016llx", static_cast<unsigned long long>(u));
  } else {
    std::snprintf(s, sizeof s, "%lld", static_cast<long long>(reinterpret_cast<const int64_t*>(addr)[i]));
  }
  return s;
}

void golden() {
  std::ifstream in(golden_path());
  CHECK(in.good(), "golden file %s readable", golden_path().c_str());
  int lines = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const size_t colon = line.find(" : ");
    std::istringstream head(line.substr(0, colon)), tail(colon == std::string::npos ? "" : line.substr(colon + 3));
    std::string op, dtype, a_s, b_s, c_s;
    head >> op >> dtype >> a_s >> b_s >> c_s;
    const int dt = dtype == "float32" ? F32 : dtype == "float64" ? F64 : I64;
    const double a = std::strtod(a_s.c_str(), nullptr), b = std::strtod(b_s.c_str(), nullptr);
    std::vector<std::string> want;
    for (std::string w; tail >> w;) want.push_back(w);
    int64_t n;
    if (op == "linspace") {
      n = std::stoll(c_s);
    } else {  // as Torch.arange sizes it
      n = int64_t(std::ceil((b - a) / std::strtod(c_s.c_str(), nullptr)));
    }
    Buf out(n * 8 + 8);
    if (op == "linspace") tl_linspace(dt, out.addr, n, a, b);
    else tl_arange(dt, out.addr, n, a, std::strtod(c_s.c_str(), nullptr));
    std::string err = int64_t(want.size()) == n ? "" : "golden has " + std::to_string(want.size()) + " values, expected " + std::to_string(n);
    for (int64_t i = 0; i < n && err.empty(); i++)
      if (hex_of(dt, out.addr, i) != want[size_t(i)])
        err = "element " + std::to_string(i) + ": got " + hex_of(dt, out.addr, i) + ", PyTorch " + want[size_t(i)];
    CHECK(err.empty(), "golden %s: %s", line.substr(0, std::min<size_t>(colon, 60)).c_str(), err.c_str());
    lines++;
  }
  CHECK(lines > 100, "golden file has its cases (%d)", lines);
}

}  // namespace

void test_creation() {
  Buf o(1024);
  tl_arange(I64, o.addr, 5, -3, 2);
  const int64_t* l = o.as<int64_t>();
  CHECK(l[0] == -3 && l[1] == -1 && l[2] == 1 && l[3] == 3 && l[4] == 5, "int64 arange");
  tl_arange(F64, o.addr, 4, 0.5, 0.25);
  const double* d = o.as<double>();
  CHECK(d[0] == 0.5 && d[1] == 0.75 && d[2] == 1 && d[3] == 1.25, "float64 arange");
  tl_arange(F32, o.addr, 3, -1, -0.5);
  const float* f = o.as<float>();
  CHECK(f[0] == -1 && f[1] == -1.5f && f[2] == -2, "float32 arange, negative step");
  // 40 elements: more than one vector block plus a tail, exact values
  tl_arange(F32, o.addr, 40, 2, 3);
  bool exact = true;
  for (int i = 0; i < 40; i++) exact &= f[i] == float(2 + 3 * i);
  CHECK(exact, "float32 arange over blocks and tail");
  d = o.as<double>();
  o.as<double>()[0] = 77;
  tl_arange(F64, o.addr, 0, 1, 1);
  tl_linspace(F64, o.addr, 0, 1, 2);
  CHECK(d[0] == 77, "n = 0 writes nothing");

  tl_linspace(F32, o.addr, 5, 0, 1);
  CHECK(f[0] == 0 && f[1] == 0.25f && f[2] == 0.5f && f[3] == 0.75f && f[4] == 1, "float32 linspace(0, 1, 5)");
  tl_linspace(F32, o.addr, 1, 0.1, 7);
  CHECK(f[0] == 0.1f, "linspace n = 1 gives (float)start");
  tl_linspace(F64, o.addr, 2, -2.5, 1e10);
  CHECK(d[0] == -2.5 && d[1] == 1e10, "linspace n = 2 gives start and end exactly");
  tl_linspace(F64, o.addr, 40, 5, -5);
  CHECK(d[0] == 5 && d[39] == -5 && d[20] < 0 && d[19] > 0, "descending float64 linspace ends exactly");
  tl_linspace(I64, o.addr, 4, 0, 10);
  CHECK(l[0] == 0 && l[1] == 3 && l[2] == 6 && l[3] == 10, "int64 linspace(0, 10, 4) = 0 3 6 10");
  tl_linspace(I64, o.addr, 1, -2.7, 10);
  CHECK(l[0] == -2, "int64 linspace n = 1 gives the truncated start");

  golden();
}

}  // namespace th

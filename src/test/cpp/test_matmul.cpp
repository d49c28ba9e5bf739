// tl_matmul: hand-computed products, then batches of every operand layout BLAS can take in place
// (row-major, transposed, padded leading dims, size-1 dims with odd strides) and of those it cannot
// (stride 0 inside a matrix, overlapping strides, a transposed output), with M, N, K of 0 and 1 too,
// against a triple loop. Small integer inputs make every dtype's result exact; random ones are checked
// with a tolerance.
#include <memory>
#include "harness.h"

namespace th {
namespace {

constexpr unsigned char kSentinel = 0x3C;

enum MatKind { ROW, COL, ROW_PAD, COL_PAD, ROW_ODD1, ZERO_COL, ZERO_ROW, OVERLAP, NUM_MAT_KINDS };
const char* mat_kind_name(int k) {
  static const char* names[] = {"row", "col", "row_pad", "col_pad", "row_odd1", "zero_col", "zero_row", "overlap"};
  return names[k];
}

// [batch, rows, cols] strides. Kinds past ROW_ODD1 are for inputs only (not writable without overlap).
Dims mat_strides(int64_t batch, int64_t rows, int64_t cols, int kind, bool bcast_batch) {
  int64_t rs = cols, cs = 1, bs = rows * cols;
  switch (kind) {
    case COL: rs = 1; cs = rows; break;
    case ROW_PAD: rs = cols + 3; bs = rows * rs + 5; break;
    case COL_PAD: rs = 1; cs = rows + 2; bs = cols * cs + 1; break;
    case ROW_ODD1:  // strides of size-1 dims are arbitrary
      if (rows == 1) rs = 999;
      if (cols == 1) cs = 555;
      break;
    case ZERO_COL: cs = 0; rs = 1; bs = rows; break;    // every row one repeated value (expand)
    case ZERO_ROW: rs = 0; cs = 1; bs = cols; break;    // every row the same row (expand)
    case OVERLAP: rs = 1; cs = 1; bs = rows + cols; break;  // Hankel-like overlapping view
    default: break;
  }
  if (bcast_batch || batch == 1) bs = bcast_batch ? 0 : 12345;
  return {bs, rs, cs};
}

template <typename T> struct Mat {
  Dims st;
  int64_t ext;
  std::unique_ptr<Buf> buf;
  Mat(int64_t batch, int64_t rows, int64_t cols, int kind, bool bcast) : st(mat_strides(batch, rows, cols, kind, bcast)) {
    ext = extent({batch, rows, cols}, st, 0) + 1;
    buf = std::make_unique<Buf>(ext * int64_t(sizeof(T)));
    std::memset(reinterpret_cast<void*>(buf->addr), kSentinel, size_t(ext) * sizeof(T));
  }
  T& at(int64_t b, int64_t r, int64_t c) const { return buf->as<T>()[b * st[0] + r * st[1] + c * st[2]]; }
};

template <typename T> void matmul_case(int64_t batch, int64_t m, int64_t n, int64_t k, int ka, int kb, int ko, bool bcast_a,
                                       bool bcast_b, bool small, Rng& rng) {
  Mat<T> a(batch, m, k, ka, bcast_a), b(batch, k, n, kb, bcast_b), o(batch, m, n, ko, false);
  for (int64_t i = 0; i < a.ext; i++) a.buf->template as<T>()[i] = small ? small_value<T>(rng) : T(rng.uniform() * 2 - 1);
  for (int64_t i = 0; i < b.ext; i++) b.buf->template as<T>()[i] = small ? small_value<T>(rng) : T(rng.uniform() * 2 - 1);
  const int64_t meta[] = {batch, m, n, k, a.st[0], a.st[1], a.st[2], b.st[0], b.st[1], b.st[2], o.st[0], o.st[1], o.st[2]};
  tl_matmul(dt_of<T>(), a.buf->addr, b.buf->addr, o.buf->addr, meta);

  std::string err;
  std::vector<bool> in_view(size_t(o.ext), false);
  for (int64_t bi = 0; bi < batch; bi++)
    for (int64_t r = 0; r < m; r++)
      for (int64_t c = 0; c < n; c++) {
        in_view[size_t(bi * o.st[0] + r * o.st[1] + c * o.st[2])] = true;
        double want = 0, mag = 0;
        uint64_t iwant = 0;
        for (int64_t q = 0; q < k; q++) {
          want += double(a.at(bi, r, q)) * double(b.at(bi, q, c));
          mag += std::fabs(double(a.at(bi, r, q)) * double(b.at(bi, q, c)));
          iwant += uint64_t(int64_t(a.at(bi, r, q))) * uint64_t(int64_t(b.at(bi, q, c)));
        }
        const T got = o.at(bi, r, c);
        bool ok;
        if constexpr (std::is_same_v<T, int64_t>) ok = got == int64_t(iwant);
        else if (small) ok = same(got, T(want)) || (want == 0 && got == 0);  // exact; a zero sum's sign may differ
        else ok = std::fabs(double(got) - want) <= (std::is_same_v<T, float> ? 1e-5 : 1e-13) * (mag + 1);
        if (!ok && err.empty())
          err = "at [" + std::to_string(bi) + "," + std::to_string(r) + "," + std::to_string(c) + "]: got " + show(got) +
                ", want " + show(want);
      }
  const unsigned char* bytes = reinterpret_cast<const unsigned char*>(o.buf->addr);
  for (int64_t i = 0; i < o.ext && err.empty(); i++)
    if (!in_view[size_t(i)])
      for (size_t by = 0; by < sizeof(T); by++)
        if (bytes[size_t(i) * sizeof(T) + by] != kSentinel) err = "output element " + std::to_string(i) + " outside the view written";
  CHECK(err.empty(), "tl_matmul %s batch %lld M %lld N %lld K %lld a %s%s b %s%s out %s%s: %s", dt_name(dt_of<T>()),
        (long long)batch, (long long)m, (long long)n, (long long)k, mat_kind_name(ka), bcast_a ? "(bcast)" : "",
        mat_kind_name(kb), bcast_b ? "(bcast)" : "", mat_kind_name(ko), small ? " small" : "", err.c_str());
}

}  // namespace

void test_matmul() {
  // [2,3] @ [3,2], hand-computed, all three dtypes
  {
    Buf a(128), b(128), o(128);
    const double av[] = {1, 2, 3, 4, 5, 6}, bv[] = {7, 8, 9, 10, 11, 12};
    for (int i = 0; i < 6; i++) {
      a.as<float>()[i] = float(av[i]);
      b.as<float>()[i] = float(bv[i]);
    }
    const int64_t meta[] = {1, 2, 2, 3, 6, 3, 1, 6, 2, 1, 4, 2, 1};
    tl_matmul(F32, a.addr, b.addr, o.addr, meta);
    const float* f = o.as<float>();
    CHECK(f[0] == 58 && f[1] == 64 && f[2] == 139 && f[3] == 154, "float32 [2,3]@[3,2]");
    for (int i = 0; i < 6; i++) {
      a.as<int64_t>()[i] = int64_t(av[i]);
      b.as<int64_t>()[i] = int64_t(bv[i]);
    }
    tl_matmul(I64, a.addr, b.addr, o.addr, meta);
    const int64_t* l = o.as<int64_t>();
    CHECK(l[0] == 58 && l[1] == 64 && l[2] == 139 && l[3] == 154, "int64 [2,3]@[3,2]");
    std::memcpy(reinterpret_cast<void*>(a.addr), av, sizeof av);
    std::memcpy(reinterpret_cast<void*>(b.addr), bv, sizeof bv);
    // a read as its transpose: a^T is [3,2] with strides (1, 3); b^T likewise: (a^T) [3,2]... use [2,2] = a[:, :2]^T @ b
    const int64_t tmeta[] = {1, 3, 2, 2, 0, 1, 3, 0, 2, 1, 0, 2, 1};  // A = [[1,4],[2,5],[3,6]], B = [[7,8],[9,10]]
    tl_matmul(F64, a.addr, b.addr, o.addr, tmeta);
    const double* d = o.as<double>();
    CHECK(d[0] == 43 && d[1] == 48 && d[2] == 59 && d[3] == 66 && d[4] == 75 && d[5] == 84, "float64 transposed A");
  }
  // K == 0 gives zeros; M == 0 or N == 0 writes nothing
  {
    Buf a(64), b(64), o(64);
    for (int i = 0; i < 8; i++) o.as<double>()[i] = 9;
    const int64_t meta[] = {2, 2, 2, 0, 0, 0, 1, 0, 2, 1, 4, 2, 1};
    tl_matmul(F64, a.addr, b.addr, o.addr, meta);
    bool zeros = true;
    for (int i = 0; i < 8; i++) zeros &= o.as<double>()[i] == 0;
    CHECK(zeros, "K == 0 gives zeros");
    for (int i = 0; i < 8; i++) o.as<int64_t>()[i] = 9;
    tl_matmul(I64, a.addr, b.addr, o.addr, meta);
    CHECK(o.as<int64_t>()[7] == 0, "int64 K == 0 gives zeros");
    for (int i = 0; i < 8; i++) o.as<double>()[i] = 9;
    const int64_t m0[] = {2, 0, 2, 3, 0, 3, 1, 6, 2, 1, 0, 2, 1};
    tl_matmul(F64, a.addr, b.addr, o.addr, m0);
    const int64_t n0[] = {2, 2, 0, 3, 6, 3, 1, 0, 0, 1, 0, 0, 1};
    tl_matmul(F64, a.addr, b.addr, o.addr, n0);
    const int64_t b0[] = {0, 2, 2, 3, 6, 3, 1, 6, 2, 1, 4, 2, 1};
    tl_matmul(F32, a.addr, b.addr, o.addr, b0);
    CHECK(o.as<double>()[0] == 9 && o.as<double>()[7] == 9, "M, N or batch 0 writes nothing");
  }
  // int64 wraps
  {
    Buf a(16), b(16), o(16);
    a.as<int64_t>()[0] = INT64_MAX;
    b.as<int64_t>()[0] = 2;
    const int64_t meta[] = {1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1};
    tl_matmul(I64, a.addr, b.addr, o.addr, meta);
    CHECK(o.as<int64_t>()[0] == -2, "int64 matmul wraps");
  }

  Rng rng(61);
  const int64_t dims[][4] = {{1, 1, 1, 1}, {1, 4, 5, 3}, {3, 4, 5, 3}, {2, 1, 6, 4}, {2, 6, 1, 4}, {2, 5, 4, 1},
                             {1, 1, 1, 7}, {2, 7, 9, 13}, {1, 17, 3, 33}, {2, 0, 3, 2}, {2, 3, 0, 2}, {2, 3, 2, 0}, {0, 3, 3, 3}};
  int variant = 0;
  for (const auto& d : dims)
    for (int ka = 0; ka < NUM_MAT_KINDS; ka++)
      for (int kb = 0; kb < NUM_MAT_KINDS; kb++) {
        const int ko = (ka + kb + variant++) % (ROW_ODD1 + 1);
        const bool ba = variant % 5 == 0, bb = variant % 7 == 0;
        matmul_case<float>(d[0], d[1], d[2], d[3], ka, kb, ko, ba, bb, true, rng);
        matmul_case<double>(d[0], d[1], d[2], d[3], ka, kb, ko, ba, bb, true, rng);
        matmul_case<int64_t>(d[0], d[1], d[2], d[3], ka, kb, ko, ba, bb, true, rng);
        if (variant % 3 == 0) {
          matmul_case<float>(d[0], d[1], d[2], d[3], ka, kb, ko, ba, bb, false, rng);
          matmul_case<double>(d[0], d[1], d[2], d[3], ka, kb, ko, ba, bb, false, rng);
        }
      }
  // a larger product, so that OpenBLAS takes its blocked paths
  for (int ko = ROW; ko <= COL_PAD; ko++) {
    matmul_case<float>(2, 70, 65, 129, COL, ROW_PAD, ko, false, true, false, rng);
    matmul_case<double>(1, 64, 130, 67, ROW, COL, ko, false, false, false, rng);
  }
  // products cut into pieces of rows (M >= N) or columns (matmul.cpp's Cut): a batch, and single products
  // in deterministic mode; BLAS layouts and packed ones
  tl_set_deterministic(1);
  for (int ko = ROW; ko <= COL_PAD; ko++) {
    matmul_case<float>(1, 1100, 70, 33, COL, ROW_PAD, ko, false, false, false, rng);
    matmul_case<double>(1, 40, 1030, 20, ROW, COL, ko, false, false, false, rng);
    matmul_case<float>(2, 600, 40, 30, ZERO_COL, OVERLAP, ko, false, true, false, rng);
    matmul_case<double>(1, 520, 3, 700, ROW_ODD1, COL_PAD, ko, false, false, false, rng);
  }
  tl_set_deterministic(0);
}

}  // namespace th

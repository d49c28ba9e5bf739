// Reductions over the trailing nred dims of a strided input (see tl_reduce in torchlet.h). The reduced
// dims are coalesced once per call; each output element then walks them with an odometer over the outer
// reduced dims and a tight loop over the innermost. Float accumulation in double, integer in wrapping int64.
//
// Threads and determinism: each output's reduced space (row-major positions 0..count-1) is cut into fixed
// chunks of kChunk positions, whatever the thread count. Each chunk is accumulated as a whole reduction
// was before chunking (from 0, or 1 for products, in row-major order), and an output is the chunk results
// combined in chunk order. The (output, chunk) items, or output columns, are what the pool's threads
// share, so every result is bit for bit the same for any number of threads. A reduction of at most kChunk
// elements per output is one chunk: exactly the single-threaded sum it always was.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>
#include "kernel_util.h"
#include "torchlet.h"

using tl::boolean;

namespace {

// The reduced index space with size-1 dims dropped and dims contiguous with each other merged (innermost
// last). Merging keeps the row-major visiting order, so a run's positions are consecutive.
struct RedSpace {
  std::vector<int64_t> shape, strides;
  int64_t count = 1;  // elements in the reduced space
};

// Reduced positions per chunk (see the top of this file). Fixed: results must not depend on threads.
constexpr int64_t kChunk = int64_t(1) << 15;

RedSpace coalesce(int nred, const int64_t* shape, const int64_t* strides) {
  RedSpace r;
  for (int d = 0; d < nred; d++) {
    r.count *= shape[d];
    if (shape[d] == 1) continue;
    if (!r.shape.empty() && r.strides.back() == strides[d] * shape[d]) {  // outer dim = inner * size
      r.shape.back() *= shape[d];
      r.strides.back() = strides[d];
      continue;
    }
    r.shape.push_back(shape[d]);
    r.strides.push_back(strides[d]);
  }
  return r;
}

// Calls run(p, n, stride, pos) for each innermost run of the positions [lo, hi) of the reduced space below
// base, in row-major order (a run cut at lo or hi is shorter); pos is the row-major position of p[0].
// counter: scratch of r.shape.size() elements.
template <typename T, typename Run>
void visit(const T* base, const RedSpace& r, int64_t lo, int64_t hi, int64_t* counter, Run&& run) {
  if (lo >= hi) return;
  const int nd = static_cast<int>(r.shape.size());
  if (nd == 0) {  // a single element
    run(base, int64_t(1), int64_t(1), int64_t(0));
    return;
  }
  const T* p = base;
  int64_t rest = lo;
  for (int d = nd - 1; d >= 0; d--) {
    counter[d] = rest % r.shape[d];
    rest /= r.shape[d];
    p += counter[d] * r.strides[d];
  }
  const int64_t inner = r.shape[nd - 1], inner_stride = r.strides[nd - 1];
  for (int64_t pos = lo;;) {
    const int64_t n = std::min(inner - counter[nd - 1], hi - pos);
    run(p, n, inner_stride, pos);
    pos += n;
    if (pos >= hi) return;
    p -= counter[nd - 1] * inner_stride;
    counter[nd - 1] = 0;
    for (int d = nd - 2; d >= 0; d--) {
      p += r.strides[d];
      if (++counter[d] < r.shape[d]) break;
      p -= r.strides[d] * r.shape[d];
      counter[d] = 0;
    }
  }
}

// The first nk kept dims: an odometer over them that tracks the input, output and index offsets.
struct Cursor {
  int nk;
  const int64_t *shape, *in_st, *out_st, *idx_st;
  std::vector<int64_t> counter;
  int64_t in = 0, out = 0, idx = 0;
  Cursor(int nk_, const int64_t* shape_, const int64_t* in_st_, const int64_t* out_st_, const int64_t* idx_st_)
      : nk(nk_), shape(shape_), in_st(in_st_), out_st(out_st_), idx_st(idx_st_), counter(size_t(nk_), 0) {}
  void seek(int64_t o) {
    in = out = idx = 0;
    for (int d = nk - 1; d >= 0; d--) {
      counter[d] = o % shape[d];
      o /= shape[d];
      in += counter[d] * in_st[d];
      out += counter[d] * out_st[d];
      idx += counter[d] * idx_st[d];
    }
  }
  void step() {
    for (int d = nk - 1; d >= 0; d--) {
      in += in_st[d];
      out += out_st[d];
      idx += idx_st[d];
      if (++counter[d] < shape[d]) break;
      in -= in_st[d] * shape[d];
      out -= out_st[d] * shape[d];
      idx -= idx_st[d] * shape[d];
      counter[d] = 0;
    }
  }
};

// f(output, chunk, cursor at that output, visit scratch) for every item (output, chunk) of outputs x
// nchunks, output-major, shared among the pool's threads (grain in items).
template <typename F>
void for_each_item(const Cursor& proto, int64_t outputs, int64_t nchunks, size_t red_dims, int64_t grain, F&& f) {
  tl::parallel_for(0, outputs * nchunks, grain, [&](int64_t lo, int64_t hi) {
    Cursor cur = proto;
    std::vector<int64_t> scratch(red_dims + 1);
    int64_t at = lo / nchunks;
    cur.seek(at);
    for (int64_t u = lo; u < hi; u++) {
      const int64_t o = u / nchunks;
      if (o != at) {  // the next output
        cur.step();
        at = o;
      }
      f(o, u % nchunks, cur, scratch.data());
    }
  });
}

// acc += the elements of one run, in double. Strided runs add one by one in order; unit-stride runs use
// four partial sums, which breaks the add latency chain (3x faster on in-cache rows).
template <typename T>
void add_run(double& acc, const T* p, int64_t n, int64_t s) {
  if (s != 1) {
    for (int64_t i = 0; i < n; i++) acc += double(p[i * s]);
    return;
  }
  double a0 = acc, a1 = 0, a2 = 0, a3 = 0;
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    a0 += double(p[i]);
    a1 += double(p[i + 1]);
    a2 += double(p[i + 2]);
    a3 += double(p[i + 3]);
  }
  for (; i < n; i++) a0 += double(p[i]);
  acc = (a0 + a1) + (a2 + a3);
}

// Wrapping int64 sum of one run (int64 or bool input); vectorizes on unit stride.
template <typename T>
uint64_t isum_run(const T* p, int64_t n, int64_t s) {
  uint64_t acc = 0;
  if (s == 1) for (int64_t i = 0; i < n; i++) acc += uint64_t(int64_t(p[i]));
  else for (int64_t i = 0; i < n; i++) acc += uint64_t(int64_t(p[i * s]));
  return acc;
}

// The first extreme of the reduced space: the first NaN if there is one, else the first maximum (minimum).
template <bool IS_MAX, typename T>
struct Extreme {
  T best = T();
  int64_t pos = -1;
  bool nan = false;
  void run(const T* p, int64_t n, int64_t s, int64_t pos0) {
    if (nan) return;  // a NaN sticks
    for (int64_t i = 0; i < n; i++) {
      const T v = p[i * s];
      if (v != v) {
        best = v;
        pos = pos0 + i;
        nan = true;
        return;
      }
      if (pos < 0 || (IS_MAX ? v > best : v < best)) {
        best = v;
        pos = pos0 + i;
      }
    }
  }
};

// first.combine(next chunk's Extreme): the sequential answer over both (chunks in order).
template <bool IS_MAX, typename T>
void combine(Extreme<IS_MAX, T>& e, const Extreme<IS_MAX, T>& next) {
  if (e.nan || next.pos < 0) return;
  if (next.nan || e.pos < 0 || (IS_MAX ? next.best > e.best : next.best < e.best)) e = next;
}

template <typename T>
void reduce_typed(int op, const T* in, char* out, int64_t* out_idx, const int64_t* meta) {
  const int nkeep = static_cast<int>(meta[0]), nred = static_cast<int>(meta[1]);
  const int64_t* keep_shape = meta + 2;
  const int64_t* red_shape = keep_shape + nkeep;
  const int64_t* in_keep = red_shape + nred;
  const int64_t* in_red = in_keep + nkeep;
  const int64_t* out_strides = in_red + nred;
  const int64_t* idx_strides = out_strides + nkeep;
  const RedSpace red = coalesce(nred, red_shape, in_red);
  constexpr bool floating = std::is_floating_point_v<T>;
  using Sum = std::conditional_t<floating, T, int64_t>;  // SUM/PROD result type
  using Acc = std::conditional_t<floating, double, uint64_t>;  // integers wrap
  Sum* sum_out = reinterpret_cast<Sum*>(out);
  T* val_out = reinterpret_cast<T*>(out);
  const int64_t count = red.count;
  const int64_t nchunks = count <= kChunk ? 1 : (count + kChunk - 1) / kChunk;
  auto chunk_end = [&](int64_t c) { return std::min(count, (c + 1) * kChunk); };
  const int64_t chunk_len = std::max<int64_t>(1, std::min(count, kChunk));
  const bool product = op == TL_PROD;
  // the result of a sum, mean or product from its accumulator
  auto write = [&](int64_t off, Acc acc) {
    if constexpr (floating) {
      if (op == TL_MEAN) val_out[off] = T(count == 0 ? std::numeric_limits<double>::quiet_NaN() : acc / double(count));
      else sum_out[off] = T(acc);
    } else {  // MEAN is floats only (Java promotes first)
      sum_out[off] = int64_t(acc);
    }
  };
  auto fold = [&](Acc a, Acc b) { return product ? Acc(a * b) : Acc(a + b); };

  // Column reductions (e.g. sum over dim 0 of a row-major matrix): when the innermost kept dim is the
  // input's unit-stride dim, add whole rows of outputs at a time instead of striding down each column.
  // Each output still adds its elements one by one in row-major order, as the general path does on a
  // strided run, so the results are identical, only cache-friendly. Threads share (group, chunk, block
  // of columns) items.
  if ((op == TL_SUM || op == TL_MEAN || op == TL_PROD) && nkeep >= 1 && count > 1 && in_keep[nkeep - 1] == 1 &&
      keep_shape[nkeep - 1] > 1) {
    const int64_t width = keep_shape[nkeep - 1], ostride = out_strides[nkeep - 1];
    constexpr int64_t kBlock = 512;  // columns per item: independent, so any block size gives the same bits
    const int64_t blocks = (width + kBlock - 1) / kBlock;
    int64_t groups = 1;
    for (int d = 0; d < nkeep - 1; d++) groups *= keep_shape[d];
    std::vector<Acc> part(nchunks > 1 ? size_t(groups * width * nchunks) : 0);
    const Cursor proto(nkeep - 1, keep_shape, in_keep, out_strides, idx_strides);
    // items: (group, chunk, block) = (group, chunk * blocks + block)
    for_each_item(proto, groups, nchunks * blocks, red.shape.size(),
                  std::max<int64_t>(1, tl::kGrain / (chunk_len * std::min(width, kBlock))),
                  [&](int64_t g, int64_t item, const Cursor& cur, int64_t* scratch) {
      const int64_t c = item / blocks, j0 = (item % blocks) * kBlock, bw = std::min(kBlock, width - j0);
      Acc acc[kBlock];
      std::fill(acc, acc + bw, product ? Acc(1) : Acc(0));
      visit(in + cur.in + j0, red, c * kChunk, chunk_end(c), scratch, [&](const T* p, int64_t n, int64_t s, int64_t) {
        for (int64_t i = 0; i < n; i++) {
          const T* row = p + i * s;
          if (product) for (int64_t j = 0; j < bw; j++) acc[j] *= Acc(row[j]);
          else for (int64_t j = 0; j < bw; j++) acc[j] += Acc(row[j]);
        }
      });
      if (nchunks == 1) {
        for (int64_t j = 0; j < bw; j++) write(cur.out + (j0 + j) * ostride, acc[j]);
      } else {
        for (int64_t j = 0; j < bw; j++) part[size_t(((g * width) + j0 + j) * nchunks + c)] = acc[j];
      }
    });
    if (nchunks > 1) {
      Cursor cur = proto;
      cur.seek(0);
      for (int64_t g = 0; g < groups; g++, cur.step())
        for (int64_t j = 0; j < width; j++) {
          const Acc* pj = &part[size_t((g * width + j) * nchunks)];
          Acc acc = pj[0];
          for (int64_t c = 1; c < nchunks; c++) acc = fold(acc, pj[c]);
          write(cur.out + j * ostride, acc);
        }
    }
    return;
  }

  int64_t outputs = 1;
  for (int d = 0; d < nkeep; d++) outputs *= keep_shape[d];
  const Cursor proto(nkeep, keep_shape, in_keep, out_strides, idx_strides);
  const int64_t grain = std::max<int64_t>(1, tl::kGrain / chunk_len);
  const size_t rd = red.shape.size();

  if (op == TL_SUM || op == TL_MEAN || op == TL_PROD) {
    std::vector<Acc> part(nchunks > 1 ? size_t(outputs * nchunks) : 0);
    for_each_item(proto, outputs, nchunks, rd, grain, [&](int64_t o, int64_t c, const Cursor& cur, int64_t* scratch) {
      Acc acc = product ? Acc(1) : Acc(0);
      auto each = [&](const T* p, int64_t n, int64_t s, int64_t) {
        if constexpr (floating) {
          if (product) for (int64_t i = 0; i < n; i++) acc *= double(p[i * s]);
          else add_run(acc, p, n, s);
        } else {
          if (product) for (int64_t i = 0; i < n; i++) acc *= uint64_t(int64_t(p[i * s]));
          else acc += isum_run(p, n, s);
        }
      };
      visit(in + cur.in, red, c * kChunk, chunk_end(c), scratch, each);
      if (nchunks == 1) write(cur.out, acc);
      else part[size_t(o * nchunks + c)] = acc;
    });
    if (nchunks > 1) {
      Cursor cur = proto;
      cur.seek(0);
      for (int64_t o = 0; o < outputs; o++, cur.step()) {
        const Acc* po = &part[size_t(o * nchunks)];
        Acc acc = po[0];
        for (int64_t c = 1; c < nchunks; c++) acc = fold(acc, po[c]);
        write(cur.out, acc);
      }
    }
    return;
  }

  auto extreme = [&](auto tag) {
    using E = decltype(tag);
    const bool write_value = op == TL_MAX || op == TL_MIN;
    auto finish = [&](const Cursor& cur, const E& e) {
      if (write_value) val_out[cur.out] = e.best;
      if (out_idx != nullptr) out_idx[cur.idx] = e.pos < 0 ? 0 : e.pos;
    };
    std::vector<E> part(nchunks > 1 ? size_t(outputs * nchunks) : 0);
    for_each_item(proto, outputs, nchunks, rd, grain, [&](int64_t o, int64_t c, const Cursor& cur, int64_t* scratch) {
      E e;
      visit(in + cur.in, red, c * kChunk, chunk_end(c), scratch,
            [&](const T* p, int64_t n, int64_t s, int64_t pos) { e.run(p, n, s, pos); });
      if (nchunks == 1) finish(cur, e);
      else part[size_t(o * nchunks + c)] = e;
    });
    if (nchunks > 1) {
      Cursor cur = proto;
      cur.seek(0);
      for (int64_t o = 0; o < outputs; o++, cur.step()) {
        E e = part[size_t(o * nchunks)];
        for (int64_t c = 1; c < nchunks; c++) combine(e, part[size_t(o * nchunks + c)]);
        finish(cur, e);
      }
    }
  };
  if (op == TL_MAX || op == TL_ARGMAX) extreme(Extreme<true, T>{});
  else extreme(Extreme<false, T>{});  // MIN, ARGMIN
}

}  // namespace

void tl_reduce(int op, int dt, int64_t in, int64_t out, int64_t out_idx, const int64_t* meta) {
  tl::dispatch(dt, [&](auto tag) {
    using T = decltype(tag);
    reduce_typed<T>(op, reinterpret_cast<const T*>(in), reinterpret_cast<char*>(out),
                    reinterpret_cast<int64_t*>(out_idx), meta);
  });
}

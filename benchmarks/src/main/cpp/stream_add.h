// The W5 baseline: a STREAM-style add, out[i][j] = a[i][j] + b[j], over a row-major [rows, cols] float32
// array and a [cols] row, written into a preallocated output. With threads > 1 each thread adds its share
// of the rows, so with one thread per core it runs at the machine's memory bandwidth limit. Benchmark code
// only: compiled by JavaCPP into the benchmarks module, not part of libtorchlet.
#ifndef TORCHLET_BENCH_STREAM_ADD_H
#define TORCHLET_BENCH_STREAM_ADD_H

#include <cstdint>
#include <thread>
#include <vector>

static inline void stream_add_rows(const float* __restrict a, const float* __restrict b, float* __restrict out,
                                   int64_t r0, int64_t r1, int64_t cols) {
    for (int64_t i = r0; i < r1; i++) {
        const float* __restrict ai = a + i * cols;
        float* __restrict oi = out + i * cols;
        for (int64_t j = 0; j < cols; j++) oi[j] = ai[j] + b[j];
    }
}

static inline void stream_add(const float* a, const float* b, float* out, int64_t rows, int64_t cols, int threads) {
    if (threads <= 1 || rows < 2) {
        stream_add_rows(a, b, out, 0, rows, cols);
        return;
    }
    std::vector<std::thread> pool;
    int64_t per = (rows + threads - 1) / threads;
    for (int t = 1; t < threads; t++) {
        int64_t r0 = t * per, r1 = r0 + per < rows ? r0 + per : rows;
        if (r0 < r1) pool.emplace_back(stream_add_rows, a, b, out, r0, r1, cols);
    }
    stream_add_rows(a, b, out, 0, per < rows ? per : rows, cols);  // the calling thread takes the first share
    for (auto& th : pool) th.join();
}

#endif

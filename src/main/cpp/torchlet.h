// torchlet native CPU kernels: the C ABI that JavaCPP binds (dev.torchlet.backend.cpu.NativeCpu).
//
// Conventions, shared with the Java side (dev.torchlet.backend.cpu.CpuBackend):
// - Addresses are int64_t, already advanced to the tensor's first element (storage offset applied).
// - dt is a dtype code: 0 float32, 1 float64, 2 int64, 3 bool (one byte, 0 or 1) = DType.ordinal().
// - Strides and sizes count elements, not bytes. Strides may be 0 (broadcast) or any value >= 0.
// - Elementwise kernels take n (number of elements) and meta. meta == nullptr means every operand is
//   contiguous with n elements. Otherwise meta = [ndim, shape[ndim], strides of operand 0[ndim],
//   strides of operand 1[ndim], ...], operands in the order of the function's address parameters.
// - Java validates every shape, stride, dtype and extent before calling: kernels do not re-check.
#pragma once
#include <stdint.h>

// Op codes = ordinal() of dev.torchlet.backend.{BinaryOp,UnaryOp,ReduceOp}.
enum TlBinaryOp { TL_ADD, TL_SUB, TL_MUL, TL_DIV, TL_POW, TL_MAXIMUM, TL_MINIMUM,
                  TL_EQ, TL_NE, TL_LT, TL_LE, TL_GT, TL_GE };
enum TlUnaryOp { TL_NEG, TL_ABS, TL_EXP, TL_LOG, TL_SQRT, TL_SIN, TL_COS, TL_TANH, TL_SIGMOID, TL_RELU };
enum TlReduceOp { TL_SUM, TL_MEAN, TL_PROD, TL_MAX, TL_MIN, TL_ARGMAX, TL_ARGMIN };

// 64-byte aligned host memory; returns 0 when the allocation fails. nbytes 0 returns a valid address.
// tl_free takes the nbytes the block was allocated with: blocks of 64 KiB and more go to a bounded
// per-size-class cache (512 MiB at most) that tl_alloc reuses; tl_empty_cache frees the cache.
int64_t tl_alloc(int64_t nbytes);
void tl_free(int64_t addr, int64_t nbytes);
void tl_empty_cache();
int64_t tl_cached_bytes();

// out[i] = value (converted to dt). Operands: out.
void tl_fill(int dt, int64_t out, int64_t n, const int64_t* meta, double value);
// dst[i] = (dst_dt) src[i]. Operands: src, dst. Float to bool is x != 0; bool to number is 0 or 1; float to
// int64 truncates, NaN and out-of-range values give INT64_MIN.
void tl_copy(int src_dt, int dst_dt, int64_t src, int64_t dst, int64_t n, const int64_t* meta);
// out[i] = a[i] op b[i]; a, b of dtype dt; out of dtype dt, or bool for EQ..GE. Operands: a, b, out.
// int64 arithmetic wraps; DIV by zero yields 0 (never a trap); POW with a negative exponent gives 1 for
// base 1, +-1 for base -1, else 0. Bool ADD/MAXIMUM are or, MUL/MINIMUM and. MAXIMUM/MINIMUM propagate NaN.
void tl_binary(int op, int dt, int64_t a, int64_t b, int64_t out, int64_t n, const int64_t* meta);
// out[i] = a[i] op s, or s op a[i] when scalar_first != 0. Operands: a, out.
void tl_binary_scalar(int op, int dt, int64_t a, double s, int scalar_first, int64_t out, int64_t n,
                      const int64_t* meta);
// out[i] = op(a[i]); a and out of dtype dt (float32/float64; NEG, ABS, RELU also int64). Operands: a, out.
void tl_unary(int op, int dt, int64_t a, int64_t out, int64_t n, const int64_t* meta);
// Reduction over the trailing nred dims of the input view.
// meta = [nkeep, nred, keep_shape[nkeep], red_shape[nred], in_keep_strides[nkeep], in_red_strides[nred],
//         out_strides[nkeep], idx_strides[nkeep]].
// SUM/PROD write dt for floats and int64 for int64/bool; MEAN (floats only) writes dt; MAX/MIN write dt
// to out and, when out_idx != 0, the int64 position of the first extreme (NaN counts as extreme) within
// the reduced index space (row-major) to out_idx; ARGMAX/ARGMIN write only out_idx (out is 0).
// Float accumulation runs in double. An empty reduced space gives 0 (SUM), 1 (PROD), NaN (MEAN).
void tl_reduce(int op, int dt, int64_t in, int64_t out, int64_t out_idx, const int64_t* meta);
// out[b] = a[b] @ b[b] for b < batch; a [batch, M, K], b [batch, K, N], out [batch, M, N], any strides
// (batch strides may be 0). meta = [batch, M, N, K, a_bs, a_rs, a_cs, b_bs, b_rs, b_cs, o_bs, o_rs, o_cs].
// dt float32/float64 go through cblas_sgemm/dgemm (one call per matrix, no copies when a row or column
// stride is 1); int64 runs plain loops. K == 0 gives zeros.
void tl_matmul(int dt, int64_t a, int64_t b, int64_t out, const int64_t* meta);
// Stable sort of each of `rows` contiguous rows of length len; values (dtype dt) and int64 indices are
// written contiguously. NaN sorts above every number (first when descending), as in PyTorch.
void tl_sort(int dt, int64_t in, int64_t values, int64_t indices, int64_t rows, int64_t len, int descending);
// out[i] = start + i * step as PyTorch's CPU kernel computes it (in double for floats, in int64 for int64),
// bit for bit: see creation.cpp. Contiguous.
void tl_arange(int dt, int64_t out, int64_t n, double start, double step);
// PyTorch's linspace, bit for bit (creation.cpp): start and end converted to dt, step = (end - start) / (n - 1)
// in dt's precision (double for int64); the first half counts up from start, the second down from end.
// n == 1 gives start. Contiguous.
void tl_linspace(int dt, int64_t out, int64_t n, double start, double end);

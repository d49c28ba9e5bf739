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
// tl_free takes the nbytes the block was allocated with: freed blocks go to a per-size-class cache that
// tl_alloc reuses, of at most tl_set_cache_limit bytes (default 1 GiB; a smaller limit empties a cache over
// it); tl_empty_cache frees the cache. tl_sanitized is 1 in the
// AddressSanitizer build (TORCHLET_SANITIZE), where blocks must come back through tl_free to be poisoned.
int64_t tl_alloc(int64_t nbytes);
void tl_free(int64_t addr, int64_t nbytes);
void tl_empty_cache();
void tl_set_cache_limit(int64_t bytes);
int64_t tl_cached_bytes();
int tl_sanitized();

// Intra-op threads of the kernels (torch.set_num_threads): n >= 1 (smaller counts as 1). Default: the CPUs
// this process may use (affinity mask, cgroup CPU quota). Elementwise kernels, copies, fills, reductions
// and batched matmul split work above a size threshold; every result is bit for bit the same whatever the
// count (see parallel.h, reduce.cpp, matmul.cpp). A single float matmul is one OpenBLAS call on OpenBLAS's
// own threads, whose count (not this one) its last bits depend on, unless deterministic mode is on.
void tl_set_num_threads(int n);
int tl_get_num_threads();
// The factor on every kernel's size threshold for going parallel: measured once on this machine from how
// long a sleeping worker takes to wake (parallel.cpp), unless set here; scale <= 0 goes back to measuring.
void tl_set_parallel_grain_scale(int scale);
int tl_get_parallel_grain_scale();
// Deterministic mode (torch.use_deterministic_algorithms), off by default: a single float matmul is cut
// into pieces by its shapes and each piece runs on one OpenBLAS thread, so its bits no longer depend on
// OpenBLAS's thread count (matmul.cpp). Every other kernel is deterministic in either mode.
void tl_set_deterministic(int on);
int tl_get_deterministic();

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

// ------------------------------------------------------------------ autograd, loss and optimizer kernels
// float32/float64 only (dt 0 or 1). Elementwise math runs in the tensor's dtype, in the order of PyTorch's
// own kernels; double hyper-parameters are converted to the dtype first (a.add(b, alpha=x) is fma(x, b, a),
// as in PyTorch's AVX2 kernels). Row kernels (softmax, cross entropy) compute each row in double.

// Op codes = ordinal() of dev.torchlet.backend.GradOp.
enum TlGradOp { TL_GRAD_RELU, TL_GRAD_SIGMOID, TL_GRAD_TANH, TL_GRAD_POW_SCALAR, TL_GRAD_MSE, TL_GRAD_BCE_LOGITS };

// out[i] = op(a[i], b[i], g[i], s). Operands: a, b, g, out (b unused, any valid address, for RELU, SIGMOID,
// TANH, POW_SCALAR):
//   RELU        a <= 0 ? 0 : g                  (a = forward input; PyTorch's threshold_backward, NaN passes g)
//   SIGMOID     g * (1 - a) * a                 (a = forward output)
//   TANH        g * (1 - a * a)                 (a = forward output)
//   POW_SCALAR  s == 0 ? 0 : g * (s * pow(a, s - 1)), pow with PyTorch's fast paths (tl_binary_scalar POW)
//   MSE         s * (a - b) * g                 (a = input, b = target)
//   BCE_LOGITS  s * (sigmoid(a) - b) * g        (a = logits, b = target)
void tl_grad(int op, int dt, int64_t a, int64_t b, int64_t g, double s, int64_t out, int64_t n,
             const int64_t* meta);
// Row-wise softmax (log == 0) or log-softmax (log != 0) of `rows` contiguous rows of length len into a
// contiguous out (may alias in): the row max is subtracted first. An all -inf row gives NaN, as in PyTorch.
void tl_softmax(int dt, int64_t in, int64_t out, int64_t rows, int64_t len, int log);
// Softmax backward over contiguous rows, y = the forward output: log != 0: grad_in = g - exp(y) * sum(g);
// else grad_in = y * (g - sum(g * y)). grad_in may alias g.
void tl_softmax_backward(int dt, int64_t g, int64_t y, int64_t grad_in, int64_t rows, int64_t len, int log);
// Per-row cross entropy: logits [rows, classes] contiguous; target int64 with element stride target_stride;
// losses [rows] contiguous of dt. losses[i] = -(1 - ls) * logp[i, t] - (ls / classes) * sum_c logp[i, c]
// (logp = log_softmax of row i), 0 where t == ignore_index. Returns -1, or (writing nothing) the first row
// whose target is neither in [0, classes) nor ignore_index.
int64_t tl_cross_entropy(int dt, int64_t logits, int64_t target, int64_t target_stride, int64_t rows,
                         int64_t classes, int64_t ignore_index, double label_smoothing, int64_t losses);
// grad_logits[i, c] = g[i] * (softmax(logits[i])[c] - (1 - ls) * [c == t_i] - ls / classes), a zero row where
// t_i == ignore_index. g has element stride g_stride (0 for a broadcast scalar). Returns -1, or (writing
// nothing) the first row whose target is neither in [0, classes) nor ignore_index.
int64_t tl_cross_entropy_backward(int dt, int64_t logits, int64_t target, int64_t target_stride, int64_t g,
                               int64_t g_stride, int64_t rows, int64_t classes, int64_t ignore_index,
                               double label_smoothing, int64_t grad_logits);
// In-place optimizer steps, elementwise over operands of one shape (meta as for elementwise kernels, the
// strides of an absent buffer all 0). An absent buffer has address 0 and is never touched.
// SGD (torch.optim.SGD, _single_tensor_sgd). Operands: param, grad, buf (absent when momentum == 0).
//   d = grad; if (wd != 0) d = fma(wd, param, d);
//   if (momentum != 0) { buf = first_step ? d : fma(1 - dampening, d, buf * momentum);
//                        d = nesterov ? fma(momentum, buf, d) : buf; }
//   param = fma(-lr, d, param)
void tl_sgd_step(int dt, int64_t param, int64_t grad, int64_t buf, int64_t n, const int64_t* meta, double lr,
                 double momentum, double dampening, double weight_decay, int nesterov, int first_step);
// RMSprop (_single_tensor_rmsprop). Operands: param, grad, square_avg, grad_avg (absent unless centered),
// buf (absent unless momentum > 0).
//   g = wd != 0 ? fma(wd, param, grad) : grad; sq = sq * alpha + (1 - alpha) * g * g;
//   centered: ga = lerp(ga, g, 1 - alpha); avg = sqrt(sq - ga * ga) + eps; else avg = sqrt(sq) + eps;
//   momentum > 0: buf = buf * momentum + g / avg; param = fma(-lr, buf, param); else param += -lr * g / avg
void tl_rmsprop_step(int dt, int64_t param, int64_t grad, int64_t square_avg, int64_t grad_avg, int64_t buf,
                     int64_t n, const int64_t* meta, double lr, double alpha, double eps, double weight_decay,
                     double momentum);
// Adam/AdamW (_single_tensor_adam), step = the 1-based count after incrementing. Operands: param, grad,
// exp_avg, exp_avg_sq, max_exp_avg_sq (absent unless amsgrad).
//   decoupled: param = param * (1 - lr * wd); else if wd != 0: g = fma(wd, param, grad);
//   m = lerp(m, g, 1 - beta1); v = v * beta2 + (1 - beta2) * g * g; amsgrad: vmax = max(vmax, v), v = vmax;
//   bc1 = 1 - beta1^step, bc2 = 1 - beta2^step in double; denom = sqrt(v) / sqrt(bc2) + eps;
//   param = param + (-lr / bc1) * m / denom
void tl_adam_step(int dt, int64_t param, int64_t grad, int64_t exp_avg, int64_t exp_avg_sq, int64_t max_exp_avg_sq,
                  int64_t n, const int64_t* meta, int64_t step, double lr, double beta1, double beta2, double eps,
                  double weight_decay, int decoupled);
// out[i] = cond[i] ? a[i] : b[i]; cond bool, a, b and out of dtype dt. Operands: cond, a, b, out.
void tl_where(int dt, int64_t cond, int64_t a, int64_t b, int64_t out, int64_t n, const int64_t* meta);
// out[r, index[r, j]] = src[r, j] for r < rows, j < m; src and int64 index contiguous [rows, m], out
// contiguous [rows, n]. Returns -1, or (writing nothing) the position r * m + j of the first index outside [0, n).
int64_t tl_scatter_rows(int dt, int64_t src, int64_t index, int64_t out, int64_t rows, int64_t m, int64_t n);
// The C library's log(x), log1p(x), sin(x) or cos(x) (fn = TL_LIBM_*), and pow(x, y), exactly as the
// process's libm computes them (libm.cpp): PyTorch's float64 Box-Muller calls these (dev.torchlet.RandomOps),
// and Python's math.cos and float ** (the learning-rate schedulers). Java's Math/StrictMath differ from glibc
// in the last bit now and then.
enum TlLibmFn { TL_LIBM_LOG, TL_LIBM_LOG1P, TL_LIBM_SIN, TL_LIBM_COS };
double tl_libm(int fn, double x);
double tl_libm_pow(double x, double y);

// ------------------------------------------------------------------------------------- files (safetensors)
// Raw element types of a file (safetensors dtype codes) that tl_decode reads: code = ordinal() of
// dev.torchlet.Safetensors.FileType. Data is little-endian, as safetensors stores it.
enum TlRawType { TL_RAW_F64, TL_RAW_F32, TL_RAW_F16, TL_RAW_BF16, TL_RAW_I64, TL_RAW_I32, TL_RAW_I16, TL_RAW_I8,
                 TL_RAW_U8, TL_RAW_U16, TL_RAW_U32, TL_RAW_BOOL };
// Maps length > 0 bytes of the file at path (a NUL-terminated byte string) from byte offset, copy-on-write
// (MAP_PRIVATE, readable and writable: writes stay private, the file is never changed); the file is opened
// read-only and closed again, the mapping lives until tl_unmap. offset need not be page-aligned: the result
// is the address of byte offset. expected_size >= 0 requires the file to have exactly that many bytes (the
// size its header was validated against). Returns the address, or -errno (-ESTALE when the size differs).
int64_t tl_map_file(const char* path, int64_t offset, int64_t length, int64_t expected_size);
// Unmaps what tl_map_file(…, length, …) returned at addr. Returns 0, or -errno.
int tl_unmap(int64_t addr, int64_t length);
// The message of an errno value (strerror).
const char* tl_strerror(int errnum);
// dst[i] = src[i] for n elements: src raw elements of type raw (little-endian, any byte alignment), dst
// contiguous of dtype dst_dt. F16 and BF16 widen exactly to float32 (NaN payloads kept), F32/F64 copy,
// integers widen to int64 (signed types sign-extended), BOOL gives 0 or 1 (any nonzero byte is true).
// Java pairs only those (raw, dst_dt).
void tl_decode(int raw, int64_t src, int dst_dt, int64_t dst, int64_t n);

// ------------------------------------------------------------------------------------------------- mpi
// The mpi process group (mpi.cpp): Open MPI's library (libmpi.so.40), opened on the first tl_mpi_init. dt:
// 0 float32, 1 float64, 2 int64; op: TlMpiOp. Java serializes nothing: the calls lock themselves.
enum TlMpiOp { TL_MPI_SUM, TL_MPI_PROD, TL_MPI_MAX, TL_MPI_MIN };
// Opens library (a name dlopen searches for, or a path) unless one is open, and initializes MPI
// (MPI_THREAD_SERIALIZED) unless already done; writes rank, size to rank_size. Returns 0, -1 (library not
// found), -2 (not Open MPI) or -3 (MPI failed), with the reason in tl_mpi_last_error.
int tl_mpi_init(const char* library, int32_t* rank_size);
const char* tl_mpi_last_error();
// The collectives on MPI_COMM_WORLD, started (they run one at a time, in the order started, on mpi.cpp's
// communication thread): each returns its request, whose failure tl_mpi_test or tl_mpi_wait reports. The
// buffers must stay alive and untouched until the request is done. allreduce is in place; allgather gathers count
// elements from each rank into out (size * count); reduce_scatter reduces in (size * count) and leaves this
// rank's count elements in out.
int64_t tl_mpi_ibarrier();
int64_t tl_mpi_iallreduce(int64_t addr, int64_t count, int dt, int op);
int64_t tl_mpi_ibcast(int64_t addr, int64_t count, int dt, int root);
int64_t tl_mpi_iallgather(int64_t in, int64_t out, int64_t count, int dt);
int64_t tl_mpi_ireduce_scatter(int64_t in, int64_t out, int64_t count, int dt, int op);
// 1 when the request is done (it is then freed: never pass it again), 0 when not yet, -1 on error.
int tl_mpi_test(int64_t request);
// Polls the request until done (0), timeout_seconds passed (1; the request is still in flight) or error (-1).
int tl_mpi_wait(int64_t request, double timeout_seconds);
// MPI_Abort on MPI_COMM_WORLD: ends every process of the job.
void tl_mpi_abort(int code);
// MPI_Finalize: returns 0 or the MPI error code.
int tl_mpi_finalize();

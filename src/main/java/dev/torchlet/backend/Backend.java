package dev.torchlet.backend;

import dev.torchlet.DType;
import dev.torchlet.Device;

/**
 * The compute interface every device implementation provides: the native CPU backend, the pure-Java
 * reference backend, and CUDA (one backend per device). Ops in {@code dev.torchlet} do all shape, dtype and broadcast
 * work and hand over operands that are already validated: same shapes (broadcast operands expanded with
 * stride 0), the dtype each method states, and outputs freshly allocated or checked for overlap. Index
 * values held in tensors (class targets, scatter indices) are checked by the backend as it reads them: it
 * returns the first bad one for the caller to report, and never reads or writes out of bounds.
 */
public interface Backend {
    /**
     * The backend's name, such as "native" or "reference".
     * @return the name
     */
    String name();

    /**
     * The device this backend's storage lives on.
     * @return the device
     */
    Device device();

    /**
     * Storage for numel elements of dtype, contents unspecified.
     * @param dtype the element type
     * @param numel the number of elements
     * @return new storage
     */
    Storage allocate(DType dtype, long numel);

    /**
     * Every element of out set to value (converted to out's dtype).
     * @param out the output, written in place
     * @param value the value
     */
    void fill(Strided out, double value);

    /**
     * dst = src converted to dst's dtype; same shapes.
     * @param src the source
     * @param dst the destination
     */
    void copy(Strided src, Strided dst);

    /**
     * out = a op b; a and b of the same dtype, out of that dtype or bool for comparisons.
     * @param op the operation
     * @param a the first operand
     * @param b the second operand
     * @param out the output, written in place
     */
    void binary(BinaryOp op, Strided a, Strided b, Strided out);

    /**
     * out = a op s, or s op a when scalarFirst; s converted to a's dtype first, as PyTorch does.
     * @param op the operation
     * @param a the first operand
     * @param s the scalar operand
     * @param scalarFirst whether the scalar is the left operand
     * @param out the output, written in place
     */
    void binaryScalar(BinaryOp op, Strided a, double s, boolean scalarFirst, Strided out);

    /**
     * out = op(a), same dtype (float32/float64, or int64 for NEG, ABS, RELU).
     * @param op the operation
     * @param a the first operand
     * @param out the output, written in place
     */
    void unary(UnaryOp op, Strided a, Strided out);

    /**
     * Reduces the trailing {@code nReduced} dims of {@code in}. out has in's leading dims (out may be null
     * for ARGMAX/ARGMIN); indices (int64, may be null) receives, for MAX/MIN/ARG*, the row-major position
     * of the first extreme within the reduced dims. Result dtypes: see torchlet.h tl_reduce.
     * @param op the operation
     * @param in the input
     * @param nReduced how many trailing dims to reduce
     * @param out the output, written in place
     * @param indices the int64 indices, written in place, or null
     */
    void reduce(ReduceOp op, Strided in, int nReduced, Strided out, Strided indices);

    /**
     * out[b] = a[b] @ b[b]; a [B,M,K], b [B,K,N], out [B,M,N]; one dtype (float32, float64, int64).
     * @param a the first operand
     * @param b the second operand
     * @param out the output, written in place
     */
    void matmul(Strided a, Strided b, Strided out);

    /**
     * Stable sort along the last dim of a contiguous [rows, len] input into contiguous values and int64 indices.
     * @param in the contiguous input, [rows, len]
     * @param descending whether to sort from largest to smallest
     * @param values the sorted values, written in place
     * @param indices the int64 indices, written in place, or null
     */
    void sort(Strided in, boolean descending, Strided values, Strided indices);

    /**
     * Contiguous out[i] = start + i * step.
     * @param out the output, written in place
     * @param start the first value
     * @param step the spacing between values
     */
    void arange(Strided out, double start, double step);

    /**
     * Contiguous out = PyTorch's linspace(start, end, numel).
     * @param out the output, written in place
     * @param start the first value
     * @param end the last value
     */
    void linspace(Strided out, double start, double end);

    // ------------------------------------------------------------------ autograd, loss and optimizer kernels
    // float32/float64 operands only. Native backends compute elementwise math in the tensor's dtype in the order
    // of PyTorch's own kernels; the reference backend computes in double and rounds once per element.

    /**
     * out = op(a, b, g, s) elementwise (see {@link GradOp} for each formula); a, b, g, out share one shape
     * (broadcast operands expanded with stride 0), any strides, one float dtype (float32/float64). b is unused
     * (pass a) for RELU, SIGMOID, TANH, POW_SCALAR.
     * @param op the operation
     * @param a the first operand
     * @param b the second operand
     * @param g the incoming gradient
     * @param s the scalar operand
     * @param out the output, written in place
     */
    void grad(GradOp op, Strided a, Strided b, Strided g, double s, Strided out);

    /**
     * Row-wise softmax (log=false) or log-softmax (log=true) over the last dim of a contiguous [rows, n] float
     * tensor into a contiguous out of the same shape; numerically stable (subtract the row max).
     * @param in the input
     * @param log true for log-softmax
     * @param out the output, written in place
     */
    void softmax(Strided in, boolean log, Strided out);

    /**
     * Backward of softmax over the last dim, contiguous [rows, n] operands: log: gradIn = g - exp(y) * sum_row(g);
     * else gradIn = y * (g - sum_row(g * y)). y is the forward output.
     * @param g the incoming gradient
     * @param y the forward output (softmax or log-softmax)
     * @param log true for log-softmax
     * @param gradIn the gradient with respect to the input, written in place
     */
    void softmaxBackward(Strided g, Strided y, boolean log, Strided gradIn);

    /**
     * Per-row cross entropy with class-index targets: logits [N, C] contiguous float, target int64 [N] (any
     * stride), losses [N] contiguous of the logits dtype: losses[i] = -(1 - ls) * logp[i, t] - (ls / C) *
     * sum_c logp[i, c], where logp = log_softmax(logits[i]); losses[i] = 0 where t == ignoreIndex.
     *
     * @param logits the logits, [N, C]
     * @param target the int64 class indices, [N]
     * @param ignoreIndex the class index whose rows count for nothing
     * @param labelSmoothing the label smoothing in [0, 1]
     * @param losses the per-row losses, written in place
     * @return -1, or the first row i whose target is neither in [0, C) nor ignoreIndex (nothing needs to be
     *     written then; the caller raises "Target t is out of bounds.")
     */
    long crossEntropy(Strided logits, Strided target, long ignoreIndex, double labelSmoothing, Strided losses);

    /**
     * gradLogits[i, c] = g[i] * (softmax(logits[i])[c] - (1 - ls) * [c == t_i] - ls / C), and a zero row where
     * t_i == ignoreIndex. g is [N] of the logits dtype, any stride (stride 0 for a broadcast scalar);
     * gradLogits [N, C] contiguous.
     * @param logits the logits, [N, C]
     * @param target the int64 class indices, [N]
     * @param g the incoming gradient
     * @param ignoreIndex the class index whose rows count for nothing
     * @param labelSmoothing the label smoothing in [0, 1]
     * @param gradLogits the gradient with respect to the logits, written in place
     * @return -1, or the first row i whose target is neither in [0, C) nor ignoreIndex (nothing needs to be
     *     written then; the caller raises "Target t is out of bounds.")
     */
    long crossEntropyBackward(Strided logits, Strided target, Strided g, long ignoreIndex, double labelSmoothing,
                              Strided gradLogits);

    /**
     * One in-place SGD step, PyTorch 2.x torch.optim.SGD (_single_tensor_sgd, maximize=False), elementwise:
     * <pre>
     * d = grad; if (wd != 0) d = d + wd * param;
     * if (momentum != 0) { buf = firstStep ? d : momentum * buf + (1 - dampening) * d; d = nesterov ? d + momentum * buf : buf; }
     * param = param - lr * d.
     * </pre>
     * param, grad, momentumBuffer share one shape and float dtype, any strides; momentumBuffer is null when
     * momentum == 0.
     * @param param the parameter, updated in place
     * @param grad its gradient
     * @param momentumBuffer the momentum buffer, or null
     * @param lr the learning rate
     * @param momentum the momentum factor
     * @param dampening the dampening of the momentum
     * @param weightDecay the weight decay
     * @param nesterov whether to use Nesterov momentum
     * @param firstStep whether the buffer is filled from the gradient
     */
    void sgdStep(Strided param, Strided grad, Strided momentumBuffer, double lr, double momentum, double dampening,
                 double weightDecay, boolean nesterov, boolean firstStep);

    /**
     * One in-place RMSprop step, PyTorch 2.x (_single_tensor_rmsprop):
     * <pre>
     * g = grad + wd * param (when wd != 0); squareAvg = alpha * squareAvg + (1 - alpha) * g * g;
     * if centered: gradAvg = lerp(gradAvg, g, 1 - alpha); avg = sqrt(squareAvg - gradAvg * gradAvg) + eps;
     * else avg = sqrt(squareAvg) + eps;
     * if momentum > 0: buf = momentum * buf + g / avg; param = param - lr * buf; else param = param - lr * g / avg.
     * </pre>
     * gradAvg is null unless centered; momentumBuffer null unless momentum > 0 (buffers start at zero, allocated
     * by the caller). All operands share one shape and float dtype, any strides.
     * @param param the parameter, updated in place
     * @param grad its gradient
     * @param squareAvg the running average of squared gradients
     * @param gradAvg the running average of gradients, or null
     * @param momentumBuffer the momentum buffer, or null
     * @param lr the learning rate
     * @param alpha the smoothing constant
     * @param eps the term added to the denominator for stability
     * @param weightDecay the weight decay
     * @param momentum the momentum factor
     */
    void rmspropStep(Strided param, Strided grad, Strided squareAvg, Strided gradAvg, Strided momentumBuffer,
                     double lr, double alpha, double eps, double weightDecay, double momentum);

    /**
     * One in-place Adam/AdamW step, PyTorch 2.x (_single_tensor_adam), step = the 1-based step count after
     * incrementing:
     * <pre>
     * if decoupled (AdamW): param = param * (1 - lr * wd); else if wd != 0: g = grad + wd * param;
     * expAvg = lerp(expAvg, g, 1 - beta1); expAvgSq = beta2 * expAvgSq + (1 - beta2) * g * g;
     * bc1 = 1 - beta1^step; bc2 = 1 - beta2^step (in double, as Python floats); stepSize = lr / bc1;
     * if maxExpAvgSq != null (amsgrad): maxExpAvgSq = max(maxExpAvgSq, expAvgSq); v = maxExpAvgSq else v = expAvgSq;
     * denom = sqrt(v) / sqrt(bc2) + eps; param = param - stepSize * expAvg / denom.
     * </pre>
     * All operands share one shape and float dtype, any strides.
     * @param param the parameter, updated in place
     * @param grad its gradient
     * @param expAvg the first moment
     * @param expAvgSq the second moment
     * @param maxExpAvgSq the running maximum of the second moment, or null
     * @param step the 1-based step count
     * @param lr the learning rate
     * @param beta1 the decay of the first moment
     * @param beta2 the decay of the second moment
     * @param eps the term added to the denominator for stability
     * @param weightDecay the weight decay
     * @param decoupled false for Adam, true for AdamW
     */
    void adamStep(Strided param, Strided grad, Strided expAvg, Strided expAvgSq, Strided maxExpAvgSq, long step,
                  double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled);

    /**
     * Contiguous dst = array, one of float[], double[], long[], boolean[] matching dst's dtype.
     * @param dst the destination
     * @param array the Java array
     */
    void write(Strided dst, Object array);

    /**
     * The contiguous src as a float[], double[], long[] or boolean[] matching its dtype.
     * @param src the source
     * @return a new Java array
     */
    Object read(Strided src);

    /**
     * out = cond ? a : b elementwise; cond bool, a, b and out of one dtype, all of one shape (any strides).
     * @param cond the bool condition
     * @param a the first operand
     * @param b the second operand
     * @param out the output, written in place
     */
    void where(Strided cond, Strided a, Strided b, Strided out);

    /**
     * out[r, index[r, j]] = src[r, j]; src and int64 index contiguous [rows, m], out contiguous [rows, n].
     * @param src the source
     * @param index the int64 column indices
     * @param out the output, written in place
     * @return -1, or the position r * m + j of the first index outside [0, n) (nothing needs to be written then;
     *     the caller raises PyTorch's "index i is out of bounds for dimension d with size n")
     */
    long scatter(Strided src, Strided index, Strided out);

    /**
     * The backend's native memory counters, as {@code torch.cuda.memory_stats} reports them for CUDA.
     * @return a snapshot of the counters
     */
    MemoryStats memoryStats();
}

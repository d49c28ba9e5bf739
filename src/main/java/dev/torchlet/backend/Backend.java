package dev.torchlet.backend;

import dev.torchlet.DType;
import dev.torchlet.Device;

/**
 * The compute interface every device implementation provides: the native CPU backend, the pure-Java
 * reference backend, and (later) CUDA. Ops in {@code dev.torchlet} do all shape, dtype and broadcast
 * work and hand over operands that are already validated: same shapes (broadcast operands expanded with
 * stride 0), the dtype each method states, and outputs freshly allocated or checked for overlap. A
 * backend never sees a bad index.
 */
public interface Backend {
    String name();

    Device device();

    /** Storage for numel elements of dtype, contents unspecified. */
    Storage allocate(DType dtype, long numel);

    /** Every element of out set to value (converted to out's dtype). */
    void fill(Strided out, double value);

    /** dst = src converted to dst's dtype; same shapes. */
    void copy(Strided src, Strided dst);

    /** out = a op b; a and b of the same dtype, out of that dtype or bool for comparisons. */
    void binary(BinaryOp op, Strided a, Strided b, Strided out);

    /** out = a op s, or s op a when scalarFirst; s converted to a's dtype first, as PyTorch does. */
    void binaryScalar(BinaryOp op, Strided a, double s, boolean scalarFirst, Strided out);

    /** out = op(a), same dtype (float32/float64, or int64 for NEG, ABS, RELU). */
    void unary(UnaryOp op, Strided a, Strided out);

    /**
     * Reduces the trailing {@code nReduced} dims of {@code in}. out has in's leading dims (out may be null
     * for ARGMAX/ARGMIN); indices (int64, may be null) receives, for MAX/MIN/ARG*, the row-major position
     * of the first extreme within the reduced dims. Result dtypes: see torchlet.h tl_reduce.
     */
    void reduce(ReduceOp op, Strided in, int nReduced, Strided out, Strided indices);

    /** out[b] = a[b] @ b[b]; a [B,M,K], b [B,K,N], out [B,M,N]; one dtype (float32, float64, int64). */
    void matmul(Strided a, Strided b, Strided out);

    /** Stable sort along the last dim of a contiguous [rows, len] input into contiguous values and int64 indices. */
    void sort(Strided in, boolean descending, Strided values, Strided indices);

    /** Contiguous out[i] = start + i * step. */
    void arange(Strided out, double start, double step);

    /** Contiguous out = PyTorch's linspace(start, end, numel). */
    void linspace(Strided out, double start, double end);

    /** Contiguous dst = array, one of float[], double[], long[], boolean[] matching dst's dtype. */
    void write(Strided dst, Object array);

    /** The contiguous src as a float[], double[], long[] or boolean[] matching its dtype. */
    Object read(Strided src);

    MemoryStats memoryStats();
}

package dev.torchlet.backend;

/**
 * How the native backends (CPU and CUDA) pass operands over JNI: the address of a view's first element and
 * the packed long[] layouts of torchlet.h, built in one place for both.
 */
public final class NativeLayout {
    private NativeLayout() {}

    /**
     * The address of the view's first element (storage address plus offset); refuses freed storage.
     * @param s a view of native storage
     * @return the address
     */
    public static long address(Strided s) {
        if (s.storage.isFreed()) { // a closed tensor's: the address no longer belongs to it
            throw new IllegalStateException("a native call got storage that was already freed (its tensors were "
                    + "closed)");
        }
        return ((NativeStorage) s.storage).address() + s.offset * s.dtype.itemSize();
    }

    /**
     * The address of the view's first element, or 0 for an absent (null) operand.
     * @param s a view of native storage, or null
     * @return the address, or 0
     */
    public static long addressOrZero(Strided s) { return s == null ? 0 : address(s); }

    /**
     * The elementwise kernels' layout: null when every operand is contiguous (the kernels' fast path), else
     * [ndim, shape, strides...]. A null operand (an absent optimizer buffer) gets all-zero strides. The
     * fixed-arity forms let the common contiguous call allocate nothing, not even a varargs array.
     * @param a the only operand
     * @return the meta array, or null
     */
    public static long[] elementwise(Strided a) { return contiguous(a) ? null : strided(a); }

    /**
     * {@link #elementwise(Strided)} for two operands of one shape, in the kernel's order.
     * @param a the first operand
     * @param b the second operand
     * @return the meta array, or null
     */
    public static long[] elementwise(Strided a, Strided b) {
        return contiguous(a) && contiguous(b) ? null : strided(a, b);
    }

    /**
     * {@link #elementwise(Strided)} for three operands of one shape, in the kernel's order.
     * @param a the first operand
     * @param b the second operand
     * @param c the third operand
     * @return the meta array, or null
     */
    public static long[] elementwise(Strided a, Strided b, Strided c) {
        return contiguous(a) && contiguous(b) && contiguous(c) ? null : strided(a, b, c);
    }

    /**
     * {@link #elementwise(Strided)} for any number of operands of one shape, in the kernel's order.
     * @param operands the operands; null for an absent one
     * @return the meta array, or null
     */
    public static long[] elementwise(Strided... operands) {
        for (Strided s : operands) {
            if (!contiguous(s)) return strided(operands);
        }
        return null;
    }

    private static boolean contiguous(Strided s) { return s == null || s.isContiguous(); }

    private static long[] strided(Strided... operands) {
        long[] shape = null;
        for (Strided s : operands) {
            if (s != null) shape = s.shape;
        }
        int ndim = shape.length;
        long[] meta = new long[1 + ndim * (1 + operands.length)];
        meta[0] = ndim;
        System.arraycopy(shape, 0, meta, 1, ndim);
        for (int k = 0; k < operands.length; k++) {
            if (operands[k] != null) System.arraycopy(operands[k].strides, 0, meta, 1 + ndim * (1 + k), ndim);
        }
        return meta;
    }

    /**
     * tl_reduce's meta: [nkeep, nred, shape, strides of in, strides of out's kept dims, of indices' kept dims].
     * @param in the input
     * @param nReduced how many trailing dims are reduced
     * @param out the output, or null
     * @param indices the int64 indices, or null
     * @return the meta array
     */
    public static long[] reduce(Strided in, int nReduced, Strided out, Strided indices) {
        int nKeep = in.dim() - nReduced;
        long[] meta = new long[2 + 2 * in.dim() + 2 * nKeep];
        meta[0] = nKeep;
        meta[1] = nReduced;
        System.arraycopy(in.shape, 0, meta, 2, in.dim());
        System.arraycopy(in.strides, 0, meta, 2 + in.dim(), in.dim());
        int at = 2 + 2 * in.dim();
        for (int i = 0; i < nKeep; i++) {
            meta[at + i] = out == null ? 0 : out.strides[i];
            meta[at + nKeep + i] = indices == null ? 0 : indices.strides[i];
        }
        return meta;
    }

    /**
     * tl_matmul's meta: [batch, M, N, K, strides of a, of b, of out].
     * @param a [batch, M, K]
     * @param b [batch, K, N]
     * @param out [batch, M, N]
     * @return the meta array
     */
    public static long[] matmul(Strided a, Strided b, Strided out) {
        return new long[] {
            a.shape[0], a.shape[1], b.shape[2], a.shape[2],
            a.strides[0], a.strides[1], a.strides[2],
            b.strides[0], b.strides[1], b.strides[2],
            out.strides[0], out.strides[1], out.strides[2]};
    }

    /**
     * The size of the last dim (1 for a 0-dim view).
     * @param s the view
     * @return the size of the last dim
     */
    public static long lastDim(Strided s) { return s.dim() == 0 ? 1 : s.shape[s.dim() - 1]; }

    /**
     * The number of rows of length len in s (0 when len is 0).
     * @param s the view
     * @param len the row length
     * @return the number of rows
     */
    public static long rows(Strided s, long len) { return len == 0 ? 0 : s.numel() / len; }

    /**
     * The element stride of a 1-d operand (0 for a size-1 or 0-dim one, whose stride the kernel never uses).
     * @param s the view
     * @return the element stride
     */
    public static long vectorStride(Strided s) { return s.dim() == 0 || s.shape[0] <= 1 ? 0 : s.strides[0]; }
}

package dev.torchlet.backend;

import dev.torchlet.DType;
import java.util.Arrays;

/**
 * The data of a tensor as a backend sees it: storage, dtype, and the strided layout (offset, sizes and
 * strides, in elements) of the elements it covers. Immutable; the arrays are never modified after
 * construction. Only torchlet's own code builds these, after validating them against the storage.
 */
public final class Strided {
    /** The storage the elements live in. */
    public final Storage storage;
    /** The element type. */
    public final DType dtype;
    /** The offset of the first element in the storage, in elements. */
    public final long offset;
    /** The sizes of the dims. */
    public final long[] shape;
    /** The strides of the dims, in elements. */
    public final long[] strides;
    // Derived once: every op asks for these, some several times (shape checks, layouts, the result's strides).
    private final long numel;
    private final boolean contiguous, canonicalStrides;

    /**
     * @param storage the storage the elements live in
     * @param dtype the element type
     * @param offset the offset of the first element, in elements
     * @param shape the sizes of the dims
     * @param strides the strides of the dims, in elements
     * @throws IllegalArgumentException unless every element lies inside the storage: no layout that reaches
     *     a backend, and so native code, can point outside its memory
     */
    public Strided(Storage storage, DType dtype, long offset, long[] shape, long[] strides) {
        this.numel = checkInside(storage, dtype, offset, shape, strides);
        this.storage = storage;
        this.dtype = dtype;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
        this.contiguous = computeContiguous();
        this.canonicalStrides = computeCanonicalStrides();
    }

    /** Refuses a layout that reaches outside storage; returns its number of elements. */
    private static long checkInside(Storage storage, DType dtype, long offset, long[] shape, long[] strides) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("sizes " + Arrays.toString(shape) + " and strides "
                    + Arrays.toString(strides) + " differ in length");
        }
        long last = offset;
        boolean empty = false;
        long numel = 1;
        for (long size : shape) {
            if (size < 0) break; // reported below
            try {
                numel = Math.multiplyExact(numel, size);
            } catch (ArithmeticException e) {
                // PyTorch's message (TensorImpl::compute_numel): kernels count elements in int64
                throw new IllegalArgumentException("numel: integer multiplication overflow: sizes " + Arrays.toString(shape));
            }
        }
        try {
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] < 0 || strides[i] < 0) {
                    throw new IllegalArgumentException("negative size or stride: sizes " + Arrays.toString(shape)
                            + ", strides " + Arrays.toString(strides));
                }
                if (shape[i] == 0) empty = true;
                else last = Math.addExact(last, Math.multiplyExact(shape[i] - 1, strides[i]));
            }
            if (!empty && (offset < 0 || Math.multiplyExact(last + 1, (long) dtype.itemSize()) > storage.nbytes())) {
                throw new IllegalArgumentException("a view with offset " + offset + ", sizes " + Arrays.toString(shape)
                        + " and strides " + Arrays.toString(strides) + " reaches outside its storage of "
                        + storage.nbytes() + " bytes");
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("a view with sizes " + Arrays.toString(shape) + " and strides "
                    + Arrays.toString(strides) + " overflows its index range");
        }
        return numel;
    }

    /**
     * The number of dims.
     * @return the number of dims
     */
    public int dim() { return shape.length; }

    /**
     * The number of elements.
     * @return the product of the sizes
     */
    public long numel() { return numel; }

    /**
     * Row-major contiguous: the layout a fresh tensor of this shape has (size-1 dims may have any stride).
     * @return whether the layout is contiguous
     */
    public boolean isContiguous() { return contiguous; }

    private boolean computeContiguous() {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] == 1) continue;
            if (shape[i] == 0) return true;
            if (strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /**
     * The number of elements of a shape.
     * @param shape the sizes of the dims
     * @return the product of the sizes
     */
    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    /**
     * Whether the strides are exactly {@link #contiguousStrides(long[])} of the shape (isContiguous also
     * accepts any stride on a size-1 dim).
     * @return whether the strides are the canonical row-major ones
     */
    public boolean hasCanonicalStrides() { return canonicalStrides; }

    private boolean computeCanonicalStrides() {
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (strides[i] != s) return false;
            s *= Math.max(shape[i], 1);
        }
        return true;
    }

    /**
     * Row-major strides of a contiguous tensor of this shape.
     * @param shape the sizes of the dims
     * @return the strides
     */
    public static long[] contiguousStrides(long[] shape) {
        long[] strides = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return strides;
    }
}

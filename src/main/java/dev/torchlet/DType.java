package dev.torchlet;

/** Element types, as PyTorch names them. The ordinal is the dtype code the native kernels use. */
public enum DType {
    /** 32-bit floating point, PyTorch's {@code torch.float32} (the default dtype). */
    FLOAT32("torch.float32", "Float", 4),
    /** 64-bit floating point, PyTorch's {@code torch.float64}. */
    FLOAT64("torch.float64", "Double", 8),
    /** 64-bit integer, PyTorch's {@code torch.int64} (indices, {@code torch.tensor([1, 2])}). */
    INT64("torch.int64", "Long", 8),
    /** Boolean, PyTorch's {@code torch.bool} (comparison results, masks). */
    BOOL("torch.bool", "Bool", 1);

    private final String torchName;
    private final String scalarTypeName;
    private final int itemSize;

    DType(String torchName, String scalarTypeName, int itemSize) {
        this.torchName = torchName;
        this.scalarTypeName = scalarTypeName;
        this.itemSize = itemSize;
    }

    /**
     * Bytes per element.
     * @return the element size in bytes
     */
    public int itemSize() { return itemSize; }

    /**
     * Bytes of numel elements, or a clear exception where that does not fit in a long.
     * @param numel the number of elements
     * @return the size in bytes
     */
    public long byteSize(long numel) {
        try {
            return Math.multiplyExact(numel, (long) itemSize);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("a tensor of " + numel + " " + this + " elements does not fit in memory");
        }
    }

    /**
     * True for float32 and float64, PyTorch's {@code dtype.is_floating_point}.
     * @return whether this dtype is floating point
     */
    public boolean isFloatingPoint() { return this == FLOAT32 || this == FLOAT64; }

    /**
     * PyTorch's ScalarType name, used in its error messages ("Float", "Long", ...).
     * @return the ScalarType name
     */
    public String scalarTypeName() { return scalarTypeName; }

    /**
     * The default floating dtype: what integer tensors become under true division, exp, mean of floats...
     * @return {@link #FLOAT32}
     */
    public static DType defaultFloat() { return FLOAT32; }

    /**
     * PyTorch's type promotion of two tensor operands (torch.promote_types): bool &lt; int64 &lt; float32
     * &lt; float64.
     * @param a one operand's dtype
     * @param b the other operand's dtype
     * @return the promoted dtype
     */
    public static DType promote(DType a, DType b) {
        return a.ordinalRank() >= b.ordinalRank() ? a : b;
    }

    /**
     * The dtype of a tensor op with a Java scalar, as PyTorch types Python numbers: a double scalar makes
     * integer and bool tensors float32, a long scalar makes bool tensors int64; otherwise the tensor's
     * dtype wins (a float32 tensor times a double stays float32).
     * @param tensor the tensor's dtype
     * @param scalarIsFloating whether the scalar is a double (a Python float) rather than a long
     * @return the dtype of the result
     */
    public static DType promoteWithScalar(DType tensor, boolean scalarIsFloating) {
        if (scalarIsFloating) return tensor.isFloatingPoint() ? tensor : defaultFloat();
        return tensor == BOOL ? INT64 : tensor;
    }

    /**
     * PyTorch's canCast: no float to integer or bool, no integer to bool.
     * @param from the source dtype
     * @param to the target dtype
     * @return whether the cast is allowed
     */
    public static boolean canCast(DType from, DType to) {
        if (from.isFloatingPoint() && !to.isFloatingPoint()) return false;
        return from == BOOL || to != BOOL;
    }

    private int ordinalRank() {
        switch (this) {
            case BOOL: return 0;
            case INT64: return 1;
            case FLOAT32: return 2;
            default: return 3;
        }
    }

    @Override public String toString() { return torchName; }
}

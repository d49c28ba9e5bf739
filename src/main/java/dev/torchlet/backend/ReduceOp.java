package dev.torchlet.backend;

import dev.torchlet.DType;

/** Reductions. The ordinal is the native op code (TlReduceOp in torchlet.h). */
public enum ReduceOp {
    /** The sum, PyTorch's {@code sum}. */
    SUM("sum"),
    /** The mean, PyTorch's {@code mean}. */
    MEAN("mean"),
    /** The product, PyTorch's {@code prod}. */
    PROD("prod"),
    /** The largest element, PyTorch's {@code max}. */
    MAX("max"),
    /** The smallest element, PyTorch's {@code min}. */
    MIN("min"),
    /** The index of the largest element, PyTorch's {@code argmax}. */
    ARGMAX("argmax"),
    /** The index of the smallest element, PyTorch's {@code argmin}. */
    ARGMIN("argmin");

    /** PyTorch's name for the op, used in error messages. */
    public final String torchName;

    ReduceOp(String torchName) { this.torchName = torchName; }

    /**
     * Ops that pick an element (and so have no value on an empty input).
     * @return whether this op selects an element
     */
    public boolean selects() { return this == MAX || this == MIN || this == ARGMAX || this == ARGMIN; }

    /**
     * The dtype of this reduction's values for an input of dtype in (the indices are int64).
     * @param in the input's dtype
     * @return the result's dtype
     * @throws IllegalArgumentException for the mean of a non-floating input, with PyTorch's message
     */
    public DType resultType(DType in) {
        switch (this) {
            case SUM:
            case PROD:
                return in.isFloatingPoint() ? in : DType.INT64;
            case MEAN:
                if (!in.isFloatingPoint()) {
                    throw new IllegalArgumentException("mean(): could not infer output dtype. Input dtype must be "
                            + "either a floating point or complex dtype. Got: " + in.scalarTypeName());
                }
                return in;
            case ARGMAX:
            case ARGMIN:
                return DType.INT64;
            default:
                return in;
        }
    }
}

package dev.torchlet.backend;

/** Reductions. The ordinal is the native op code (TlReduceOp in torchlet.h). */
public enum ReduceOp {
    SUM("sum"), MEAN("mean"), PROD("prod"), MAX("max"), MIN("min"), ARGMAX("argmax"), ARGMIN("argmin");

    /** PyTorch's name for the op, used in error messages. */
    public final String torchName;

    ReduceOp(String torchName) { this.torchName = torchName; }

    /** Ops that pick an element (and so have no value on an empty input). */
    public boolean selects() { return this == MAX || this == MIN || this == ARGMAX || this == ARGMIN; }
}

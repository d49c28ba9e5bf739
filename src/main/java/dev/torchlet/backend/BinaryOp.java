package dev.torchlet.backend;

/** Elementwise binary ops. The ordinal is the native op code (TlBinaryOp in torchlet.h). */
public enum BinaryOp {
    ADD("add"), SUB("sub"), MUL("mul"), DIV("div"), POW("pow"), MAXIMUM("maximum"), MINIMUM("minimum"),
    EQ("eq"), NE("ne"), LT("lt"), LE("le"), GT("gt"), GE("ge");

    /** PyTorch's name for the op, used in error messages. */
    public final String torchName;

    BinaryOp(String torchName) { this.torchName = torchName; }

    /** Comparisons produce bool tensors. */
    public boolean isComparison() { return ordinal() >= EQ.ordinal(); }
}

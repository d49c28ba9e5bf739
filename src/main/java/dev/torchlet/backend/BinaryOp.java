package dev.torchlet.backend;

/** Elementwise binary ops. The ordinal is the native op code (TlBinaryOp in torchlet.h). */
public enum BinaryOp {
    /** a + b, PyTorch's {@code add}. */
    ADD("add"),
    /** a - b, PyTorch's {@code sub}. */
    SUB("sub"),
    /** a * b, PyTorch's {@code mul}. */
    MUL("mul"),
    /** a / b (true division), PyTorch's {@code div}. */
    DIV("div"),
    /** a ** b, PyTorch's {@code pow}. */
    POW("pow"),
    /** The larger of a and b, PyTorch's {@code maximum}. */
    MAXIMUM("maximum"),
    /** The smaller of a and b, PyTorch's {@code minimum}. */
    MINIMUM("minimum"),
    /** a == b, PyTorch's {@code eq}. */
    EQ("eq"),
    /** a != b, PyTorch's {@code ne}. */
    NE("ne"),
    /** a &lt; b, PyTorch's {@code lt}. */
    LT("lt"),
    /** a &lt;= b, PyTorch's {@code le}. */
    LE("le"),
    /** a &gt; b, PyTorch's {@code gt}. */
    GT("gt"),
    /** a &gt;= b, PyTorch's {@code ge}. */
    GE("ge");

    /** PyTorch's name for the op, used in error messages. */
    public final String torchName;

    BinaryOp(String torchName) { this.torchName = torchName; }

    /**
     * Comparisons produce bool tensors.
     * @return whether this op is a comparison
     */
    public boolean isComparison() { return ordinal() >= EQ.ordinal(); }
}

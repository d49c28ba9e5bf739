package dev.torchlet.backend;

/** Elementwise unary ops. The ordinal is the native op code (TlUnaryOp in torchlet.h). */
public enum UnaryOp {
    /** -x, PyTorch's {@code neg}. */
    NEG("neg", false),
    /** |x|, PyTorch's {@code abs}. */
    ABS("abs", false),
    /** e to the x, PyTorch's {@code exp}. */
    EXP("exp", true),
    /** The natural logarithm, PyTorch's {@code log}. */
    LOG("log", true),
    /** The square root, PyTorch's {@code sqrt}. */
    SQRT("sqrt", true),
    /** The sine, PyTorch's {@code sin}. */
    SIN("sin", true),
    /** The cosine, PyTorch's {@code cos}. */
    COS("cos", true),
    /** The hyperbolic tangent, PyTorch's {@code tanh}. */
    TANH("tanh", true),
    /** The logistic sigmoid, PyTorch's {@code sigmoid}. */
    SIGMOID("sigmoid", true),
    /** max(x, 0), PyTorch's {@code relu}. */
    RELU("relu", false);

    /** PyTorch's name for the op, used in error messages. */
    public final String torchName;
    /** True when integer inputs compute in the default float dtype (torch.exp(int tensor) is float32). */
    public final boolean floatResult;

    UnaryOp(String torchName, boolean floatResult) {
        this.torchName = torchName;
        this.floatResult = floatResult;
    }
}

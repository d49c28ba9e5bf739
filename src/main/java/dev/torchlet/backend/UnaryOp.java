package dev.torchlet.backend;

/** Elementwise unary ops. The ordinal is the native op code (TlUnaryOp in torchlet.h). */
public enum UnaryOp {
    NEG("neg", false), ABS("abs", false), EXP("exp", true), LOG("log", true), SQRT("sqrt", true),
    SIN("sin", true), COS("cos", true), TANH("tanh", true), SIGMOID("sigmoid", true), RELU("relu", false);

    /** PyTorch's name for the op, used in error messages. */
    public final String torchName;
    /** True when integer inputs compute in the default float dtype (torch.exp(int tensor) is float32). */
    public final boolean floatResult;

    UnaryOp(String torchName, boolean floatResult) {
        this.torchName = torchName;
        this.floatResult = floatResult;
    }
}

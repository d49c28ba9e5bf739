package dev.torchlet.backend;

/**
 * Fused elementwise gradient formulas of {@link Backend#grad}: out = op(a, b, g, s), g the incoming gradient.
 * The ordinal is the native op code (TlGradOp in torchlet.h).
 */
public enum GradOp {
    /** out = a &lt;= 0 ? 0 : g, a = the forward input (PyTorch's threshold_backward: a NaN input passes g). */
    RELU,
    /** out = g * (1 - a) * a, a = the forward output (PyTorch's sigmoid_backward order). */
    SIGMOID,
    /** out = g * (1 - a * a), a = the forward output. */
    TANH,
    /** out = s == 0 ? 0 : g * (s * pow(a, s - 1)), a = the base, s = the exponent (PyTorch's pow_backward). */
    POW_SCALAR,
    /** out = s * (a - b) * g, a = input, b = target, s = 2/N (mean) or 2 (sum) (PyTorch's mse_loss_backward). */
    MSE,
    /** out = s * (sigmoid(a) - b) * g, a = logits, b = target, s the reduction scale. */
    BCE_LOGITS;

    /**
     * True when the formula reads operand b.
     * @return whether operand b is read
     */
    public boolean usesB() { return this == MSE || this == BCE_LOGITS; }
}

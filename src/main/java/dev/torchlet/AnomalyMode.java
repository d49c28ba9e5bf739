package dev.torchlet;

/**
 * Anomaly detection for autograd, PyTorch's {@code torch.autograd.set_detect_anomaly} and
 * {@code detect_anomaly}: while it is on, every graph node records where its forward op was called, and
 * backward checks the gradients each node returns. A node that returns NaN raises PyTorch's
 * {@code Function 'DivBackward0' returned nan values in its 1th output.}, and any error a node raises
 * during backward carries the forward call as its cause: an exception whose stack trace is the forward op
 * ({@code Tensor.div}) and the code that called it, where PyTorch prints "Traceback of forward call that
 * caused the error". The mode is process-wide, as in PyTorch. It costs a stack trace per op and a NaN
 * check per gradient: a debugging tool.
 *
 * <p>{@link Torch#detectAnomaly(boolean)} sets the mode and returns one of these, which gives the previous
 * mode back on {@link #close()}:
 *
 * <pre>{@code
 * try (var a = Torch.detectAnomaly(true)) {
 *     loss.backward();   // raises at the first node that returns NaN
 * }
 * }</pre>
 */
public final class AnomalyMode implements AutoCloseable {
    private static volatile boolean enabled;

    private final boolean previous;
    private boolean closed;

    AnomalyMode(boolean enabled) {
        previous = AnomalyMode.enabled;
        AnomalyMode.enabled = enabled;
    }

    /**
     * Whether anomaly detection is on, PyTorch's {@code torch.is_anomaly_enabled()}.
     * @return whether it is on
     */
    public static boolean isEnabled() { return enabled; }

    /** Restores the mode that was set before this one. */
    @Override public void close() {
        if (closed) return;
        closed = true;
        enabled = previous;
    }

    /** Where a node's forward op was called; null when anomaly detection is off (one volatile read). */
    static ForwardCall record(String nodeName) { return enabled ? new ForwardCall(nodeName) : null; }

    /**
     * The call of the forward op that made a node: its stack trace starts at the op (the frames of the
     * graph bookkeeping are dropped) and goes down to the code that called it.
     */
    static final class ForwardCall extends Exception {
        private static final long serialVersionUID = 1L;

        ForwardCall(String nodeName) {
            super("Error detected in " + nodeName + ". Traceback of forward call that caused the error:");
            StackTraceElement[] trace = getStackTrace();
            int first = 0;
            while (first < trace.length && isBookkeeping(trace[first].getClassName())) first++;
            setStackTrace(java.util.Arrays.copyOfRange(trace, first, trace.length));
        }

        private static boolean isBookkeeping(String className) {
            return className.equals(AnomalyMode.class.getName()) || className.equals(GradFn.class.getName())
                    || className.equals(Derivatives.class.getName());
        }
    }
}

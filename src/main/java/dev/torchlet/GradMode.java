package dev.torchlet;

/**
 * Whether ops record history for autograd on this thread (PyTorch's grad mode, thread-local as there).
 * {@link Torch#noGrad()} and {@link Torch#enableGrad()} return one of these: it sets the mode and gives the
 * previous mode back on {@link #close()}, for try-with-resources.
 *
 * <pre>{@code
 * try (var g = Torch.noGrad()) {
 *     w.sub_(w.grad().mul(0.1));   // not recorded
 * }
 * }</pre>
 */
public final class GradMode implements AutoCloseable {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private final boolean[] flag = ENABLED.get();
    private final boolean previous;
    private boolean closed;

    GradMode(boolean enabled) {
        previous = flag[0];
        flag[0] = enabled;
    }

    /**
     * True when ops on this thread record history (the default).
     * @return whether grad mode is on
     */
    public static boolean isEnabled() { return ENABLED.get()[0]; }

    /**
     * Sets the mode on this thread, like torch.set_grad_enabled.
     * @param enabled the new mode
     */
    public static void setEnabled(boolean enabled) { ENABLED.get()[0] = enabled; }

    /** Restores the mode that was set before this one. */
    @Override public void close() {
        if (closed) return;
        closed = true;
        flag[0] = previous;
    }
}

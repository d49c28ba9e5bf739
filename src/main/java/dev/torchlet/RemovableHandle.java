package dev.torchlet;

/**
 * Removes the hook it was returned for, PyTorch's {@code torch.utils.hooks.RemovableHandle}; removing twice does
 * nothing.
 */
public final class RemovableHandle implements AutoCloseable {
    private Runnable removal;

    RemovableHandle(Runnable removal) { this.removal = removal; }

    /** Removes the hook. */
    public void remove() {
        if (removal != null) removal.run();
        removal = null;
    }

    /** Same as {@link #remove()}. */
    @Override public void close() { remove(); }
}

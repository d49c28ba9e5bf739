package dev.torchlet.nn;

import dev.torchlet.Tensor;

/** Flattens dims startDim..endDim into one (defaults 1 and -1: everything but the batch dim). */
public class Flatten extends Module {
    private final int startDim, endDim;

    /** Flattens every dim but the batch dim, PyTorch's {@code nn.Flatten()}. */
    public Flatten() { this(1, -1); }

    /**
     * Flattens dims startDim .. endDim, PyTorch's {@code nn.Flatten(start_dim, end_dim)}.
     * @param startDim the first dim to flatten
     * @param endDim the last dim to flatten (inclusive)
     */
    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override public Tensor forward(Tensor x) { return x.flatten(startDim, endDim); }

    @Override protected String extraRepr() { return "start_dim=" + startDim + ", end_dim=" + endDim; }
}

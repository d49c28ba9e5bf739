package dev.torchlet.nn;

/** How a loss combines the per-element losses: PyTorch's reduction='none' | 'mean' | 'sum'. */
public enum Reduction {
    /** No reduction: one loss per element, {@code reduction='none'}. */
    NONE,
    /** The mean of the losses, {@code reduction='mean'} (the default). */
    MEAN,
    /** The sum of the losses, {@code reduction='sum'}. */
    SUM
}

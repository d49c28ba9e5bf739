package dev.torchlet.nn;

/** How a loss combines the per-element losses: PyTorch's reduction='none' | 'mean' | 'sum'. */
public enum Reduction {
    NONE, MEAN, SUM
}

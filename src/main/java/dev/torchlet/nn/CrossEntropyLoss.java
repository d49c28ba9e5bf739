package dev.torchlet.nn;

import dev.torchlet.Tensor;

/**
 * Cross entropy of logits against int64 class indices or class probabilities; forward(logits, target).
 * Targets equal to ignoreIndex (default -100) add nothing and do not count in the mean; labelSmoothing
 * mixes the target with the uniform distribution, as in PyTorch.
 */
public class CrossEntropyLoss extends Module {
    static final long DEFAULT_IGNORE_INDEX = -100;

    private final long ignoreIndex;
    private final double labelSmoothing;
    private final Reduction reduction;

    /** The loss averaged over the batch, PyTorch's {@code nn.CrossEntropyLoss()}. */
    public CrossEntropyLoss() { this(DEFAULT_IGNORE_INDEX, 0.0, Reduction.MEAN); }

    /**
     * The loss with the given reduction, PyTorch's {@code nn.CrossEntropyLoss(reduction=...)}.
     * @param reduction how the per-sample losses are combined
     */
    public CrossEntropyLoss(Reduction reduction) { this(DEFAULT_IGNORE_INDEX, 0.0, reduction); }

    /**
     * PyTorch's {@code nn.CrossEntropyLoss(ignore_index=..., label_smoothing=..., reduction=...)}.
     * @param ignoreIndex a class index whose targets count for nothing (PyTorch's default -100)
     * @param labelSmoothing the label smoothing in [0, 1]
     * @param reduction how the per-sample losses are combined
     */
    public CrossEntropyLoss(long ignoreIndex, double labelSmoothing, Reduction reduction) {
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
        this.reduction = reduction;
    }

    @Override public Tensor forward(Tensor logits, Tensor target) {
        return F.crossEntropy(logits, target, ignoreIndex, labelSmoothing, reduction);
    }
}

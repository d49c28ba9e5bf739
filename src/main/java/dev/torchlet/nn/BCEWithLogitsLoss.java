package dev.torchlet.nn;

import dev.torchlet.Tensor;

/** Binary cross entropy on logits (sigmoid folded in, overflow-free); forward(logits, target). */
public class BCEWithLogitsLoss extends Module {
    private final Reduction reduction;

    /** The loss averaged over all elements, PyTorch's {@code nn.BCEWithLogitsLoss()}. */
    public BCEWithLogitsLoss() { this(Reduction.MEAN); }

    /**
     * The loss with the given reduction, PyTorch's {@code nn.BCEWithLogitsLoss(reduction=...)}.
     * @param reduction how the elementwise losses are combined
     */
    public BCEWithLogitsLoss(Reduction reduction) { this.reduction = reduction; }

    @Override public Tensor forward(Tensor input, Tensor target) {
        return F.binaryCrossEntropyWithLogits(input, target, reduction);
    }
}

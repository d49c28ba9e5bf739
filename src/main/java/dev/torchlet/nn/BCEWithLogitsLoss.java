package dev.torchlet.nn;

import dev.torchlet.Tensor;

/** Binary cross entropy on logits (sigmoid folded in, overflow-free); forward(logits, target). */
public class BCEWithLogitsLoss extends Module {
    private final Reduction reduction;

    public BCEWithLogitsLoss() { this(Reduction.MEAN); }

    public BCEWithLogitsLoss(Reduction reduction) { this.reduction = reduction; }

    @Override public Tensor forward(Tensor input, Tensor target) {
        return F.binaryCrossEntropyWithLogits(input, target, reduction);
    }
}

package dev.torchlet.nn;

import dev.torchlet.Tensor;

/** Mean squared error between input and target; forward(input, target). */
public class MSELoss extends Module {
    private final Reduction reduction;

    public MSELoss() { this(Reduction.MEAN); }

    public MSELoss(Reduction reduction) { this.reduction = reduction; }

    @Override public Tensor forward(Tensor input, Tensor target) { return F.mseLoss(input, target, reduction); }
}

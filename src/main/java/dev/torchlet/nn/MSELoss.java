package dev.torchlet.nn;

import dev.torchlet.Tensor;

/** Mean squared error between input and target; forward(input, target). */
public class MSELoss extends Module {
    private final Reduction reduction;

    /** The loss averaged over all elements, PyTorch's {@code nn.MSELoss()}. */
    public MSELoss() { this(Reduction.MEAN); }

    /**
     * The loss with the given reduction, PyTorch's {@code nn.MSELoss(reduction=...)}.
     * @param reduction how the elementwise losses are combined
     */
    public MSELoss(Reduction reduction) { this.reduction = reduction; }

    @Override public Tensor forward(Tensor input, Tensor target) { return F.mseLoss(input, target, reduction); }
}

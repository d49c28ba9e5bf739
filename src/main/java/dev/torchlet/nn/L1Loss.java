package dev.torchlet.nn;

import dev.torchlet.Tensor;

/** Mean absolute error between input and target; forward(input, target). */
public class L1Loss extends Module {
    private final Reduction reduction;

    /** The loss averaged over all elements, PyTorch's {@code nn.L1Loss()}. */
    public L1Loss() { this(Reduction.MEAN); }

    /**
     * The loss with the given reduction, PyTorch's {@code nn.L1Loss(reduction=...)}.
     * @param reduction how the elementwise losses are combined
     */
    public L1Loss(Reduction reduction) { this.reduction = reduction; }

    @Override public Tensor forward(Tensor input, Tensor target) { return F.l1Loss(input, target, reduction); }
}

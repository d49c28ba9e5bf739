package dev.torchlet.optim;

import dev.torchlet.Tensor;

/** Adam with decoupled weight decay (p *= 1 - lr * wd before the Adam step); weight decay 0.01 by default. */
public class AdamW extends Adam {
    /**
     * AdamW with PyTorch's defaults (lr 1e-3, weight decay 1e-2), PyTorch's {@code optim.AdamW(params)}.
     * @param params the parameters to optimize
     */
    public AdamW(Iterable<? extends Tensor> params) { this(params, 1e-3); }

    /**
     * AdamW with the given learning rate and PyTorch's other defaults.
     * @param params the parameters to optimize
     * @param lr the learning rate
     */
    public AdamW(Iterable<? extends Tensor> params, double lr) { this(params, lr, 0.9, 0.999, 1e-8, 1e-2, false); }

    /**
     * PyTorch's {@code optim.AdamW(params, lr, betas=(beta1, beta2), eps, weight_decay, amsgrad)}.
     * @param params the parameters to optimize
     * @param lr the learning rate
     * @param beta1 the decay of the running mean of gradients
     * @param beta2 the decay of the running mean of squared gradients
     * @param eps the term added to the denominator for stability
     * @param amsgrad whether to use the AMSGrad variant
     * @param weightDecay the decoupled weight decay
     */
    public AdamW(Iterable<? extends Tensor> params, double lr, double beta1, double beta2, double eps,
                 double weightDecay, boolean amsgrad) {
        super(params, lr, beta1, beta2, eps, weightDecay, amsgrad, true);
    }
}

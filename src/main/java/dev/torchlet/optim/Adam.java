package dev.torchlet.optim;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import java.util.Map;

/**
 * Adam with PyTorch's formula: m = lerp(m, g, 1 - beta1), v = beta2 * v + (1 - beta2) * g^2,
 * p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps); weight decay adds wd * p to g
 * (or, in {@link AdamW}, scales p by 1 - lr * wd first); amsgrad uses the running max of v.
 */
public class Adam extends Optimizer {
    private final boolean decoupled;

    /**
     * Adam with PyTorch's defaults (lr 1e-3, betas (0.9, 0.999), eps 1e-8), PyTorch's {@code optim.Adam(params)}.
     * @param params the parameters to optimize
     */
    public Adam(Iterable<? extends Tensor> params) { this(params, 1e-3); }

    /**
     * Adam with the given learning rate and PyTorch's other defaults.
     * @param params the parameters to optimize
     * @param lr the learning rate
     */
    public Adam(Iterable<? extends Tensor> params, double lr) { this(params, lr, 0.9, 0.999, 1e-8, 0, false); }

    /**
     * PyTorch's {@code optim.Adam(params, lr, betas=(beta1, beta2), eps, weight_decay, amsgrad)}.
     * @param params the parameters to optimize
     * @param lr the learning rate
     * @param beta1 the decay of the running mean of gradients
     * @param beta2 the decay of the running mean of squared gradients
     * @param eps the term added to the denominator for stability
     * @param amsgrad whether to use the AMSGrad variant
     * @param weightDecay the L2 penalty added to the gradient
     */
    public Adam(Iterable<? extends Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay,
                boolean amsgrad) {
        this(params, lr, beta1, beta2, eps, weightDecay, amsgrad, false);
    }

    Adam(Iterable<? extends Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay,
         boolean amsgrad, boolean decoupled) {
        super(params, options("lr", lr, "beta1", beta1, "beta2", beta2, "eps", eps, "weight_decay", weightDecay,
                "amsgrad", amsgrad));
        checkNonNegative("learning rate", lr);
        checkNonNegative("epsilon value", eps);
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("Invalid beta parameter at index 0: " + beta1);
        if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("Invalid beta parameter at index 1: " + beta2);
        checkNonNegative("weight_decay value", weightDecay);
        this.decoupled = decoupled;
    }

    @Override protected void update(Tensor p, Tensor grad, Map<String, Object> state, ParamGroup group) {
        if (state.isEmpty()) {
            state.put("step", 0L);
            state.put("exp_avg", zerosLike(p));
            state.put("exp_avg_sq", zerosLike(p));
            if (group.getBoolean("amsgrad")) state.put("max_exp_avg_sq", zerosLike(p));
        }
        long step = (Long) state.get("step") + 1;
        state.put("step", step);
        Torch.adamStep_(p, grad, (Tensor) state.get("exp_avg"), (Tensor) state.get("exp_avg_sq"),
                (Tensor) state.get("max_exp_avg_sq"), step, group.lr(), group.getDouble("beta1"), group.getDouble("beta2"),
                group.getDouble("eps"), group.getDouble("weight_decay"), decoupled);
    }
}

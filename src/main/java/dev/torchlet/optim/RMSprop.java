package dev.torchlet.optim;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import java.util.Map;

/**
 * RMSprop with PyTorch's formula: v = alpha * v + (1 - alpha) * g^2; the step divides g by sqrt(v) + eps
 * (v minus the squared running mean of g when centered), through a momentum buffer when momentum > 0.
 */
public class RMSprop extends Optimizer {
    /**
     * RMSprop with PyTorch's defaults (lr 1e-2, alpha 0.99, eps 1e-8), PyTorch's {@code optim.RMSprop(params)}.
     * @param params the parameters to optimize
     */
    public RMSprop(Iterable<? extends Tensor> params) { this(params, 1e-2); }

    /**
     * RMSprop with the given learning rate and PyTorch's other defaults.
     * @param params the parameters to optimize
     * @param lr the learning rate
     */
    public RMSprop(Iterable<? extends Tensor> params, double lr) { this(params, lr, 0.99, 1e-8, 0, 0, false); }

    /**
     * PyTorch's {@code optim.RMSprop(params, lr, alpha, eps, weight_decay, momentum, centered)}.
     * @param params the parameters to optimize
     * @param lr the learning rate
     * @param alpha the smoothing constant of the squared-gradient average
     * @param eps the term added to the denominator for stability
     * @param weightDecay the L2 penalty added to the gradient
     * @param momentum the momentum factor
     * @param centered whether to normalize by the estimated variance of the gradient
     */
    public RMSprop(Iterable<? extends Tensor> params, double lr, double alpha, double eps, double weightDecay,
                   double momentum, boolean centered) {
        super(params, options("lr", lr, "alpha", alpha, "eps", eps, "weight_decay", weightDecay, "momentum", momentum,
                "centered", centered));
        checkNonNegative("learning rate", lr);
        checkNonNegative("epsilon value", eps);
        checkNonNegative("momentum value", momentum);
        checkNonNegative("weight_decay value", weightDecay);
        checkNonNegative("alpha value", alpha);
    }

    @Override protected void update(Tensor p, Tensor grad, Map<String, Object> state, ParamGroup group) {
        double momentum = group.getDouble("momentum");
        boolean centered = group.getBoolean("centered");
        if (state.isEmpty()) {
            state.put("step", 0L);
            state.put("square_avg", zerosLike(p));
            if (momentum > 0) state.put("momentum_buffer", zerosLike(p));
            if (centered) state.put("grad_avg", zerosLike(p));
        }
        state.put("step", (Long) state.get("step") + 1);
        Torch.rmspropStep_(p, grad, (Tensor) state.get("square_avg"), (Tensor) state.get("grad_avg"),
                (Tensor) state.get("momentum_buffer"), group.lr(), group.getDouble("alpha"), group.getDouble("eps"),
                group.getDouble("weight_decay"), momentum);
    }
}

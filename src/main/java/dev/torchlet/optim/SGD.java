package dev.torchlet.optim;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import java.util.Map;

/**
 * Stochastic gradient descent with PyTorch's formula: d = g + wd * p; with momentum, buf = d on the first
 * step, then buf = momentum * buf + (1 - dampening) * d, and d = buf (or d + momentum * buf with
 * nesterov); p -= lr * d.
 */
public class SGD extends Optimizer {
    /**
     * Plain SGD, PyTorch's {@code optim.SGD(params, lr)}.
     * @param params the parameters to optimize
     * @param lr the learning rate
     */
    public SGD(Iterable<? extends Tensor> params, double lr) { this(params, lr, 0); }

    /**
     * SGD with momentum, PyTorch's {@code optim.SGD(params, lr, momentum)}.
     * @param params the parameters to optimize
     * @param lr the learning rate
     * @param momentum the momentum factor
     */
    public SGD(Iterable<? extends Tensor> params, double lr, double momentum) { this(params, lr, momentum, 0, 0, false); }

    /**
     * PyTorch's {@code optim.SGD(params, lr, momentum, dampening, weight_decay, nesterov)}.
     * @param params the parameters to optimize
     * @param lr the learning rate
     * @param momentum the momentum factor
     * @param dampening the dampening of the momentum
     * @param weightDecay the L2 penalty added to the gradient
     * @param nesterov whether to use Nesterov momentum
     */
    public SGD(Iterable<? extends Tensor> params, double lr, double momentum, double dampening, double weightDecay,
               boolean nesterov) {
        super(params, options("lr", lr, "momentum", momentum, "dampening", dampening, "weight_decay", weightDecay,
                "nesterov", nesterov));
        checkNonNegative("learning rate", lr);
        checkNonNegative("momentum value", momentum);
        checkNonNegative("weight_decay value", weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
        }
    }

    @Override protected void update(Tensor p, Tensor grad, Map<String, Object> state, ParamGroup group) {
        double momentum = group.getDouble("momentum");
        Tensor buf = null;
        boolean first = false;
        if (momentum != 0) {
            buf = (Tensor) state.get("momentum_buffer");
            first = buf == null;
            if (first) state.put("momentum_buffer", buf = zerosLike(p));
        }
        Torch.sgdStep_(p, grad, buf, group.lr(), momentum, group.getDouble("dampening"), group.getDouble("weight_decay"),
                group.getBoolean("nesterov"), first);
    }
}

package dev.torchlet.nn;

import dev.torchlet.Tensor;

/**
 * A tensor that is a module's learnable weight: a leaf that requires grad (unless asked not to) and that
 * {@link Module#register} lists among the module's parameters. It shares the given tensor's data.
 */
public final class Parameter extends Tensor {
    /**
     * A parameter that requires grad, PyTorch's {@code nn.Parameter(data)}.
     * @param data the initial value; its storage is shared
     */
    public Parameter(Tensor data) { this(data, true); }

    /**
     * PyTorch's {@code nn.Parameter(data, requires_grad)}.
     * @param data the initial value; its storage is shared
     * @param requiresGrad whether the parameter requires grad
     */
    public Parameter(Tensor data, boolean requiresGrad) {
        super(data);
        requiresGrad_(requiresGrad);
    }

    /** Moves the data (module.to(device)); the parameter object, and what refers to it, stay the same. */
    void moveData(Tensor moved) { setData(moved); }

    @Override public String toString() { return "Parameter containing:\n" + super.toString(); }
}

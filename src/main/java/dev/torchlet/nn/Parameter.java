package dev.torchlet.nn;

import dev.torchlet.Tensor;

/**
 * A tensor that is a module's learnable weight: a leaf that requires grad (unless asked not to) and that
 * {@link Module#register} lists among the module's parameters. It shares the given tensor's data.
 */
public final class Parameter extends Tensor {
    public Parameter(Tensor data) { this(data, true); }

    public Parameter(Tensor data, boolean requiresGrad) {
        super(data);
        requiresGrad_(requiresGrad);
    }

    /** Moves the data (module.to(device)); the parameter object, and what refers to it, stay the same. */
    void moveData(Tensor moved) { setData(moved); }

    @Override public String toString() { return "Parameter containing:\n" + super.toString(); }
}

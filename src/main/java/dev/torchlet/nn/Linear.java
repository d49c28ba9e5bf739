package dev.torchlet.nn;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;

/**
 * y = x @ weight^T + bias, with weight [out, in] and bias [out]. Initialized as PyTorch initializes it:
 * kaiming_uniform_(weight, a = sqrt(5)), then bias uniform in +-1/sqrt(in), from the default generator.
 */
public class Linear extends Module {
    private final long inFeatures, outFeatures;
    private final Parameter weight, bias;

    /**
     * A layer with a bias, PyTorch's {@code nn.Linear(in_features, out_features)}.
     * @param inFeatures the size of each input sample
     * @param outFeatures the size of each output sample
     */
    public Linear(long inFeatures, long outFeatures) { this(inFeatures, outFeatures, true); }

    /**
     * PyTorch's {@code nn.Linear(in_features, out_features, bias)}: weight and bias uniform in
     * +-1/sqrt(inFeatures), as PyTorch initializes them.
     * @param inFeatures the size of each input sample
     * @param outFeatures the size of each output sample
     * @param bias whether to add a learnable bias
     */
    public Linear(long inFeatures, long outFeatures, boolean bias) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        weight = register("weight", new Parameter(Torch.empty(outFeatures, inFeatures)));
        this.bias = bias ? register("bias", new Parameter(Torch.empty(outFeatures))) : null;
        resetParameters();
    }

    /** PyTorch's reset_parameters, with its Python float arithmetic for the bounds. */
    public void resetParameters() {
        try (var g = Torch.noGrad()) {
            double a = Math.sqrt(5);
            double gain = Math.sqrt(2.0 / (1 + a * a));
            double std = inFeatures == 0 ? 0 : gain / Math.sqrt(inFeatures);
            double bound = Math.sqrt(3.0) * std;
            weight.uniform_(-bound, bound);
            if (bias != null) {
                double b = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
                bias.uniform_(-b, b);
            }
        }
    }

    /**
     * The weight, of shape (outFeatures, inFeatures), PyTorch's {@code linear.weight}.
     * @return the weight
     */
    public Parameter weight() { return weight; }

    /**
     * The bias, or null when built with bias = false.
     * @return the bias, or null
     */
    public Parameter bias() { return bias; }

    @Override public Tensor forward(Tensor x) { return F.linear(x, weight, bias); }

    @Override protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null ? "True" : "False");
    }
}

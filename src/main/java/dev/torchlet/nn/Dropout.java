package dev.torchlet.nn;

import dev.torchlet.PyFormat;
import dev.torchlet.Tensor;

/**
 * In training, zeroes each element with probability p (a Bernoulli mask from the default generator) and
 * scales the rest by 1/(1-p); in evaluation, passes the input through.
 */
public class Dropout extends Module {
    private final double p;

    /** Dropout with p = 0.5, PyTorch's {@code nn.Dropout()}. */
    public Dropout() { this(0.5); }

    /**
     * Dropout with probability p, PyTorch's {@code nn.Dropout(p)}.
     * @param p the probability of zeroing an element, in [0, 1]
     * @throws IllegalArgumentException for p outside [0, 1]
     */
    public Dropout(double p) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        this.p = p;
    }

    @Override public Tensor forward(Tensor x) { return F.dropout(x, p, isTraining()); }

    @Override protected String extraRepr() { return "p=" + PyFormat.repr(p) + ", inplace=False"; }
}

package dev.torchlet.examples.seed002;

import dev.torchlet.Tensor;

/** Seed 002, "Hypothesis" (In [8]): H(x) = Wx + b. */
public final class P03Hypothesis {
    public static void main(String[] args) {
        Setup.Manual m = Setup.manual(); // the data and W, b of In [3] and In [6] - In [7], silently
        Tensor xTrain = m.data().xTrain(), W = m.W(), b = m.b();

        // In [8]
        Tensor hypothesis = xTrain.mul(W).add(b);
        System.out.println(hypothesis);
    }
}

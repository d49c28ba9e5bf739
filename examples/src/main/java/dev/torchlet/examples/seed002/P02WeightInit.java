package dev.torchlet.examples.seed002;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;

/** Seed 002, "Weight Initialization" (In [6] - In [7]): W and b from zeros, to be learned. */
public final class P02WeightInit {
    public static void main(String[] args) {
        // In [6]
        Tensor W = Torch.zeros(1).requiresGrad_();
        System.out.println(W);

        // In [7]
        Tensor b = Torch.zeros(1).requiresGrad_();
        System.out.println(b);
    }
}

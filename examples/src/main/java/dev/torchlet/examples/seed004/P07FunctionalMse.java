package dev.torchlet.examples.seed004;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.nn.F;
import dev.torchlet.nn.Reduction;

/**
 * Seed 004, "torch.nn.functional 사용", In [19] to In [21]: {@code F.mse_loss} with the default mean, with
 * {@code reduction='sum'} and with {@code reduction='none'}, on In [18]'s x and x_hat (re-created).
 */
public final class P07FunctionalMse {
    public static void main(String[] args) {
        Tensor x = Torch.tensor(new float[][] {{1, 1}, {2, 2}});
        Tensor xHat = Torch.tensor(new float[][] {{0, 0}, {0, 0}});

        // In [19]: import torch.nn.functional as f
        System.out.println(F.mseLoss(xHat, x));

        // In [20]
        System.out.println(F.mseLoss(xHat, x, Reduction.SUM));

        // In [21]
        System.out.println(F.mseLoss(xHat, x, Reduction.NONE));
    }
}

package dev.torchlet.examples.seed004;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.nn.MSELoss;

/** Seed 004, "torch.nn. 사용", In [22]: the loss as a module, {@code nn.MSELoss()}, on In [18]'s x and x_hat. */
public final class P08NnMseLoss {
    public static void main(String[] args) {
        Tensor x = Torch.tensor(new float[][] {{1, 1}, {2, 2}});
        Tensor xHat = Torch.tensor(new float[][] {{0, 0}, {0, 0}});

        MSELoss mseLoss = new MSELoss();
        System.out.println(mseLoss.forward(xHat, x));
    }
}

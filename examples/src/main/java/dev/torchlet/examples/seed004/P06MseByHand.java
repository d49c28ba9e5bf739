package dev.torchlet.examples.seed004;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;

/** Seed 004, "평균 제곱 오차(MSE)", In [17] and In [18]: the mean squared error written by hand. */
public final class P06MseByHand {
    /** In [17]. */
    static Tensor mse(Tensor xHat, Tensor x) {
        Tensor y = x.sub(xHat).pow(2).mean();   // ((x-x_hat)**2).mean()

        return y;
    }

    public static void main(String[] args) {
        // In [18]
        Tensor x = Torch.tensor(new float[][] {{1, 1}, {2, 2}});
        Tensor xHat = Torch.tensor(new float[][] {{0, 0}, {0, 0}});
        System.out.println(mse(xHat, x));
    }
}

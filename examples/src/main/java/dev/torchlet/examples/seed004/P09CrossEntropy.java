package dev.torchlet.examples.seed004;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.nn.CrossEntropyLoss;
import dev.torchlet.nn.F;

/**
 * Seed 004, "교차 엔트로피", In [23]: cross entropy of In [18]'s x_hat (as logits) against x. x is a float
 * tensor of x_hat's shape, so both read it as class probabilities per row (not normalized: [1, 1] and
 * [2, 2]): the loss is the mean over rows of -sum(x * log_softmax(x_hat)) = (2 + 4) log 2 / 2. The
 * functional call's value is not shown (not the cell's last expression); the module's is.
 */
public final class P09CrossEntropy {
    public static void main(String[] args) {
        Tensor x = Torch.tensor(new float[][] {{1, 1}, {2, 2}});
        Tensor xHat = Torch.tensor(new float[][] {{0, 0}, {0, 0}});

        F.crossEntropy(xHat, x);
        CrossEntropyLoss ceLoss = new CrossEntropyLoss();
        System.out.println(ceLoss.forward(xHat, x));
    }
}

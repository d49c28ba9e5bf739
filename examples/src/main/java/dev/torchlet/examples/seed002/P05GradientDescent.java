package dev.torchlet.examples.seed002;

import dev.torchlet.Tensor;
import dev.torchlet.optim.Optimizer;
import dev.torchlet.optim.SGD;
import java.util.List;

/**
 * Seed 002, "Gradient Descent" (In [12] - In [15]): one SGD step (lr 0.01) on [W, b], then the hypothesis and
 * cost again.
 */
public final class P05GradientDescent {
    public static void main(String[] args) {
        Setup.Manual m = Setup.manual(); // In [3] - In [11], silently
        Tensor xTrain = m.data().xTrain(), yTrain = m.data().yTrain(), W = m.W(), b = m.b(), cost = m.cost();

        // In [12]
        Optimizer optimizer = new SGD(List.of(W, b), 0.01);

        // In [13]
        optimizer.zeroGrad();
        cost.backward();
        optimizer.step();

        // In [14]
        System.out.println(W);
        System.out.println(b);

        // In [15]: Let's check if the hypothesis is now better.
        Tensor hypothesis = xTrain.mul(W).add(b);
        System.out.println(hypothesis);

        cost = hypothesis.sub(yTrain).pow(2).mean();
        System.out.println(cost);
    }
}

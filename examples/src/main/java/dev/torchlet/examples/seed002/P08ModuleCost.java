package dev.torchlet.examples.seed002;

import dev.torchlet.Tensor;
import dev.torchlet.nn.F;
import dev.torchlet.optim.Optimizer;
import dev.torchlet.optim.SGD;

/**
 * Seed 002, the nn.Module part's "Cost" and "Gradient Descent" (In [22] - In [26]): F.mse_loss of the
 * prediction, then one SGD step (lr 0.01), which prints nothing.
 */
public final class P08ModuleCost {
    public static void main(String[] args) {
        Setup.Module m = Setup.module(); // In [2], In [3] and In [19] - In [20], silently
        LinearRegressionModel model = m.model();
        Tensor hypothesis = m.hypothesis(), yTrain = m.data().yTrain();

        // In [22]
        System.out.println(hypothesis);
        System.out.println(yTrain);

        // In [23]
        Tensor cost = F.mseLoss(hypothesis, yTrain);

        // In [24]
        System.out.println(cost);

        // In [25]
        Optimizer optimizer = new SGD(model.parameters(), 0.01);

        // In [26]
        optimizer.zeroGrad();
        cost.backward();
        optimizer.step();
    }
}

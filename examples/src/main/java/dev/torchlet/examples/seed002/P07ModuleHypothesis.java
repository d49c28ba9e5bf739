package dev.torchlet.examples.seed002;

import dev.torchlet.Tensor;

/**
 * Seed 002, "High-level Implementation with nn.Module" and its "Hypothesis" (In [18] - In [21]): the model
 * (see {@link LinearRegressionModel}), whose nn.Linear(1, 1) takes the first draws after torch.manual_seed(1),
 * and its prediction.
 */
public final class P07ModuleHypothesis {
    public static void main(String[] args) {
        Setup.seed(); // In [2], silently
        Tensor xTrain = Setup.data().xTrain(); // In [3]

        // In [19]
        LinearRegressionModel model = new LinearRegressionModel();

        // In [20]
        Tensor hypothesis = model.forward(xTrain);

        // In [21]
        System.out.println(hypothesis);
    }
}

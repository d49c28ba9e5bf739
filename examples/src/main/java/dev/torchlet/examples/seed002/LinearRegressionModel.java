package dev.torchlet.examples.seed002;

import dev.torchlet.Tensor;
import dev.torchlet.nn.Linear;
import dev.torchlet.nn.Module;

/** In [18]: the notebook's nn.Module, one {@code nn.Linear(1, 1)}. */
final class LinearRegressionModel extends Module {
    final Linear linear = register("linear", new Linear(1, 1));

    @Override public Tensor forward(Tensor x) { return linear.forward(x); }
}

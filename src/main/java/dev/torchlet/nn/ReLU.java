package dev.torchlet.nn;

import dev.torchlet.Tensor;

/** Elementwise relu, as a module. */
public class ReLU extends Module {
    @Override public Tensor forward(Tensor x) { return x.relu(); }
}

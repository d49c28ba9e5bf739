package dev.torchlet.nn;

import dev.torchlet.Tensor;

/** Elementwise tanh, as a module. */
public class Tanh extends Module {
    @Override public Tensor forward(Tensor x) { return x.tanh(); }
}

package dev.torchlet.nn;

import dev.torchlet.Tensor;

/** Elementwise sigmoid, as a module. */
public class Sigmoid extends Module {
    @Override public Tensor forward(Tensor x) { return x.sigmoid(); }
}

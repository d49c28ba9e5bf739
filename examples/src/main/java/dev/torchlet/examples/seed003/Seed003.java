package dev.torchlet.examples.seed003;

import dev.torchlet.examples.Notebook;
import java.util.List;

/**
 * Seed notebook 003: fitting y = sin(x) with a cubic, seven ways (numpy, tensors, autograd, nn, optim's
 * RMSprop, a custom nn.Module, and a module with control flow and weight sharing). Runs every program in
 * the notebook's order. The notebook draws its weights without a seed, so the numbers differ from run to
 * run; what training reaches does not.
 */
public final class Seed003 {
    public static final Notebook NOTEBOOK = new Notebook("seed003", List.of(
            P01NumpyPolynomial.class,
            P02TensorPolynomial.class,
            P03AutogradPolynomial.class,
            P04NnSequential.class,
            P05OptimRmsprop.class,
            P06Polynomial3Module.class,
            P07DynamicNet.class));

    public static void main(String[] a) { NOTEBOOK.runAll(); }
}

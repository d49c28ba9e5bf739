package dev.torchlet.examples.seed004;

import dev.torchlet.examples.Notebook;
import java.util.List;

/**
 * Seed notebook 004 ("행렬 곱"): matrix products (matmul, bmm), a linear layer as a function and as an
 * nn.Module (plain tensors, nn.Parameter, nn.Linear), the mean squared error by hand, functional and as a
 * module, and cross entropy. Runs every program in the notebook's order.
 */
public final class Seed004 {
    public static final Notebook NOTEBOOK = new Notebook("seed004", List.of(
            P01MatrixProducts.class,
            P02LinearFunction.class,
            P03MyLinearTensors.class,
            P04MyLinearParameters.class,
            P05MyLinearNnLinear.class,
            P06MseByHand.class,
            P07FunctionalMse.class,
            P08NnMseLoss.class,
            P09CrossEntropy.class));

    public static void main(String[] a) { NOTEBOOK.runAll(); }
}

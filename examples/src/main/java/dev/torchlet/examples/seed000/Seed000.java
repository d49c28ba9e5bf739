package dev.torchlet.examples.seed000;

import dev.torchlet.examples.Notebook;
import java.util.List;

/**
 * Seed notebook 000: regression by gradient descent, step by step (yhat by hand, with nn.Linear without and
 * with bias; the loss by hand, its broadcasting pitfall, and nn.MSELoss; then two regressors). Runs every
 * program in the notebook's order.
 */
public final class Seed000 {
    public static final Notebook NOTEBOOK = new Notebook("seed000", List.of(
            P01GradientDescentLoop.class,
            P02MatrixProduct.class,
            P03LinearNoBias.class,
            P04LinearWithBias.class,
            P05LossByHand.class,
            P06MseLoss.class,
            P07MultipleRegression.class));

    public static void main(String[] a) { NOTEBOOK.runAll(); }
}

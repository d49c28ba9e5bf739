package dev.torchlet.examples.seed002;

import dev.torchlet.examples.Notebook;
import java.util.List;

/**
 * Seed notebook 002 (linear regression in PyTorch: by hand with W and b, then with nn.Module, F.mse_loss and
 * optim.SGD), one program per section in the notebook's order.
 * Run: {@code mvn -f examples/pom.xml compile exec:java -Ddemo=dev.torchlet.examples.seed002.Seed002}.
 */
public final class Seed002 {
    public static final Notebook NOTEBOOK = new Notebook("seed002", List.of(
            P01Data.class, P02WeightInit.class, P03Hypothesis.class, P04Cost.class, P05GradientDescent.class,
            P06TrainingFullCode.class, P07ModuleHypothesis.class, P08ModuleCost.class, P09ModuleTraining.class));

    private Seed002() {}

    public static void main(String[] a) { NOTEBOOK.runAll(); }
}

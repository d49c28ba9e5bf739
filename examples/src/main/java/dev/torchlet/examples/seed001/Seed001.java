package dev.torchlet.examples.seed001;

import dev.torchlet.examples.Notebook;
import java.util.List;

/**
 * Seed notebook 001 ("파이토치를 이용하여 회귀모형 학습하기 (2)": one regression model written six ways, its
 * gradient, one update, and the training loop), one program per section in the notebook's order. The notebook
 * kept no outputs: what these programs print is what each of its cells would show, run in order.
 * Run: {@code mvn -f examples/pom.xml compile exec:java -Ddemo=dev.torchlet.examples.seed001.Seed001}.
 */
public final class Seed001 {
    public static final Notebook NOTEBOOK = new Notebook("seed001", List.of(
            P01Method1.class, P02Method2.class, P03Method3.class, P04Method4.class, P05Method5.class,
            P06Method6.class, P07Derivation.class, P08Update.class, P09Training.class, P10Homework.class));

    private Seed001() {}

    public static void main(String[] a) { NOTEBOOK.runAll(); }
}

package dev.torchlet.examples.seed002;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.torchlet.Generator;
import dev.torchlet.Torch;
import dev.torchlet.examples.NotebookOutputTest;
import org.junit.jupiter.api.Test;

/** Seed 002's programs against the notebook's printed output in src/test/resources/seed002. */
class Seed002OutputTest extends NotebookOutputTest {
    Seed002OutputTest() { super(Seed002.NOTEBOOK); }

    /** In [2] shows the generator manual_seed returns: the default one, now seeded with 1. */
    @Test void theShownGeneratorIsTheDefaultOneSeededWith1() {
        String firstLine = captureOutput(P01Data.class).lines().findFirst().orElseThrow();
        assertEquals(Setup.ipythonDefaultRepr("torch._C.Generator", Generator.defaultGenerator()), firstLine);
        assertEquals(1, Torch.initialSeed());
    }
}

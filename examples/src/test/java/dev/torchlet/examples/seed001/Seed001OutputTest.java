package dev.torchlet.examples.seed001;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchlet.examples.NotebookOutputTest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Seed 001's programs against the cell outputs in src/test/resources/seed001, and what its training reaches. */
class Seed001OutputTest extends NotebookOutputTest {
    Seed001OutputTest() { super(Seed001.NOTEBOOK); }

    /** "step1~4를 반복하면된다" ends at the least-squares fit of y on [1, x], found here by the normal equations. */
    @Test void trainingReachesTheLeastSquaresFit() {
        float[] x = Setup.data().x().toFloatArray(), y = Setup.data().y().toFloatArray();
        double n = x.length, sx = 0, sxx = 0, sy = 0, sxy = 0;
        for (int i = 0; i < x.length; i++) {
            sx += x[i];
            sxx += (double) x[i] * x[i];
            sy += y[i];
            sxy += (double) x[i] * y[i];
        }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx), intercept = (sy - slope * sx) / n;
        Matcher printed = Pattern.compile("tensor\\(\\[\\[(\\S+), +(\\S+)\\]\\]").matcher(captureOutput(P09Training.class));
        assertTrue(printed.find());
        assertEquals(intercept, Double.parseDouble(printed.group(1)), 1e-4);
        assertEquals(slope, Double.parseDouble(printed.group(2)), 1e-4);
        assertEquals(2.5, intercept, 0.2); // near the notebook's true W = [2.5, 4]
        assertEquals(4.0, slope, 0.2);
    }
}

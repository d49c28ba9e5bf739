package dev.torchlet.examples.digits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The digits classifier reaches what a standard MLP reaches on the same split. References, with the split
 * {@code random_split(range(1797), [0.8, 0.2], generator=torch.Generator().manual_seed(0))} (1,438 / 359):
 * <ul>
 * <li>scikit-learn 1.2.1, {@code MLPClassifier(random_state=s, max_iter=500).fit(X[train] / 16, y[train])
 *     .score(X[test] / 16, y[test])} for s = 0..9: 0.9749 0.9749 0.9777 0.9721 0.9777 0.9721 0.9777 0.9749
 *     0.9694 0.9749 (mean 0.9747);</li>
 * <li>the same program in PyTorch 1.13 (quoted in {@link DigitsClassifier}'s Javadoc): the train losses of
 *     {@link #PYTORCH_LOSS}, and a test accuracy of 0.9777 (351 of 359) after epoch 30.</li>
 * </ul>
 * The Java program draws the same random numbers as PyTorch (weights, split, shuffles), so it follows the
 * PyTorch run up to float rounding (when this test was written it printed the same 30 lines, to the 4
 * decimals shown). The test asks for a held-out accuracy of at least 0.97 (349 of 359) at the end, and for
 * each epoch's loss within 0.005 of PyTorch's.
 */
class DigitsClassifierTest {
    /** The mean train loss of each epoch, printed by the PyTorch program. */
    static final double[] PYTORCH_LOSS = {1.5088, 0.4551, 0.2541, 0.1909, 0.1458, 0.1255, 0.1011, 0.0922, 0.0805,
        0.0683, 0.0730, 0.0548, 0.0485, 0.0438, 0.0421, 0.0391, 0.0336, 0.0298, 0.0257, 0.0276, 0.0204, 0.0190, 0.0185,
        0.0183, 0.0181, 0.0180, 0.0176, 0.0176, 0.0175, 0.0173};

    @Test void reachesTheAccuracyOfAStandardMlp() {
        long start = System.nanoTime();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        DigitsClassifier.Result r = DigitsClassifier.train(new PrintStream(printed, true, StandardCharsets.UTF_8));
        double seconds = (System.nanoTime() - start) / 1e9;
        String out = printed.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        System.out.printf("trained in %.1f s%n", seconds);
        assertEquals(359, r.testSize());
        assertEquals(DigitsClassifier.EPOCHS, out.lines().count());
        for (int e = 0; e < PYTORCH_LOSS.length; e++) {
            assertEquals(PYTORCH_LOSS[e], r.trainLoss()[e], 0.005, "train loss of epoch " + (e + 1));
        }
        assertTrue(r.finalAccuracy() >= 0.97, "held-out accuracy " + r.finalAccuracy());
        assertTrue(seconds < 20, "took " + seconds + " s");
    }
}

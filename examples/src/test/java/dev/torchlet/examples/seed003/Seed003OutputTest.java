package dev.torchlet.examples.seed003;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchlet.Generator;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.examples.NotebookOutputTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 003's ports against the notebook's printed output. The notebook draws its weights without a seed, so
 * its expected outputs pin only the form of each line and the step numbers; the tests below check the values
 * that do not depend on the draw: the update rule (the notebook's own numpy steps replayed), the losses falling
 * into the notebook's band, and the fit they reach (the least-squares cubic on the 2000 points,
 * 0.857 x - 0.0933 x^3, which the notebook's results approach; sin's Taylor cubic x - x^3/6 is not what
 * a least-squares fit on [-pi, pi] gives).
 *
 * <p>The programs draw from the default generator, as the notebook did. Before each test it is put back to
 * the state a fresh process starts in (PyTorch's default seed, as in a fresh kernel), so a run of these tests
 * is reproducible; the bands are the notebook's. DynamicNet also draws its number of terms from Python's
 * {@code random}, here {@link P07DynamicNet#random}, which its test seeds too.
 */
class Seed003OutputTest extends NotebookOutputTest {
    Seed003OutputTest() { super(Seed003.NOTEBOOK); }

    @BeforeEach void freshGenerator() { Torch.manualSeed(Generator.DEFAULT_SEED); }

    /** What a program printed: the loss lines ("step loss") and the coefficients of its last Result line. */
    record Printed(List<Integer> steps, List<Double> losses, double[] coefficients) {
        double lastLoss() { return losses.get(losses.size() - 1); }
    }

    private static final Pattern LOSS_LINE = Pattern.compile("(\\d+) (\\S+)");

    static Printed parse(String output) {
        List<Integer> steps = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        double[] coefficients = null;
        for (String line : output.split("\n")) {
            Matcher m = LOSS_LINE.matcher(line);
            if (m.matches()) {
                steps.add(Integer.parseInt(m.group(1)));
                losses.add(Double.parseDouble(m.group(2)));
            } else if (line.startsWith("Result:")) {
                coefficients = coefficients(line);
            }
        }
        return new Printed(steps, losses, coefficients);
    }

    /** "Result: y = a + b x + c x^2 + ..." -> {a, b, c, ...}. */
    static double[] coefficients(String resultLine) {
        String[] terms = resultLine.substring(resultLine.indexOf('=') + 2).split(" \\+ ");
        double[] c = new double[terms.length];
        for (int i = 0; i < terms.length; i++) c[i] = Double.parseDouble(terms[i].split(" ")[0]);
        return c;
    }

    static List<Integer> steps(int first, int every, int count) {
        return IntStream.range(0, count).map(i -> first + every * i).boxed().toList();
    }

    /** Gradient descent on a quadratic with lr below 1 / the largest curvature: the loss never rises. */
    static void assertNonIncreasing(List<Double> losses) {
        for (int i = 1; i < losses.size(); i++) {
            assertTrue(losses.get(i) <= losses.get(i - 1), "loss rose at printed step " + i + ": " + losses);
        }
    }

    static void assertInBand(double value, double low, double high, String what) {
        assertTrue(value >= low && value <= high, what + " " + value + " outside [" + low + ", " + high + "]");
    }

    /** The coefficients near the least-squares cubic a = 0, b = 0.857, c = 0, d = -0.0933. */
    static void assertNearCubicFit(double[] c, double tolerance) {
        assertEquals(0, c[0], 0.1, "a");
        assertEquals(0.857, c[1], 3 * tolerance, "b");
        assertEquals(0, c[2], tolerance, "c");
        assertEquals(-0.0933, c[3], tolerance / 2, "d");
    }

    /** The numpy run's first nine printed lines: the weights after steps 0 to 8. */
    private static final List<String> NOTEBOOK_NUMPY_STEPS = List.of(
        "Result: y = 0.796616815235709 + -1.301324577548003 x + -2.1390762477480822 x^2 + -0.13980943343079694 x^3",
        "Result: y = 0.8216076263035502 + -1.2692679265248743 x + -1.982543752077429 x^2 + 0.05431000744580328 x^3",
        "Result: y = 0.8444365281340053 + -1.252791024432213 x + -1.8385630184669137 x^2 + 0.13896358388813548 x^3",
        "Result: y = 0.8652775081893139 + -1.243141193608024 x + -1.7061254864007687 x^2 + 0.17568517661318933 x^3",
        "Result: y = 0.8842905725786964 + -1.2364858180915663 x + -1.5843036389274576 x^2 + 0.19141912067558764 x^3",
        "Result: y = 0.9016228695413467 + -1.2311466690342991 x + -1.4722444903428855 x^2 + 0.19796374785653295 x^3",
        "Result: y = 0.9174097226510998 + -1.2263888764661544 x + -1.3691635971757516 x^2 + 0.20048528735518184 x^3",
        "Result: y = 0.9317755809971529 + -1.2218906465975046 x + -1.274339550424706 x^2 + 0.2012459161373165 x^3",
        "Result: y = 0.944834893012296 + -1.2175110626581287 x + -1.1871089103759564 x^2 + 0.20123619040313012 x^3");

    /**
     * The numpy program's first printed step is random, but each step after it follows from it: started from
     * the notebook's step-0 weights, the port's loop prints the notebook's next eight lines, digit for digit.
     * (That takes numpy's own arithmetic, in {@link Np}: with torch's linspace, x * x * x for x ** 3 or
     * torchlet's summation order instead, the last digits differ.)
     */
    @Test void numpyStepsReplayTheNotebooks() {
        Tensor x = Np.linspace(-Math.PI, Math.PI, 2000);
        Tensor y = x.sin();
        double[] w = coefficients(NOTEBOOK_NUMPY_STEPS.get(0));
        String output = capture(() -> P01NumpyPolynomial.fit(x, y, w[0], w[1], w[2], w[3], 8));
        assertEquals(NOTEBOOK_NUMPY_STEPS.subList(1, 9), List.of(output.split("\n")));
    }

    @Test void numpyFitsTheCubic() {
        String output = captureOutput(P01NumpyPolynomial.class);
        Printed p = parse(output);
        assertEquals(steps(99, 100, 20), p.steps());
        assertEquals(2000, output.lines().filter(l -> l.startsWith("Result: ")).count());
        assertNonIncreasing(p.losses());
        assertInBand(p.lastLoss(), 8.8, 12, "loss at step 1999");   // the notebook's tensor runs: 10.93, 10.92
        assertNearCubicFit(p.coefficients(), 0.02);
    }

    @Test void tensorsFitTheCubic() { checkCubic(P02TensorPolynomial.class, true, 8.8, 12); }

    @Test void autogradFitsTheCubic() { checkCubic(P03AutogradPolynomial.class, true, 8.8, 12); }

    @Test void nnSequentialFitsTheCubic() { checkCubic(P04NnSequential.class, true, 8.8, 10); }

    /**
     * RMSprop steps each weight by about lr whatever its gradient, so its loss need not fall at every
     * printed step; from the notebook's kind of start it ends near the least-squares loss (9.03 there). Not
     * from every start: in 300 seeds, 5% ended above 15 and the worst at 113, still on its way after 2000 steps.
     */
    @Test void rmspropFitsTheCubic() {
        Printed p = checkCubic(P05OptimRmsprop.class, false, 8.8, 10);
        assertTrue(p.lastLoss() < p.losses().get(0));
    }

    /**
     * The notebook's slip (d * c**3 with In [4]'s c) leaves a + b x + c x^2: the best such fit has b =
     * 3.0351e-1 (sum x sin x / sum x^2, which SGD reaches to float32 precision) and loss 392.79; the notebook
     * printed b = 0.3035065 and 394.85.
     */
    @Test void polynomial3AsWrittenFitsNoCubic() {
        Printed p = parse(captureOutput(P06Polynomial3Module.class));
        assertEquals(steps(99, 100, 20), p.steps());
        assertNonIncreasing(p.losses());
        assertInBand(p.lastLoss(), 392.7, 400, "loss at step 1999");
        double[] c = p.coefficients();
        assertEquals(0, c[0], 0.1, "a");
        assertEquals(0.303508, c[1], 1e-5, "b");
        assertEquals(0, c[2], 0.02, "c");
    }

    /**
     * DynamicNet's forward adds e x^4 (and e x^5) at random; its SGD with momentum still ends near the cubic
     * fit and its loss, 8.82 (8.59 in the notebook), with e small and positive (1.16e-4 there).
     */
    @Test void dynamicNetFitsTheCubic() {
        P07DynamicNet.random.setSeed(0);
        Printed p = parse(captureOutput(P07DynamicNet.class));
        assertEquals(steps(1999, 2000, 15), p.steps());
        assertInBand(p.lastLoss(), 7, 10, "loss at step 29999");
        assertTrue(p.lastLoss() < p.losses().get(0));
        double[] c = p.coefficients();
        assertNearCubicFit(c, 0.01);
        assertEquals(c[4], c[5], "e printed twice");
        assertInBand(c[4], 0, 5e-4, "e");
    }

    private static Printed checkCubic(Class<?> program, boolean nonIncreasing, double low, double high) {
        Printed p = parse(captureOutput(program));
        assertEquals(steps(99, 100, 20), p.steps());
        if (nonIncreasing) assertNonIncreasing(p.losses());
        assertInBand(p.lastLoss(), low, high, "loss at step 1999");
        assertNearCubicFit(p.coefficients(), 0.02);
        return p;
    }

    private static String capture(Runnable code) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            code.run();
        } finally {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}

package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchlet.nn.Linear;
import dev.torchlet.nn.MSELoss;
import dev.torchlet.nn.Flatten;
import dev.torchlet.nn.Module;
import dev.torchlet.nn.Parameter;
import dev.torchlet.nn.Reduction;
import dev.torchlet.nn.Sequential;
import dev.torchlet.optim.Optimizer;
import dev.torchlet.optim.RMSprop;
import dev.torchlet.optim.SGD;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 003's programs (fitting sin(x) on [-pi, pi] with a cubic), ported line for line and run from a fixed
 * seed: each lands in the loss band the notebook printed, and gives the same result on the reference
 * backend to 1e-4 relative.
 */
class Seed003Test {
    private static final double PI = Math.PI;

    @AfterEach void nativeBackend() { Torch.setCpuBackend("native"); }

    /** The result of a program: its last printed loss, the coefficients, and every printed loss. */
    record Fit(double loss, double[] coefficients, double[] printed) {
        Fit(double[] coefficients, java.util.List<Double> printed) {
            this(printed.get(printed.size() - 1), coefficients, printed.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    /** In [3]: tensors with hand-written gradients. */
    static Fit handWritten(long seed, double[][] trace) {
        Torch.manualSeed(seed);
        Tensor x = Torch.linspace(-PI, PI, 2000), y = x.sin();
        Tensor a = Torch.randn(), b = Torch.randn(), c = Torch.randn(), d = Torch.randn();
        double lr = 1e-6;
        java.util.List<Double> printed = new java.util.ArrayList<>();
        for (int t = 0; t < 2000; t++) {
            Tensor yPred = a.add(b.mul(x)).add(c.mul(x.pow(2))).add(d.mul(x.pow(3)));
            double l = yPred.sub(y).pow(2).sum().item();
            if (t % 100 == 99) printed.add(l);
            Tensor gradYPred = yPred.sub(y).mul(2.0);
            Tensor gradA = gradYPred.sum(), gradB = gradYPred.mul(x).sum(), gradC = gradYPred.mul(x.pow(2)).sum(),
                    gradD = gradYPred.mul(x.pow(3)).sum();
            a.sub_(gradA.mul(lr));
            b.sub_(gradB.mul(lr));
            c.sub_(gradC.mul(lr));
            d.sub_(gradD.mul(lr));
            if (trace != null) trace[t] = new double[] {a.item(), b.item(), c.item(), d.item()};
        }
        return new Fit(new double[] {a.item(), b.item(), c.item(), d.item()}, printed);
    }

    /** In [4]: the same with autograd. */
    static Fit autograd(long seed, double[][] trace) {
        Torch.manualSeed(seed);
        Tensor x = Torch.linspace(-PI, PI, 2000), y = x.sin();
        Tensor a = Torch.randn().requiresGrad_(), b = Torch.randn().requiresGrad_(), c = Torch.randn().requiresGrad_(),
                d = Torch.randn().requiresGrad_();
        double lr = 1e-6;
        java.util.List<Double> printed = new java.util.ArrayList<>();
        for (int t = 0; t < 2000; t++) {
            Tensor yPred = a.add(b.mul(x)).add(c.mul(x.pow(2))).add(d.mul(x.pow(3)));
            Tensor l = yPred.sub(y).pow(2).sum();
            if (t % 100 == 99) printed.add(l.item());
            l.backward();
            try (var g = Torch.noGrad()) {
                for (Tensor p : new Tensor[] {a, b, c, d}) {
                    p.sub_(p.grad().mul(lr));
                    p.setGrad(null);
                }
            }
            if (trace != null) trace[t] = new double[] {a.item(), b.item(), c.item(), d.item()};
        }
        return new Fit(new double[] {a.item(), b.item(), c.item(), d.item()}, printed);
    }

    /** In [7] and [8]: Sequential(Linear(3, 1), Flatten(0, 1)) on (x, x^2, x^3), MSELoss(sum). */
    static Fit sequential(long seed, boolean rmsprop) {
        Torch.manualSeed(seed);
        Tensor x = Torch.linspace(-PI, PI, 2000), y = x.sin();
        Tensor xx = x.unsqueeze(-1).pow(Torch.tensor(1, 2, 3));
        Sequential model = new Sequential(new Linear(3, 1), new Flatten(0, 1));
        MSELoss lossFn = new MSELoss(Reduction.SUM);
        Optimizer optimizer = rmsprop ? new RMSprop(model.parameters(), 1e-3) : null;
        java.util.List<Double> printed = new java.util.ArrayList<>();
        for (int t = 0; t < 2000; t++) {
            Tensor l = lossFn.forward(model.forward(xx), y);
            if (t % 100 == 99) printed.add(l.item());
            if (rmsprop) {
                optimizer.zeroGrad();
                l.backward();
                optimizer.step();
            } else {
                model.zeroGrad();
                l.backward();
                try (var g = Torch.noGrad()) {
                    for (Parameter p : model.parameters()) p.sub_(p.grad().mul(1e-6));
                }
            }
        }
        Linear linear = (Linear) model.get(0);
        float[] w = linear.weight().toFloatArray();
        return new Fit(new double[] {linear.bias().item(), w[0], w[1], w[2]}, printed);
    }

    /** In [11]: the custom module, including the notebook's slip (d * c^3, c a tensor of an earlier cell). */
    static final class Polynomial3 extends Module {
        final Parameter a = register("a", new Parameter(Torch.randn()));
        final Parameter b = register("b", new Parameter(Torch.randn()));
        final Parameter c = register("c", new Parameter(Torch.randn()));
        final Parameter d = register("d", new Parameter(Torch.randn()));
        private final Tensor earlierC;

        Polynomial3(Tensor earlierC) { this.earlierC = earlierC; }

        @Override public Tensor forward(Tensor x) {
            Tensor cubic = earlierC != null ? d.mul(earlierC.pow(3)) : d.mul(x.pow(3));
            return a.add(b.mul(x)).add(c.mul(x.pow(2))).add(cubic);
        }
    }

    static Fit polynomial3(long seed, Tensor earlierC) {
        Torch.manualSeed(seed);
        Tensor x = Torch.linspace(-PI, PI, 2000), y = x.sin();
        Polynomial3 model = new Polynomial3(earlierC);
        MSELoss criterion = new MSELoss(Reduction.SUM);
        Optimizer optimizer = new SGD(model.parameters(), 1e-6);
        java.util.List<Double> printed = new java.util.ArrayList<>();
        for (int t = 0; t < 2000; t++) {
            Tensor l = criterion.forward(model.forward(x), y);
            if (t % 100 == 99) printed.add(l.item());
            optimizer.zeroGrad();
            l.backward();
            optimizer.step();
        }
        return new Fit(new double[] {model.a.item(), model.b.item(), model.c.item(), model.d.item()}, printed);
    }

    /** In [14]: control flow (a random number of extra terms) and weight sharing (e used for x^4 and x^5). */
    static final class DynamicNet extends Module {
        final Parameter a = register("a", new Parameter(Torch.randn()));
        final Parameter b = register("b", new Parameter(Torch.randn()));
        final Parameter c = register("c", new Parameter(Torch.randn()));
        final Parameter d = register("d", new Parameter(Torch.randn()));
        final Parameter e = register("e", new Parameter(Torch.randn()));
        private final Random random;

        DynamicNet(Random random) { this.random = random; }

        @Override public Tensor forward(Tensor x) {
            Tensor y = a.add(b.mul(x)).add(c.mul(x.pow(2))).add(d.mul(x.pow(3)));
            int end = 4 + random.nextInt(3); // Python's random.randint(4, 6)
            for (int exp = 4; exp < end; exp++) y = y.add(e.mul(x.pow(exp)));
            return y;
        }
    }

    static Fit dynamicNet(long seed, int steps) {
        Torch.manualSeed(seed);
        Tensor x = Torch.linspace(-PI, PI, 2000), y = x.sin();
        DynamicNet model = new DynamicNet(new Random(seed));
        MSELoss criterion = new MSELoss(Reduction.SUM);
        Optimizer optimizer = new SGD(model.parameters(), 1e-8, 0.9);
        java.util.List<Double> printed = new java.util.ArrayList<>();
        for (int t = 0; t < steps; t++) {
            Tensor l = criterion.forward(model.forward(x), y);
            if (t % 2000 == 1999) printed.add(l.item());
            optimizer.zeroGrad();
            l.backward();
            optimizer.step();
        }
        return new Fit(new double[] {model.a.item(), model.b.item(), model.c.item(), model.d.item(), model.e.item()}, printed);
    }

    private static final long SEED = 3;

    @Test void handWrittenAndAutogradAgreeStepForStep() {
        double[][] hand = new double[2000][], auto = new double[2000][];
        Fit h = handWritten(SEED, hand), a = autograd(SEED, auto);
        for (int t = 0; t < 2000; t++) assertArrayEquals(hand[t], auto[t], "step " + t);
        assertEquals(h.loss(), a.loss());
        assertInBand(h.loss(), 9, 11.5);
    }

    @Test void handWrittenMatchesReference() { checkAgainstReference(() -> handWritten(SEED, null), 9, 11.5); }

    @Test void sequentialSgd() { checkAgainstReference(() -> sequential(SEED, false), 8, 11.5); }

    /**
     * RMSprop's steps are about lr whatever the gradient's size, so once a gradient nears zero its sign,
     * which float32 rounding decides, steers the run: native and reference agree to 2e-6 until step 1299
     * and then differ by up to 1%. The printed losses are compared up to there; both runs must end in the band.
     */
    @Test void sequentialRmsprop() {
        Fit native_ = sequential(SEED, true);
        Torch.setCpuBackend("reference");
        Fit reference = sequential(SEED, true);
        Torch.setCpuBackend("native");
        for (int i = 0; i < 13; i++) {
            assertEquals(reference.printed()[i], native_.printed()[i], 1e-4 * reference.printed()[i], "step " + (100 * i + 99));
        }
        assertInBand(native_.loss(), 8.5, 10);
        assertInBand(reference.loss(), 8.5, 10);
    }

    @Test void polynomial3AsWritten() {
        // the notebook's slip leaves a quadratic fit: its loss stays far above the cubic's (394 in the notebook)
        checkAgainstReference(() -> polynomial3(SEED, Torch.scalarTensor(-0.008)), 150, 700);
    }

    @Test void polynomial3Cubic() { checkAgainstReference(() -> polynomial3(SEED, null), 9, 11.5); }

    @Test void dynamicNetMomentum() { checkAgainstReference(() -> dynamicNet(SEED, 30000), 7, 12); }

    private static void checkAgainstReference(Supplier<Fit> program, double low, double high) {
        Fit native_ = program.get();
        Torch.setCpuBackend("reference");
        Fit reference = program.get();
        Torch.setCpuBackend("native");
        assertInBand(native_.loss(), low, high);
        for (int i = 0; i < native_.printed().length; i++) {
            double r = reference.printed()[i];
            assertEquals(r, native_.printed()[i], 1e-4 * Math.abs(r), "printed loss " + i);
        }
        for (int i = 0; i < native_.coefficients().length; i++) {
            double r = reference.coefficients()[i];
            assertEquals(r, native_.coefficients()[i], 1e-4 * Math.max(Math.abs(r), 1e-3), "coefficient " + i);
        }
    }

    private static void assertInBand(double loss, double low, double high) {
        assertTrue(loss >= low && loss <= high, "loss " + loss + " outside the notebook's band [" + low + ", " + high + "]");
    }
}

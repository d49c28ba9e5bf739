package dev.torchlet.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchlet.DType;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each optimizer's 20 first steps against PyTorch's update formula (torch.optim's _single_tensor_* code,
 * written out independently here in Java double). The problem: a 7-element parameter p and
 * loss = sum(c * p^2 + d * p), whose gradient 2 c p + d comes from backward().
 *
 * <p>Bounds: float64 parameters must match to 1e-6 relative (in practice they agree to ~1e-15). float32
 * parameters are compared with |got - want| <= 1e-5 * max(1, |want|): every step rounds the parameter,
 * the gradient and each state buffer to float32 (unit roundoff 2^-24 ~ 6e-8, values here are O(1)); a
 * step adds at most a few such roundings (say 4, ~2.4e-7), and the map p -> p - lr * update is
 * non-expansive for these learning rates (|1 - 2 lr c| <= 1, Adam/RMSprop's normalised steps are bounded
 * by ~lr), so 20 steps accumulate at most ~5e-6; 1e-5 leaves a factor 2 of margin over that estimate (the
 * largest error observed over all configurations is 4.7e-7) while still catching any formula error (leaving
 * out or misapplying an option moves the trajectory by > 1e-3 here; see {@link #referenceVariantsDiffer}).
 */
class OptimizerFormulaTest {
    static final int N = 7, STEPS = 20;
    static final double[] C = {0.5, 1.0, 1.5, 2.0, 0.3, 0.8, 1.2};
    static final double[] D = {0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7};
    static final double[] P0 = {1.0, -0.5, 0.25, 2.0, -1.5, 0.75, -0.1};

    // --------------------------------------------------------------------- reference formulas (PyTorch)

    /** One optimizer's update in double, on p in place from the gradient g. */
    interface Reference {
        void step(double[] p, double[] g);
    }

    /** torch.optim.SGD: d = g + wd p; buf = d (first step) or momentum buf + (1 - dampening) d; nesterov d += momentum buf. */
    static Reference sgd(double lr, double momentum, double dampening, double wd, boolean nesterov) {
        return sgd(new double[] {lr}, momentum, dampening, wd, nesterov);
    }

    /** SGD whose learning rate is read from lr[0] at each step (for a group's lr changed mid-run). */
    static Reference sgd(double[] lr, double momentum, double dampening, double wd, boolean nesterov) {
        double[] buf = new double[N];
        boolean[] first = {true};
        return (p, g) -> {
            for (int i = 0; i < N; i++) {
                double d = g[i] + wd * p[i];
                if (momentum != 0) {
                    buf[i] = first[0] ? d : momentum * buf[i] + (1 - dampening) * d;
                    d = nesterov ? d + momentum * buf[i] : buf[i];
                }
                p[i] -= lr[0] * d;
            }
            first[0] = false;
        };
    }

    /**
     * torch.optim.RMSprop: g += wd p; v = alpha v + (1 - alpha) g^2; centered: gavg = lerp(gavg, g, 1 - alpha),
     * avg = sqrt(v - gavg^2) + eps, else avg = sqrt(v) + eps; momentum: buf = momentum buf + g / avg,
     * p -= lr buf; else p -= lr g / avg.
     */
    static Reference rmsprop(double lr, double alpha, double eps, double wd, double momentum, boolean centered) {
        double[] v = new double[N], gavg = new double[N], buf = new double[N];
        return (p, grad) -> {
            for (int i = 0; i < N; i++) {
                double g = grad[i] + wd * p[i];
                v[i] = alpha * v[i] + (1 - alpha) * g * g;
                double avg;
                if (centered) {
                    gavg[i] = gavg[i] + (1 - alpha) * (g - gavg[i]);
                    avg = Math.sqrt(v[i] - gavg[i] * gavg[i]) + eps;
                } else {
                    avg = Math.sqrt(v[i]) + eps;
                }
                if (momentum > 0) {
                    buf[i] = momentum * buf[i] + g / avg;
                    p[i] -= lr * buf[i];
                } else {
                    p[i] -= lr * g / avg;
                }
            }
        };
    }

    /**
     * torch.optim.Adam / AdamW: AdamW first scales p by 1 - lr wd, Adam adds wd p to g; m = lerp(m, g, 1 - b1);
     * v = b2 v + (1 - b2) g^2; amsgrad: vmax = max(vmax, v) is used for v; p -= lr / (1 - b1^t) * m /
     * (sqrt(v) / sqrt(1 - b2^t) + eps).
     */
    static Reference adam(double lr, double b1, double b2, double eps, double wd, boolean amsgrad, boolean decoupled) {
        double[] m = new double[N], v = new double[N], vmax = new double[N];
        int[] t = {0};
        return (p, grad) -> {
            t[0]++;
            double bc1 = 1 - Math.pow(b1, t[0]), bc2 = 1 - Math.pow(b2, t[0]);
            for (int i = 0; i < N; i++) {
                double g = grad[i];
                if (decoupled) p[i] *= 1 - lr * wd;
                else g += wd * p[i];
                m[i] = m[i] + (1 - b1) * (g - m[i]);
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double vv = v[i];
                if (amsgrad) vv = vmax[i] = Math.max(vmax[i], v[i]);
                double denom = Math.sqrt(vv) / Math.sqrt(bc2) + eps;
                p[i] -= lr / bc1 * m[i] / denom;
            }
        };
    }

    // ---------------------------------------------------------------------------------------- configs

    /** An optimizer configuration: the torchlet optimizer and the reference formula with the same options. */
    static final class Config {
        final String name;
        final Function<List<Tensor>, Optimizer> optimizer;
        final java.util.function.Supplier<Reference> reference;

        Config(String name, Function<List<Tensor>, Optimizer> optimizer, java.util.function.Supplier<Reference> reference) {
            this.name = name;
            this.optimizer = optimizer;
            this.reference = reference;
        }

        @Override public String toString() { return name; }
    }

    static final List<Config> CONFIGS = List.of(
            new Config("SGD plain", p -> new SGD(p, 0.05), () -> sgd(0.05, 0, 0, 0, false)),
            new Config("SGD momentum", p -> new SGD(p, 0.05, 0.9), () -> sgd(0.05, 0.9, 0, 0, false)),
            new Config("SGD momentum dampening", p -> new SGD(p, 0.05, 0.9, 0.3, 0, false),
                    () -> sgd(0.05, 0.9, 0.3, 0, false)),
            new Config("SGD nesterov", p -> new SGD(p, 0.05, 0.9, 0, 0, true), () -> sgd(0.05, 0.9, 0, 0, true)),
            new Config("SGD weight decay", p -> new SGD(p, 0.05, 0, 0, 0.1, false), () -> sgd(0.05, 0, 0, 0.1, false)),
            new Config("SGD momentum dampening weight decay", p -> new SGD(p, 0.05, 0.8, 0.2, 0.05, false),
                    () -> sgd(0.05, 0.8, 0.2, 0.05, false)),
            new Config("SGD nesterov weight decay", p -> new SGD(p, 0.05, 0.7, 0, 0.1, true),
                    () -> sgd(0.05, 0.7, 0, 0.1, true)),
            new Config("RMSprop plain", p -> new RMSprop(p, 0.01), () -> rmsprop(0.01, 0.99, 1e-8, 0, 0, false)),
            new Config("RMSprop alpha 0.9", p -> new RMSprop(p, 0.01, 0.9, 1e-8, 0, 0, false),
                    () -> rmsprop(0.01, 0.9, 1e-8, 0, 0, false)),
            new Config("RMSprop centered", p -> new RMSprop(p, 0.01, 0.99, 1e-8, 0, 0, true),
                    () -> rmsprop(0.01, 0.99, 1e-8, 0, 0, true)),
            new Config("RMSprop momentum", p -> new RMSprop(p, 0.01, 0.99, 1e-8, 0, 0.9, false),
                    () -> rmsprop(0.01, 0.99, 1e-8, 0, 0.9, false)),
            new Config("RMSprop weight decay", p -> new RMSprop(p, 0.01, 0.99, 1e-8, 0.1, 0, false),
                    () -> rmsprop(0.01, 0.99, 1e-8, 0.1, 0, false)),
            new Config("RMSprop centered momentum weight decay eps", p -> new RMSprop(p, 0.01, 0.95, 1e-3, 0.05, 0.5, true),
                    () -> rmsprop(0.01, 0.95, 1e-3, 0.05, 0.5, true)),
            new Config("Adam plain", p -> new Adam(p, 0.05), () -> adam(0.05, 0.9, 0.999, 1e-8, 0, false, false)),
            new Config("Adam betas eps", p -> new Adam(p, 0.05, 0.8, 0.95, 1e-3, 0, false),
                    () -> adam(0.05, 0.8, 0.95, 1e-3, 0, false, false)),
            new Config("Adam weight decay", p -> new Adam(p, 0.05, 0.9, 0.999, 1e-8, 0.1, false),
                    () -> adam(0.05, 0.9, 0.999, 1e-8, 0.1, false, false)),
            // beta2 0.6 lets v fall as the gradient shrinks, so the running max of amsgrad matters
            new Config("Adam amsgrad", p -> new Adam(p, 0.1, 0.9, 0.6, 1e-8, 0, true),
                    () -> adam(0.1, 0.9, 0.6, 1e-8, 0, true, false)),
            new Config("Adam amsgrad weight decay", p -> new Adam(p, 0.1, 0.9, 0.6, 1e-8, 0.1, true),
                    () -> adam(0.1, 0.9, 0.6, 1e-8, 0.1, true, false)),
            new Config("AdamW default weight decay", p -> new AdamW(p, 0.05), () -> adam(0.05, 0.9, 0.999, 1e-8, 1e-2, false, true)),
            new Config("AdamW weight decay 0.5", p -> new AdamW(p, 0.05, 0.9, 0.999, 1e-8, 0.5, false),
                    () -> adam(0.05, 0.9, 0.999, 1e-8, 0.5, false, true)),
            new Config("AdamW amsgrad", p -> new AdamW(p, 0.1, 0.9, 0.6, 1e-8, 0.2, true),
                    () -> adam(0.1, 0.9, 0.6, 1e-8, 0.2, true, true)));

    static Stream<Arguments> float64Cases() {
        List<Arguments> out = new ArrayList<>();
        for (Config c : CONFIGS) {
            out.add(Arguments.of(c, "native"));
            out.add(Arguments.of(c, "reference"));
        }
        return out.stream();
    }

    static Stream<Config> configs() { return CONFIGS.stream(); }

    // ------------------------------------------------------------------------------------------ helpers

    static Tensor param(double[] values, DType dtype) { return Torch.tensor(values, dtype).requiresGrad_(); }

    /** loss = sum(c * p^2 + d * p), backward: p.grad = 2 c p + d. */
    static void backward(Tensor p) {
        Tensor c = Torch.tensor(C, p.dtype()), d = Torch.tensor(D, p.dtype());
        p.pow(2).mul(c).add(p.mul(d)).sum().backward();
    }

    static double[] gradient(double[] p) {
        double[] g = new double[N];
        for (int i = 0; i < N; i++) g[i] = 2 * C[i] * p[i] + D[i];
        return g;
    }

    /** values rounded to float32 and back (the float32 parameter's starting point). */
    static double[] roundedToFloat(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (float) v[i];
        return out;
    }

    static void assertClose(double[] want, double[] got, double rel, double floor, String what) {
        for (int i = 0; i < want.length; i++) {
            double tol = rel * Math.max(floor, Math.abs(want[i]));
            if (!(Math.abs(got[i] - want[i]) <= tol)) {
                throw new AssertionError(what + ": element " + i + " expected " + want[i] + " but got " + got[i]
                        + " (difference " + (got[i] - want[i]) + ", tolerance " + tol + ")\nexpected "
                        + java.util.Arrays.toString(want) + "\ngot      " + java.util.Arrays.toString(got));
            }
        }
    }

    /** Runs STEPS steps of the optimizer and of the reference, comparing the parameters after each step. */
    static void runAgainstReference(Config config, DType dtype, double rel, double floor) {
        Tensor p = param(P0, dtype);
        Optimizer opt = config.optimizer.apply(List.of(p));
        Reference ref = config.reference.get();
        double[] want = dtype == DType.FLOAT32 ? roundedToFloat(P0) : P0.clone();
        for (int step = 1; step <= STEPS; step++) {
            opt.zeroGrad();
            backward(p);
            opt.step();
            ref.step(want, gradient(want));
            assertClose(want, p.toDoubleArray(), rel, floor, config.name + " " + dtype + " step " + step);
        }
    }

    // -------------------------------------------------------------------------------------------- tests

    @ParameterizedTest(name = "{0} float64 on {1}") @MethodSource("float64Cases")
    void float64StepsMatchFormula(Config config, String backend) {
        String before = Torch.cpuBackend();
        Torch.setCpuBackend(backend);
        try {
            runAgainstReference(config, DType.FLOAT64, 1e-6, 1e-12);
        } finally {
            Torch.setCpuBackend(before);
        }
    }

    @ParameterizedTest(name = "{0} float32") @MethodSource("configs")
    void float32StepsMatchFormula(Config config) {
        runAgainstReference(config, DType.FLOAT32, 1e-5, 1);
    }

    /**
     * The reference variants really differ from one another (so each option is exercised and a formula that
     * ignored it would fail the 1e-6 comparison): every option moves the 20-step trajectory by more than 1e-3.
     */
    @Test void referenceVariantsDiffer() {
        double[][] pairs = {
                trajectoryDistance(sgd(0.05, 0.9, 0, 0, false), sgd(0.05, 0, 0, 0, false)),
                trajectoryDistance(sgd(0.05, 0.9, 0.3, 0, false), sgd(0.05, 0.9, 0, 0, false)),
                trajectoryDistance(sgd(0.05, 0.9, 0, 0, true), sgd(0.05, 0.9, 0, 0, false)),
                trajectoryDistance(sgd(0.05, 0, 0, 0.1, false), sgd(0.05, 0, 0, 0, false)),
                trajectoryDistance(rmsprop(0.01, 0.99, 1e-8, 0, 0, true), rmsprop(0.01, 0.99, 1e-8, 0, 0, false)),
                trajectoryDistance(rmsprop(0.01, 0.99, 1e-8, 0, 0.9, false), rmsprop(0.01, 0.99, 1e-8, 0, 0, false)),
                trajectoryDistance(rmsprop(0.01, 0.99, 1e-8, 0.1, 0, false), rmsprop(0.01, 0.99, 1e-8, 0, 0, false)),
                trajectoryDistance(adam(0.05, 0.9, 0.999, 1e-8, 0.1, false, false), adam(0.05, 0.9, 0.999, 1e-8, 0, false, false)),
                trajectoryDistance(adam(0.1, 0.9, 0.6, 1e-8, 0, true, false), adam(0.1, 0.9, 0.6, 1e-8, 0, false, false)),
                trajectoryDistance(adam(0.05, 0.9, 0.999, 1e-8, 0.5, false, true), adam(0.05, 0.9, 0.999, 1e-8, 0.5, false, false)),
                trajectoryDistance(adam(0.05, 0.9, 0.999, 1e-8, 0.5, false, true), adam(0.05, 0.9, 0.999, 1e-8, 0, false, false)),
        };
        for (int i = 0; i < pairs.length; i++) assertTrue(pairs[i][0] > 1e-3, "variant pair " + i + ": " + pairs[i][0]);
    }

    /** max over steps and elements of |a - b| for two references run from P0. */
    static double[] trajectoryDistance(Reference a, Reference b) {
        double[] pa = P0.clone(), pb = P0.clone();
        double max = 0;
        for (int s = 0; s < STEPS; s++) {
            a.step(pa, gradient(pa));
            b.step(pb, gradient(pb));
            for (int i = 0; i < N; i++) max = Math.max(max, Math.abs(pa[i] - pb[i]));
        }
        return new double[] {max};
    }

    /** Two param groups with their own learning rates: each group follows its own formula. */
    @Test void paramGroupsWithDifferentLr() {
        Tensor p1 = param(P0, DType.FLOAT64), p2 = param(P0, DType.FLOAT64);
        Optimizer opt = new SGD(List.of(p1), 0.1, 0.9);
        opt.addParamGroup(List.of(p2), Map.of("lr", 0.01));
        assertEquals(2, opt.paramGroups().size());
        assertEquals(0.1, opt.paramGroups().get(0).lr());
        assertEquals(0.01, opt.paramGroups().get(1).lr());
        assertEquals(0.9, opt.paramGroups().get(1).getDouble("momentum")); // the rest from the defaults
        double[] lr2 = {0.01};
        Reference r1 = sgd(0.1, 0.9, 0, 0, false), r2 = sgd(lr2, 0.9, 0, 0, false);
        double[] w1 = P0.clone(), w2 = P0.clone();
        for (int step = 1; step <= STEPS; step++) {
            opt.zeroGrad();
            backward(p1);
            backward(p2);
            opt.step();
            r1.step(w1, gradient(w1));
            r2.step(w2, gradient(w2));
            assertClose(w1, p1.toDoubleArray(), 1e-6, 1e-12, "group 0 step " + step);
            assertClose(w2, p2.toDoubleArray(), 1e-6, 1e-12, "group 1 step " + step);
        }
        // a group's lr changed mid-run applies from the next step on, momentum buffers carried over
        opt.paramGroups().get(1).setLr(0.2);
        lr2[0] = 0.2;
        for (int step = 1; step <= 5; step++) {
            opt.zeroGrad();
            backward(p2);
            opt.step();
            r2.step(w2, gradient(w2));
            assertClose(w2, p2.toDoubleArray(), 1e-6, 1e-12, "group 1 after setLr, step " + step);
        }
        assertNull(p1.grad(), "p1 had no gradient in those steps");
        assertClose(w1, p1.toDoubleArray(), 1e-6, 1e-12, "a parameter without a gradient is not updated");
    }

    /** Adam in two groups, the second with its own lr and weight decay. */
    @Test void adamParamGroups() {
        Tensor p1 = param(P0, DType.FLOAT64), p2 = param(P0, DType.FLOAT64);
        Optimizer opt = new Adam(List.of(p1), 0.05);
        opt.addParamGroup(List.of(p2), Map.of("lr", 0.01, "weight_decay", 0.1));
        Reference r1 = adam(0.05, 0.9, 0.999, 1e-8, 0, false, false), r2 = adam(0.01, 0.9, 0.999, 1e-8, 0.1, false, false);
        double[] w1 = P0.clone(), w2 = P0.clone();
        for (int step = 1; step <= STEPS; step++) {
            opt.zeroGrad();
            backward(p1);
            backward(p2);
            opt.step();
            r1.step(w1, gradient(w1));
            r2.step(w2, gradient(w2));
            assertClose(w1, p1.toDoubleArray(), 1e-6, 1e-12, "group 0 step " + step);
            assertClose(w2, p2.toDoubleArray(), 1e-6, 1e-12, "group 1 step " + step);
        }
    }

    @Test void zeroGradClearsGradients() {
        Tensor p = param(P0, DType.FLOAT64), q = param(P0, DType.FLOAT32);
        Optimizer opt = new SGD(List.of(p, q), 0.1);
        backward(p);
        backward(q);
        assertNotNull(p.grad());
        assertNotNull(q.grad());
        opt.zeroGrad();
        assertNull(p.grad());
        assertNull(q.grad());
        // a step with no gradients changes nothing
        opt.step();
        assertArrayEquals(P0, p.toDoubleArray(), 0);
        // setToNone = false zeroes in place
        backward(p);
        Tensor g = p.grad();
        opt.zeroGrad(false);
        assertTrue(g == p.grad(), "zeroGrad(false) keeps the gradient tensor");
        assertArrayEquals(new double[N], p.grad().toDoubleArray(), 0);
        // gradients accumulate without zeroGrad, and a zeroGrad between backward passes resets them
        backward(p);
        backward(p);
        double[] twice = p.grad().toDoubleArray(), once = gradient(P0);
        for (int i = 0; i < N; i++) assertEquals(2 * once[i], twice[i], 1e-12);
        opt.zeroGrad();
        backward(p);
        assertArrayEquals(once, p.grad().toDoubleArray(), 1e-12);
    }

    static Stream<Config> stateDictConfigs() {
        return CONFIGS.stream().filter(c -> List.of("SGD momentum dampening weight decay", "SGD nesterov",
                "RMSprop centered momentum weight decay eps", "Adam amsgrad weight decay", "AdamW amsgrad",
                "Adam betas eps").contains(c.name));
    }

    /**
     * A fresh optimizer (built with another lr) loaded from another's state dict after 7 steps continues
     * exactly as the original does, and as the reference formula does.
     */
    @ParameterizedTest(name = "{0}") @MethodSource("stateDictConfigs")
    void stateDictRoundTrip(Config config) {
        Tensor p = param(P0, DType.FLOAT64);
        Optimizer a = config.optimizer.apply(List.of(p));
        Reference ref = config.reference.get();
        double[] want = P0.clone();
        for (int step = 1; step <= 7; step++) {
            a.zeroGrad();
            backward(p);
            a.step();
            ref.step(want, gradient(want));
        }
        Tensor q = param(p.toDoubleArray(), DType.FLOAT64);
        Optimizer b = config.optimizer.apply(List.of(q));
        double lr = a.paramGroups().get(0).lr();
        b.paramGroups().get(0).setLr(123.0);
        Map<String, Object> sd = a.stateDict();
        assertEquals(List.of(0), ((Map<?, ?>) ((List<?>) sd.get("param_groups")).get(0)).get("params"));
        assertTrue(((Map<?, ?>) sd.get("state")).containsKey("0"));
        b.loadStateDict(sd);
        assertEquals(lr, b.paramGroups().get(0).lr(), "options come back from the state dict");
        for (int step = 8; step <= STEPS; step++) {
            a.zeroGrad();
            backward(p);
            a.step();
            b.zeroGrad();
            backward(q);
            b.step();
            ref.step(want, gradient(want));
            assertArrayEquals(p.toDoubleArray(), q.toDoubleArray(), 0, config.name + " step " + step);
            assertClose(want, q.toDoubleArray(), 1e-6, 1e-12, config.name + " loaded, step " + step);
        }
    }

    /** The loaded state is a copy: stepping the original afterwards does not change the loaded optimizer. */
    @Test void loadedStateIsACopy() {
        Tensor p = param(P0, DType.FLOAT64);
        Optimizer a = new SGD(List.of(p), 0.05, 0.9);
        backward(p);
        a.step();
        Tensor q = param(p.toDoubleArray(), DType.FLOAT64);
        Optimizer b = new SGD(List.of(q), 0.05, 0.9);
        b.loadStateDict(a.stateDict());
        for (int i = 0; i < 3; i++) { // a moves on; b's buffer must not follow
            a.zeroGrad();
            backward(p);
            a.step();
        }
        Reference ref = sgd(0.05, 0.9, 0, 0, false);
        double[] want = P0.clone();
        ref.step(want, gradient(want));
        q.setGrad(null);
        backward(q);
        b.step();
        ref.step(want, gradient(want));
        assertClose(want, q.toDoubleArray(), 1e-6, 1e-12, "loaded optimizer after the original moved on");
    }

    @Test void constructorErrors() {
        List<Tensor> params = List.of(param(P0, DType.FLOAT64));
        assertEquals("Invalid learning rate: -1.0",
                assertThrows(IllegalArgumentException.class, () -> new SGD(params, -1.0)).getMessage());
        assertEquals("Invalid learning rate: -1.0",
                assertThrows(IllegalArgumentException.class, () -> new RMSprop(params, -1.0)).getMessage());
        assertEquals("Invalid learning rate: -1.0",
                assertThrows(IllegalArgumentException.class, () -> new Adam(params, -1.0)).getMessage());
        assertEquals("Invalid learning rate: -1.0",
                assertThrows(IllegalArgumentException.class, () -> new AdamW(params, -1.0)).getMessage());
        assertEquals("Nesterov momentum requires a momentum and zero dampening",
                assertThrows(IllegalArgumentException.class, () -> new SGD(params, 0.1, 0, 0, 0, true)).getMessage());
        assertEquals("Nesterov momentum requires a momentum and zero dampening",
                assertThrows(IllegalArgumentException.class, () -> new SGD(params, 0.1, 0.9, 0.1, 0, true)).getMessage());
        assertEquals("Invalid momentum value: -0.5",
                assertThrows(IllegalArgumentException.class, () -> new SGD(params, 0.1, -0.5)).getMessage());
        assertEquals("Invalid weight_decay value: -0.1",
                assertThrows(IllegalArgumentException.class, () -> new SGD(params, 0.1, 0, 0, -0.1, false)).getMessage());
        assertEquals("Invalid beta parameter at index 0: 1.0", assertThrows(IllegalArgumentException.class,
                () -> new Adam(params, 0.1, 1.0, 0.999, 1e-8, 0, false)).getMessage());
        assertEquals("Invalid beta parameter at index 1: -0.1", assertThrows(IllegalArgumentException.class,
                () -> new Adam(params, 0.1, 0.9, -0.1, 1e-8, 0, false)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RMSprop(params, 0.1, 0.99, -1e-8, 0, 0, false))
                .getMessage().startsWith("Invalid epsilon value: "));
        assertEquals("optimizer got an empty parameter list",
                assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(), 0.1)).getMessage());
        // nesterov with momentum and no dampening is fine
        new SGD(params, 0.1, 0.9, 0, 0, true);
    }
}

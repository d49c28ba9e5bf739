package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.torchlet.backend.Backend;
import dev.torchlet.backend.GradOp;
import dev.torchlet.backend.cpu.CpuBackend;
import dev.torchlet.backend.ref.RefBackend;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused autograd, loss and optimizer kernels of {@link Backend} on both CPU backends against values
 * derived by hand from PyTorch's formulas, so that a formula wrong the same way in both backends (which
 * AccuracyTest cannot see) still fails. float64, to 1e-12 unless stated.
 */
class FusedKernelsTest {
    static final double TOL = 1e-12, LN2 = Math.log(2), NAN = Double.NaN;

    static Stream<Backend> backends() { return Stream.of(CpuBackend.INSTANCE, RefBackend.INSTANCE); }

    static Tensor f64(Backend b, long[] shape, double... v) { return Tensor.fromArray(b, DType.FLOAT64, shape, v); }

    static Tensor vec(Backend b, double... v) { return f64(b, new long[] {v.length}, v); }

    static Tensor mat(Backend b, int rows, double... v) { return f64(b, new long[] {rows, v.length / rows}, v); }

    static Tensor longs(Backend b, long... v) { return Tensor.fromArray(b, DType.INT64, new long[] {v.length}, v); }

    static Tensor empty(Backend b, long... shape) { return Tensor.empty(b, DType.FLOAT64, shape); }

    static Tensor zeros(Backend b, long... shape) { return empty(b, shape).zero_(); }

    static void near(double[] expected, Tensor actual, double tol) {
        double[] a = actual.toDoubleArray();
        assertEquals(expected.length, a.length, "numel");
        for (int i = 0; i < a.length; i++) {
            if (Double.isNaN(expected[i])) {
                assertEquals(expected[i], a[i], "at " + i);
            } else {
                assertEquals(expected[i], a[i], tol, "at " + i + ": " + java.util.Arrays.toString(a));
            }
        }
    }

    static void near(double[] expected, Tensor actual) { near(expected, actual, TOL); }

    static Tensor grad(Backend b, GradOp op, Tensor a, Tensor t, Tensor g, double s) {
        Tensor out = empty(b, a.shape().toArray());
        b.grad(op, a.data(), t.data(), g.data(), s, out.data());
        return out;
    }

    // ------------------------------------------------------------------------------------------------ grad

    @ParameterizedTest @MethodSource("backends")
    void gradFormulas(Backend b) {
        try (Scope scope = Torch.scope()) {
            Tensor g = vec(b, 5, 5, 5, 5);
            Tensor a = vec(b, -1, 0, 2, NAN);
            // threshold_backward(g, a, 0) = a <= 0 ? 0 : g; NaN <= 0 is false, so a NaN input passes g
            near(new double[] {0, 0, 5, 5}, grad(b, GradOp.RELU, a, a, g, 0));
            Tensor y = vec(b, 0.5, 0.25, 1, 0);
            Tensor g2 = vec(b, 2, 2, 2, 2);
            near(new double[] {0.5, 0.375, 0, 0}, grad(b, GradOp.SIGMOID, y, y, g2, 0)); // 2 * (1 - y) * y
            near(new double[] {1.5, 1.875, 0, 2}, grad(b, GradOp.TANH, y, y, g2, 0));    // 2 * (1 - y^2)
            Tensor base = vec(b, 3, 4, 0.5, -2);
            near(new double[] {12, 16, 2, -8}, grad(b, GradOp.POW_SCALAR, base, base, g2, 2));       // 2 * 2x
            near(new double[] {54, 96, 1.5, 24}, grad(b, GradOp.POW_SCALAR, base, base, g2, 3));     // 2 * 3x^2
            near(new double[] {1 / Math.sqrt(3), 0.5, 1 / Math.sqrt(0.5), NAN},
                    grad(b, GradOp.POW_SCALAR, base, base, g2, 0.5));                               // 2 * 0.5 / sqrt(x)
            // exponent 0: zeros, even for a NaN gradient (PyTorch returns zeros_like)
            near(new double[] {0, 0, 0, 0}, grad(b, GradOp.POW_SCALAR, base, base, vec(b, NAN, 1, 1, 1), 0));
            Tensor target = vec(b, 1, 4, 0.5, -2);
            near(new double[] {2, 0, 0, 0}, grad(b, GradOp.MSE, base, target, g2, 0.5)); // 0.5 * (a - b) * 2
            Tensor logits = vec(b, 0, 0, Math.log(3), -Math.log(3));
            Tensor labels = vec(b, 1, 0, 1, 0);
            // 0.5 * (sigmoid(a) - b) * 2: sigmoid(ln 3) = 0.75, sigmoid(-ln 3) = 0.25
            near(new double[] {-0.5, 0.5, -0.25, 0.25}, grad(b, GradOp.BCE_LOGITS, logits, labels, g2, 0.5));
        }
    }

    @ParameterizedTest @MethodSource("backends")
    void gradBroadcastOperandsAndFloat32(Backend b) {
        try (Scope scope = Torch.scope()) {
            Tensor a = Tensor.fromArray(b, DType.FLOAT32, new long[] {2, 1}, new float[] {3, 1});
            Tensor t = Tensor.fromArray(b, DType.FLOAT32, new long[] {3}, new float[] {0, 1, 2});
            Tensor g = Tensor.fromArray(b, DType.FLOAT32, new long[0], new float[] {0.5f});
            long[] shape = {2, 3};
            Tensor out = Tensor.empty(b, DType.FLOAT32, shape);
            b.grad(GradOp.MSE, a.expand(shape).data(), t.expand(shape).data(), g.expand(shape).data(), 2, out.data());
            assertArrayEquals(new float[] {3, 2, 1, 1, 0, -1}, out.toFloatArray()); // 2 * (a - t) * 0.5
        }
    }

    // --------------------------------------------------------------------------------------------- softmax

    @ParameterizedTest @MethodSource("backends")
    void softmaxAndLogSoftmax(Backend b) {
        try (Scope scope = Torch.scope()) {
            Tensor x = mat(b, 3, 0, Math.log(3), 1000, 1000, 1000, 0);
            Tensor p = empty(b, 3, 2), lp = empty(b, 3, 2);
            b.softmax(x.data(), false, p.data());
            b.softmax(x.data(), true, lp.data());
            near(new double[] {0.25, 0.75, 0.5, 0.5, 1, 0}, p); // exp(-1000) underflows: no overflow to NaN
            near(new double[] {Math.log(0.25), Math.log(0.75), -LN2, -LN2, 0, -1000}, lp);
        }
    }

    @ParameterizedTest @MethodSource("backends")
    void softmaxBackward(Backend b) {
        try (Scope scope = Torch.scope()) {
            Tensor g = mat(b, 1, 1, 0);
            Tensor y = mat(b, 1, 0.25, 0.75), logY = mat(b, 1, Math.log(0.25), Math.log(0.75));
            Tensor gi = empty(b, 1, 2), lgi = empty(b, 1, 2);
            b.softmaxBackward(g.data(), y.data(), false, gi.data());   // y * (g - sum(g * y)), sum = 0.25
            b.softmaxBackward(g.data(), logY.data(), true, lgi.data()); // g - exp(y) * sum(g), sum = 1
            near(new double[] {0.1875, -0.1875}, gi);
            near(new double[] {0.75, -0.75}, lgi);
        }
    }

    // --------------------------------------------------------------------------------------- cross entropy

    @ParameterizedTest @MethodSource("backends")
    void crossEntropy(Backend b) {
        try (Scope scope = Torch.scope()) {
            Tensor logits = mat(b, 3, 0, 0, 0, Math.log(3), 5, 7);
            Tensor target = longs(b, 0, 0, -100);
            Tensor losses = empty(b, 3);
            assertEquals(-1, b.crossEntropy(logits.data(), target.data(), -100, 0, losses.data()));
            near(new double[] {LN2, -Math.log(0.25), 0}, losses); // row 2 ignored
            // label smoothing 0.2: -(0.8) logp[t] - (0.2 / 2) * sum_c logp[c]; row 0 stays ln 2
            assertEquals(-1, b.crossEntropy(logits.data(), target.data(), -100, 0.2, losses.data()));
            double smoothed = -0.8 * Math.log(0.25) - 0.1 * (Math.log(0.25) + Math.log(0.75));
            near(new double[] {LN2, smoothed, 0}, losses);
            // ignoreIndex may be a real class: rows with target 0 give 0
            assertEquals(-1, b.crossEntropy(logits.data(), longs(b, 0, 1, 0).data(), 0, 0, losses.data()));
            near(new double[] {0, -Math.log(0.75), 0}, losses);
        }
    }

    /** PyTorch's values (torch 1.13): a -inf logit has log-probability -inf; a NaN or +inf logit makes the row NaN. */
    @ParameterizedTest @MethodSource("backends")
    void crossEntropyOfInfiniteAndNanLogits(Backend b) {
        double inf = Double.POSITIVE_INFINITY;
        try (Scope scope = Torch.scope()) {
            Tensor logits = mat(b, 4, -inf, 1, -inf, 1, inf, 1, NAN, 1);
            Tensor losses = empty(b, 4);
            assertEquals(-1, b.crossEntropy(logits.data(), longs(b, 1, 0, 1, 1).data(), -100, 0, losses.data()));
            near(new double[] {0, inf, NAN, NAN}, losses);
            assertEquals(-1, b.crossEntropy(logits.data(), longs(b, 1, 0, 1, 1).data(), -100, 0.1, losses.data()));
            near(new double[] {inf, inf, NAN, NAN}, losses);
        }
    }

    @ParameterizedTest @MethodSource("backends")
    void crossEntropyReportsTheFirstBadRow(Backend b) {
        try (Scope scope = Torch.scope()) {
            Tensor logits = mat(b, 4, 0, 0, 0, 0, 0, 0, 0, 0);
            Tensor losses = empty(b, 4);
            assertEquals(1, b.crossEntropy(logits.data(), longs(b, 1, 2, -1, 0).data(), -100, 0, losses.data()));
            assertEquals(2, b.crossEntropy(logits.data(), longs(b, 1, -100, -1, 0).data(), -100, 0, losses.data()));
            assertEquals(1, b.crossEntropy(logits.data(), longs(b, 1, -100, -1, 0).data(), -1, 0, losses.data()));
            assertEquals(-1, b.crossEntropy(logits.data(), longs(b, 1, 0, -1, 0).data(), -1, 0, losses.data()));
            near(new double[] {LN2, LN2, 0, LN2}, losses);
            // strided targets: every other element of [4, 2]
            Tensor strided = Tensor.fromArray(b, DType.INT64, new long[] {4, 2}, new long[] {0, 9, 1, 9, 0, 9, 5, 9});
            assertEquals(3, b.crossEntropy(logits.data(), strided.select(1, 0).data(), -100, 0, losses.data()));
        }
    }

    @ParameterizedTest @MethodSource("backends")
    void crossEntropyBackward(Backend b) {
        try (Scope scope = Torch.scope()) {
            Tensor logits = mat(b, 3, 0, Math.log(3), 0, Math.log(3), 1, 2);
            Tensor target = longs(b, 0, 0, 1);
            Tensor grad = empty(b, 3, 2);
            b.crossEntropyBackward(logits.data(), target.data(), vec(b, 2, 2, 3).data(), 1, 0, grad.data());
            near(new double[] {-1.5, 1.5, -1.5, 1.5, 0, 0}, grad); // 2 * ([0.25, 0.75] - [1, 0]); row 2 ignored
            // label smoothing 0.2 and one broadcast g = 2 (stride 0): 2 * ([.25, .75] - [.8, 0] - 0.1)
            Tensor g = f64(b, new long[0], 2).expand(3);
            b.crossEntropyBackward(logits.data(), target.data(), g.data(), 1, 0.2, grad.data());
            near(new double[] {-1.3, 1.3, -1.3, 1.3, 0, 0}, grad);
        }
    }

    // ------------------------------------------------------------------------------------------ optimizers

    @ParameterizedTest @MethodSource("backends")
    void sgd(Backend b) {
        try (Scope scope = Torch.scope()) {
            Tensor p = vec(b, 1, 1), grad = vec(b, 0.5, -0.5);
            b.sgdStep(p.data(), grad.data(), null, 0.1, 0, 0, 0, false, true);
            near(new double[] {0.95, 1.05}, p);
            b.sgdStep(p.data(), grad.data(), null, 0.1, 0, 0, 0.1, false, false); // d = g + 0.1 p
            near(new double[] {0.95 - 0.1 * (0.5 + 0.095), 1.05 - 0.1 * (-0.5 + 0.105)}, p);

            Tensor q = vec(b, 1), buf = zeros(b, 1), g = vec(b, 0.5);
            b.sgdStep(q.data(), g.data(), buf.data(), 0.1, 0.9, 0.5, 0, false, true); // buf = d on the first step
            near(new double[] {0.5}, buf);
            near(new double[] {0.95}, q);
            b.sgdStep(q.data(), g.data(), buf.data(), 0.1, 0.9, 0.5, 0, false, false); // 0.9 * 0.5 + 0.5 * 0.5
            near(new double[] {0.7}, buf);
            near(new double[] {0.88}, q);

            Tensor r = vec(b, 1), nbuf = zeros(b, 1);
            b.sgdStep(r.data(), g.data(), nbuf.data(), 0.1, 0.9, 0, 0, true, true); // d = 0.5 + 0.9 * 0.5
            near(new double[] {0.905}, r);
        }
    }

    @ParameterizedTest @MethodSource("backends")
    void rmsprop(Backend b) {
        try (Scope scope = Torch.scope()) {
            Tensor p = vec(b, 1), g = vec(b, 2), sq = zeros(b, 1);
            b.rmspropStep(p.data(), g.data(), sq.data(), null, null, 0.01, 0.99, 0, 0, 0);
            near(new double[] {0.04}, sq); // 0.01 * 4
            near(new double[] {0.9}, p);   // 1 - 0.01 * 2 / 0.2

            Tensor pc = vec(b, 1), sqc = zeros(b, 1), ga = zeros(b, 1);
            b.rmspropStep(pc.data(), g.data(), sqc.data(), ga.data(), null, 0.01, 0.99, 0, 0, 0);
            near(new double[] {0.02}, ga);
            near(new double[] {1 - 0.02 / Math.sqrt(0.04 - 0.0004)}, pc);

            Tensor pm = vec(b, 1), sqm = zeros(b, 1), buf = zeros(b, 1);
            b.rmspropStep(pm.data(), g.data(), sqm.data(), null, buf.data(), 0.01, 0.99, 0, 0, 0.9);
            near(new double[] {10}, buf);
            near(new double[] {0.9}, pm);
            b.rmspropStep(pm.data(), g.data(), sqm.data(), null, buf.data(), 0.01, 0.99, 0, 0, 0.9);
            double buf2 = 9 + 2 / Math.sqrt(0.0796);
            near(new double[] {buf2}, buf);
            near(new double[] {0.9 - 0.01 * buf2}, pm);
        }
    }

    @ParameterizedTest @MethodSource("backends")
    void adamFirstStepMovesByLrTimesSign(Backend b) {
        try (Scope scope = Torch.scope()) {
            Tensor p = vec(b, 1, 1, 1), g = vec(b, 2, -0.5, 1e-3), m = zeros(b, 3), v = zeros(b, 3);
            b.adamStep(p.data(), g.data(), m.data(), v.data(), null, 1, 0.01, 0.9, 0.999, 0, 0, false);
            near(new double[] {0.99, 1.01, 0.99}, p);
            near(new double[] {0.2, -0.05, 1e-4}, m);
            near(new double[] {0.004, 0.00025, 1e-9}, v, 1e-15);

            // float32 too: about lr * sign(grad)
            Tensor pf = Tensor.fromArray(b, DType.FLOAT32, new long[] {2}, new float[] {1, 1});
            Tensor gf = Tensor.fromArray(b, DType.FLOAT32, new long[] {2}, new float[] {3, -3});
            Tensor mf = Tensor.empty(b, DType.FLOAT32, new long[] {2}).zero_(), vf = Tensor.empty(b, DType.FLOAT32,
                    new long[] {2}).zero_();
            b.adamStep(pf.data(), gf.data(), mf.data(), vf.data(), null, 1, 1e-3, 0.9, 0.999, 1e-8, 0, false);
            float[] r = pf.toFloatArray();
            assertEquals(0.999f, r[0], 2e-6f);
            assertEquals(1.001f, r[1], 2e-6f);
        }
    }

    @ParameterizedTest @MethodSource("backends")
    void adamWeightDecayAdamWAndAmsgrad(Backend b) {
        try (Scope scope = Torch.scope()) {
            // coupled: g = 2 + 0.1 * 1 = 2.1; still moves by lr
            Tensor p = vec(b, 1), g = vec(b, 2), m = zeros(b, 1), v = zeros(b, 1);
            b.adamStep(p.data(), g.data(), m.data(), v.data(), null, 1, 0.01, 0.9, 0.999, 0, 0.1, false);
            near(new double[] {0.21}, m);
            near(new double[] {0.99}, p);
            // decoupled (AdamW): p * (1 - 0.01 * 0.1) first, m from the raw gradient
            Tensor pw = vec(b, 1), mw = zeros(b, 1), vw = zeros(b, 1);
            b.adamStep(pw.data(), g.data(), mw.data(), vw.data(), null, 1, 0.01, 0.9, 0.999, 0, 0.1, true);
            near(new double[] {0.2}, mw);
            near(new double[] {0.999 - 0.01}, pw);
            // amsgrad: step 1 with g = 2, step 2 with g = 0; the max keeps v of step 1
            Tensor pa = vec(b, 1), ma = zeros(b, 1), va = zeros(b, 1), vmax = zeros(b, 1);
            b.adamStep(pa.data(), g.data(), ma.data(), va.data(), vmax.data(), 1, 0.01, 0.9, 0.999, 0, 0, false);
            b.adamStep(pa.data(), vec(b, 0).data(), ma.data(), va.data(), vmax.data(), 2, 0.01, 0.9, 0.999, 0, 0,
                    false);
            near(new double[] {0.18}, ma);
            near(new double[] {0.003996}, va);
            near(new double[] {0.004}, vmax);
            double bc1 = 1 - 0.81, bc2 = 1 - 0.998001;
            double denom = Math.sqrt(0.004) / Math.sqrt(bc2);
            near(new double[] {0.99 - 0.01 / bc1 * 0.18 / denom}, pa);
        }
    }
}

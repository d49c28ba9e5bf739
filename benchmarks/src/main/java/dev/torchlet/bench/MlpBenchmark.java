package dev.torchlet.bench;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

import dev.torchlet.Tensor;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W6, one MLP training step ({@link Mlp}); the baseline is the step's sgemm-bound time: its 8 matrix products
 * ({@link Mlp#gemms()}: 3 forward, 5 backward) run back to back by raw cblas_sgemm at the same shapes and
 * transposes into preallocated arrays, in a fork of its own that never loads torchlet (see
 * {@link RawOperands}). The step warms up for 10 s: its first seconds compile the autograd paths and fault
 * in the native memory the loop cycles through between collections (about 1 GiB, see Torch.setGcThreshold).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MlpBenchmark {
    @State(Scope.Thread)
    public static class Step {
        Mlp mlp;

        @Setup
        public void setup() { mlp = new Mlp(); }
    }

    @State(Scope.Thread)
    public static class Bound {
        int[][] gemms = Mlp.gemms();
        RawOperands[] operands = new RawOperands[gemms.length];

        @Setup
        public void setup() {
            for (int i = 0; i < gemms.length; i++) {
                long m = gemms[i][2], n = gemms[i][3], k = gemms[i][4];
                operands[i] = new RawOperands(RawOperands.gaussian(m * k, 2 * i), RawOperands.gaussian(k * n, 2 * i + 1), m * n);
            }
        }

        @TearDown
        public void tearDown() {
            for (RawOperands p : operands) p.close();
        }
    }

    @Benchmark
    public Tensor torchletStep(Step s) {
        return s.mlp.step();
    }

    /** Baseline: the step's matrix products by OpenBLAS directly. */
    @Benchmark
    public FloatPointer sgemmBound(Bound b) {
        for (int i = 0; i < b.gemms.length; i++) {
            int[] g = b.gemms[i];
            boolean ta = g[0] == 1, tb = g[1] == 1;
            int m = g[2], n = g[3], k = g[4];
            RawOperands p = b.operands[i];
            // row-major: A is [m, k] (stored [k, m] when transposed), B is [k, n] (stored [n, k] when transposed)
            cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, 1f,
                    p.a, ta ? m : k, p.b, tb ? k : n, 0f, p.c, n);
        }
        return b.operands[0].c;
    }
}

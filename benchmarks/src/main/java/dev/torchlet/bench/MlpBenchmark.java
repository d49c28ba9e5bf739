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
 * transposes into preallocated arrays.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MlpBenchmark {
    Mlp mlp;
    int[][] gemms;
    FloatPointer[][] buffers;

    @Setup
    public void setup() {
        mlp = new Mlp();
        gemms = Mlp.gemms();
        buffers = new FloatPointer[gemms.length][];
        for (int i = 0; i < gemms.length; i++) {
            int m = gemms[i][2], n = gemms[i][3], k = gemms[i][4];
            buffers[i] = new FloatPointer[] {filled((long) m * k), filled((long) k * n), new FloatPointer((long) m * n)};
        }
    }

    private static FloatPointer filled(long n) {
        FloatPointer p = new FloatPointer(n);
        for (long i = 0; i < n; i++) p.put(i, (float) Math.sin(i * 0.001));
        return p;
    }

    @TearDown
    public void tearDown() {
        for (FloatPointer[] b : buffers) for (FloatPointer p : b) p.close();
    }

    @Benchmark
    public Tensor torchletStep() {
        return mlp.step();
    }

    /** Baseline: the step's matrix products by OpenBLAS directly. */
    @Benchmark
    public FloatPointer sgemmBound() {
        for (int i = 0; i < gemms.length; i++) {
            int[] g = gemms[i];
            boolean ta = g[0] == 1, tb = g[1] == 1;
            int m = g[2], n = g[3], k = g[4];
            FloatPointer[] p = buffers[i];
            // row-major: A is [m, k] (stored [k, m] when transposed), B is [k, n] (stored [n, k] when transposed)
            cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, 1f,
                    p[0], ta ? m : k, p[1], tb ? k : n, 0f, p[2], n);
        }
        return buffers[0][2];
    }
}

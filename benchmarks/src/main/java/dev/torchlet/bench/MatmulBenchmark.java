package dev.torchlet.bench;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W4, float32 n x n matmul (result closed), against a raw cblas_sgemm call (OpenBLAS presets) into a
 * preallocated array, in a fork of its own that never loads torchlet (see {@link RawOperands}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MatmulBenchmark {
    @Param({"256", "1024"})
    int n;

    float[] a() { return RawOperands.gaussian((long) n * n, 1); }

    float[] b() { return RawOperands.gaussian((long) n * n, 2); }

    @State(Scope.Thread)
    public static class Tensors {
        Tensor a, b;

        @Setup
        public void setup(MatmulBenchmark w) {
            a = Torch.tensor(w.a()).view(w.n, w.n);
            b = Torch.tensor(w.b()).view(w.n, w.n);
        }
    }

    @State(Scope.Thread)
    public static class Raw extends RawOperands.BaselineState {
        @Setup
        public void setup(MatmulBenchmark w) { p = new RawOperands(w.a(), w.b(), (long) w.n * w.n); }
    }

    @Benchmark
    public Tensor torchletMatmul(Tensors t) {
        Tensor c = t.a.matmul(t.b);
        c.close();
        return c;
    }

    /** Baseline: the same product by OpenBLAS directly, no allocation. */
    @Benchmark
    public FloatPointer rawSgemm(Raw r) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1f, r.p.a, n, r.p.b, n, 0f, r.p.c, n);
        return r.p.c;
    }
}

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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W7, bmm [64, 128, 128] x [64, 128, 128] (result closed), against 64 raw cblas_sgemm calls into a
 * preallocated array, in a fork of its own that never loads torchlet (see {@link RawOperands}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BmmBenchmark {
    static final int B = 64, N = 128;

    static float[] a() { return RawOperands.gaussian((long) B * N * N, 1); }

    static float[] b() { return RawOperands.gaussian((long) B * N * N, 2); }

    @State(Scope.Thread)
    public static class Tensors {
        Tensor a, b;

        @Setup
        public void setup() {
            a = Torch.tensor(a()).view(B, N, N);
            b = Torch.tensor(b()).view(B, N, N);
        }
    }

    @State(Scope.Thread)
    public static class Raw extends RawOperands.BaselineState {
        @Setup
        public void setup() { p = new RawOperands(a(), b(), (long) B * N * N); }
    }

    @Benchmark
    public Tensor torchletBmm(Tensors t) {
        Tensor c = t.a.bmm(t.b);
        c.close();
        return c;
    }

    /** Baseline: one cblas_sgemm per batch entry, no allocation. */
    @Benchmark
    public FloatPointer rawSgemm64(Raw r) {
        FloatPointer pa = r.p.a, pb = r.p.b, pc = r.p.c;
        long step = (long) N * N;
        for (int i = 0; i < B; i++) {
            pa.position(i * step);
            pb.position(i * step);
            pc.position(i * step);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, N, N, 1f, pa, N, pb, N, 0f, pc, N);
        }
        pa.position(0);
        pb.position(0);
        pc.position(0);
        return pc;
    }
}

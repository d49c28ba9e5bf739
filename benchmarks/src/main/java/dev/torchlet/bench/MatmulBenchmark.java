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

/** W4, float32 n x n matmul (result closed), against a raw cblas_sgemm call (OpenBLAS presets) into a preallocated array. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MatmulBenchmark extends RawOperands {
    @Param({"256", "1024"})
    int n;


    @Setup
    public void setup() {
        operands(Torch.linspace(-1, 1, (long) n * n).view(n, n), Torch.linspace(1, -1, (long) n * n).view(n, n),
                (long) n * n);
    }

    @Benchmark
    public Tensor torchletMatmul() {
        Tensor c = a.matmul(b);
        c.close();
        return c;
    }

    /** Baseline: the same product by OpenBLAS directly, no allocation. */
    @Benchmark
    public FloatPointer rawSgemm() {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1f, pa, n, pb, n, 0f, pc, n);
        return pc;
    }
}

package dev.torchlet.bench;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import java.util.concurrent.TimeUnit;
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

/** W1, a.add(b) on two float32 [100] tensors, result allocated per op, against a plain Java loop. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AddBenchmark {
    Tensor a, b;
    float[] x, y;

    @Setup
    public void setup() {
        a = Torch.linspace(-1, 1, 100);
        b = Torch.linspace(2, 3, 100);
        x = a.toFloatArray();
        y = b.toFloatArray();
    }

    /** The result freed at once with close(), as in a scope. */
    @Benchmark
    public Tensor addClosed() {
        Tensor c = a.add(b);
        c.close();
        return c;
    }

    /** The result left to the collector (the allocator frees it once it is unreachable). */
    @Benchmark
    public Tensor addUnclosed() {
        return a.add(b);
    }

    /** Baseline: a new float[100] written by a plain loop. */
    @Benchmark
    public float[] javaLoop() {
        float[] c = new float[x.length];
        for (int i = 0; i < c.length; i++) c[i] = x[i] + y[i];
        return c;
    }
}

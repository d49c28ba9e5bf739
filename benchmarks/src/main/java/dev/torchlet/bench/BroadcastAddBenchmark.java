package dev.torchlet.bench;

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
 * W5, [4096, 4096] + [4096] (row broadcast), result allocated per op and closed; against a STREAM-style add in
 * native code (stream_add.h) over the same sizes into a preallocated output, on 2 threads (the memory
 * bandwidth limit of the 2-core machine).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BroadcastAddBenchmark extends RawOperands {
    static final int N = 4096;
    static final int THREADS = 2;


    @Setup
    public void setup() {
        Torch.manualSeed(0);
        operands(Torch.randn(N, N), Torch.randn(N), (long) N * N);
    }

    @Benchmark
    public Tensor torchletAdd() {
        Tensor c = a.add(b);
        c.close();
        return c;
    }

    /** Baseline: out[i][j] = a[i][j] + b[j] in native code, 2 threads, no allocation. */
    @Benchmark
    public FloatPointer streamAdd() {
        StreamAdd.stream_add(pa, pb, pc, N, N, THREADS);
        return pc;
    }
}

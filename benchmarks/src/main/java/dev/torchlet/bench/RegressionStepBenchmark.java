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

/**
 * W2, seed 000's regression step: X [100, 2] (a column of ones and sorted normal values), W [2] requiring grad;
 * loss = ((y - X@W)^2).mean(); backward(); W -= 0.1 * W.grad under no-grad; the grad zeroed. Nothing is closed,
 * as in the notebook's port: the allocator frees what becomes unreachable.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RegressionStepBenchmark {
    Tensor X, y, W;

    @Setup
    public void setup() {
        Torch.manualSeed(202150754);
        long n = 100;
        Tensor x = Torch.randn(n).sort().values();
        X = Torch.vstack(Torch.ones(n), x).t();
        y = X.matmul(Torch.tensor(2.5f, 4f)).add(Torch.randn(n).mul(0.4));
        W = Torch.tensor(-5.0f, 10.0f).requiresGrad_(true);
    }

    @Benchmark
    public Tensor step() {
        Tensor loss = y.sub(X.matmul(W)).pow(2).mean();
        loss.backward();
        try (var g = Torch.noGrad()) {
            W.sub_(W.grad().mul(0.1));
            W.grad().zero_();
        }
        return loss;
    }
}

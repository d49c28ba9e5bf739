package dev.torchlet.bench;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.nn.Flatten;
import dev.torchlet.nn.Linear;
import dev.torchlet.nn.MSELoss;
import dev.torchlet.nn.Reduction;
import dev.torchlet.nn.Sequential;
import dev.torchlet.optim.Optimizer;
import dev.torchlet.optim.SGD;
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
 * W3, seed 003's fit: x = linspace(-pi, pi, 2000), features x^1..x^3 [2000, 3], Sequential(Linear(3, 1),
 * Flatten(0, 1)), MSELoss(reduction=sum), SGD lr 1e-6; one step = zeroGrad, forward, backward, step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PolyFitBenchmark {
    Tensor xx, y;
    Sequential model;
    MSELoss lossFn;
    Optimizer opt;

    @Setup
    public void setup() {
        Torch.manualSeed(0);
        Tensor x = Torch.linspace(-Math.PI, Math.PI, 2000);
        y = x.sin();
        xx = x.unsqueeze(-1).pow(Torch.tensor(1, 2, 3));
        model = new Sequential(new Linear(3, 1), new Flatten(0, 1));
        lossFn = new MSELoss(Reduction.SUM);
        opt = new SGD(model.parameters(), 1e-6);
    }

    @Benchmark
    public Tensor step() {
        opt.zeroGrad();
        Tensor loss = lossFn.forward(model.forward(xx), y);
        loss.backward();
        opt.step();
        return loss;
    }
}

package dev.torchlet.bench;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.nn.CrossEntropyLoss;
import dev.torchlet.nn.Linear;
import dev.torchlet.nn.Module;
import dev.torchlet.nn.ReLU;
import dev.torchlet.nn.Sequential;
import dev.torchlet.optim.Optimizer;
import dev.torchlet.optim.SGD;

/**
 * W6's training step: MLP 784 -> 1024 -> 1024 -> 10 with ReLU, cross-entropy, SGD momentum 0.9, one fixed
 * batch of 256 (random inputs, random labels). Nothing is closed: a plain training loop, the allocator frees
 * what becomes unreachable. Shared by {@link MlpBenchmark} and the native-memory soak ({@link MlpSoak}).
 */
final class Mlp {
    static final int BATCH = 256;
    /** Layer widths: in, hidden, hidden, out. */
    static final int[] WIDTHS = {784, 1024, 1024, 10};

    final Sequential model;
    final Optimizer opt;
    final CrossEntropyLoss lossFn = new CrossEntropyLoss();
    final Tensor x, labels;

    Mlp() { this(BATCH); }

    /** With a batch of batchSize samples (a rank's share of the batch in the distributed benchmark). */
    Mlp(int batchSize) {
        Torch.manualSeed(0);
        model = new Sequential(new Linear(WIDTHS[0], WIDTHS[1]), new ReLU(), new Linear(WIDTHS[1], WIDTHS[2]), new ReLU(),
                new Linear(WIDTHS[2], WIDTHS[3]));
        opt = new SGD(model.parameters(), 0.01, 0.9);
        x = Torch.randn(batchSize, WIDTHS[0]);
        labels = Torch.randint(0, WIDTHS[3], batchSize);
    }

    /** zeroGrad, forward, loss, backward, step. */
    Tensor step() { return step(model); }

    /** A step with forward through wrapper (the model wrapped, as by DistributedDataParallel). */
    Tensor step(Module wrapper) {
        opt.zeroGrad();
        Tensor loss = lossFn.forward(wrapper.forward(x), labels);
        loss.backward();
        opt.step();
        return loss;
    }

    /**
     * The matrix products of one step, as torchlet's Linear runs them (row-major, {transA, transB, M, N, K}):
     * forward y = x W^T for each layer; backward dW = g^T x for each layer and dx = g W for all but the first
     * (the input needs no gradient).
     */
    static int[][] gemms() {
        int b = BATCH;
        int[][] g = new int[8][];
        int i = 0;
        for (int l = 0; l < 3; l++) g[i++] = new int[] {0, 1, b, WIDTHS[l + 1], WIDTHS[l]};      // forward, NT
        for (int l = 2; l >= 0; l--) {
            g[i++] = new int[] {1, 0, WIDTHS[l + 1], WIDTHS[l], b};                                // dW, TN
            if (l > 0) g[i++] = new int[] {0, 0, b, WIDTHS[l], WIDTHS[l + 1]};                     // dx, NN
        }
        return g;
    }

    /** Floating-point operations of {@link #gemms()}. */
    static double gemmFlops() {
        double f = 0;
        for (int[] g : gemms()) f += 2.0 * g[2] * g[3] * g[4];
        return f;
    }
}

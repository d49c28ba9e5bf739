package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchlet.nn.CrossEntropyLoss;
import dev.torchlet.nn.Linear;
import dev.torchlet.nn.ReLU;
import dev.torchlet.nn.Sequential;
import dev.torchlet.optim.Adam;
import dev.torchlet.optim.Optimizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A plain training loop, nothing closed and no scope: native memory stays bounded for 100,000 steps. */
class TrainingMemoryTest {
    @AfterEach void restoreThreshold() { Torch.setGcThreshold(1L << 30); }

    @Test void hundredThousandStepsWithoutCloseStayBounded() {
        Torch.setGcThreshold(16L << 20);
        Torch.manualSeed(0);
        Sequential model = new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 4));
        Optimizer optimizer = new Adam(model.parameters(), 1e-3);
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        Tensor x = Torch.randn(32, 8), y = Torch.randint(0, 4, 32);
        long peak = 0;
        double first = 0, last = 0;
        for (int step = 0; step < 100_000; step++) {
            Tensor loss = lossFn.forward(model.forward(x), y);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item();
            if (step % 1000 == 0) peak = Math.max(peak, Torch.memoryStats().bytesInUse());
            if (step == 99_999) last = loss.item();
        }
        assertTrue(peak < 32L << 20, "native bytes in use reached " + peak);
        assertTrue(last < first / 4, "the loop trained: loss " + first + " -> " + last);
    }
}

package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchlet.nn.Linear;
import dev.torchlet.nn.MSELoss;
import dev.torchlet.nn.Module;
import dev.torchlet.nn.ReLU;
import dev.torchlet.nn.Sequential;
import dev.torchlet.optim.Optimizer;
import dev.torchlet.optim.SGD;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The soak: a million training steps of a small model in a plain loop, as a user naively writes it (no
 * close(), no scope), with native memory measured all along: it must stay under a fixed bound and must not
 * grow. Once in this JVM, once in a child JVM whose heap is capped at 64 MB; the child starts first and runs
 * alongside, so that on two free cores the pair takes the time of one.
 */
class SoakTest {
    static final int STEPS = 1_000_000;
    static final int WARM_UP = 10_000;
    /**
     * The allocator's GC threshold for the soak. Past it, an allocation asks the JVM for a collection and waits
     * until the unreachable tensors' blocks are freed (NativeAllocator.collect), so native bytes in use stay
     * under it; only a collection that frees too little within about half a second lets them go on, and then
     * only to twice the bytes in use at that moment. Hence the bound: twice the threshold. 8 MiB is low enough
     * to cap the peak in both JVMs (the -Xmx64m child's own young collections let it reach 11 MB at times).
     */
    static final long GC_THRESHOLD = 8L << 20;
    static final long BOUND = 2 * GC_THRESHOLD;

    /**
     * What a soak measured.
     * @param tenthPeaks the allocator's peak native bytes in use in each tenth of the steps after warm-up
     * @param settledAfterWarmUp native bytes in use after warm-up, once the garbage is collected
     * @param settledAtEnd the same after the last step
     * @param firstLoss the loss of the first step
     * @param lastTenthMaxLoss the highest loss sampled (every 1000 steps) in the last tenth
     * @param stepsPerSecond the step rate after warm-up
     * @param gcRequests the collections the allocator asked for
     */
    record Result(long[] tenthPeaks, long settledAfterWarmUp, long settledAtEnd, double firstLoss,
                  double lastTenthMaxLoss, double stepsPerSecond, long gcRequests) {
        /** One line, which a parent JVM parses back. */
        @Override public String toString() {
            return "soak " + Arrays.toString(tenthPeaks).replace(" ", "") + " " + settledAfterWarmUp + " "
                    + settledAtEnd + " " + firstLoss + " " + lastTenthMaxLoss + " " + stepsPerSecond + " " + gcRequests;
        }

        static Result parse(String output) {
            String line = output.lines().filter(l -> l.startsWith("soak ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no soak line in:\n" + output));
            String[] f = line.split(" ");
            long[] peaks = Arrays.stream(f[1].substring(1, f[1].length() - 1).split(","))
                    .mapToLong(Long::parseLong).toArray();
            return new Result(peaks, Long.parseLong(f[2]), Long.parseLong(f[3]), Double.parseDouble(f[4]),
                    Double.parseDouble(f[5]), Double.parseDouble(f[6]), Long.parseLong(f[7]));
        }
    }

    private static ChildJvm heapCapped;

    @BeforeAll static void startTheHeapCappedChild() {
        heapCapped = ChildJvm.start(SoakTest.class, List.of("-Xmx64m"), Integer.toString(STEPS));
    }

    @AfterAll static void endTheHeapCappedChild() { heapCapped.kill(); } // if its test did not run

    @AfterEach void restoreThreshold() { Torch.setGcThreshold(1L << 30); }

    @Test void aMillionStepsInAPlainLoopKeepNativeMemoryFlat() {
        Result r = soak(STEPS);
        System.out.println("SoakTest in this JVM (max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB): "
                + r);
        assertFlatAndTrained(r);
    }

    @Test void aMillionStepsUnderA64MbHeapKeepNativeMemoryFlat() {
        ChildJvm.Result child = heapCapped.await(600);
        assertEquals(0, child.exitCode(), child.output());
        Result r = Result.parse(child.output());
        System.out.println("SoakTest in a child JVM with -Xmx64m: " + r);
        assertFlatAndTrained(r);
    }

    /** The child JVM of the -Xmx64m variant: soaks for args[0] steps and prints the result line. */
    public static void main(String[] args) {
        System.out.println(soak(Integer.parseInt(args[0])));
    }

    static void assertFlatAndTrained(Result r) {
        for (long peak : r.tenthPeaks()) {
            assertTrue(peak <= BOUND, "native bytes in use reached " + peak + " > " + BOUND + ": " + r);
        }
        // The same tensors are live after warm-up and at the end (parameters, gradients, momentum buffers):
        // not one byte more may be held after a million steps.
        assertEquals(r.settledAfterWarmUp(), r.settledAtEnd(), "native memory grew: " + r);
        // Below the threshold the peak follows the collector's rhythm, which drifts as the JVM tunes itself (the
        // JIT allocates fewer heap bytes per step as it warms, G1 resizes the young generation): under -Xmx64m,
        // tenths ranged from 5.5 to 7.5 MB. The last tenth's peak may differ from the first's, but must not
        // exceed the highest of the first five by half.
        long firstHalf = Arrays.stream(r.tenthPeaks(), 0, 5).max().orElseThrow(), last = r.tenthPeaks()[9];
        assertTrue(last <= firstHalf + firstHalf / 2, "the peak grew from " + firstHalf + " to " + last + ": " + r);
        assertTrue(r.lastTenthMaxLoss() < r.firstLoss() / 100, "the loop did not train: " + r);
    }

    /** Trains for steps in a plain loop (after warm-up), measuring as described in {@link Result}. */
    static Result soak(int steps) {
        Torch.setGcThreshold(GC_THRESHOLD);
        Torch.manualSeed(0);
        Module model = new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 1));
        Optimizer optimizer = new SGD(model.parameters(), 0.01, 0.9);
        MSELoss lossFn = new MSELoss();

        double firstLoss = train(model, optimizer, lossFn, WARM_UP)[0];
        long settledAfterWarmUp = MemoryTest.inUse();
        long gcRequestsBefore = Torch.memoryStats().gcRequests();
        long[] tenthPeaks = new long[10];
        double lastTenthMaxLoss = 0;
        long start = System.nanoTime();
        for (int tenth = 0; tenth < 10; tenth++) {
            Torch.resetPeakMemoryStats();
            double[] losses = train(model, optimizer, lossFn, steps / 10);
            tenthPeaks[tenth] = Torch.memoryStats().peakBytesInUse();
            lastTenthMaxLoss = Arrays.stream(losses).max().orElseThrow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long gcRequests = Torch.memoryStats().gcRequests() - gcRequestsBefore;
        return new Result(tenthPeaks, settledAfterWarmUp, MemoryTest.inUse(), firstLoss, lastTenthMaxLoss,
                steps / seconds, gcRequests);
    }

    /**
     * The loop as a user writes it: a fresh batch of 16 each step (the target is the sum of the features,
     * which the model can learn exactly), nothing closed. Returns the loss every 1000 steps.
     */
    private static double[] train(Module model, Optimizer optimizer, MSELoss lossFn, int steps) {
        double[] losses = new double[(steps + 999) / 1000];
        for (int step = 0; step < steps; step++) {
            Tensor x = Torch.randn(16, 8);
            Tensor loss = lossFn.forward(model.forward(x), x.sum(1, true));
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            if (step % 1000 == 0) losses[step / 1000] = loss.item();
        }
        return losses;
    }
}

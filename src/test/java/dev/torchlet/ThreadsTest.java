package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchlet.optim.Adam;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several Java threads at once: ops and whole training runs give the bits they give alone, and the default
 * generator, the allocator, tensors closed twice and grad mode are safe under threads. (The same bits for
 * every Torch.setNumThreads count: DeterminismTest.)
 */
class ThreadsTest {
    private static long[] bits(Tensor t) { return DeterminismTest.bits(t); }

    private static int saved;

    @BeforeAll static void save() { saved = Torch.getNumThreads(); }

    @AfterAll static void restore() { Torch.setNumThreads(saved); }

    @Test void severalJavaThreadsAtOnce() throws Exception {
        Torch.setNumThreads(Math.max(2, saved));
        Map<String, Supplier<Tensor>> ops = DeterminismTest.ops();
        ops.putAll(DeterminismTest.products());
        Map<String, long[]> expected = new LinkedHashMap<>();
        ops.forEach((name, op) -> expected.put(name, bits(op.get())));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int rep = 0; rep < 2; rep++) {
                        ops.forEach((name, op) -> {
                            try (var scope = Torch.scope()) {
                                assertArrayEquals(expected.get(name), bits(op.get()), name);
                            }
                        });
                    }
                    return null;
                }));
            }
            // and change the thread count while they run
            for (int n : new int[] {1, 3, 2}) Torch.setNumThreads(n);
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdown();
        }
    }

    /**
     * A model trained with batched products (bmm forward and backward): [4, 128, 64] x [4, 64, 64] weights,
     * Adam. Returns the bits of its weights.
     */
    private static long[] trainBatched(Generator g, int steps) {
        try (var scope = Torch.scope()) {
            Tensor x = Torch.randn(new long[] {4, 128, 64}, DType.FLOAT32, g);
            Tensor target = Torch.randn(new long[] {4, 128, 64}, DType.FLOAT32, g);
            Tensor w = Torch.randn(new long[] {4, 64, 64}, DType.FLOAT32, g).mul(0.125).requiresGrad_(true);
            Adam opt = new Adam(List.of(w), 1e-3);
            for (int step = 0; step < steps; step++) {
                try (var s = Torch.scope()) {
                    Tensor loss = x.bmm(w).relu().bmm(w).sub(target).pow(2).mean();
                    opt.zeroGrad();
                    loss.backward();
                    opt.step();
                }
            }
            return bits(w.detach());
        }
    }

    /**
     * Four threads train four models at once, each from its own generator: two MLPs whose first layer is a
     * 100 x 1000 x 100 product (one OpenBLAS call on OpenBLAS's threads, whose bits depend on their count)
     * and two models of batched products (which run OpenBLAS on one thread); each gets the weights it gets
     * alone.
     */
    @Test void separateModelsTrainedAtOnceMatchTheirRunsAlone() throws Exception {
        Torch.setNumThreads(Math.max(2, saved));
        List<Callable<long[]>> runs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            long seed = 100 + t;
            runs.add(t % 2 == 0
                    ? () -> DeterminismTest.trainMlp(new Generator().manualSeed(seed), 20, 100, 1000, 100, 10)
                    : () -> trainBatched(new Generator().manualSeed(seed), 30));
        }
        List<long[]> alone = new ArrayList<>();
        for (Callable<long[]> run : runs) alone.add(run.call());
        ExecutorService pool = Executors.newFixedThreadPool(runs.size());
        try {
            List<Future<long[]>> together = pool.invokeAll(runs);
            for (int t = 0; t < runs.size(); t++) assertArrayEquals(alone.get(t), together.get(t).get(), "model " + t);
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Threads drawing from the default generator at once: each call is atomic, so the calls run in some order
     * and return exactly what the same number of calls returns on one thread, in some order, and leave the
     * generator in the same state. randn(7) draws element by element and uses the generator's cached normal.
     */
    @Test void defaultGeneratorDrawsAreAtomicUnderThreads() throws Exception {
        int threads = 4, calls = 400;
        Torch.manualSeed(77);
        List<String> alone = new ArrayList<>();
        for (int i = 0; i < threads * calls; i++) alone.add(Arrays.toString(Torch.randn(7).toFloatArray()));
        byte[] stateAlone = Generator.defaultGenerator().getState();

        Torch.manualSeed(77);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<String> together = new ArrayList<>();
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Callable<List<String>>> draws = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                draws.add(() -> {
                    start.await();
                    List<String> mine = new ArrayList<>();
                    for (int i = 0; i < calls; i++) mine.add(Arrays.toString(Torch.randn(7).toFloatArray()));
                    return mine;
                });
            }
            for (Future<List<String>> f : pool.invokeAll(draws)) together.addAll(f.get());
        } finally {
            pool.shutdown();
        }
        List<String> sortedAlone = new ArrayList<>(alone);
        Collections.sort(sortedAlone);
        Collections.sort(together);
        assertEquals(sortedAlone, together);
        assertArrayEquals(stateAlone, Generator.defaultGenerator().getState());
    }

    /**
     * Threads allocating and freeing at once, small blocks and cached large ones, tensors handed to another
     * thread to close: the bytes and blocks in use come back to where they were, and the cache holds each
     * block once (tensors allocated afterwards do not alias).
     */
    @Test void allocatorAccountingIsExactUnderThreads() throws Exception {
        long before = MemoryTest.inUse();
        long blocksBefore = Torch.memoryStats().liveBlocks();
        int threads = 4;
        BlockingQueue<Tensor> handOff = new LinkedBlockingQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Void>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                work.add(() -> {
                    for (int i = 0; i < 2000; i++) {
                        long n = (i % 5 == 0) ? 20_000 + 997 * id : 1 + (i * 31 + id) % 300; // 80 KB or small
                        Tensor a = Torch.full(new long[] {n}, i, DType.FLOAT32);
                        Tensor view = a.view(-1);
                        handOff.put(a.add(1)); // closed by whichever thread takes it
                        a.close();
                        try (Tensor max = view.max()) {
                            if (max.item() != i) throw new AssertionError("block reused while in use");
                        }
                        view.close();
                        Tensor other = handOff.poll();
                        if (other != null) other.close();
                    }
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(work)) f.get();
        } finally {
            pool.shutdown();
        }
        for (Tensor t; (t = handOff.poll()) != null;) t.close();
        assertEquals(before, MemoryTest.inUse());
        assertEquals(blocksBefore, Torch.memoryStats().liveBlocks());
        List<Tensor> fresh = new ArrayList<>();
        for (int i = 0; i < 64; i++) fresh.add(Torch.full(new long[] {i % 2 == 0 ? 20_000 : 100}, i, DType.FLOAT32));
        for (int i = 0; i < 64; i++) {
            try (Tensor max = fresh.get(i).max()) { // closed, so that the last count needs no collection
                assertEquals(i, max.item(), "tensor " + i + " shares its block");
            }
        }
        fresh.forEach(Tensor::close);
        Torch.emptyCache();
        assertEquals(0, Torch.memoryStats().bytesCached());
        assertEquals(before, MemoryTest.inUse());
    }

    /**
     * Two threads closing the same tensors at the same time release each one's reference once: their views
     * keep their storage. (Before, both threads could pass the closed check, and a view was left on freed
     * memory.)
     */
    @Test void closingOneTensorFromTwoThreadsReleasesItOnce() throws Exception {
        long before = MemoryTest.inUse();
        int n = 20_000;
        Tensor[] tensors = new Tensor[n], views = new Tensor[n];
        for (int i = 0; i < n; i++) {
            tensors[i] = Torch.ones(4);
            views[i] = tensors[i].view(2, 2);
        }
        AtomicInteger arrived = new AtomicInteger();
        Callable<Void> closeAll = () -> { // in lockstep: a spinning barrier before each close
            for (int i = 0; i < n; i++) {
                arrived.incrementAndGet();
                while (arrived.get() < 2 * (i + 1)) Thread.yield(); // not a busy spin: one core may run both
                tensors[i].close();
            }
            return null;
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (Future<Void> f : pool.invokeAll(List.of(closeAll, closeAll))) f.get();
        } finally {
            pool.shutdown();
        }
        for (int i = 0; i < n; i++) assertFalse(views[i].data().storage.isFreed(), "view " + i + " lost its storage");
        for (Tensor v : views) v.close();
        assertEquals(before, MemoryTest.inUse());
    }

    /** Grad mode is per thread, as in PyTorch: noGrad on one thread leaves another recording, both ways. */
    @Test void gradModeIsPerThread() throws Exception {
        Tensor w = Torch.ones(3).requiresGrad_(true);
        CountDownLatch mainOff = new CountDownLatch(1), otherOff = new CountDownLatch(1), mainChecked = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            Future<Tensor> other = pool.submit(() -> {
                mainOff.await();
                assertTrue(Torch.isGradEnabled());
                Tensor y = w.mul(2); // recorded while the main thread is in noGrad
                try (var off = Torch.noGrad()) {
                    otherOff.countDown();
                    mainChecked.await(); // still in noGrad while the main thread records
                    assertNull(w.mul(3).gradFn());
                }
                return y;
            });
            try (var off = Torch.noGrad()) {
                mainOff.countDown();
                assertTrue(otherOff.await(30, TimeUnit.SECONDS));
                assertNull(w.mul(2).gradFn());
            }
            assertTrue(Torch.isGradEnabled());
            assertEquals("MulBackward0", w.mul(2).gradFn().name());
            mainChecked.countDown();
            assertEquals("MulBackward0", other.get().gradFn().name());
        } finally {
            pool.shutdown();
        }
    }

    @Test void rejectsNonPositiveCounts() {
        assertThrows(IllegalArgumentException.class, () -> Torch.setNumThreads(0));
    }
}

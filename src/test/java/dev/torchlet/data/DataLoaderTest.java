package dev.torchlet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchlet.DType;
import dev.torchlet.Generator;
import dev.torchlet.MemoryTest;
import dev.torchlet.Scope;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DataLoader: batch orders against PyTorch, and the prefetch thread (same order, exceptions, threads,
 * memory, grad mode, scopes).
 *
 * <p>The golden orders were printed by torch 1.13 (Debian's python3-torch) running tools/golden/data.py;
 * each test quotes the Python of its case, with {@code ds10 = TensorDataset(torch.arange(10))} and
 * {@code batches(loader) = [b[0].tolist() for b in loader]}.
 */
class DataLoaderTest {
    @AfterEach void restoreThreshold() { Torch.setGcThreshold(1L << 30); }

    private static TensorDataset ds10() { return new TensorDataset(Torch.arange(10)); }

    /** One epoch: each batch's first tensor as a list of longs. */
    private static List<List<Long>> epoch(DataLoader<List<Tensor>> loader) {
        List<List<Long>> out = new ArrayList<>();
        for (List<Tensor> batch : loader) out.add(longs(batch.get(0).toLongArray()));
        return out;
    }

    private static List<Long> longs(long... values) {
        List<Long> out = new ArrayList<>();
        for (long v : values) out.add(v);
        return out;
    }

    private static List<List<Long>> batches(long[]... batches) {
        List<List<Long>> out = new ArrayList<>();
        for (long[] b : batches) out.add(longs(b));
        return out;
    }

    /**
     * <pre>
     * torch.manual_seed(0)
     * loader = DataLoader(ds10, batch_size=3, shuffle=True)
     * batches(loader)     # [[6, 7, 1], [4, 2, 0], [9, 8, 3], [5]]
     * batches(loader)     # [[2, 4, 7], [0, 8, 9], [5, 3, 6], [1]]
     * torch.randint(0, 1000, (3,)).tolist()   # [497, 683, 101]
     * </pre>
     */
    @ParameterizedTest @ValueSource(ints = {0, 1, 2})
    void shuffleSeededFromTheDefaultGenerator(int prefetch) {
        Torch.manualSeed(0);
        DataLoader<List<Tensor>> loader = DataLoader.builder(ds10()).batchSize(3).shuffle(true).prefetch(prefetch).build();
        assertEquals(batches(new long[] {6, 7, 1}, new long[] {4, 2, 0}, new long[] {9, 8, 3}, new long[] {5}), epoch(loader));
        assertEquals(batches(new long[] {2, 4, 7}, new long[] {0, 8, 9}, new long[] {5, 3, 6}, new long[] {1}), epoch(loader));
        assertArrayEquals(new long[] {497, 683, 101}, Torch.randint(0, 1000, 3).toLongArray());
    }

    /**
     * <pre>
     * g = torch.Generator().manual_seed(42)
     * loader = DataLoader(ds10, batch_size=4, shuffle=True, generator=g, drop_last=True)
     * batches(loader)  # [[6, 5, 4, 0], [8, 9, 2, 1]]
     * batches(loader)  # [[3, 6, 5, 8], [9, 4, 2, 0]]
     * batches(loader)  # [[7, 4, 5, 0], [9, 1, 3, 2]]
     * torch.randperm(5, generator=g).tolist()  # [1, 3, 4, 0, 2]
     * </pre>
     */
    @ParameterizedTest @ValueSource(ints = {0, 1, 2, 5})
    void shuffleWithAGeneratorAndDropLast(int prefetch) {
        Generator g = new Generator().manualSeed(42);
        DataLoader<List<Tensor>> loader = DataLoader.builder(ds10()).batchSize(4).shuffle(true).generator(g)
                .dropLast(true).prefetch(prefetch).build();
        assertEquals(2, loader.size());
        assertEquals(batches(new long[] {6, 5, 4, 0}, new long[] {8, 9, 2, 1}), epoch(loader));
        assertEquals(batches(new long[] {3, 6, 5, 8}, new long[] {9, 4, 2, 0}), epoch(loader));
        assertEquals(batches(new long[] {7, 4, 5, 0}, new long[] {9, 1, 3, 2}), epoch(loader));
        assertArrayEquals(new long[] {1, 3, 4, 0, 2}, Torch.randperm(5, g).toLongArray());
    }

    /**
     * <pre>
     * torch.manual_seed(1)
     * batches(DataLoader(ds10, batch_size=4))  # [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
     * torch.randint(0, 1000, (3,)).tolist()    # [124, 368, 263]
     * </pre>
     */
    @ParameterizedTest @ValueSource(ints = {0, 2})
    void inOrderStillDrawsTheBaseSeed(int prefetch) {
        Torch.manualSeed(1);
        DataLoader<List<Tensor>> loader = DataLoader.builder(ds10()).batchSize(4).prefetch(prefetch).build();
        assertEquals(3, loader.size());
        assertEquals(batches(new long[] {0, 1, 2, 3}, new long[] {4, 5, 6, 7}, new long[] {8, 9}), epoch(loader));
        assertArrayEquals(new long[] {124, 368, 263}, Torch.randint(0, 1000, 3).toLongArray());
    }

    /**
     * Without prefetch, leaving an epoch early draws what PyTorch draws:
     * <pre>
     * g = torch.Generator().manual_seed(5)
     * loader = DataLoader(ds10, batch_size=4, shuffle=True, generator=g)
     * for b in loader: print(b[0].tolist()); break      # [7, 4, 8, 1]
     * torch.randperm(5, generator=g).tolist()           # [0, 4, 1, 3, 2]
     * </pre>
     * With prefetch the sampler runs ahead (here to the end of the epoch, whose trailing permutation it
     * draws), as documented; the batch is the same.
     */
    @Test void leavingAnEpochEarly() {
        Generator g = new Generator().manualSeed(5);
        DataLoader<List<Tensor>> loader = DataLoader.builder(ds10()).batchSize(4).shuffle(true).generator(g).build();
        try (var it = loader.iterator()) {
            assertArrayEquals(new long[] {7, 4, 8, 1}, it.next().get(0).toLongArray());
        }
        assertArrayEquals(new long[] {0, 4, 1, 3, 2}, Torch.randperm(5, g).toLongArray());

        g.manualSeed(5);
        DataLoader<List<Tensor>> ahead = DataLoader.builder(ds10()).batchSize(4).shuffle(true).generator(g).prefetch(2).build();
        try (var it = ahead.iterator()) {
            assertArrayEquals(new long[] {7, 4, 8, 1}, it.next().get(0).toLongArray());
        }
    }

    private static TensorDataset features(int n) {
        Torch.manualSeed(11);
        return new TensorDataset(Torch.randn(n, 3, 2), Torch.randint(0, 5, n), Torch.arange(n));
    }

    @ParameterizedTest @ValueSource(booleans = {false, true})
    void prefetchedBatchesEqualTheSynchronousOnes(boolean dropLast) {
        TensorDataset data = features(103);
        for (int prefetch : new int[] {1, 2, 4}) {
            DataLoader<List<Tensor>> sync = DataLoader.builder(data).batchSize(8).shuffle(true)
                    .generator(new Generator().manualSeed(3)).dropLast(dropLast).build();
            DataLoader<List<Tensor>> ahead = DataLoader.builder(data).batchSize(8).shuffle(true)
                    .generator(new Generator().manualSeed(3)).dropLast(dropLast).prefetch(prefetch).build();
            for (int epoch = 0; epoch < 3; epoch++) {
                var a = sync.iterator();
                var b = ahead.iterator();
                int count = 0;
                while (a.hasNext()) {
                    assertTrue(b.hasNext());
                    List<Tensor> x = a.next(), y = b.next();
                    assertEquals(3, y.size());
                    assertArrayEquals(x.get(0).toFloatArray(), y.get(0).toFloatArray());
                    assertEquals(x.get(0).shape(), y.get(0).shape());
                    assertArrayEquals(x.get(1).toLongArray(), y.get(1).toLongArray());
                    assertArrayEquals(x.get(2).toLongArray(), y.get(2).toLongArray());
                    count++;
                }
                assertFalse(b.hasNext());
                assertThrows(NoSuchElementException.class, b::next);
                assertEquals(sync.size(), count);
                assertEquals(dropLast ? 12 : 13, count);
            }
        }
    }

    /** Samples of 0..n-1 that throw for one index. */
    private static final class Failing implements Dataset<Tensor> {
        final int n, bad;

        Failing(int n, int bad) {
            this.n = n;
            this.bad = bad;
        }

        @Override public Tensor get(int index) {
            if (index == bad) throw new IllegalStateException("bad sample " + index);
            return Torch.scalarTensor((long) index);
        }

        @Override public int size() { return n; }
    }

    @ParameterizedTest @ValueSource(ints = {0, 2})
    void anExceptionWhileLoadingSurfacesInNext(int prefetch) throws InterruptedException {
        DataLoader<Tensor> loader = DataLoader.builder(new Failing(10, 5)).batchSize(3).prefetch(prefetch).build();
        var it = (LoaderIterator<Tensor>) loader.iterator();
        assertArrayEquals(new long[] {0, 1, 2}, it.next().toLongArray());
        IllegalStateException e = assertThrows(IllegalStateException.class, it::next);
        assertEquals("bad sample 5", e.getMessage());
        if (prefetch > 0) {
            assertEquals(1, e.getSuppressed().length); // marks where it was rethrown
            assertTrue(e.getStackTrace()[0].getClassName().contains("Failing"));
        }
        // the epoch goes on, as PyTorch's does after a failed batch
        assertArrayEquals(new long[] {6, 7, 8}, it.next().toLongArray());
        assertArrayEquals(new long[] {9}, it.next().toLongArray());
        assertFalse(it.hasNext());
        if (prefetch > 0) assertEnds(it.workerThread());
    }

    private static void assertEnds(Thread t) throws InterruptedException {
        assertNotNull(t);
        t.join(10_000);
        assertFalse(t.isAlive(), t.getName() + " still running");
    }

    private static List<Thread> loaderThreads() {
        List<Thread> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("torchlet-dataloader-") && t.isAlive()) out.add(t);
        }
        return out;
    }

    @Test void noThreadLeftBehind() throws InterruptedException {
        DataLoader<List<Tensor>> loader = DataLoader.builder(features(50)).batchSize(4).shuffle(true).prefetch(2).build();
        // exhausted
        var it = (LoaderIterator<List<Tensor>>) loader.iterator();
        while (it.hasNext()) it.next();
        assertEnds(it.workerThread());
        // exhausted without a final hasNext(): the last next() ends it
        it = (LoaderIterator<List<Tensor>>) loader.iterator();
        for (int i = 0; i < loader.size(); i++) it.next();
        assertEnds(it.workerThread());
        // closed early
        it = (LoaderIterator<List<Tensor>>) loader.iterator();
        it.next();
        it.close();
        assertFalse(it.hasNext());
        assertEnds(it.workerThread());
        // abandoned in a for-each loop: ends once the iterator is collected
        Thread abandoned = abandonAfterOneBatch(loader);
        for (int i = 0; i < 100 && abandoned.isAlive(); i++) {
            System.gc();
            abandoned.join(100);
        }
        assertFalse(abandoned.isAlive(), "the thread of an abandoned iterator still runs");
        for (Thread t : loaderThreads()) t.join(5_000);
        assertEquals(List.of(), loaderThreads());
    }

    private static Thread abandonAfterOneBatch(DataLoader<List<Tensor>> loader) {
        var it = (LoaderIterator<List<Tensor>>) loader.iterator();
        it.next();
        return it.workerThread();
    }

    /**
     * Native bytes in use (as MemoryTest measures them) once the loader threads of earlier tests' abandoned
     * iterators, which end and free their batches when collected, are gone.
     */
    private static long inUse() {
        for (int round = 0; round < 100 && !loaderThreads().isEmpty(); round++) {
            System.gc();
            for (Thread t : loaderThreads()) {
                try {
                    t.join(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return MemoryTest.inUse();
    }

    @Test void nativeMemoryStaysBoundedOverManyEpochs() {
        TensorDataset data = new TensorDataset(Torch.randn(512, 256), Torch.randint(0, 10, 512)); // 512 KiB
        long before = inUse();
        Torch.setGcThreshold(before + (4L << 20));
        DataLoader<List<Tensor>> loader = DataLoader.builder(data).batchSize(32).shuffle(true).prefetch(2).build();
        long peak = 0;
        double sum = 0;
        for (int epoch = 0; epoch < 200; epoch++) { // 3,200 batches of 32 KiB, 100 MiB in all, none closed
            for (List<Tensor> batch : loader) sum += batch.get(0).sum().item();
            peak = Math.max(peak, Torch.memoryStats().bytesInUse());
        }
        assertTrue(Double.isFinite(sum));
        assertTrue(peak < before + (8L << 20), "native bytes in use reached " + peak + " from " + before);
        for (Thread t : loaderThreads()) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        assertEquals(before, inUse());
    }

    @Test void closingFreesTheBatchesLoadedAhead() throws InterruptedException {
        TensorDataset data = new TensorDataset(Torch.randn(64, 100));
        DataLoader<List<Tensor>> loader = DataLoader.builder(data).batchSize(8).prefetch(3).build();
        long before = inUse();
        var it = (LoaderIterator<List<Tensor>>) loader.iterator();
        Tensor first = it.next().get(0);
        Thread.sleep(200); // the thread loads three more
        it.close();
        assertEnds(it.workerThread());
        assertEquals(before + 8 * 100 * 4, inUse());
        first.close();
        assertEquals(before, inUse());
    }

    @ParameterizedTest @ValueSource(ints = {0, 2})
    void batchesJoinTheCallersScope(int prefetch) {
        DataLoader<List<Tensor>> loader = DataLoader.builder(features(20)).batchSize(5).prefetch(prefetch).build();
        List<Tensor> inside, kept;
        try (var it = loader.iterator()) {
            try (Scope scope = Torch.scope()) {
                inside = it.next();
                kept = it.next();
                scope.keep(kept.get(0));
            }
            List<Tensor> outside = it.next();
            assertFalse(outside.get(0).isClosed());
        }
        for (Tensor t : inside) assertTrue(t.isClosed());
        assertFalse(kept.get(0).isClosed());
        assertTrue(kept.get(1).isClosed());
    }

    /** Returns whether grad mode was on while the sample was loaded. */
    private static final class GradProbe implements Dataset<Tensor> {
        @Override public Tensor get(int index) { return Torch.tensor(Torch.isGradEnabled()); }

        @Override public int size() { return 6; }
    }

    @ParameterizedTest @ValueSource(ints = {0, 2})
    void loadsInTheCallersGradMode(int prefetch) {
        DataLoader<Tensor> loader = DataLoader.builder(new GradProbe()).batchSize(2).prefetch(prefetch).build();
        for (Tensor b : loader) assertArrayEquals(new boolean[] {true, true}, b.flatten().toBooleanArray());
        try (var g = Torch.noGrad()) {
            for (Tensor b : loader) assertArrayEquals(new boolean[] {false, false}, b.flatten().toBooleanArray());
        }
        assertTrue(Torch.isGradEnabled());
        // tensors that require grad give batches with history, as in PyTorch
        Tensor w = Torch.ones(4, 2).requiresGrad_(true);
        DataLoader<List<Tensor>> withGrad = DataLoader.builder(new TensorDataset(w)).batchSize(4).prefetch(prefetch).build();
        Tensor batch = withGrad.iterator().next().get(0);
        assertTrue(batch.requiresGrad());
        batch.sum().backward();
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1}, w.grad().toFloatArray());
    }

    @Test void settingsAndErrors() {
        TensorDataset data = ds10();
        DataLoader<List<Tensor>> byOne = new DataLoader<>(data, 1);
        assertEquals(10, byOne.size());
        assertEquals(1, byOne.batchSize());
        assertEquals(0, byOne.prefetch());
        assertFalse(byOne.dropLast());
        assertSame(data, byOne.dataset());
        assertTrue(byOne.sampler() instanceof SequentialSampler);
        assertTrue(new DataLoader<>(data, 3, true).sampler() instanceof RandomSampler);
        assertEquals(4, new DataLoader<>(data, 3).size());
        assertEquals(3, DataLoader.builder(data).batchSize(3).dropLast(true).build().size());
        assertEquals("batch_size should be a positive integer value, but got batch_size=0",
                assertThrows(IllegalArgumentException.class, () -> new DataLoader<>(data, 0)).getMessage());
        assertEquals("sampler option is mutually exclusive with shuffle", assertThrows(IllegalArgumentException.class,
                () -> DataLoader.builder(data).sampler(new SequentialSampler(data)).shuffle(true).build()).getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(data).prefetch(-1).build());
        // a custom sampler
        Sampler reversed = new Sampler() {
            @Override public java.util.Iterator<Integer> iterator() {
                return Arrays.asList(9, 8, 7, 6, 5, 4, 3, 2, 1, 0).iterator();
            }

            @Override public int size() { return 10; }
        };
        assertEquals(batches(new long[] {9, 8, 7, 6}, new long[] {5, 4, 3, 2}, new long[] {1, 0}),
                epoch(DataLoader.builder(data).batchSize(4).sampler(reversed).build()));
    }

    private static final class Numbers implements Dataset<Long> {
        @Override public Long get(int index) { return (long) index * index; }

        @Override public int size() { return 5; }
    }

    @Test void collateFunctions() {
        // default collate: a batch has the samples' type; numbers need a collate that says what it returns
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DataLoader<>(new Numbers(), 2).iterator().next());
        assertTrue(e.getMessage().contains(".collate(Collate::defaultCollate)"), e.getMessage());
        DataLoader<Object> numbers = DataLoader.builder(new Numbers()).batchSize(2).collate(Collate::defaultCollate).build();
        Tensor first = (Tensor) numbers.iterator().next();
        assertEquals(DType.INT64, first.dtype());
        assertArrayEquals(new long[] {0, 1}, first.toLongArray());
        // a custom collate
        DataLoader<Integer> sizes = DataLoader.builder(new Numbers()).batchSize(2).collate(List::size).prefetch(1).build();
        List<Integer> seen = new ArrayList<>();
        for (int s : sizes) seen.add(s);
        assertEquals(List.of(2, 2, 1), seen);
    }
}

package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Intra-op threads: the same bits for any Torch.setNumThreads, and several Java threads at once. */
class ThreadsTest {
    private static int saved;

    @BeforeAll static void save() { saved = Torch.getNumThreads(); }

    @AfterAll static void restore() { Torch.setNumThreads(saved); }

    /** Large enough that every op below runs on several threads (and reductions over several chunks). */
    private static Map<String, Supplier<Tensor>> ops() {
        Map<String, Supplier<Tensor>> ops = new LinkedHashMap<>();
        Generator g = new Generator().manualSeed(7);
        Tensor x = Torch.randn(new long[] {600, 700}, DType.FLOAT32, g);
        Tensor row = Torch.randn(new long[] {700}, DType.FLOAT32, g);
        Tensor xd = Torch.randn(new long[] {300, 500}, DType.FLOAT64, g);
        Tensor b1 = Torch.randn(new long[] {16, 48, 40}, DType.FLOAT32, g);
        Tensor b2 = Torch.randn(new long[] {16, 40, 56}, DType.FLOAT32, g);
        ops.put("add row broadcast", () -> x.add(row));
        ops.put("mul scalar", () -> x.mul(1.5));
        ops.put("exp", () -> x.exp());
        ops.put("contiguous of t()", () -> x.t().contiguous());
        ops.put("to float64", () -> x.to(DType.FLOAT64));
        ops.put("zeros", () -> Torch.zeros(600, 700));
        ops.put("sum", () -> x.sum());
        ops.put("sum(0)", () -> x.sum(0));
        ops.put("sum(1)", () -> x.sum(1));
        ops.put("mean", () -> x.mean());
        ops.put("mean of t() over 1", () -> x.t().mean(1));
        ops.put("float64 sum", () -> xd.sum());
        ops.put("float64 prod(0)", () -> xd.mul(0.01).add(1).prod(0));
        ops.put("max", () -> x.max());
        ops.put("max(1) values", () -> x.max(1).values());
        ops.put("max(0) indices", () -> x.max(0).indices());
        ops.put("argmax", () -> x.argmax());
        ops.put("bmm", () -> b1.bmm(b2));
        ops.put("matmul", () -> x.matmul(x.t()));
        return ops;
    }

    private static long[] bits(Tensor t) {
        Tensor c = t.dtype() == DType.FLOAT32 ? t.to(DType.FLOAT64) : t; // float32 -> float64 is exact
        if (c.dtype() == DType.INT64) return c.contiguous().toLongArray();
        double[] d = c.contiguous().toDoubleArray();
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) out[i] = Double.doubleToRawLongBits(d[i]);
        return out;
    }

    @Test void sameBitsForOneAndFourThreads() {
        Map<String, Supplier<Tensor>> ops = ops();
        Torch.setNumThreads(1);
        assertEquals(1, Torch.getNumThreads());
        Map<String, long[]> one = new LinkedHashMap<>();
        ops.forEach((name, op) -> one.put(name, bits(op.get())));
        for (int n : new int[] {2, 3, 4}) {
            Torch.setNumThreads(n);
            assertEquals(n, Torch.getNumThreads());
            ops.forEach((name, op) -> assertArrayEquals(one.get(name), bits(op.get()), name + " with " + n + " threads"));
        }
    }

    @Test void trainingStepsSameBitsForAnyThreadCount() {
        long[][] results = new long[2][];
        int[] counts = {1, 4};
        for (int k = 0; k < 2; k++) {
            Torch.setNumThreads(counts[k]);
            Generator g = new Generator().manualSeed(3);
            Tensor x = Torch.randn(new long[] {512, 256}, DType.FLOAT32, g);
            Tensor w = Torch.randn(new long[] {256, 1}, DType.FLOAT32, g).requiresGrad_(true);
            for (int step = 0; step < 5; step++) {
                Tensor loss = x.matmul(w).pow(2).mean();
                loss.backward();
                try (var ng = Torch.noGrad()) {
                    w.sub_(w.grad().mul(0.01));
                    w.grad().zero_();
                }
            }
            results[k] = bits(w.detach());
        }
        assertArrayEquals(results[0], results[1]);
    }

    @Test void severalJavaThreadsAtOnce() throws Exception {
        Torch.setNumThreads(Math.max(2, saved));
        Map<String, Supplier<Tensor>> ops = ops();
        Map<String, long[]> expected = new LinkedHashMap<>();
        ops.forEach((name, op) -> expected.put(name, bits(op.get())));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int rep = 0; rep < 3; rep++)
                        ops.forEach((name, op) -> assertArrayEquals(expected.get(name), bits(op.get()), name));
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

    @Test void rejectsNonPositiveCounts() {
        assertThrows(IllegalArgumentException.class, () -> Torch.setNumThreads(0));
    }
}

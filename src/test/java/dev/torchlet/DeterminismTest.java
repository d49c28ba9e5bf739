package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchlet.nn.F;
import dev.torchlet.nn.Parameter;
import dev.torchlet.optim.Adam;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Same seed, same program, same bits: for every Torch.setNumThreads count, for two runs in one JVM, and, with
 * deterministic algorithms on, for another JVM whose OpenBLAS runs another number of threads.
 */
class DeterminismTest {
    private static final int[] THREAD_COUNTS = {1, 2, 3, 4, 8};
    private static int saved;

    @BeforeAll static void save() { saved = Torch.getNumThreads(); }

    @AfterAll static void restore() { Torch.setNumThreads(saved); }

    @AfterEach void deterministicOff() { Torch.useDeterministicAlgorithms(false); }

    /**
     * Ops large enough to run on several threads (reductions over several 32K chunks, odd sizes so that no
     * piece divides evenly), each as a function of fixed inputs.
     */
    static Map<String, Supplier<Tensor>> ops() {
        Map<String, Supplier<Tensor>> ops = new LinkedHashMap<>();
        Generator g = new Generator().manualSeed(7);
        Tensor x = Torch.randn(new long[] {601, 701}, DType.FLOAT32, g);
        Tensor row = Torch.randn(new long[] {701}, DType.FLOAT32, g);
        Tensor xd = Torch.randn(new long[] {301, 503}, DType.FLOAT64, g);
        Tensor v = Torch.randn(new long[] {1_000_003}, DType.FLOAT32, g);
        Tensor cube = Torch.randn(new long[] {37, 1001, 5}, DType.FLOAT32, g);
        Tensor ints = Torch.randint(-1000, 1000, new long[] {200_001}, g);
        Tensor logits = Torch.randn(new long[] {4001, 37}, DType.FLOAT32, g);
        Tensor labels = Torch.randint(0, 37, new long[] {4001}, g);
        Tensor b1 = Torch.randn(new long[] {16, 48, 40}, DType.FLOAT32, g);
        Tensor b2 = Torch.randn(new long[] {16, 40, 56}, DType.FLOAT32, g);
        Tensor p1 = Torch.randn(new long[] {3, 600, 300}, DType.FLOAT32, g);
        Tensor p2 = Torch.randn(new long[] {3, 300, 520}, DType.FLOAT32, g);
        ops.put("add row broadcast", () -> x.add(row));
        ops.put("mul scalar", () -> x.mul(1.5));
        ops.put("exp", () -> x.exp());
        ops.put("tanh", () -> x.tanh());
        ops.put("sigmoid of t()", () -> x.t().sigmoid());
        ops.put("pow", () -> x.abs().pow(1.7));
        ops.put("div", () -> x.div(x.abs().add(1)));
        ops.put("contiguous of t()", () -> x.t().contiguous());
        ops.put("to float64", () -> x.to(DType.FLOAT64));
        ops.put("zeros", () -> Torch.zeros(600, 700));
        ops.put("sum", () -> x.sum());
        ops.put("sum(0)", () -> x.sum(0));
        ops.put("sum(1)", () -> x.sum(1));
        ops.put("sum of 1M", () -> v.sum());
        ops.put("mean of 1M", () -> v.mean());
        ops.put("sum over (0, 2)", () -> cube.sum(new int[] {0, 2}, false));
        ops.put("mean(1) of a 3-d", () -> cube.mean(1));
        ops.put("mean", () -> x.mean());
        ops.put("mean of t() over 1", () -> x.t().mean(1));
        ops.put("float64 sum", () -> xd.sum());
        ops.put("float64 prod", () -> xd.mul(0.001).add(1).prod());
        ops.put("float64 prod(0)", () -> xd.mul(0.01).add(1).prod(0));
        ops.put("int64 sum", () -> ints.sum());
        ops.put("max", () -> x.max());
        ops.put("min of 1M", () -> v.min());
        ops.put("max(1) values", () -> x.max(1).values());
        ops.put("max(0) indices", () -> x.max(0).indices());
        ops.put("argmax", () -> x.argmax());
        ops.put("argmin of 1M", () -> v.argmin());
        ops.put("softmax(1)", () -> x.softmax(1));
        ops.put("logSoftmax(0)", () -> x.logSoftmax(0));
        ops.put("cross entropy", () -> F.crossEntropy(logits, labels));
        ops.put("bmm", () -> b1.bmm(b2));
        ops.put("bmm of large matrices", () -> p1.bmm(p2));
        ops.put("matmul", () -> x.matmul(x.t()));
        return ops;
    }

    /** Products of several shapes and layouts, including ones whose OpenBLAS bits depend on its thread count. */
    static Map<String, Supplier<Tensor>> products() {
        Map<String, Supplier<Tensor>> ops = new LinkedHashMap<>();
        Generator g = new Generator().manualSeed(11);
        Tensor a = Torch.randn(new long[] {600, 700}, DType.FLOAT32, g);
        Tensor b = Torch.randn(new long[] {700, 600}, DType.FLOAT32, g);
        Tensor c = Torch.randn(new long[] {100, 1000}, DType.FLOAT64, g);
        Tensor d = Torch.randn(new long[] {1000, 100}, DType.FLOAT64, g);
        Tensor wide = Torch.randn(new long[] {64, 300}, DType.FLOAT32, g);
        Tensor tall = Torch.randn(new long[] {300, 1500}, DType.FLOAT32, g);
        Tensor vec = Torch.randn(new long[] {4096}, DType.FLOAT32, g);
        Tensor mat = Torch.randn(new long[] {4096, 300}, DType.FLOAT32, g);
        ops.put("600x700 @ 700x600", () -> a.matmul(b));
        ops.put("600x700 @ (600x700)^T", () -> a.matmul(a.t()));
        ops.put("(700x600)^T @ 700x600", () -> b.t().mm(b));
        ops.put("float64 100x1000 @ 1000x100", () -> c.mm(d));
        ops.put("64x300 @ 300x1500 (wide)", () -> wide.mm(tall));
        ops.put("vector @ 4096x300", () -> vec.matmul(mat));
        ops.put("(4096x300)^T @ vector", () -> mat.t().matmul(vec));
        ops.put("bmm [3, 600, 700] @ [3, 700, 600]", () -> a.expand(3, 600, 700).bmm(b.expand(3, 700, 600)));
        return ops;
    }

    static long[] bits(Tensor t) {
        Tensor c = t.dtype() == DType.FLOAT32 ? t.to(DType.FLOAT64) : t; // float32 -> float64 is exact
        if (c.dtype() == DType.INT64) return c.contiguous().toLongArray();
        double[] d = c.contiguous().toDoubleArray();
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) out[i] = Double.doubleToRawLongBits(d[i]);
        return out;
    }

    private static Map<String, long[]> run(Map<String, Supplier<Tensor>> ops) {
        Map<String, long[]> out = new LinkedHashMap<>();
        ops.forEach((name, op) -> {
            try (var scope = Torch.scope()) {
                out.put(name, bits(op.get()));
            }
        });
        return out;
    }

    private static void assertSame(Map<String, long[]> expected, Map<String, long[]> actual, String what) {
        expected.forEach((name, bits) -> assertArrayEquals(bits, actual.get(name), name + " " + what));
    }

    @Test void opsGiveTheSameBitsForEveryThreadCount() {
        Map<String, Supplier<Tensor>> ops = ops();
        Torch.setNumThreads(1);
        Map<String, long[]> one = run(ops);
        for (int n : THREAD_COUNTS) {
            Torch.setNumThreads(n);
            assertEquals(n, Torch.getNumThreads());
            assertSame(one, run(ops), "with " + n + " threads");
        }
    }

    @Test void deterministicProductsGiveTheSameBitsForEveryThreadCount() {
        Map<String, Supplier<Tensor>> ops = products();
        Map<String, long[]> byDefault = run(ops);
        Torch.useDeterministicAlgorithms(true);
        assertTrue(Torch.areDeterministicAlgorithmsEnabled());
        Torch.setNumThreads(1);
        Map<String, long[]> one = run(ops);
        for (int n : THREAD_COUNTS) {
            Torch.setNumThreads(n);
            assertSame(one, run(ops), "in deterministic mode with " + n + " threads");
        }
        // the same products, cut into pieces: equal to OpenBLAS's whole-product result within rounding
        Torch.useDeterministicAlgorithms(false);
        assertFalse(Torch.areDeterministicAlgorithmsEnabled());
        ops.forEach((name, op) -> {
            double[] want = op.get().to(DType.FLOAT64).contiguous().toDoubleArray();
            double[] got = new double[want.length];
            long[] b = one.get(name);
            for (int i = 0; i < b.length; i++) got[i] = Double.longBitsToDouble(b[i]);
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-3 * (1 + Math.abs(want[i])), name + " at " + i);
            }
        });
        assertSame(byDefault, run(ops), "by default, before and after deterministic mode");
    }

    /**
     * A seeded MLP training run: randn init and dropout from g, cross entropy, Adam; hidden activations of
     * batch x hidden elements, large enough for the pool's threads. Returns the bits of the weights.
     */
    static long[] trainMlp(Generator g, int steps, int batch, int in, int hidden, int classes) {
        try (var scope = Torch.scope()) {
            Tensor x = Torch.randn(new long[] {batch, in}, DType.FLOAT32, g);
            Tensor labels = x.matmul(Torch.randn(new long[] {in, classes}, DType.FLOAT32, g)).argmax(1);
            Parameter w1 = new Parameter(Torch.randn(new long[] {hidden, in}, DType.FLOAT32, g).mul(1 / Math.sqrt(in)));
            Parameter b1 = new Parameter(Torch.zeros(hidden));
            Parameter w2 = new Parameter(Torch.randn(new long[] {classes, hidden}, DType.FLOAT32, g).mul(1 / Math.sqrt(hidden)));
            Parameter b2 = new Parameter(Torch.zeros(classes));
            List<Tensor> params = List.of(w1, b1, w2, b2);
            Adam opt = new Adam(params, 1e-2);
            for (int step = 0; step < steps; step++) {
                try (var s = Torch.scope()) {
                    Tensor h = F.linear(x, w1, b1).relu();
                    Tensor keep = Torch.emptyLike(h).bernoulli_(0.8, g).div_(0.8); // F.dropout(h, 0.2), drawn from g
                    Tensor loss = F.crossEntropy(F.linear(h.mul(keep), w2, b2), labels);
                    opt.zeroGrad();
                    loss.backward();
                    opt.step();
                }
            }
            List<long[]> parts = new ArrayList<>();
            for (Tensor p : params) parts.add(bits(p.detach()));
            return concat(parts);
        }
    }

    /**
     * The MLP of the tests: 3 -> 160 -> 3, batch 512: 81,920 hidden activations for the pool's threads, and
     * products small enough (below 2^18 multiply-adds) that OpenBLAS runs them on one thread, which keeps
     * the test fast on a loaded machine (OpenBLAS's spinning threads slow down 5-10x there).
     */
    static long[] trainMlp(Generator g, int steps) { return trainMlp(g, steps, 512, 3, 160, 3); }

    static long[] concat(List<long[]> parts) {
        int n = 0;
        for (long[] p : parts) n += p.length;
        long[] out = new long[n];
        int at = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Test void trainingGivesTheSameWeightsForEveryThreadCount() {
        long[] first = null;
        for (int n : THREAD_COUNTS) {
            Torch.setNumThreads(n);
            long[] weights = trainMlp(new Generator().manualSeed(5), 200);
            if (first == null) first = weights;
            else assertArrayEquals(first, weights, "MLP weights with " + n + " threads");
        }
    }

    @Test void reseededRunsInOneJvmAreIdentical() {
        Torch.manualSeed(2024);
        long[] first = trainMlp(Generator.defaultGenerator(), 100);
        Torch.manualSeed(2024);
        long[] second = trainMlp(Generator.defaultGenerator(), 100);
        assertArrayEquals(first, second);
        Torch.manualSeed(2025); // and the seed matters
        assertFalse(java.util.Arrays.equals(first, trainMlp(Generator.defaultGenerator(), 100)));
    }

    /** What {@link ChildJvm} prints: a digest of the products and of a short training, in deterministic mode. */
    static String digest() {
        Torch.useDeterministicAlgorithms(true);
        try {
            List<long[]> parts = new ArrayList<>(run(products()).values());
            parts.add(trainMlp(new Generator().manualSeed(9), 40));
            long h = 0xcbf29ce484222325L; // FNV-1a over the bits
            for (long x : concat(parts)) {
                h ^= x;
                h *= 0x100000001b3L;
            }
            return Long.toHexString(h);
        } finally {
            Torch.useDeterministicAlgorithms(false);
        }
    }

    /** The child process of {@link #anotherJvmWithOneOpenBlasThreadGivesTheSameBits}. */
    public static final class ChildJvm {
        /**
         * Prints the digest.
         * @param args unused
         */
        public static void main(String[] args) { System.out.println("digest " + digest()); }
    }

    /**
     * A child JVM with OPENBLAS_NUM_THREADS=1 (this one runs OpenBLAS on every CPU) and 3 pool threads
     * computes the same bits in deterministic mode.
     */
    @Test void anotherJvmWithOneOpenBlasThreadGivesTheSameBits() throws IOException, InterruptedException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ChildJvm.class.getName()).redirectErrorStream(true);
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        Process child = pb.start();
        Torch.setNumThreads(3);
        String here = digest();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child JVM still running");
        assertEquals(0, child.exitValue(), out);
        assertEquals("digest " + here, out.strip());
    }
}

package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.torchlet.backend.cpu.Libm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Generator and RandomOps, bit for bit against PyTorch's CPU random stream: the values real PyTorch
 * produced, plus state save/restore and thread safety. Two golden files, one case a line (the format is
 * in tools/golden/rng.py's docstring; lines starting with # are comments, the first of them naming the
 * PyTorch build, its CPU capability and the command that wrote the file):
 * <ul>
 * <li>src/test/resources/golden/rng-libtorch.txt, the primary one: libtorch 2.13 through JavaCPP's
 *     org.bytedeco:pytorch, written by tools/golden/libtorch (a separate Maven project: this test needs
 *     no libtorch);</li>
 * <li>src/test/resources/golden/rng.txt: torch 1.13 (tools/golden/rng.py), less the cases where 1.13
 *     and 2.x differ.</li>
 * </ul>
 * Every value must be equal, bit for bit (see {@link #isFloat64Normal} for float64 normals without
 * libtorchlet). The two cases of 1.7 GB each run only with -Dtorchlet.golden.large=true.
 */
class GeneratorGoldenTest {

    /**
     * The golden files: real libtorch 2.x first (tools/golden/libtorch), then the older torch 1.13 file
     * (tools/golden/rng.py), whose lines still hold for 2.x.
     */
    static final String[] FIXTURES = {"rng-libtorch.txt", "rng.txt"};

    /** Every case line of one fixture (comment lines start with #). */
    static List<String> lines(String fixture) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                GeneratorGoldenTest.class.getResourceAsStream("/golden/" + fixture), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) if (!line.startsWith("#") && !line.isBlank()) lines.add(line);
        }
        return lines;
    }

    /** (label, line) for every case of every fixture; the label is the file, line number and ops, shortened. */
    static Stream<Arguments> cases() throws IOException {
        List<Arguments> all = new ArrayList<>();
        for (String fixture : FIXTURES) {
            List<String> lines = lines(fixture);
            for (int k = 0; k < lines.size(); k++) {
                String[] parts = lines.get(k).split(" => ", 3);
                String ops = parts[1].length() > 120 ? parts[1].substring(0, 117) + "..." : parts[1];
                all.add(Arguments.of(fixture + " #" + (k + 1) + ": " + parts[0] + " => " + ops, lines.get(k)));
            }
        }
        return all.stream();
    }

    /** Cases at least this large (randperm's 64-bit path, 1.7 GB) run only with -Dtorchlet.golden.large=true. */
    static final long LARGE = 100_000_000;

    static boolean large(String line) {
        for (String op : line.split(" => ", 3)[1].split(" \\| ")) {
            String[] a = op.split(" ");
            if (a[0].equals("sha256") && a[1].equals("randperm") && Long.parseLong(a[2]) >= LARGE) return true;
        }
        return false;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void golden(String label, String line) {
        assumeTrue(!large(line) || Boolean.getBoolean("torchlet.golden.large"),
                "1.7 GB: run with -Dtorchlet.golden.large=true (and a 4 GB heap)");
        String[] parts = line.split(" => ", -1);
        String[] ops = parts[1].split(" \\| ", -1);
        String[] expected = parts[2].split(" \\| ", -1);
        assertEquals(ops.length, expected.length, "malformed line");
        Generator g = parts[0].equals("new") ? new Generator() : new Generator().manualSeed(parseSeed(parts[0]));
        byte[][] slot = new byte[1][];
        for (int k = 0; k < ops.length; k++) {
            // a hash cannot be a little off: with Java's Math, skip the hashes of float64 normals
            assumeTrue(Libm.NATIVE || !(ops[k].startsWith("sha256 ") && isFloat64Normal(ops[k].substring(7))),
                    "float64 normals are bit-exact only with the C library's functions (libtorchlet)");
            String actual = run(g, ops[k], slot, expected[k]);
            if (!Libm.NATIVE && isFloat64Normal(ops[k])) {
                compareClose(ops[k], expected[k].trim(), actual.trim());
            } else if (!Libm.NATIVE && ops[k].equals("state")) {
                compareState(expected[k].trim(), actual.trim());
            } else {
                compare(ops[k], expected[k].trim(), actual.trim());
            }
        }
    }

    /**
     * float64 normals go through the C library's double log, log1p, cos and sin. With libtorchlet loaded
     * ({@link Libm#NATIVE}) RandomOps calls the same functions as PyTorch, and every value must be equal.
     * Without it (or with -Dtorchlet.javaLibm=true) it falls back to Java's Math, which rounds differently
     * for a few arguments: then float64 normals must be within 2 ulps, equal for all but 2 + 2% of the
     * values, and {@link #float64NormalsNearlyAllEqual} bounds the overall rate.
     */
    static boolean isFloat64Normal(String op) { return op.startsWith("randn f64") || op.startsWith("normal f64"); }

    static int[] ulpStats(String expected, String actual) {
        String[] e = expected.isEmpty() ? new String[0] : expected.split(" ");
        String[] a = actual.isEmpty() ? new String[0] : actual.split(" ");
        assertEquals(e.length, a.length);
        int differ = 0, maxUlps = 0;
        for (int k = 0; k < e.length; k++) {
            long ulps = Math.abs(Long.parseUnsignedLong(e[k], 16) - Long.parseUnsignedLong(a[k], 16));
            if (ulps != 0) differ++;
            maxUlps = (int) Math.max(maxUlps, Math.min(ulps, Integer.MAX_VALUE));
        }
        return new int[] {differ, maxUlps, e.length};
    }

    static void compareClose(String op, String expected, String actual) {
        int[] st = ulpStats(expected, actual);
        assertTrue(st[1] <= 2 && st[0] <= 2 + st[2] / 50,
                op + ": " + st[0] + " of " + st[2] + " values differ, by up to " + st[1] + " ulps");
    }

    /** State bytes equal, except that the cached float64 normal (bytes 5024..5031) may be 2 ulps off. */
    static void compareState(String expected, String actual) {
        if (expected.equals(actual)) return;
        assertEquals(expected.length(), actual.length(), "state size");
        String cachedE = expected.substring(2 * 5024, 2 * 5032), cachedA = actual.substring(2 * 5024, 2 * 5032);
        assertEquals(expected.substring(0, 2 * 5024) + expected.substring(2 * 5032),
                actual.substring(0, 2 * 5024) + actual.substring(2 * 5032), "state bytes");
        double e = Double.longBitsToDouble(Long.reverseBytes(Long.parseUnsignedLong(cachedE, 16)));
        double a = Double.longBitsToDouble(Long.reverseBytes(Long.parseUnsignedLong(cachedA, 16)));
        assertTrue(Math.abs(e - a) <= 2 * Math.ulp(e), "cached normal " + a + ", PyTorch " + e);
    }

    @Test
    void float64NormalsNearlyAllEqual() throws IOException {
        for (String fixture : FIXTURES) {
            long values = 0, differ = 0, maxUlps = 0;
            for (String line : lines(fixture)) {
                if (!line.contains(" f64 ")) continue;
                String[] parts = line.split(" => ", -1);
                String[] ops = parts[1].split(" \\| ", -1);
                String[] expected = parts[2].split(" \\| ", -1);
                Generator g = parts[0].equals("new") ? new Generator() : new Generator().manualSeed(parseSeed(parts[0]));
                byte[][] slot = new byte[1][];
                for (int k = 0; k < ops.length; k++) {
                    String actual = run(g, ops[k], slot, expected[k]);
                    if (!isFloat64Normal(ops[k])) continue;
                    int[] st = ulpStats(expected[k].trim(), actual.trim());
                    differ += st[0];
                    maxUlps = Math.max(maxUlps, st[1]);
                    values += st[2];
                }
            }
            System.out.printf("%s: float64 normals (%s): %d of %d values differ from PyTorch's (%.3f%%), by at most %d ulps%n",
                    fixture, Libm.NATIVE ? "C library" : "Java Math", differ, values, 100.0 * differ / values, maxUlps);
            assertTrue(values > 10000);
            if (Libm.NATIVE) {
                assertEquals(0, differ);
            } else {
                assertTrue(maxUlps <= 2);
                assertTrue(differ <= values / 200, differ + " of " + values);
            }
        }
    }

    /** A seed as Python wrote it: possibly negative, possibly at or above 2^63 (then its 64 bits). */
    static long parseSeed(String s) { return s.startsWith("-") ? Long.parseLong(s) : Long.parseUnsignedLong(s); }

    /** The result of one op, in the golden file's format. */
    static String run(Generator g, String op, byte[][] slot, String expected) {
        String[] a = op.split(" ");
        switch (a[0]) {
            case "sha256": return sha256(fill(g, Arrays.copyOfRange(a, 1, a.length)));
            case "rand":
                return a[1].equals("f32") ? hex(RandomOps.uniformFloat(g, i(a[2]), 0, 1))
                        : hex(RandomOps.uniformDouble(g, i(a[2]), 0, 1));
            case "randn":
                return a[1].equals("f32") ? hex(RandomOps.normalFloat(g, i(a[2]), 0, 1))
                        : hex(RandomOps.normalDouble(g, i(a[2]), 0, 1));
            case "uniform":
                return a[1].equals("f32") ? hex(RandomOps.uniformFloat(g, i(a[2]), d(a[3]), d(a[4])))
                        : hex(RandomOps.uniformDouble(g, i(a[2]), d(a[3]), d(a[4])));
            case "normal":
                return a[1].equals("f32") ? hex(RandomOps.normalFloat(g, i(a[2]), d(a[3]), d(a[4])))
                        : hex(RandomOps.normalDouble(g, i(a[2]), d(a[3]), d(a[4])));
            case "randint":
                return dec(RandomOps.randint(g, i(a[1]), Long.parseLong(a[2]), Long.parseLong(a[3])));
            case "randperm":
                return dec(RandomOps.randperm(g, i(a[1])));
            case "bernoulli":
                return hex(RandomOps.bernoulliFloat(g, i(a[1]), d(a[2])));
            case "dropout": {
                // torchlet's own F.dropout (it draws from the default generator: lend it g's state)
                Generator dflt = Generator.defaultGenerator();
                synchronized (dflt) {
                    byte[] saved = dflt.getState();
                    try {
                        dflt.setState(g.getState());
                        float[] r = dev.torchlet.nn.F.dropout(Torch.ones(i(a[1])), d(a[2]), true).toFloatArray();
                        g.setState(dflt.getState());
                        return hex(r);
                    } finally {
                        dflt.setState(saved);
                    }
                }
            }
            case "linear": return hex(linear(g, i(a[1]), i(a[2])));
            case "state": return toHex(g.getState());
            case "save": slot[0] = g.getState(); return "";
            case "restore": assertSame(g, g.setState(slot[0])); return "";
            case "initialseed": return Long.toUnsignedString(g.initialSeed());
            default: throw new IllegalArgumentException(op);
        }
    }

    /** nn.Linear(in, out)'s default init: the weight [out, in] row-major, then the bias. */
    static float[] linear(Generator g, int in, int out) {
        double wb = RandomOps.linearWeightBound(in), bb = RandomOps.linearBiasBound(in);
        float[] w = RandomOps.uniformFloat(g, in * out, -wb, wb);
        float[] b = RandomOps.uniformFloat(g, out, -bb, bb);
        float[] wAndB = Arrays.copyOf(w, w.length + b.length);
        System.arraycopy(b, 0, wAndB, w.length, b.length);
        return wAndB;
    }

    /** The array of a rand, randn, uniform, normal, randperm, randint, bernoulli or linear op. */
    static Object fill(Generator g, String[] a) {
        boolean f32 = a.length > 1 && a[1].equals("f32");
        switch (a[0]) {
            case "rand": return f32 ? RandomOps.uniformFloat(g, i(a[2]), 0, 1) : RandomOps.uniformDouble(g, i(a[2]), 0, 1);
            case "randn": return f32 ? RandomOps.normalFloat(g, i(a[2]), 0, 1) : RandomOps.normalDouble(g, i(a[2]), 0, 1);
            case "uniform":
                return f32 ? RandomOps.uniformFloat(g, i(a[2]), d(a[3]), d(a[4]))
                        : RandomOps.uniformDouble(g, i(a[2]), d(a[3]), d(a[4]));
            case "normal":
                return f32 ? RandomOps.normalFloat(g, i(a[2]), d(a[3]), d(a[4]))
                        : RandomOps.normalDouble(g, i(a[2]), d(a[3]), d(a[4]));
            case "randperm": return RandomOps.randperm(g, i(a[1]));
            case "randint": return RandomOps.randint(g, i(a[1]), Long.parseLong(a[2]), Long.parseLong(a[3]));
            case "bernoulli": return RandomOps.bernoulliFloat(g, i(a[1]), d(a[2]));
            case "linear": return linear(g, i(a[1]), i(a[2]));
            default: throw new IllegalArgumentException(String.join(" ", a));
        }
    }

    /** SHA-256 (hex) of a float[], double[] or long[] as little-endian bytes, as numpy's tobytes() gives them. */
    static String sha256(Object array) {
        int n = java.lang.reflect.Array.getLength(array);
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 << 20).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < n; k++) {
                if (b.remaining() < 8) {
                    md.update(b.array(), 0, b.position());
                    b.clear();
                }
                if (array instanceof float[]) b.putFloat(((float[]) array)[k]);
                else if (array instanceof double[]) b.putDouble(((double[]) array)[k]);
                else b.putLong(((long[]) array)[k]);
            }
            md.update(b.array(), 0, b.position());
            return toHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Equal strings, or a short message: how many elements differ, the first of them, and by how many ulps. */
    static void compare(String op, String expected, String actual) {
        if (expected.equals(actual)) return;
        String[] e = expected.isEmpty() ? new String[0] : expected.split(" ");
        String[] a = actual.isEmpty() ? new String[0] : actual.split(" ");
        if (e.length != a.length) fail(op + ": " + e.length + " values expected, got " + a.length);
        int differ = 0, first = -1;
        long maxUlps = 0;
        for (int k = 0; k < e.length; k++) {
            if (e[k].equals(a[k])) continue;
            differ++;
            if (first < 0) first = k;
            if (e[k].length() == 8 || e[k].length() == 16) {
                try {
                    maxUlps = Math.max(maxUlps, Math.abs(Long.parseUnsignedLong(e[k], 16) - Long.parseUnsignedLong(a[k], 16)));
                } catch (NumberFormatException ignored) {
                    // not hex
                }
            }
        }
        fail(op + ": " + differ + " of " + e.length + " values differ (max " + maxUlps + " ulps apart), first at "
                + first + ": expected " + e[first] + ", got " + a[first]);
    }

    static int i(String s) { return Integer.parseInt(s); }

    static double d(String s) { return Double.parseDouble(s); }

    static String hex(float[] v) {
        StringBuilder sb = new StringBuilder();
        for (float x : v) sb.append(String.format("%08x ", Float.floatToRawIntBits(x)));
        return sb.toString().trim();
    }

    static String hex(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double x : v) sb.append(String.format("%016x ", Double.doubleToRawLongBits(x)));
        return sb.toString().trim();
    }

    static String dec(long[] v) {
        StringBuilder sb = new StringBuilder();
        for (long x : v) sb.append(x).append(' ');
        return sb.toString().trim();
    }

    static String toHex(byte[] b) {
        StringBuilder sb = new StringBuilder(2 * b.length);
        for (byte x : b) sb.append(String.format("%02x", x & 0xFF));
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------- known values

    @Test
    void linearOneOneAfterSeedOne() {
        Generator g = new Generator().manualSeed(1);
        double wb = RandomOps.linearWeightBound(1), bb = RandomOps.linearBiasBound(1);
        float w = RandomOps.uniformFloat(g, 1, -wb, wb)[0];
        float b = RandomOps.uniformFloat(g, 1, -bb, bb)[0];
        assertEquals("0.5152632", Float.toString(w));
        assertEquals("-0.44137824", Float.toString(b));
        assertEquals(0.5152631998, w, 5e-11);
        assertEquals(-0.4413782358, b, 5e-11);
    }

    @Test
    void defaultSeedAndSeeding() {
        assertEquals(67280421310721L, new Generator().initialSeed());
        Generator g = new Generator();
        assertSame(g, g.manualSeed(-1));
        assertEquals("18446744073709551615", Long.toUnsignedString(g.initialSeed()));
        // only the low 32 bits seed the twister
        assertEquals(new Generator().manualSeed(7).random(), new Generator().manualSeed((1L << 32) + 7).random());
        long s = g.seed();
        assertEquals(s, g.initialSeed());
        assertEquals(new Generator().manualSeed(s).random(), g.random());
        assertNotEquals(s, new Generator().seed(), "two non-deterministic seeds collided");
    }

    @Test
    void mt19937ReferenceOutput() {
        // the 10000th output of std::mt19937 seeded with 5489 (C++11 [rand.predef])
        Generator g = new Generator().manualSeed(5489);
        long v = 0;
        for (int k = 0; k < 10000; k++) v = g.random();
        assertEquals(4123659995L, v);
    }

    @Test
    void random64IsTwoDrawsHighFirst() {
        Generator a = new Generator().manualSeed(3), b = new Generator().manualSeed(3);
        long hi = b.random(), lo = b.random();
        assertEquals((hi << 32) | lo, a.random64());
    }

    // --------------------------------------------------------------------------------- state round trip

    @Test
    void stateRoundTripKeepsStreamAndNormalCache() {
        Generator g = new Generator().manualSeed(11);
        RandomOps.normalDouble(g, 3, 0, 1); // leaves the second value of a pair cached
        byte[] state = g.getState();
        assertEquals(Generator.STATE_SIZE, state.length);
        double[] a = RandomOps.normalDouble(g, 5, 1, 2);
        float[] fa = RandomOps.normalFloat(g, 40, 0, 1);
        g.manualSeed(99);
        g.setState(state);
        assertArrayEquals(state, g.getState());
        assertArrayEquals(a, RandomOps.normalDouble(g, 5, 1, 2));
        assertArrayEquals(fa, RandomOps.normalFloat(g, 40, 0, 1));
        // a restored state is a copy: changing the array later does not reach the generator
        Generator h = new Generator().setState(state);
        state[100] ^= 1;
        assertArrayEquals(a, RandomOps.normalDouble(h, 5, 1, 2));
    }

    @Test
    void stateRoundTripAcrossTwists() {
        for (int draws : new int[] {0, 1, 623, 624, 625, 5000}) {
            Generator g = new Generator().manualSeed(draws);
            for (int k = 0; k < draws; k++) g.random();
            Generator h = new Generator().setState(g.getState());
            for (int k = 0; k < 1500; k++) assertEquals(g.random(), h.random(), "after " + draws + " draws");
        }
    }

    @Test
    void manualSeedClearsNormalCache() {
        Generator g = new Generator().manualSeed(4);
        double first = RandomOps.normalDouble(g, 1, 0, 1)[0];
        g.manualSeed(4);
        assertEquals(first, RandomOps.normalDouble(g, 1, 0, 1)[0]);
        assertEquals(1, g.getState()[5040]);
        g.manualSeed(4);
        assertEquals(0, g.getState()[5040]);
    }

    @Test
    void legacyStateIsAccepted() {
        Generator g = new Generator().manualSeed(8);
        for (int k = 0; k < 10; k++) g.random();
        byte[] legacy = Arrays.copyOf(g.getState(), Generator.LEGACY_STATE_SIZE);
        Generator h = new Generator().setState(legacy);
        assertEquals(g.random(), h.random());
        assertEquals(8, h.initialSeed());
    }

    @Test
    void badStatesAreRejected() {
        Generator g = new Generator();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.setState(new byte[10]));
        assertEquals("Expected either a CPUGeneratorImplStateLegacy of size 5048 or a CPUGeneratorImplState of size "
                + "5056 but found the input RNG state size to be 10", e.getMessage());
        byte[] unseeded = g.getState();
        unseeded[12] = 0;
        assertEquals("Invalid mt19937 state",
                assertThrows(IllegalArgumentException.class, () -> g.setState(unseeded)).getMessage());
        byte[] badLeft = g.getState();
        badLeft[8] = 0;
        assertThrows(IllegalArgumentException.class, () -> g.setState(badLeft));
        byte[] badNext = g.getState();
        badNext[16] = (byte) 0x71;
        badNext[17] = 2; // 625
        assertThrows(IllegalArgumentException.class, () -> g.setState(badNext));
        // the rejected states left the generator as it was
        assertEquals(new Generator().random(), g.random());
    }

    @Test
    void argumentChecks() {
        Generator g = new Generator();
        assertEquals("random_ expects 'from' to be less than 'to', but got from=5 >= to=5",
                assertThrows(IllegalArgumentException.class, () -> RandomOps.randint(g, 3, 5, 5)).getMessage());
        assertEquals("uniform_ expects to return a [from, to) range, but found from=2 > to=1",
                assertThrows(IllegalArgumentException.class, () -> RandomOps.uniformFloat(g, 3, 2, 1)).getMessage());
        assertEquals("normal expects std >= 0.0, but found std -1",
                assertThrows(IllegalArgumentException.class, () -> RandomOps.normalFloat(g, 3, 0, -1)).getMessage());
        assertEquals("bernoulli_ expects p to be in [0, 1], but got p=1.5",
                assertThrows(IllegalArgumentException.class, () -> RandomOps.bernoulliFloat(g, 3, 1.5)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> RandomOps.randperm(g, -1));
        // failed calls draw nothing
        assertEquals(new Generator().random(), g.random());
    }

    @Test
    void linearBoundsAsTorchNnInitComputesThem() {
        // Python: a = math.sqrt(5); a ** 2 == 5.000000000000001
        assertEquals(5.000000000000001, Math.sqrt(5) * Math.sqrt(5));
        assertEquals(1.0, RandomOps.linearWeightBound(1), 1e-15);
        assertEquals(1 / Math.sqrt(784), RandomOps.linearWeightBound(784), 1e-17);
        assertEquals(0, RandomOps.linearBiasBound(0));
    }

    @Test
    void largeRandpermPathIsAPermutation() {
        // the 64-bit path starts at n = 214748364; check its algorithm on a small n by hand
        Generator g = new Generator().manualSeed(1), h = new Generator().manualSeed(1);
        long[] p = RandomOps.randperm(g, 1000);
        long[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int k = 0; k < sorted.length; k++) assertEquals(k, sorted[k]);
        for (int k = 0; k < 999; k++) h.random();
        assertEquals(h.random(), g.random(), "randperm(n) draws n - 1 times");
        assertEquals(214748364, RandomOps.RANDPERM_RANDOM64_FROM);
    }

    // ----------------------------------------------------------------------------------- thread safety

    @Test
    void defaultGeneratorIsThreadSafe() throws Exception {
        Generator g = Generator.defaultGenerator();
        byte[] saved = g.getState();
        try {
            int threads = 8, fills = 50, n = 333;
            g.manualSeed(2024);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<float[]>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<List<float[]>> task = () -> {
                    start.await();
                    List<float[]> mine = new ArrayList<>();
                    for (int k = 0; k < fills; k++) mine.add(RandomOps.uniformFloat(g, n, 0, 1));
                    return mine;
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            Set<String> got = new HashSet<>();
            for (Future<List<float[]>> f : futures) for (float[] a : f.get()) got.add(Arrays.toString(a));
            pool.shutdown();
            // every fill is one whole, uninterleaved run of the serial stream
            Generator serial = new Generator().manualSeed(2024);
            Set<String> want = new HashSet<>();
            for (int k = 0; k < threads * fills; k++) want.add(Arrays.toString(RandomOps.uniformFloat(serial, n, 0, 1)));
            assertEquals(want, got);

            // single draws from many threads: no value lost or repeated
            g.manualSeed(77);
            ExecutorService pool2 = Executors.newFixedThreadPool(threads);
            List<Future<long[]>> draws = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                draws.add(pool2.submit(() -> {
                    long[] v = new long[20000];
                    for (int k = 0; k < v.length; k++) v[k] = k % 2 == 0 ? g.random() : g.random64();
                    return v;
                }));
            }
            long count = 0;
            for (Future<long[]> f : draws) count += f.get().length;
            pool2.shutdown();
            Generator after = new Generator().manualSeed(77);
            for (long k = 0; k < count / 2 * 3; k++) after.random(); // random() once, random64() twice
            assertEquals(after.random(), g.random(), "the generator advanced by exactly the draws taken");
            assertFalse(Thread.holdsLock(g));
        } finally {
            g.setState(saved);
        }
    }

    @Test
    void fillsAreAtomicUnderTheLock() {
        Generator g = new Generator().manualSeed(5);
        synchronized (g) {
            assertTrue(Thread.holdsLock(g));
            assertEquals(new Generator().manualSeed(5).random(), g.random()); // reentrant
        }
    }
}

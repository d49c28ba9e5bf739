package dev.torchlet;

import dev.torchlet.backend.cpu.Libm;

/**
 * PyTorch's CPU random fills, bit for bit, as Java arrays in row-major order that the tensor code wraps:
 * torch.rand / uniform_, torch.randn / normal_, torch.randint, random_(), torch.randperm, bernoulli_(p) (the
 * dropout mask), and the bounds of nn.Linear's default init. Each fill holds the generator's lock throughout, as
 * PyTorch holds the generator's mutex for a whole kernel.
 *
 * <p>What "bit for bit" was checked against, by GeneratorGoldenTest:
 * <ul>
 * <li>real libtorch 2.13.0 (JavaCPP's org.bytedeco:pytorch 2.13.0-1.5.14: GCC 11.4, no MKL, OpenBLAS) on an
 *     AVX-512 Intel Xeon, src/test/resources/golden/rng-libtorch.txt, written by the generator in
 *     tools/golden/libtorch: 3,406 cases, every op below for many seeds, sizes 0 to 100 and larger ones,
 *     float32 and float64. Its AVX512 kernels (what libtorch picks there) and its AVX2 kernels
 *     (ATEN_CPU_CAPABILITY=avx2) give the same bits for every case;</li>
 * <li>torch 1.13 (Debian's build, no MKL, AVX2 kernels), src/test/resources/golden/rng.txt
 *     (tools/golden/rng.py), less the cases where 1.13 and 2.x differ (randint ranges from 2^28 to 2^32,
 *     see {@link #randint}; float64 Box-Muller radius, see {@link #normalDouble}), where this follows 2.x.</li>
 * </ul>
 * Everything is bit-exact, float64 normals included, as long as libtorchlet is loaded (see
 * {@link LibmDouble}). PyTorch itself gives other bits on other builds: its non-vectorized kernels
 * (ATEN_CPU_CAPABILITY=default, CPUs without AVX2) neither fuse multiply-adds nor use the polynomial
 * log/sincos, so float32 randn of 16 or more values, float64 normals and uniform_ over other bounds than
 * [0, 1) differ in the last bits there (checked: 727 of the 3,406 libtorch cases change); for bernoulli_
 * and dropout with MKL see {@link #bernoulliFloat}.
 */
final class RandomOps {
    private RandomOps() {}

    private static final float TWO_POW_MINUS_24 = 0x1.0p-24f;
    private static final double TWO_POW_MINUS_53 = 0x1.0p-53;
    private static final long MASK_53 = (1L << 53) - 1;

    // ------------------------------------------------------------------------------------------- uniform

    /**
     * n float32 values uniform in [from, to): torch.rand (from 0, to 1) and uniform_(from, to). One
     * 32-bit draw each: {@code u = (random() & 0xFFFFFF) * 2^-24}, then {@code fma(u, to - from, from)} in
     * float32, from and to first rounded to float32. (PyTorch writes {@code u * (to - from) + from}; its
     * x86-64 AVX2 and AVX512 kernels are compiled with FMA contraction: computed unfused, 12970 of the 26079
     * float32 values of uniform_ and Linear init in rng.txt come out 1 ulp off, and none fused.)
     */
    static float[] uniformFloat(Generator g, int n, double from, double to) {
        checkUniform(from, to, Float.MAX_VALUE, "Float");
        float f = (float) from, range = (float) to - f;
        float[] out = new float[checkSize(n)];
        synchronized (g) {
            for (int i = 0; i < n; i++) out[i] = Math.fma((g.next32() & 0xFFFFFF) * TWO_POW_MINUS_24, range, f);
        }
        return out;
    }

    /**
     * n float64 values uniform in [from, to): one 64-bit draw each ({@code random64()}, two 32-bit
     * draws), {@code u = (bits & (2^53 - 1)) * 2^-53}, then {@code fma(u, to - from, from)} (unfused,
     * 201 of the 1242 float64 values of uniform_ in rng.txt differ).
     */
    static double[] uniformDouble(Generator g, int n, double from, double to) {
        checkUniform(from, to, Double.MAX_VALUE, "Double");
        double range = to - from;
        double[] out = new double[checkSize(n)];
        synchronized (g) {
            for (int i = 0; i < n; i++) out[i] = Math.fma(uniform53(g), range, from);
        }
        return out;
    }

    private static void checkUniform(double from, double to, double max, String type) {
        String name = type.toLowerCase(java.util.Locale.ROOT);
        if (from < -max || from > max) throw new IllegalArgumentException("from is out of bounds for " + name);
        if (to < -max || to > max) throw new IllegalArgumentException("to is out of bounds for " + name);
        if (!(from <= to)) {
            throw new IllegalArgumentException("uniform_ expects to return a [from, to) range, but found from="
                    + fmt(from) + " > to=" + fmt(to));
        }
        if (to - from > max) {
            throw new IllegalArgumentException("uniform_ expects to-from <= std::numeric_limits<" + type
                    + ">::max(), but found to=" + fmt(to) + " and from=" + fmt(from)
                    + " which result in to-from to exceed the limit");
        }
    }

    /** A double in [0, 1) from one random64() draw; callers hold the lock. */
    private static double uniform53(Generator g) { return (g.next64() & MASK_53) * TWO_POW_MINUS_53; }

    // -------------------------------------------------------------------------------------------- normal

    /**
     * n float32 normal values with the given mean and std: torch.randn (0, 1) and normal_(mean, std) on a
     * contiguous float32 tensor.
     *
     * <ul>
     * <li>n &gt;= 16: PyTorch's vectorized fill. All n slots get float32 uniforms first (n draws); then
     *     each full block of 16 is transformed by Box-Muller, pairing slot j (u1 = 1 - d[j]) with slot j+8
     *     (u2 = d[j+8]) for j = 0..7, in float32 with the AVX2 polynomial log and sincos of avx_mathfun.h
     *     (see {@link AvxMath}); when n is not a multiple of 16 the last 16 slots are refilled with 16 new
     *     uniforms and transformed again. randn(100) therefore draws 116 times.</li>
     * <li>n &lt; 16: element by element with the double Box-Muller of {@link #normalDouble}'s small path
     *     (including the cached second value), each result rounded to float32.</li>
     * </ul>
     * PyTorch takes the element-by-element path for a non-contiguous tensor whatever its size, in the
     * order of its memory; this method covers contiguous tensors only.
     */
    static float[] normalFloat(Generator g, int n, double mean, double std) {
        checkStd(std);
        float[] d = new float[checkSize(n)];
        synchronized (g) {
            if (n >= 16) {
                for (int i = 0; i < n; i++) d[i] = (g.next32() & 0xFFFFFF) * TWO_POW_MINUS_24;
                float m = (float) mean, s = (float) std;
                for (int i = 0; i + 16 <= n; i += 16) AvxMath.normalFill16(d, i, m, s);
                if (n % 16 != 0) {
                    int at = n - 16;
                    for (int i = at; i < n; i++) d[i] = (g.next32() & 0xFFFFFF) * TWO_POW_MINUS_24;
                    AvxMath.normalFill16(d, at, m, s);
                }
            } else {
                for (int i = 0; i < n; i++) d[i] = (float) normalScalar(g, mean, std);
            }
        }
        return d;
    }

    /**
     * n float64 normal values with the given mean and std: torch.randn(n, dtype=float64) and normal_.
     *
     * <ul>
     * <li>n &gt;= 16: the same blocks of 16 as {@link #normalFloat} ({@code normal_fill_16<double>}), in
     *     double precision with the C library's log, cos and sin ({@link LibmDouble}), one random64() draw
     *     per uniform; {@code radius * cos(theta) * std + mean} with the last step fused.</li>
     * <li>n &lt; 16: PyTorch's {@code normal_distribution<double>} per element: if the generator caches a
     *     value, return {@code cached * std + mean} and clear it; otherwise draw u1 then u2 (random64()
     *     each), {@code r = sqrt(-2 log1p(-u2))}, {@code theta = 2 pi u1}, cache {@code r sin(theta)} and
     *     return {@code r cos(theta) * std + mean} (the last step fused, as PyTorch's kernels compile
     *     it). The cache lives in the generator: it carries over to the next call, manualSeed clears it,
     *     and getState/setState save and restore it. (torch 1.13 and older compute
     *     {@code log(1 - u2)}: the same value except where the C library rounds the two functions
     *     differently, 13 of the 13,165 float64 values of rng.txt; 2.x's log1p is followed here.)</li>
     * </ul>
     */
    static double[] normalDouble(Generator g, int n, double mean, double std) {
        checkStd(std);
        double[] d = new double[checkSize(n)];
        synchronized (g) {
            if (n >= 16) {
                for (int i = 0; i < n; i++) d[i] = uniform53(g);
                for (int i = 0; i + 16 <= n; i += 16) normalFill16(d, i, mean, std);
                if (n % 16 != 0) {
                    int at = n - 16;
                    for (int i = at; i < n; i++) d[i] = uniform53(g);
                    normalFill16(d, at, mean, std);
                }
            } else {
                for (int i = 0; i < n; i++) d[i] = normalScalar(g, mean, std);
            }
        }
        return d;
    }

    /** PyTorch's {@code normal_fill_16<double>}. */
    private static void normalFill16(double[] d, int at, double mean, double std) {
        for (int j = at; j < at + 8; j++) {
            double u1 = 1 - d[j];
            double u2 = d[j + 8];
            double radius = Math.sqrt(-2 * LibmDouble.log(u1));
            double theta = 2.0 * Math.PI * u2;
            d[j] = Math.fma(radius * LibmDouble.cos(theta), std, mean);
            d[j + 8] = Math.fma(radius * LibmDouble.sin(theta), std, mean);
        }
    }

    /** PyTorch's {@code at::normal_distribution<double>}, caching in the generator; callers hold the lock. */
    private static double normalScalar(Generator g, double mean, double std) {
        if (g.hasNextDoubleNormal()) return Math.fma(g.takeNextDoubleNormal(), std, mean);
        double u1 = uniform53(g);
        double u2 = uniform53(g);
        double r = Math.sqrt(-2.0 * LibmDouble.log1p(-u2));
        double theta = 2.0 * Math.PI * u1;
        g.setNextDoubleNormal(r * LibmDouble.sin(theta));
        return Math.fma(r * LibmDouble.cos(theta), std, mean);
    }

    private static void checkStd(double std) {
        if (!(std >= 0.0)) throw new IllegalArgumentException("normal expects std >= 0.0, but found std " + fmt(std));
    }

    // ------------------------------------------------------------------------------------------- randint

    /** From this range on torch.randint draws random64() (PyTorch 2.x; 1.13 and older: from 2^32). */
    static final long RANDINT_RANDOM64_FROM = 1L << 28;

    /**
     * n int64 values uniform in [low, high), torch.randint(low, high, (n,)): with
     * {@code range = high - low} (as uint64), each value is {@code random() % range + low} while range
     * &lt; 2^28, and {@code random64() % range + low} (unsigned) from 2^28 on; so one draw each below
     * 2^28 and two from there. This is PyTorch 2.x's {@code uniform_int_from_to_distribution} ("allow
     * approx 5% skew"), checked against libtorch 2.13 on both sides of 2^28; torch 1.13 and older drew
     * random() up to 2^32 (and Meta-internal fbcode builds still do). The modulo is PyTorch's: slightly
     * biased for ranges that do not divide 2^32 or 2^64.
     */
    static long[] randint(Generator g, int n, long low, long high) {
        if (low >= high) {
            throw new IllegalArgumentException("random_ expects 'from' to be less than 'to', but got from=" + low
                    + " >= to=" + high);
        }
        long range = high - low;
        long[] out = new long[checkSize(n)];
        synchronized (g) {
            if (Long.compareUnsigned(range, RANDINT_RANDOM64_FROM) >= 0) {
                for (int i = 0; i < n; i++) out[i] = Long.remainderUnsigned(g.next64(), range) + low;
            } else {
                for (int i = 0; i < n; i++) out[i] = (g.next32() & 0xFFFFFFFFL) % range + low;
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------- random_

    /**
     * n values of {@code random_()} without bounds, PyTorch's {@code uniform_int_distribution<T>} through
     * {@code transformation::uniform_int}, as a Java array of the dtype: int64 {@code random64() % 2^63}
     * (two 32-bit draws each, the first in the high half); float64 {@code random64() % (2^53 + 1)};
     * float32 {@code random() % (2^24 + 1)}; bool {@code random() & 1}. So every value is an integer in
     * [0, 2^63) or [0, 2^mantissa digits], exactly representable in the dtype.
     */
    static Object random(Generator g, DType dtype, int n) {
        checkSize(n);
        synchronized (g) {
            switch (dtype) {
                case INT64: {
                    long[] out = new long[n];
                    for (int i = 0; i < n; i++) out[i] = g.next64() & Long.MAX_VALUE;
                    return out;
                }
                case FLOAT64: {
                    double[] out = new double[n];
                    for (int i = 0; i < n; i++) out[i] = Long.remainderUnsigned(g.next64(), (1L << 53) + 1);
                    return out;
                }
                case FLOAT32: {
                    float[] out = new float[n];
                    for (int i = 0; i < n; i++) out[i] = (g.next32() & 0xFFFFFFFFL) % ((1L << 24) + 1);
                    return out;
                }
                default: {
                    boolean[] out = new boolean[n];
                    for (int i = 0; i < n; i++) out[i] = (g.next32() & 1) != 0;
                    return out;
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ randperm

    /** Below this n PyTorch shuffles with 32-bit draws; from it on with 64-bit ones (uint32 max / 20). */
    static final int RANDPERM_RANDOM64_FROM = (int) (0xFFFFFFFFL / 20);

    /**
     * A random permutation of 0..n-1, torch.randperm(n) on CPU (int64).
     *
     * <p>For n &lt; 214748364 (2^32 - 1 divided by 20), as PyTorch has always done: start from 0..n-1
     * and for i = 0..n-2 swap slot i with slot {@code i + random() % (n - i)}: n - 1 draws. For larger n
     * current PyTorch uses the "inside-out" Fisher-Yates with 64-bit draws, which this follows: for
     * i = 0..n-1, {@code z = random64() % (i + 1)}, {@code out[i] = out[z]}, {@code out[z] = i}
     * (torch 1.13 and older use the 32-bit path for every n). Both paths are checked against libtorch
     * 2.13: every n up to 100, 1000 and up to 300000 (above 2^16), and as SHA-256 the permutations of
     * n = 214748363 and 214748364, either side of the switch (1.7 GB each, so GeneratorGoldenTest runs
     * those two only with -Dtorchlet.golden.large=true).
     */
    static long[] randperm(Generator g, int n) {
        if (n < 0) throw new IllegalArgumentException("n must be non-negative, got" + n);
        long[] out = new long[n];
        synchronized (g) {
            if (n < RANDPERM_RANDOM64_FROM) {
                for (int i = 0; i < n; i++) out[i] = i;
                for (int i = 0; i < n - 1; i++) {
                    int z = (int) ((g.next32() & 0xFFFFFFFFL) % (n - i));
                    long save = out[i];
                    out[i] = out[z + i];
                    out[z + i] = save;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    int z = (int) Long.remainderUnsigned(g.next64(), i + 1L);
                    out[i] = out[z];
                    out[z] = i;
                }
            }
        }
        return out;
    }

    // ----------------------------------------------------------------------------------------- bernoulli

    /**
     * n float32 values, 1 with probability p and 0 otherwise: {@code bernoulli_(p)} with a scalar p on
     * CPU, and so the mask of {@code F.dropout} on CPU, which is {@code empty_like(x).bernoulli_(1 - p)}
     * divided by {@code 1 - p} (and draws nothing when p is 0 or 1). Each element is {@code u < p} for a
     * double u from one random64() draw (the 53-bit uniform of {@link #uniformDouble}).
     *
     * <p>This is PyTorch's own kernel, which builds without MKL run: checked bit for bit against libtorch
     * 2.13 (JavaCPP's build, no MKL; bernoulli_ and torch::dropout for many p, seeds and sizes) and torch
     * 1.13 (Debian's, no MKL). PyTorch builds with MKL (the official x86-64 wheels) take another path for a
     * scalar p, per its DistributionKernels.cpp: older versions (1.13 among them), on Intel CPUs only, draw
     * one {@code random()} as the seed of an MKL VSL stream (MCG31, Bernoulli by inverse CDF) and fill the
     * mask from it; later ones (after pytorch/pytorch issue 132395, 2024) fill it from a separate MKL
     * generator (MCG59, seeded from the CPU generator's seed) and draw nothing from the CPU generator. Neither is reproduced here (no MKL build
     * to check against), so masks of those builds differ from these.
     */
    static float[] bernoulliFloat(Generator g, int n, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("bernoulli_ expects p to be in [0, 1], but got p=" + fmt(p));
        }
        float[] out = new float[checkSize(n)];
        synchronized (g) {
            for (int i = 0; i < n; i++) out[i] = uniform53(g) < p ? 1f : 0f;
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------- helpers

    /**
     * The bound b of nn.Linear's default weight init, {@code kaiming_uniform_(weight, a=sqrt(5))}, which
     * then draws {@code uniform_(-b, b)} over the [out, in] weight in row-major order. Computed in double
     * exactly as torch.nn.init does: {@code sqrt(3) * (sqrt(2 / (1 + a*a)) / sqrt(fanIn))}.
     */
    static double linearWeightBound(long fanIn) {
        double a = Math.sqrt(5);
        double gain = Math.sqrt(2.0 / (1 + a * a));
        double std = gain / Math.sqrt(fanIn);
        return Math.sqrt(3.0) * std;
    }

    /** The bound of nn.Linear's bias init, drawn right after the weight: {@code 1 / sqrt(fanIn)} (0 if fanIn is 0). */
    static double linearBiasBound(long fanIn) { return fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0; }

    private static int checkSize(int n) {
        if (n < 0) throw new IllegalArgumentException("Trying to create tensor with negative dimension " + n + ": [" + n + "]");
        return n;
    }

    /** A double as C++ streams print it in PyTorch's messages: integers without ".0". */
    private static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }

    // ----------------------------------------------------------------------------- PyTorch's AVX2 math

    /**
     * The float32 Box-Muller block of PyTorch's {@code normal_fill_16_AVX2}, one AVX lane at a time, with
     * {@code log256_ps} and {@code sincos256_ps} from avx_mathfun.h (Cephes polynomials, by Julien Pommier
     * and Giovanni Garberoglio, zlib license) operation for operation. PyTorch's x86-64 builds compile these
     * intrinsics with GCC's default FMA contraction, which fuses a product into the add or subtract that is
     * its only use; the {@code Math.fma} calls below are where the compiled kernel fuses. Every other step
     * rounds as the C source writes it. How each placement was settled, against 5.2 million values of
     * torch 1.13's randn and normal_ (AVX2), all of which this reproduces bit for bit:
     * <ul>
     * <li>[a] fused: computing that step unfused (or fusing the other product) changes tens to tens of
     *     thousands of the 5.2 million values;</li>
     * <li>[b] the product is exact, so fusing it cannot change a bit;</li>
     * <li>[c] Cody-Waite reduction by pi/4 in three parts: the first two products are exact; fusing the
     *     third changed none of the 5.2 million values, so it follows GCC's rule (fused), unconfirmed.</li>
     * </ul>
     */
    static final class AvxMath {
        private AvxMath() {}

        private static final float SQRTHF = (float) 0.707106781186547524;
        private static final float LOG_P0 = (float) 7.0376836292E-2;
        private static final float LOG_P1 = (float) -1.1514610310E-1;
        private static final float LOG_P2 = (float) 1.1676998740E-1;
        private static final float LOG_P3 = (float) -1.2420140846E-1;
        private static final float LOG_P4 = (float) 1.4249322787E-1;
        private static final float LOG_P5 = (float) -1.6668057665E-1;
        private static final float LOG_P6 = (float) 2.0000714765E-1;
        private static final float LOG_P7 = (float) -2.4999993993E-1;
        private static final float LOG_P8 = (float) 3.3333331174E-1;
        private static final float LOG_Q1 = (float) -2.12194440e-4;
        private static final float LOG_Q2 = (float) 0.693359375;

        private static final float MINUS_DP1 = (float) -0.78515625;
        private static final float MINUS_DP2 = (float) -2.4187564849853515625e-4;
        private static final float MINUS_DP3 = (float) -3.77489497744594108e-8;
        private static final float SINCOF_P0 = (float) -1.9515295891E-4;
        private static final float SINCOF_P1 = (float) 8.3321608736E-3;
        private static final float SINCOF_P2 = (float) -1.6666654611E-1;
        private static final float COSCOF_P0 = (float) 2.443315711809948E-005;
        private static final float COSCOF_P1 = (float) -1.388731625493765E-003;
        private static final float COSCOF_P2 = (float) 4.166664568298827E-002;
        private static final float FOPI = (float) 1.27323954473516;
        private static final float TWO_PI = (float) (2.0 * Math.PI);

        /** d[at .. at+16): uniforms in [0, 1) in, normals (times std, plus mean) out. */
        static void normalFill16(float[] d, int at, float mean, float std) {
            for (int j = at; j < at + 8; j++) {
                float u1 = 1.0f - d[j];
                float u2 = d[j + 8];
                float radius = (float) Math.sqrt(-2.0f * log(u1));
                float theta = TWO_PI * u2;
                long sc = sincos(theta);
                float sin = Float.intBitsToFloat((int) (sc >>> 32)), cos = Float.intBitsToFloat((int) sc);
                // _mm256_fmadd_ps(n, std, mean), written as an FMA in the source
                d[j] = Math.fma(radius * cos, std, mean);
                d[j + 8] = Math.fma(radius * sin, std, mean);
            }
        }

        /** log256_ps for one lane, x &gt; 0. */
        static float log(float x) {
            x = Math.max(x, Float.MIN_NORMAL);
            int bits = Float.floatToRawIntBits(x);
            int imm0 = (bits >>> 23) - 0x7f;
            x = Float.intBitsToFloat((bits & ~0x7f800000) | 0x3f000000);
            float e = (float) imm0 + 1.0f;
            boolean mask = x < SQRTHF;
            float tmp = mask ? x : 0.0f;
            x = x - 1.0f;
            e = e - (mask ? 1.0f : 0.0f);
            x = x + tmp;
            float z = x * x;
            float y = LOG_P0;
            y = Math.fma(y, x, LOG_P1); // [a]
            y = Math.fma(y, x, LOG_P2);
            y = Math.fma(y, x, LOG_P3);
            y = Math.fma(y, x, LOG_P4);
            y = Math.fma(y, x, LOG_P5);
            y = Math.fma(y, x, LOG_P6);
            y = Math.fma(y, x, LOG_P7);
            y = Math.fma(y, x, LOG_P8);
            y = y * x;
            y = Math.fma(y, z, e * LOG_Q1); // [a] y*z fused, e*q1 rounded (fusing neither or the other fails)
            y = Math.fma(-z, 0.5f, y); // [b] z*0.5 is exact: fused or not, the same
            return Math.fma(e, LOG_Q2, x + y); // [b] e*q2 is exact (q2 has 9 bits, e is a small integer)
        }

        /** sincos256_ps for one lane: the bits of sin in the high half, of cos in the low half. */
        static long sincos(float x) {
            int signSin = Float.floatToRawIntBits(x) & 0x80000000;
            x = Math.abs(x);
            float y = x * FOPI;
            int j = (int) y;
            j = (j + 1) & ~1;
            y = (float) j;
            int swapSin = (j & 4) << 29;
            boolean polyMask = (j & 2) == 0;
            x = Math.fma(y, MINUS_DP1, x); // [c]
            x = Math.fma(y, MINUS_DP2, x);
            x = Math.fma(y, MINUS_DP3, x);
            int signCos = (~(j - 2) & 4) << 29;
            signSin ^= swapSin;
            float z = x * x;
            float yc = Math.fma(COSCOF_P0, z, COSCOF_P1); // [a]
            yc = Math.fma(yc, z, COSCOF_P2);
            yc = yc * z;
            yc = Math.fma(yc, z, -(z * 0.5f)); // [a] y*z fused, z*0.5 not (the other two ways fail)
            yc = yc + 1.0f;
            float ys = Math.fma(SINCOF_P0, z, SINCOF_P1); // [a]
            ys = Math.fma(ys, z, SINCOF_P2);
            ys = ys * z;
            ys = Math.fma(ys, x, x); // [a]
            float ysin2 = polyMask ? ys : 0.0f;
            float ysin1 = polyMask ? 0.0f : yc;
            ys = ys - ysin2;
            yc = yc - ysin1;
            int s = Float.floatToRawIntBits(ysin1 + ysin2) ^ signSin;
            int c = Float.floatToRawIntBits(yc + ys) ^ signCos;
            return ((long) s << 32) | (c & 0xFFFFFFFFL);
        }
    }

    // ---------------------------------------------------------------------------------- libm in double

    /**
     * The double-precision log, log1p, cos and sin of PyTorch's double Box-Muller, which on Linux are
     * glibc's. glibc's are not correctly rounded (errors up to about 0.52 ulp), and Java has no function
     * that rounds as they do: on HotSpot x86-64 {@link Math}'s disagree with glibc's in the last bit for
     * about 0.1% (log) and 0.2% (sin, cos) of the arguments here, StrictMath's (fdlibm) for 3 to 7%, and a
     * correctly rounded port would still disagree wherever glibc's result is not the correctly rounded
     * one. So these call the C library itself through libtorchlet ({@link Libm}): with it, all 25,251
     * float64 normals of the libtorch golden file and all 13,152 of rng.txt are bit-exact (with Java's
     * Math instead, 20 of 13,165 of rng.txt were 1 ulp off). This matches PyTorch running on the same
     * machine (the same libm; glibc also picks FMA variants of these functions on CPUs with FMA). Without
     * libtorchlet (or with -Dtorchlet.javaLibm=true) they fall back to Math's: float64 normals are then
     * within 1 ulp, and float32 normals rounded from them stay bit-exact but for a rare value whose
     * double straddles a float rounding boundary.
     */
    static final class LibmDouble {
        private LibmDouble() {}

        static double log(double x) { return Libm.log(x); }

        static double log1p(double x) { return Libm.log1p(x); }

        static double cos(double x) { return Libm.cos(x); }

        static double sin(double x) { return Libm.sin(x); }
    }
}

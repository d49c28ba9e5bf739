package dev.torchlet;

import java.security.SecureRandom;

/**
 * A source of pseudo-random numbers, PyTorch's {@code torch.Generator} on CPU: the same 32-bit Mersenne
 * Twister (mt19937) with the same seeding, so a generator seeded here with s produces the same stream, and
 * through {@link RandomOps} the same tensors, as {@code torch.manual_seed(s)} does in PyTorch.
 *
 * <p>A seed is a 64-bit value. PyTorch treats it as unsigned: {@code torch.manual_seed(-1)} and
 * {@code manual_seed(2**64 - 1)} are the same seed, and {@code initial_seed()} returns it as a
 * non-negative Python int. Here a seed is a {@code long} with the same 64 bits, so {@link #initialSeed()}
 * of a seed at or above 2<sup>63</sup> reads negative (use {@link Long#toUnsignedString(long)} to print
 * it as PyTorch does). Only its low 32 bits seed the Mersenne Twister; all 64 are kept and reported.
 *
 * <p>Every method is synchronized on the generator, and the tensor fills of {@link RandomOps} hold that
 * lock for a whole fill, as PyTorch holds the generator's mutex for a whole kernel: threads sharing a
 * generator (such as {@link #defaultGenerator()}) each get whole, uninterleaved runs of the stream.
 */
public final class Generator {
    /** The seed of a generator that was never seeded, PyTorch's {@code default_rng_seed_val}. */
    public static final long DEFAULT_SEED = 67280421310721L;

    /** Bytes of {@link #getState()}: PyTorch's {@code sizeof(CPUGeneratorImplState)} on x86-64. */
    public static final int STATE_SIZE = 5056;

    /** Bytes of the legacy state (TH's generator, no float normal cache) that {@link #setState} accepts too. */
    static final int LEGACY_STATE_SIZE = 5048;

    private static final int N = 624;
    private static final int M = 397;
    private static final Generator DEFAULT = new Generator();

    private final int[] mt = new int[N];
    /** PyTorch's mt19937 {@code left_}: draws until the state is twisted again is left - 1 (1..624). */
    private int left;
    /** Index of the next state word to temper (0..624). */
    private int next;
    private boolean seeded;
    private long initialSeed;
    /** The second value of the last double-precision Box-Muller pair, not yet used. */
    private boolean hasNextDoubleNormal;
    private double nextDoubleNormal;
    /** PyTorch keeps a float cache too; no CPU kernel fills it, but the state carries it. */
    private boolean hasNextFloatNormal;
    private float nextFloatNormal;

    /** A generator seeded with {@link #DEFAULT_SEED}, as {@code torch.Generator()} is. */
    public Generator() { manualSeed(DEFAULT_SEED); }

    /**
     * The generator behind every random op that is not given one, PyTorch's
     * {@code torch.default_generator}; {@code Torch.manualSeed(s)} is {@code defaultGenerator().manualSeed(s)}.
     * @return the default generator
     */
    public static Generator defaultGenerator() { return DEFAULT; }

    /**
     * Seeds the generator, like {@code torch.Generator.manual_seed}: the Mersenne Twister state is
     * initialized from the low 32 bits of seed, and the cached normal value is dropped.
     *
     * @param seed the seed
     * @return this generator
     */
    public synchronized Generator manualSeed(long seed) {
        int s = (int) seed;
        mt[0] = s;
        for (int i = 1; i < N; i++) {
            s = 1812433253 * (s ^ (s >>> 30)) + i;
            mt[i] = s;
        }
        left = 1;
        next = 0;
        seeded = true;
        initialSeed = seed;
        hasNextDoubleNormal = false;
        nextDoubleNormal = 0;
        hasNextFloatNormal = false;
        nextFloatNormal = 0;
        return this;
    }

    /**
     * The seed last given to {@link #manualSeed} or chosen by {@link #seed()} (64 bits; see the class notes).
     * @return the seed
     */
    public synchronized long initialSeed() { return initialSeed; }

    /**
     * Reseeds from a non-deterministic source with a random 64-bit seed, as PyTorch's CPU generator does
     * (it reads /dev/urandom), and returns the seed.
     * @return the new seed
     */
    public synchronized long seed() {
        long s = SeedSource.RANDOM.nextLong();
        manualSeed(s);
        return s;
    }

    /**
     * A snapshot of the whole state: the Mersenne Twister words and position, the initial seed and the
     * cached normal values. The bytes are laid out as PyTorch's {@code CPUGeneratorImplState} on x86-64
     * (little endian, {@value #STATE_SIZE} bytes), so they equal the bytes of {@code g.get_state()} in
     * PyTorch and can be exchanged with it. PyTorch returns them as a {@code torch.ByteTensor}
     * (uint8, shape [5056]); here they are a plain {@code byte[]}, which {@code Torch.tensor} can wrap.
     * @return the state bytes
     */
    public synchronized byte[] getState() {
        byte[] b = new byte[STATE_SIZE];
        putLong(b, 0, initialSeed);
        putInt(b, 8, left);
        putInt(b, 12, seeded ? 1 : 0);
        putLong(b, 16, next);
        for (int i = 0; i < N; i++) putLong(b, 24 + 8 * i, mt[i] & 0xFFFFFFFFL);
        // legacy normal_x (5016) and normal_rho (5032) stay 0; normal_y holds the cached double normal
        if (hasNextDoubleNormal) {
            putLong(b, 5024, Double.doubleToRawLongBits(nextDoubleNormal));
            putInt(b, 5040, 1);
        }
        if (hasNextFloatNormal) {
            putInt(b, 5048, Float.floatToRawIntBits(nextFloatNormal));
            b[5052] = 1;
        }
        return b;
    }

    /**
     * Restores a snapshot of {@link #getState()} (or of PyTorch's {@code get_state()}), like
     * {@code torch.Generator.set_state}. Like PyTorch it also takes the 5048-byte legacy layout, and rejects
     * a state whose position is out of range or that was never seeded.
     *
     * @param state the state bytes
     * @return this generator
     * @throws IllegalArgumentException for a state of another size or an invalid Mersenne Twister state
     */
    public synchronized Generator setState(byte[] state) {
        if (state.length != STATE_SIZE && state.length != LEGACY_STATE_SIZE) {
            throw new IllegalArgumentException("Expected either a CPUGeneratorImplStateLegacy of size "
                    + LEGACY_STATE_SIZE + " or a CPUGeneratorImplState of size " + STATE_SIZE
                    + " but found the input RNG state size to be " + state.length);
        }
        int newLeft = getInt(state, 8);
        boolean newSeeded = getInt(state, 12) != 0;
        long newNext = getLong(state, 16) & 0xFFFFFFFFL; // PyTorch keeps it as uint32
        if (!newSeeded || newLeft <= 0 || newLeft > N || newNext > N) {
            throw new IllegalArgumentException("Invalid mt19937 state");
        }
        boolean normalValid = getInt(state, 5040) != 0;
        double normal = 0;
        boolean floatValid = false;
        float floatNormal = 0;
        if (state.length == STATE_SIZE) {
            if (normalValid) normal = Double.longBitsToDouble(getLong(state, 5024));
            floatValid = state[5052] != 0;
            if (floatValid) floatNormal = Float.intBitsToFloat(getInt(state, 5048));
        } else if (normalValid) {
            // TH kept the uniform pair and radius; PyTorch rebuilds the cached value from them
            double x = Double.longBitsToDouble(getLong(state, 5016));
            double rho = Double.longBitsToDouble(getLong(state, 5032));
            normal = rho * RandomOps.LibmDouble.sin(2.0 * Math.PI * x);
        }
        for (int i = 0; i < N; i++) mt[i] = (int) getLong(state, 24 + 8 * i);
        initialSeed = getLong(state, 0);
        left = newLeft;
        seeded = true;
        next = (int) newNext;
        hasNextDoubleNormal = normalValid;
        nextDoubleNormal = normal;
        hasNextFloatNormal = floatValid;
        nextFloatNormal = floatNormal;
        return this;
    }

    // ---------------------------------------------------------------------------------- engine (package)

    /** The next 32 random bits as a value in [0, 2^32), PyTorch's {@code CPUGeneratorImpl::random()}. */
    synchronized long random() { return next32() & 0xFFFFFFFFL; }

    /**
     * 64 random bits from two draws, the first in the high half, PyTorch's {@code random64()}. As a Java
     * long the value is the uint64's bits; compare and divide it with the unsigned methods of {@link Long}.
     */
    synchronized long random64() { return next64(); }

    /**
     * The next tempered Mersenne Twister output (32 bits, as an int). Callers hold this generator's lock
     * (a {@code synchronized (g)} block around a whole fill).
     */
    int next32() {
        if (--left == 0) twist();
        int y = mt[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    /** {@link #random64()} for callers that hold the lock. */
    long next64() {
        long hi = next32() & 0xFFFFFFFFL;
        long lo = next32() & 0xFFFFFFFFL;
        return (hi << 32) | lo;
    }

    /** Whether a cached double normal is waiting; callers hold the lock. */
    boolean hasNextDoubleNormal() { return hasNextDoubleNormal; }

    /** Takes the cached double normal (callers hold the lock and checked {@link #hasNextDoubleNormal()}). */
    double takeNextDoubleNormal() {
        hasNextDoubleNormal = false;
        return nextDoubleNormal;
    }

    /** Caches the second value of a Box-Muller pair; callers hold the lock. */
    void setNextDoubleNormal(double value) {
        hasNextDoubleNormal = true;
        nextDoubleNormal = value;
    }

    private void twist() {
        int[] s = mt;
        int k = 0;
        for (; k < N - M; k++) s[k] = s[k + M] ^ mix(s[k], s[k + 1]);
        for (; k < N - 1; k++) s[k] = s[k + M - N] ^ mix(s[k], s[k + 1]);
        s[N - 1] = s[M - 1] ^ mix(s[N - 1], s[0]);
        left = N;
        next = 0;
    }

    private static int mix(int u, int v) {
        int y = (u & 0x80000000) | (v & 0x7fffffff);
        return (y >>> 1) ^ ((v & 1) != 0 ? 0x9908b0df : 0);
    }

    // ------------------------------------------------------------------------------------- byte layout

    private static void putInt(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) b[at + i] = (byte) (v >>> (8 * i));
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) b[at + i] = (byte) (v >>> (8 * i));
    }

    private static int getInt(byte[] b, int at) {
        int v = 0;
        for (int i = 3; i >= 0; i--) v = (v << 8) | (b[at + i] & 0xFF);
        return v;
    }

    private static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = (v << 8) | (b[at + i] & 0xFF);
        return v;
    }

    /** Lazily created, so that programs that never call seed() do not touch the system's entropy source. */
    private static final class SeedSource {
        static final SecureRandom RANDOM = new SecureRandom();
    }
}

package dev.torchlet.backend.ref;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.torchlet.DType;
import dev.torchlet.backend.BinaryOp;
import dev.torchlet.backend.MemoryStats;
import dev.torchlet.backend.ReduceOp;
import dev.torchlet.backend.Storage;
import dev.torchlet.backend.Strided;
import dev.torchlet.backend.UnaryOp;
import java.lang.ref.WeakReference;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reference backend against hand-derived values. Every array compares bit for bit (JUnit compares
 * doubles and floats by their bits, so NaN equals NaN and -0.0 differs from 0.0).
 */
class RefBackendTest {
    static final RefBackend B = RefBackend.INSTANCE;
    static final double NAN = Double.NaN, INF = Double.POSITIVE_INFINITY;
    static final long MIN = Long.MIN_VALUE, MAX = Long.MAX_VALUE;

    /** Storages this test holds, released after each test so the memory counters stay deterministic. */
    private final List<Storage> held = new ArrayList<>();

    @AfterEach
    void releaseAll() {
        for (Storage s : held) s.release();
    }

    // ------------------------------------------------------------------------------------------ helpers

    Strided empty(DType dt, long... shape) {
        Storage s = B.allocate(dt, Strided.numel(shape));
        s.retain();
        held.add(s);
        return new Strided(s, dt, 0, shape, Strided.contiguousStrides(shape));
    }

    Strided f32(float... v) { return filled(DType.FLOAT32, v); }

    Strided f64(double... v) { return filled(DType.FLOAT64, v); }

    Strided i64(long... v) { return filled(DType.INT64, v); }

    Strided bool(boolean... v) { return filled(DType.BOOL, v); }

    private Strided filled(DType dt, Object array) {
        Strided s = empty(dt, java.lang.reflect.Array.getLength(array));
        B.write(s, array);
        return s;
    }

    /** Another layout over s's storage. */
    static Strided view(Strided s, long offset, long[] shape, long[] strides) {
        return new Strided(s.storage, s.dtype, offset, shape, strides);
    }

    static long[] shape(long... v) { return v; }

    Strided binary(BinaryOp op, Strided a, Strided b) {
        Strided out = empty(op.isComparison() ? DType.BOOL : a.dtype, a.shape);
        B.binary(op, a, b, out);
        return out;
    }

    Strided scalar(BinaryOp op, Strided a, double s, boolean scalarFirst) {
        Strided out = empty(op.isComparison() ? DType.BOOL : a.dtype, a.shape);
        B.binaryScalar(op, a, s, scalarFirst, out);
        return out;
    }

    Strided unary(UnaryOp op, Strided a) {
        Strided out = empty(a.dtype, a.shape);
        B.unary(op, a, out);
        return out;
    }

    Strided copy(Strided src, DType to) {
        Strided out = empty(to, src.shape);
        B.copy(src, out);
        return out;
    }

    static float[] rf(Strided s) { return (float[]) B.read(s); }

    static double[] rd(Strided s) { return (double[]) B.read(s); }

    static long[] rl(Strided s) { return (long[]) B.read(s); }

    static boolean[] rb(Strided s) { return (boolean[]) B.read(s); }

    // ------------------------------------------------------------------------------ fill, read and write

    @Test
    void fillConvertsToTheDtype() {
        Strided f = empty(DType.FLOAT32, 2);
        B.fill(f, 0.1);
        assertArrayEquals(new float[] {0.1f, 0.1f}, rf(f));
        Strided l = empty(DType.INT64, 3);
        B.fill(view(l, 0, shape(1), shape(1)), 2.9);
        B.fill(view(l, 1, shape(1), shape(1)), -2.9);
        B.fill(view(l, 2, shape(), shape()), NAN);
        assertArrayEquals(new long[] {2, -2, MIN}, rl(l));
        Strided b = empty(DType.BOOL, 3);
        B.fill(view(b, 0, shape(2), shape(1)), 0.0);
        B.fill(view(b, 2, shape(), shape()), NAN);
        assertArrayEquals(new boolean[] {false, false, true}, rb(b));
        // A strided fill touches only its elements: every other one of 5.
        Strided d = f64(9, 9, 9, 9, 9);
        B.fill(view(d, 0, shape(3), shape(2)), -1);
        assertArrayEquals(new double[] {-1, 9, -1, 9, -1}, rd(d));
    }

    @Test
    void writeAndReadHonourTheOffset() {
        Strided d = f64(0, 0, 0, 0, 0);
        B.write(view(d, 2, shape(3), shape(1)), new double[] {1, 2, 3});
        assertArrayEquals(new double[] {0, 0, 1, 2, 3}, rd(d));
        assertArrayEquals(new double[] {2, 3}, rd(view(d, 3, shape(2), shape(1))));
        assertArrayEquals(new double[] {3}, rd(view(d, 4, shape(), shape()))); // 0-dim: one element
        assertArrayEquals(new boolean[] {true, false}, rb(bool(true, false)));
        assertArrayEquals(new long[] {MIN, MAX}, rl(i64(MIN, MAX)));
        assertArrayEquals(new float[] {0.1f, -0f}, rf(f32(0.1f, -0f)));
        assertArrayEquals(new float[0], rf(empty(DType.FLOAT32, 2, 0)));
    }

    // ---------------------------------------------------------------------------------------------- copy

    @Test
    void copyFloatToInt64TruncatesAndSaturatesToMin() {
        Strided src = f64(1.5, -1.5, NAN, 1e19, -1e19, -0.0, 0x1p62, -0x1p63, 0x1p63);
        assertArrayEquals(new long[] {1, -1, MIN, MIN, MIN, 0, 1L << 62, MIN, MIN}, rl(copy(src, DType.INT64)));
    }

    @Test
    void copyToBoolIsNonZero() {
        assertArrayEquals(new boolean[] {false, false, true, true, true},
                rb(copy(f64(0.0, -0.0, NAN, 0.5, -INF), DType.BOOL)));
        assertArrayEquals(new boolean[] {false, true, true}, rb(copy(i64(0, -3, MIN), DType.BOOL)));
    }

    @Test
    void copyFromBoolGivesZeroOrOne() {
        Strided b = bool(true, false);
        assertArrayEquals(new float[] {1, 0}, rf(copy(b, DType.FLOAT32)));
        assertArrayEquals(new double[] {1, 0}, rd(copy(b, DType.FLOAT64)));
        assertArrayEquals(new long[] {1, 0}, rl(copy(b, DType.INT64)));
    }

    @Test
    void copyRoundsOnceToFloat() {
        // 2^24 + 1 is a tie between 2^24 and 2^24 + 2: to even, 2^24.
        // 2^60 + 2^36 + 1 lies just above the float midpoint 2^60 + 2^36 (float ulp there is 2^37), so it
        // rounds up to 2^60 + 2^37; rounding through double first would land exactly on the midpoint and
        // round to even, 2^60.
        Strided l = i64((1L << 24) + 1, (1L << 60) + (1L << 36) + 1);
        assertArrayEquals(new float[] {0x1p24f, 0x1p60f + 0x1p37f}, rf(copy(l, DType.FLOAT32)));
        // 2^53 + 1 is a tie in double: to even, 2^53.
        assertArrayEquals(new double[] {0x1p53}, rd(copy(i64((1L << 53) + 1), DType.FLOAT64)));
        assertArrayEquals(new float[] {0.1f, Float.POSITIVE_INFINITY}, rf(copy(f64(0.1, 1e40), DType.FLOAT32)));
        // 0.1f widened exactly: 13421773 * 2^-27.
        assertArrayEquals(new double[] {13421773 * 0x1p-27}, rd(copy(f32(0.1f), DType.FLOAT64)));
    }

    @Test
    void copyFollowsStridesOfBothSides() {
        // [[1,2],[3,4],[5,6]] read transposed: [[1,3,5],[2,4,6]].
        Strided base = f32(1, 2, 3, 4, 5, 6);
        Strided t = view(base, 0, shape(2, 3), shape(1, 2));
        assertArrayEquals(new double[] {1, 3, 5, 2, 4, 6}, rd(copy(t, DType.FLOAT64)));
        // A broadcast source (stride 0) into a transposed destination.
        Strided row = i64(7, 8);
        Strided dst = i64(0, 0, 0, 0);
        B.copy(view(row, 0, shape(2, 2), shape(0, 1)), view(dst, 0, shape(2, 2), shape(1, 2)));
        assertArrayEquals(new long[] {7, 7, 8, 8}, rl(dst));
    }

    // ------------------------------------------------------------------------------------------ binary

    @Test
    void binaryBroadcastsWithStrideZero() {
        Strided a = f32(1, 2, 3, 4, 5, 6);
        Strided a2 = view(a, 0, shape(2, 3), shape(3, 1));
        Strided b = f32(10, 20, 30);
        Strided rowB = view(b, 0, shape(2, 3), shape(0, 1));
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, rf(binary(BinaryOp.ADD, a2, rowB)));
        Strided allB = view(b, 1, shape(2, 3), shape(0, 0)); // one element everywhere
        assertArrayEquals(new float[] {20, 40, 60, 80, 100, 120}, rf(binary(BinaryOp.MUL, a2, allB)));
        // The second row of a (offset 3) minus b.
        Strided secondRow = view(a, 3, shape(3), shape(1));
        assertArrayEquals(new float[] {-6, -15, -24}, rf(binary(BinaryOp.SUB, secondRow, b)));
        // 0-dim operands.
        Strided x = view(a, 5, shape(), shape()), y = view(b, 0, shape(), shape());
        assertArrayEquals(new float[] {0.6f}, rf(binary(BinaryOp.DIV, x, y)));
    }

    @Test
    void float32ResultsAreRoundedOnce() {
        // Float addition is correctly rounded, so the float sum is the reference's double sum rounded.
        assertArrayEquals(new float[] {0.1f + 0.2f, 1f / 3f}, rf(binary(BinaryOp.ADD, f32(0.1f, 1f / 3f), f32(0.2f, 0))));
    }

    @Test
    void comparisonsWithNaNAreFalseExceptNe() {
        Strided a = f64(1, NAN, 2, NAN, -1), b = f64(1, 1, NAN, NAN, 2);
        assertArrayEquals(new boolean[] {true, false, false, false, false}, rb(binary(BinaryOp.EQ, a, b)));
        assertArrayEquals(new boolean[] {false, true, true, true, true}, rb(binary(BinaryOp.NE, a, b)));
        assertArrayEquals(new boolean[] {false, false, false, false, true}, rb(binary(BinaryOp.LT, a, b)));
        assertArrayEquals(new boolean[] {true, false, false, false, true}, rb(binary(BinaryOp.LE, a, b)));
        assertArrayEquals(new boolean[] {false, false, false, false, false}, rb(binary(BinaryOp.GT, a, b)));
        assertArrayEquals(new boolean[] {true, false, false, false, false}, rb(binary(BinaryOp.GE, a, b)));
    }

    @Test
    void maximumAndMinimumPropagateNaN() {
        Strided a = f32(1, (float) NAN, 2, -1), b = f32((float) NAN, 1, 3, 2);
        assertArrayEquals(new float[] {Float.NaN, Float.NaN, 3, 2}, rf(binary(BinaryOp.MAXIMUM, a, b)));
        assertArrayEquals(new float[] {Float.NaN, Float.NaN, 2, -1}, rf(binary(BinaryOp.MINIMUM, a, b)));
        // -0.0 and 0.0 tie: the first operand, as std::max and PyTorch's scalar loop (1 / maximum(-0.0, 0.0) is -inf)
        Strided z = f64(-0.0, 0.0), w = f64(0.0, -0.0);
        assertArrayEquals(new double[] {-0.0, 0.0}, rd(binary(BinaryOp.MAXIMUM, z, w)));
        assertArrayEquals(new double[] {-0.0, 0.0}, rd(binary(BinaryOp.MINIMUM, z, w)));
    }

    @Test
    void floatPowFollowsC() {
        // C: pow(1, NaN) = 1 and pow(-1, ±inf) = 1 (Java's Math.pow gives NaN for both).
        Strided a = f64(1, -1, 2, 4, 1), b = f64(NAN, INF, 10, 0.5, -INF);
        assertArrayEquals(new double[] {1, 1, 1024, 2, 1}, rd(binary(BinaryOp.POW, a, b)));
    }

    @Test
    void int64DivisionTruncatesAndGivesZeroForZeroDivisor() {
        Strided a = i64(7, -7, 5, 0, MIN, MAX), b = i64(2, 2, 0, 0, -1, 0);
        assertArrayEquals(new long[] {3, -3, 0, 0, MIN, 0}, rl(binary(BinaryOp.DIV, a, b)));
        assertArrayEquals(new long[] {MIN}, rl(binary(BinaryOp.ADD, i64(MAX), i64(1)))); // wraps
    }

    @Test
    void int64PowIsExactAndWraps() {
        Strided a = i64(3, 2, 2, -1, -1, 1, 2, 0, 0, -2, 3, -7);
        Strided b = i64(4, 63, 64, -3, -2, -5, -1, -1, 0, 3, 40, MIN);
        long threeTo40 = BigInteger.valueOf(3).pow(40).longValue(); // low 64 bits of 3^40
        assertArrayEquals(new long[] {81, MIN, 0, -1, 1, 1, 0, 0, 1, -8, threeTo40, 0}, rl(binary(BinaryOp.POW, a, b)));
    }

    @Test
    void int64ComparesExactlyBeyondDoublePrecision() {
        // 2^53 + 1 and 2^53 are the same double; as longs they differ.
        Strided a = i64((1L << 53) + 1), b = i64(1L << 53);
        assertArrayEquals(new boolean[] {true}, rb(binary(BinaryOp.GT, a, b)));
        assertArrayEquals(new boolean[] {false}, rb(binary(BinaryOp.EQ, a, b)));
        assertArrayEquals(new long[] {1}, rl(binary(BinaryOp.SUB, a, b)));
    }

    @Test
    void boolOps() {
        Strided a = bool(true, true, false, false), b = bool(true, false, true, false);
        assertArrayEquals(new boolean[] {true, true, true, false}, rb(binary(BinaryOp.ADD, a, b)));
        assertArrayEquals(new boolean[] {true, false, false, false}, rb(binary(BinaryOp.MUL, a, b)));
        assertArrayEquals(new boolean[] {true, true, true, false}, rb(binary(BinaryOp.MAXIMUM, a, b)));
        assertArrayEquals(new boolean[] {true, false, false, false}, rb(binary(BinaryOp.MINIMUM, a, b)));
        assertArrayEquals(new boolean[] {false, true, true, false}, rb(binary(BinaryOp.SUB, a, b))); // 1-1, 1-0, 0-1, 0-0
        assertArrayEquals(new boolean[] {true, false, false, false}, rb(binary(BinaryOp.DIV, a, b))); // x/0 is 0
        assertArrayEquals(new boolean[] {true, true, false, true}, rb(binary(BinaryOp.POW, a, b))); // 0^1 = 0
        assertArrayEquals(new boolean[] {true, false, false, true}, rb(binary(BinaryOp.EQ, a, b)));
        assertArrayEquals(new boolean[] {false, true, false, false}, rb(binary(BinaryOp.GT, a, b)));
    }

    // ---------------------------------------------------------------------------------- binary scalar

    @Test
    void scalarIsRoundedToFloat32First() {
        // s = 2^-24 + 2^-50 rounds to the float 2^-24; 1 + 2^-24 is then a tie, to even: 1. Without the
        // conversion, 1 + s lies above the tie and would round up to 1 + 2^-23.
        assertArrayEquals(new float[] {1f}, rf(scalar(BinaryOp.ADD, f32(1f), 0x1p-24 + 0x1p-50, false)));
        assertArrayEquals(new float[] {9, 8}, rf(scalar(BinaryOp.SUB, f32(1, 2), 10, true)));
        assertArrayEquals(new float[] {-9, -8}, rf(scalar(BinaryOp.SUB, f32(1, 2), 10, false)));
        assertArrayEquals(new double[] {8, 0.5}, rd(scalar(BinaryOp.POW, f64(3, -1), 2, true)));
        assertArrayEquals(new double[] {9, 1}, rd(scalar(BinaryOp.POW, f64(3, -1), 2, false)));
    }

    @Test
    void scalarPowTakesPyTorchsFastPaths() {
        // torch 1.13: [-inf, -0.0, 4] ** 0.5 is sqrt: [nan, -0.0, 2]; ** -0.5 is 1 / sqrt: [nan, -inf, 0.5]
        // (C's pow gives inf, 0.0 and 0, inf for -inf and -0.0)
        Strided a = f64(-INF, -0.0, 4);
        assertArrayEquals(new double[] {NAN, -0.0, 2}, rd(scalar(BinaryOp.POW, a, 0.5, false)));
        assertArrayEquals(new double[] {NAN, -INF, 0.5}, rd(scalar(BinaryOp.POW, a, -0.5, false)));
        assertArrayEquals(new double[] {INF, 0.0, 16}, rd(scalar(BinaryOp.POW, a, 2, false)));
        assertArrayEquals(new double[] {-INF, -0.0, 64}, rd(scalar(BinaryOp.POW, a, 3, false)));
        assertArrayEquals(new double[] {-0.0, -INF, 0.25}, rd(scalar(BinaryOp.POW, a, -1, false)));
        assertArrayEquals(new double[] {0.0, INF, 0.0625}, rd(scalar(BinaryOp.POW, a, -2, false)));
    }

    @Test
    void scalarIsTruncatedForInt64() {
        assertArrayEquals(new long[] {14, -14}, rl(scalar(BinaryOp.MUL, i64(7, -7), 2.9, false)));
        assertArrayEquals(new long[] {3, 0, -2}, rl(scalar(BinaryOp.DIV, i64(3, 0, -4), 10.0, true)));
        assertArrayEquals(new long[] {0, 1}, rl(scalar(BinaryOp.DIV, i64(3, 5), 5.0, false)));
        assertArrayEquals(new boolean[] {true, false}, rb(scalar(BinaryOp.EQ, i64(2, 3), 2.7, false)));
        assertArrayEquals(new boolean[] {true, false}, rb(scalar(BinaryOp.EQ, i64(-2, -3), -2.7, false)));
        // scalarFirst: 2 > a.
        assertArrayEquals(new boolean[] {true, false}, rb(scalar(BinaryOp.GT, i64(1, 2), 2.5, true)));
    }

    @Test
    void scalarIsNonZeroForBool() {
        Strided a = bool(true, false);
        assertArrayEquals(new boolean[] {true, false}, rb(scalar(BinaryOp.MUL, a, 0.5, false)));
        assertArrayEquals(new boolean[] {true, false}, rb(scalar(BinaryOp.ADD, a, 0.0, false)));
        assertArrayEquals(new boolean[] {false, true}, rb(scalar(BinaryOp.EQ, a, 0.0, false)));
    }

    @Test
    void scalarOnABroadcastOperand() {
        Strided a = f64(4);
        Strided wide = view(a, 0, shape(2, 2), shape(0, 0));
        assertArrayEquals(new double[] {0.5, 0.5, 0.5, 0.5}, rd(scalar(BinaryOp.DIV, wide, 2, true)));
    }

    // ------------------------------------------------------------------------------------------- unary

    @Test
    void int64Unary() {
        assertArrayEquals(new long[] {-5, MIN, 0}, rl(unary(UnaryOp.NEG, i64(5, MIN, 0))));
        assertArrayEquals(new long[] {5, MIN, 3}, rl(unary(UnaryOp.ABS, i64(-5, MIN, 3))));
        assertArrayEquals(new long[] {0, 0, 4}, rl(unary(UnaryOp.RELU, i64(-3, 0, 4))));
    }

    @Test
    void floatUnary() {
        assertArrayEquals(new double[] {0.5, NAN, 1, 0}, rd(unary(UnaryOp.SIGMOID, f64(0, NAN, 1000, -1000))));
        assertArrayEquals(new double[] {0, NAN, 3, -0.0}, rd(unary(UnaryOp.RELU, f64(-2, NAN, 3, -0.0)))); // torch 1.13
        assertArrayEquals(new double[] {-0.0, 2, NAN}, rd(unary(UnaryOp.NEG, f64(0, -2, NAN))));
        assertArrayEquals(new double[] {0.0, 2}, rd(unary(UnaryOp.ABS, f64(-0.0, -2))));
        assertArrayEquals(new double[] {NAN, Double.NEGATIVE_INFINITY, 0}, rd(unary(UnaryOp.LOG, f64(-1, 0, 1))));
        Strided z = f64(0);
        assertArrayEquals(new double[] {0}, rd(unary(UnaryOp.SIN, z)));
        assertArrayEquals(new double[] {1}, rd(unary(UnaryOp.COS, z)));
        assertArrayEquals(new double[] {0}, rd(unary(UnaryOp.TANH, z)));
        assertArrayEquals(new double[] {1}, rd(unary(UnaryOp.EXP, z)));
        // float32: sqrt(2) = 1.41421356..., nearest float 1.41421353816986083984375.
        assertArrayEquals(new float[] {1.4142135f, 0}, rf(unary(UnaryOp.SQRT, f32(2, 0))));
        assertArrayEquals(new float[] {1, (float) Math.E}, rf(unary(UnaryOp.EXP, f32(0, 1))));
    }

    @Test
    void unaryOnTransposedInput() {
        // [[1,4],[9,16]] transposed is [[1,9],[4,16]].
        Strided a = f32(1, 4, 9, 16);
        assertArrayEquals(new float[] {1, 3, 2, 4}, rf(unary(UnaryOp.SQRT, view(a, 0, shape(2, 2), shape(1, 2)))));
    }

    // ------------------------------------------------------------------------------------------ reduce

    Strided reduce(ReduceOp op, Strided in, int nReduced, DType outType) {
        long[] keep = java.util.Arrays.copyOf(in.shape, in.dim() - nReduced);
        Strided out = empty(outType, keep);
        B.reduce(op, in, nReduced, out, null);
        return out;
    }

    @Test
    void sumIsCompensated() {
        // Naive double summation loses the 1: 1e16 + 1 == 1e16.
        assertArrayEquals(new double[] {1}, rd(reduce(ReduceOp.SUM, f64(1e16, 1, -1e16), 1, DType.FLOAT64)));
        // float32 sums in double: 2^24 + 1 + 1 = 2^24 + 2 (float accumulation would stay at 2^24).
        assertArrayEquals(new float[] {16777218f}, rf(reduce(ReduceOp.SUM, f32(16777216f, 1, 1), 1, DType.FLOAT32)));
        // Infinities do not turn the compensation into NaN.
        assertArrayEquals(new double[] {INF}, rd(reduce(ReduceOp.SUM, f64(INF, 1, 2), 1, DType.FLOAT64)));
        assertArrayEquals(new double[] {NAN}, rd(reduce(ReduceOp.SUM, f64(INF, 1, -INF), 1, DType.FLOAT64)));
    }

    @Test
    void reduceRowsAndPermutedInput() {
        Strided a = f32(1, 2, 3, 4, 5, 6);
        Strided rows = view(a, 0, shape(2, 3), shape(3, 1));
        assertArrayEquals(new float[] {6, 15}, rf(reduce(ReduceOp.SUM, rows, 1, DType.FLOAT32)));
        assertArrayEquals(new float[] {2, 5}, rf(reduce(ReduceOp.MEAN, rows, 1, DType.FLOAT32)));
        assertArrayEquals(new float[] {6, 120}, rf(reduce(ReduceOp.PROD, rows, 1, DType.FLOAT32)));
        // Columns: the input with its dims swapped (kept dim has stride 1, reduced dim stride 3).
        Strided cols = view(a, 0, shape(3, 2), shape(1, 3));
        assertArrayEquals(new float[] {5, 7, 9}, rf(reduce(ReduceOp.SUM, cols, 1, DType.FLOAT32)));
        // Everything at once: both dims reduced, 0-dim output.
        assertArrayEquals(new float[] {21}, rf(reduce(ReduceOp.SUM, rows, 2, DType.FLOAT32)));
        // Nothing reduced: each element is its own sum.
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, rf(reduce(ReduceOp.SUM, cols, 0, DType.FLOAT32)));
        // MEAN 1/3: the exact mean rounded once.
        assertArrayEquals(new float[] {1f / 3}, rf(reduce(ReduceOp.MEAN, f32(1, 0, 0), 1, DType.FLOAT32)));
    }

    @Test
    void integerAndBoolReductionsGiveInt64() {
        assertArrayEquals(new long[] {MIN}, rl(reduce(ReduceOp.SUM, i64(MAX, 1), 1, DType.INT64)));
        assertArrayEquals(new long[] {-24}, rl(reduce(ReduceOp.PROD, i64(2, -3, 4), 1, DType.INT64)));
        assertArrayEquals(new long[] {3}, rl(reduce(ReduceOp.SUM, bool(true, true, false, true), 1, DType.INT64)));
        assertArrayEquals(new long[] {0}, rl(reduce(ReduceOp.PROD, bool(true, false), 1, DType.INT64)));
        assertArrayEquals(new long[] {1}, rl(reduce(ReduceOp.PROD, bool(true, true), 1, DType.INT64)));
    }

    @Test
    void emptyReductions() {
        Strided e = empty(DType.FLOAT32, 2, 0);
        assertArrayEquals(new float[] {0, 0}, rf(reduce(ReduceOp.SUM, e, 1, DType.FLOAT32)));
        assertArrayEquals(new float[] {1, 1}, rf(reduce(ReduceOp.PROD, e, 1, DType.FLOAT32)));
        assertArrayEquals(new float[] {Float.NaN, Float.NaN}, rf(reduce(ReduceOp.MEAN, e, 1, DType.FLOAT32)));
        assertArrayEquals(new long[] {0}, rl(reduce(ReduceOp.SUM, empty(DType.INT64, 0), 1, DType.INT64)));
        assertArrayEquals(new long[] {1}, rl(reduce(ReduceOp.PROD, empty(DType.BOOL, 0), 1, DType.INT64)));
        // No kept rows at all: nothing written, nothing thrown.
        assertArrayEquals(new long[0], rl(reduce(ReduceOp.MAX, empty(DType.INT64, 0, 3), 1, DType.INT64)));
    }

    @Test
    void maxMinWithIndicesTakeTheFirstExtreme() {
        Strided in = f64(3, 1, 3, 1);
        Strided out = empty(DType.FLOAT64, 2), idx = i64(-7, -7, -7, -7);
        // Outputs with stride 2 and an offset: only elements 1 and 3 are written.
        Strided outV = view(out, 0, shape(), shape()), idxV = view(idx, 1, shape(), shape());
        B.reduce(ReduceOp.MAX, in, 1, outV, idxV);
        B.reduce(ReduceOp.MIN, in, 1, view(out, 1, shape(), shape()), view(idx, 3, shape(), shape()));
        assertArrayEquals(new double[] {3, 1}, rd(out));
        assertArrayEquals(new long[] {-7, 0, -7, 1}, rl(idx));
    }

    @Test
    void nanIsTheExtremeAndPropagates() {
        // Rows: [1, NaN, 5, NaN], [NaN, 7, 0, 0], [2, 8, -1, 8].
        Strided in = view(f64(1, NAN, 5, NAN, NAN, 7, 0, 0, 2, 8, -1, 8), 0, shape(3, 4), shape(4, 1));
        Strided out = empty(DType.FLOAT64, 3), idx = empty(DType.INT64, 3);
        B.reduce(ReduceOp.MAX, in, 1, out, idx);
        assertArrayEquals(new double[] {NAN, NAN, 8}, rd(out));
        assertArrayEquals(new long[] {1, 0, 1}, rl(idx));
        B.reduce(ReduceOp.MIN, in, 1, out, idx);
        assertArrayEquals(new double[] {NAN, NAN, -1}, rd(out));
        assertArrayEquals(new long[] {1, 0, 2}, rl(idx));
        B.reduce(ReduceOp.ARGMIN, in, 1, null, idx);
        assertArrayEquals(new long[] {1, 0, 2}, rl(idx));
    }

    @Test
    void argOverTwoReducedDimsIsRowMajorWithinThem() {
        // [2, 2, 3] int64, trailing [2, 3] reduced. Row 0: [[1, 9, 3], [9, 2, 0]]; row 1: [[4, 0, 7], [-2, 8, -2]].
        Strided in = view(i64(1, 9, 3, 9, 2, 0, 4, 0, 7, -2, 8, -2), 0, shape(2, 2, 3), shape(6, 3, 1));
        Strided idx = empty(DType.INT64, 2);
        B.reduce(ReduceOp.ARGMAX, in, 2, null, idx);
        assertArrayEquals(new long[] {1, 4}, rl(idx));
        B.reduce(ReduceOp.ARGMIN, in, 2, null, idx);
        assertArrayEquals(new long[] {5, 3}, rl(idx));
        // The same input read with its reduced dims swapped ([2, 3, 2] view): positions change accordingly.
        // Row 0 becomes [[1, 9], [9, 2], [3, 0]]: first max at position 1; row 1 [[4, -2], [0, 8], [7, -2]]: 3.
        Strided swapped = view(in, 0, shape(2, 3, 2), shape(6, 1, 3));
        B.reduce(ReduceOp.ARGMAX, swapped, 2, null, idx);
        assertArrayEquals(new long[] {1, 3}, rl(idx));
        Strided out = empty(DType.BOOL, 1), bi = empty(DType.INT64, 1);
        B.reduce(ReduceOp.MAX, view(bool(false, true, true), 0, shape(1, 3), shape(3, 1)), 1, out, bi);
        assertArrayEquals(new boolean[] {true}, rb(out));
        assertArrayEquals(new long[] {1}, rl(bi));
    }

    // ------------------------------------------------------------------------------------------ matmul

    Strided matmul(Strided a, Strided b) {
        Strided out = empty(a.dtype, a.shape[0], a.shape[1], b.shape[2]);
        B.matmul(a, b, out);
        return out;
    }

    @Test
    void matmulWithTransposedOperandAndOutput() {
        // a = [[1,2,3],[4,5,6]]; b = c^T with c = [[1,0,2],[0,1,0]], so b = [[1,0],[0,1],[2,0]].
        // a @ b = [[1+6, 2], [4+12, 5]] = [[7, 2], [16, 5]].
        Strided a = view(f64(1, 2, 3, 4, 5, 6), 0, shape(1, 2, 3), shape(6, 3, 1));
        Strided b = view(f64(1, 0, 2, 0, 1, 0), 0, shape(1, 3, 2), shape(6, 1, 3));
        assertArrayEquals(new double[] {7, 2, 16, 5}, rd(matmul(a, b)));
        // The same into a transposed output: storage holds the result column by column.
        Strided store = f64(0, 0, 0, 0);
        B.matmul(a, b, view(store, 0, shape(1, 2, 2), shape(4, 1, 2)));
        assertArrayEquals(new double[] {7, 16, 2, 5}, rd(store));
        // a @ a^T = [[14, 32], [32, 77]].
        Strided at = view(a, 0, shape(1, 3, 2), shape(6, 1, 3));
        assertArrayEquals(new double[] {14, 32, 32, 77}, rd(matmul(a, at)));
    }

    @Test
    void matmulBroadcastsTheBatchWithStrideZero() {
        // a = [[1,2],[3,4]] for both batches; b = identity, then the swap [[0,1],[1,0]] (swaps columns).
        Strided a = view(f32(1, 2, 3, 4), 0, shape(2, 2, 2), shape(0, 2, 1));
        Strided b = view(f32(1, 0, 0, 1, 0, 1, 1, 0), 0, shape(2, 2, 2), shape(4, 2, 1));
        assertArrayEquals(new float[] {1, 2, 3, 4, 2, 1, 4, 3}, rf(matmul(a, b)));
    }

    @Test
    void matmulDotIsAccurateToWorkingPrecisionSquared() {
        // Cancellation that a plain double dot product gets wrong (0): the exact answer is 1.
        Strided a = view(f64(1e16, 1, -1e16), 0, shape(1, 1, 3), shape(3, 3, 1));
        Strided ones = view(f64(1, 1, 1), 0, shape(1, 3, 1), shape(3, 1, 1));
        assertArrayEquals(new double[] {1}, rd(matmul(a, ones)));
        // x = 1 + 2^-30: x*x - 1 = 2^-29 + 2^-60 exactly; fl(x*x) has lost the 2^-60.
        double x = 1 + 0x1p-30;
        Strided xa = view(f64(x, -1), 0, shape(1, 1, 2), shape(2, 2, 1));
        Strided xb = view(f64(x, 1), 0, shape(1, 2, 1), shape(2, 1, 1));
        assertArrayEquals(new double[] {0x1p-29 + 0x1p-60}, rd(matmul(xa, xb)));
        // float32: 1 + 2^-24 + 2^-24 = 1 + 2^-23, where float accumulation would round twice down to 1.
        Strided fa = view(f32(1, 1, 1), 0, shape(1, 1, 3), shape(3, 3, 1));
        Strided fb = view(f32(1, 0x1p-24f, 0x1p-24f), 0, shape(1, 3, 1), shape(3, 1, 1));
        assertArrayEquals(new float[] {1 + 0x1p-23f}, rf(matmul(fa, fb)));
    }

    @Test
    void matmulInt64WrapsAndEmptyKGivesZeros() {
        // MAX * 2 wraps to -2; + 1 * 2 = 0.
        Strided a = view(i64(MAX, 1), 0, shape(1, 1, 2), shape(2, 2, 1));
        Strided b = view(i64(2, 2), 0, shape(1, 2, 1), shape(2, 1, 1));
        assertArrayEquals(new long[] {0}, rl(matmul(a, b)));
        Strided out = i64(7, 7, 7, 7);
        B.matmul(empty(DType.INT64, 1, 2, 0), empty(DType.INT64, 1, 0, 2), view(out, 0, shape(1, 2, 2), shape(4, 2, 1)));
        assertArrayEquals(new long[] {0, 0, 0, 0}, rl(out));
        Strided fout = f32(7, 7);
        B.matmul(empty(DType.FLOAT32, 1, 1, 0), empty(DType.FLOAT32, 1, 0, 2), view(fout, 0, shape(1, 1, 2), shape(2, 2, 1)));
        assertArrayEquals(new float[] {0, 0}, rf(fout));
    }

    // -------------------------------------------------------------------------------------------- sort

    @Test
    void sortIsStableWithNaNAboveEverything() {
        float nan = Float.NaN, inf = Float.POSITIVE_INFINITY;
        Strided in = view(f32(3, 1, nan, 1, 2, nan, 0, -0f, 5, 5, -inf, inf), 0, shape(2, 6), shape(6, 1));
        Strided values = empty(DType.FLOAT32, 2, 6), indices = empty(DType.INT64, 2, 6);
        B.sort(in, false, values, indices);
        // 0 and -0 are equal keys, so they keep their input order.
        assertArrayEquals(new float[] {1, 1, 2, 3, nan, nan, -inf, 0, -0f, 5, 5, inf}, rf(values));
        assertArrayEquals(new long[] {1, 3, 4, 0, 2, 5, 4, 0, 1, 2, 3, 5}, rl(indices));
        B.sort(in, true, values, indices);
        assertArrayEquals(new float[] {nan, nan, 3, 2, 1, 1, inf, 5, 5, 0, -0f, -inf}, rf(values));
        assertArrayEquals(new long[] {2, 5, 0, 4, 1, 3, 5, 2, 3, 0, 1, 4}, rl(indices));
    }

    @Test
    void sortInt64AndBoolTiesKeepInputOrder() {
        // The input starts at offset 1 of its storage.
        Strided in = view(i64(99, 2, 1, 2, 3, 1), 1, shape(1, 5), shape(5, 1));
        Strided values = empty(DType.INT64, 1, 5), indices = empty(DType.INT64, 1, 5);
        B.sort(in, false, values, indices);
        assertArrayEquals(new long[] {1, 1, 2, 2, 3}, rl(values));
        assertArrayEquals(new long[] {1, 4, 0, 2, 3}, rl(indices));
        B.sort(in, true, values, indices);
        assertArrayEquals(new long[] {3, 2, 2, 1, 1}, rl(values));
        assertArrayEquals(new long[] {3, 0, 2, 1, 4}, rl(indices));
        Strided bv = empty(DType.BOOL, 3), bi = empty(DType.INT64, 3);
        B.sort(bool(true, false, true), false, bv, bi);
        assertArrayEquals(new boolean[] {false, true, true}, rb(bv));
        assertArrayEquals(new long[] {1, 0, 2}, rl(bi));
    }

    // ------------------------------------------------------------------------------- arange, linspace

    @Test
    void arangeComputesInDoubleThenConverts() {
        Strided f = empty(DType.FLOAT32, 4);
        B.arange(f, 0.1, 0.2);
        // 0.1 + 0.2 = 0.30000000000000004, 0.1 + 0.6000000000000001 = 0.7000000000000001: both round to the
        // nearest floats of 0.3 and 0.7.
        assertArrayEquals(new float[] {0.1f, 0.3f, 0.5f, 0.7f}, rf(f));
        Strided d = empty(DType.FLOAT64, 4);
        B.arange(d, 0, 0.1);
        assertArrayEquals(new double[] {0, 0.1, 0.2, 0.30000000000000004}, rd(d));
        Strided l = empty(DType.INT64, 3);
        B.arange(l, -2.5, 1); // -2.5, -1.5, -0.5 truncated toward zero
        assertArrayEquals(new long[] {-2, -1, 0}, rl(l));
    }

    Strided linspace(DType dt, double start, double end, int n) {
        Strided out = empty(dt, n);
        B.linspace(out, start, end);
        return out;
    }

    @Test
    void linspaceMinusPiToPi() {
        // start = -pi_f, end = pi_f (pi_f = (float) pi = 3.1415927410125732421875), end - start = 2 pi_f
        // exactly, step = 2 pi_f / 4 = pi_f / 2 exactly. halfway = 2:
        // i=0: start; i=1: -pi_f + pi_f/2 = -pi_f/2; i=2: pi_f - 2 * pi_f/2 = +0; i=3: pi_f - pi_f/2; i=4: end.
        float pi = (float) Math.PI;
        assertEquals(3.1415927410125732421875, pi, 0);
        assertArrayEquals(new float[] {-pi, -pi / 2, 0f, pi / 2, pi}, rf(linspace(DType.FLOAT32, -Math.PI, Math.PI, 5)));
    }

    @Test
    void linspaceCountsTheSecondHalfBackFromEnd() {
        // float32 (0, 1, 4): step = 1f/3 = 11184811 * 2^-25. i=1: step. i=2 (second half): 1 - step =
        // 22369621 * 2^-25, a tie in float, to even: 11184810 * 2^-24 = 0.6666666f. (In double the step
        // would give 0.6666667f.)
        float[] f = rf(linspace(DType.FLOAT32, 0, 1, 4));
        assertArrayEquals(new float[] {0, 11184811 * 0x1p-25f, 11184810 * 0x1p-24f, 1}, f);
        assertNotEquals((float) (1 - 1.0 / 3), f[2]);
        // float64 (0, 1, 10): PyTorch's AVX2 loop fills elements 0..7 in blocks of 4 (base + j * step, the
        // base at i0 = 4 < halfway 5 being 4 * step), and 8, 9 one by one counted back from end.
        double[] d = rd(linspace(DType.FLOAT64, 0, 1, 10));
        double step = 1.0 / 9;
        assertEquals(step * 4 + step * 3, d[7], 0);
        assertNotEquals(1 - step * 2, d[7]); // what the element-by-element formula would give
        assertEquals(step * 4, d[4], 0);
        assertEquals(1 - step, d[8], 0);
        assertEquals(1.0, d[9], 0);
    }

    @Test
    void linspaceInt64() {
        // step 10/3: 0, 3.33 -> 3, then from the end: 10 - 3.33 = 6.67 -> 6, 10.
        assertArrayEquals(new long[] {0, 3, 6, 10}, rl(linspace(DType.INT64, 0, 10, 4)));
        assertArrayEquals(new long[] {0, -3, -6, -10}, rl(linspace(DType.INT64, 0, -10, 4)));
        // start and end become int64 first (0 and 3, step 1), as PyTorch's Scalar.to<int64_t>() does;
        // with the raw -0.9 and 3.9 (step 1.6) element 1 would be 0.7 -> 0.
        assertArrayEquals(new long[] {0, 1, 2, 3}, rl(linspace(DType.INT64, -0.9, 3.9, 4)));
    }

    @Test
    void linspaceOfOneOrTwoOrNone() {
        assertArrayEquals(new float[] {2.5f}, rf(linspace(DType.FLOAT32, 2.5, 7, 1)));
        assertArrayEquals(new long[] {2}, rl(linspace(DType.INT64, 2.7, 9, 1)));
        assertArrayEquals(new double[] {-1, 7}, rd(linspace(DType.FLOAT64, -1, 7, 2)));
        assertArrayEquals(new double[0], rd(linspace(DType.FLOAT64, -1, 7, 0)));
    }

    // ---------------------------------------------------------------------------------------- memory

    @Test
    void memoryStatsCountLiveStorages() {
        // Storages collected by the GC are uncounted from a cleaner thread, which could interleave; retry
        // until one round sees no such interference (each only ever lowers liveBlocks).
        for (int attempt = 0; attempt < 5; attempt++) {
            MemoryStats m0 = B.memoryStats();
            Storage s = B.allocate(DType.FLOAT32, 10);
            MemoryStats m1 = B.memoryStats();
            s.retain();
            s.release();
            MemoryStats m2 = B.memoryStats();
            if (m1.liveBlocks() != m0.liveBlocks() + 1 || m2.liveBlocks() != m0.liveBlocks()) continue;
            assertEquals(40, s.nbytes());
            assertEquals(m0.bytesInUse() + 40, m1.bytesInUse());
            assertTrue(m1.peakBytesInUse() >= m1.bytesInUse());
            assertEquals(m0.allocations() + 1, m1.allocations());
            assertEquals(m0.bytesInUse(), m2.bytesInUse());
            assertEquals(m1.allocations(), m2.allocations());
            assertEquals(0, m2.gcRequests());
            return;
        }
        fail("liveBlocks never moved by exactly one allocation and one free");
    }

    @Test
    void storageCollectedByTheGcIsUncounted() throws InterruptedException {
        WeakReference<Storage> ref = new WeakReference<>(B.allocate(DType.FLOAT64, 1 << 20));
        long withIt = B.memoryStats().bytesInUse();
        for (int i = 0; i < 200 && (ref.get() != null || B.memoryStats().bytesInUse() > withIt - (8 << 20)); i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertTrue(B.memoryStats().bytesInUse() <= withIt - (8 << 20));
    }
}

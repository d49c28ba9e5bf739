package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.torchlet.backend.Backend;
import dev.torchlet.backend.Strided;
import dev.torchlet.backend.cpu.CpuBackend;
import dev.torchlet.backend.ref.RefBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Native-vs-reference accuracy: every op runs on seeded random inputs on the native CPU backend and on the
 * pure-Java reference backend (double precision, compensated sums), across shapes with broadcasting,
 * size-0, size-1 and 0-dim tensors, across dtypes and across layouts (contiguous, transposed, sliced),
 * and the results are compared with the op's tolerance.
 *
 * <p>Tolerances, for float32 and float64 results:
 * <ul>
 *   <li>EXACT: add, sub, mul, div, sqrt, comparisons, min/max, sort, copies. IEEE results are correctly
 *       rounded, and the reference's double result rounded to float is the same number (double has more
 *       than 2p+2 bits, so no double-rounding error for +, -, *, /, sqrt).
 *   <li>ULPS(k): transcendental functions, within k units in the last place of the reference.
 *   <li>SUM: reductions; native accumulates in double, so within 2 ulp of the result plus
 *       n * 2^-52 * (sum of the input magnitudes + |result|), n the input's element count.
 *   <li>DOT(K): matrix products; gemm accumulates in the element type, so the bound grows with the inner
 *       dimension: (K + 2) * eps * sum_k |a_ik * b_kj|.
 * </ul>
 * Integer and bool results must be equal. NaN must match NaN.
 *
 * <p>A new op joins the suite with one line in {@link #OPS}; a new backend by replacing {@link #NATIVE}.
 */
class AccuracyTest {
    static final Backend NATIVE = CpuBackend.INSTANCE;
    static final Backend REFERENCE = RefBackend.INSTANCE;

    static final Set<DType> ALL = EnumSet.allOf(DType.class);
    static final Set<DType> NUMERIC = EnumSet.of(DType.FLOAT32, DType.FLOAT64, DType.INT64);
    static final Set<DType> FLOATS = EnumSet.of(DType.FLOAT32, DType.FLOAT64);

    static final long[][][] UNARY_SHAPES = {{{}}, {{1}}, {{7}}, {{0}}, {{3, 4}}, {{2, 0, 3}}, {{2, 3, 5}}, {{1, 33}}};
    static final long[][][] BINARY_SHAPES = {
        {{}, {}}, {{5}, {5}}, {{}, {4}}, {{3, 4}, {4}}, {{3, 1}, {1, 4}}, {{2, 3, 4}, {3, 1}}, {{0, 3}, {3}},
        {{2, 0}, {1}}, {{4, 1, 3}, {2, 1}}, {{1}, {6, 5}}, {{37}, {37}}};
    static final long[][][] MATMUL_SHAPES = {
        {{3}, {3}}, {{2, 3}, {3}}, {{3}, {3, 4}}, {{2, 3}, {3, 4}}, {{2, 2, 3}, {3, 4}}, {{2, 1, 2, 3}, {3, 3, 4}},
        {{3, 2, 3}, {3, 3, 4}}, {{2, 0}, {0, 3}}, {{0, 3}, {3, 2}}, {{4, 300}, {300, 5}}, {{1, 1}, {1, 1}},
        {{2, 5, 3}, {3}}, {{5}, {2, 5, 3}}};

    enum Tol { EXACT, ULPS4, SUM, DOT }

    enum Layout { CONTIGUOUS, TRANSPOSED, SLICED }

    /** One op under test: how to call it on its inputs, on which dtypes and shapes, and how close it must be. */
    record Op(String name, Function<Tensor[], Object> fn, Set<DType> dtypes, long[][][] shapes, Tol tol,
              double lo, double hi) {
        @Override public String toString() { return name; }
    }

    static Op op(String name, Function<Tensor[], Object> fn, Set<DType> dtypes, long[][][] shapes, Tol tol) {
        return new Op(name, fn, dtypes, shapes, tol, -3, 3);
    }

    static Op positive(String name, Function<Tensor[], Object> fn, Tol tol) {
        return new Op(name, fn, NUMERIC, UNARY_SHAPES, tol, 0.01, 5);
    }

    static final List<Op> OPS = List.of(
            op("add", t -> t[0].add(t[1]), ALL, BINARY_SHAPES, Tol.EXACT),
            op("sub", t -> t[0].sub(t[1]), NUMERIC, BINARY_SHAPES, Tol.EXACT),
            op("mul", t -> t[0].mul(t[1]), ALL, BINARY_SHAPES, Tol.EXACT),
            op("div", t -> t[0].div(t[1]), ALL, BINARY_SHAPES, Tol.EXACT),
            op("pow", t -> t[0].pow(t[1]), FLOATS, BINARY_SHAPES, Tol.ULPS4),
            op("pow int", t -> t[0].pow(t[1].abs()), EnumSet.of(DType.INT64), BINARY_SHAPES, Tol.EXACT),
            op("maximum", t -> t[0].maximum(t[1]), ALL, BINARY_SHAPES, Tol.EXACT),
            op("minimum", t -> t[0].minimum(t[1]), ALL, BINARY_SHAPES, Tol.EXACT),
            op("eq", t -> t[0].eq(t[1]), ALL, BINARY_SHAPES, Tol.EXACT),
            op("ne", t -> t[0].ne(t[1]), ALL, BINARY_SHAPES, Tol.EXACT),
            op("lt", t -> t[0].lt(t[1]), ALL, BINARY_SHAPES, Tol.EXACT),
            op("le", t -> t[0].le(t[1]), ALL, BINARY_SHAPES, Tol.EXACT),
            op("gt", t -> t[0].gt(t[1]), ALL, BINARY_SHAPES, Tol.EXACT),
            op("ge", t -> t[0].ge(t[1]), ALL, BINARY_SHAPES, Tol.EXACT),
            op("add scalar", t -> t[0].add(0.1), ALL, UNARY_SHAPES, Tol.EXACT),
            op("add long", t -> t[0].add(3), ALL, UNARY_SHAPES, Tol.EXACT),
            op("rsub scalar", t -> t[0].rsub(1.5), NUMERIC, UNARY_SHAPES, Tol.EXACT),
            op("mul scalar", t -> t[0].mul(0.1), ALL, UNARY_SHAPES, Tol.EXACT),
            op("div scalar", t -> t[0].div(3), ALL, UNARY_SHAPES, Tol.EXACT),
            op("pow 2", t -> t[0].pow(2), NUMERIC, UNARY_SHAPES, Tol.EXACT),
            op("pow 0.5", t -> t[0].pow(0.5), NUMERIC, UNARY_SHAPES, Tol.ULPS4),
            op("scalar pow", t -> Torch.pow(2, t[0]), FLOATS, UNARY_SHAPES, Tol.ULPS4),
            op("gt scalar", t -> t[0].gt(0.5), ALL, UNARY_SHAPES, Tol.EXACT),
            op("neg", t -> t[0].neg(), NUMERIC, UNARY_SHAPES, Tol.EXACT),
            op("abs", t -> t[0].abs(), NUMERIC, UNARY_SHAPES, Tol.EXACT),
            op("relu", t -> t[0].relu(), NUMERIC, UNARY_SHAPES, Tol.EXACT),
            op("exp", t -> t[0].exp(), ALL, UNARY_SHAPES, Tol.ULPS4),
            positive("log", t -> t[0].log(), Tol.ULPS4),
            op("log of negatives", t -> t[0].log(), FLOATS, UNARY_SHAPES, Tol.ULPS4),
            positive("sqrt", t -> t[0].sqrt(), Tol.EXACT),
            op("sin", t -> t[0].sin(), NUMERIC, UNARY_SHAPES, Tol.ULPS4),
            op("cos", t -> t[0].cos(), NUMERIC, UNARY_SHAPES, Tol.ULPS4),
            op("tanh", t -> t[0].tanh(), NUMERIC, UNARY_SHAPES, Tol.ULPS4),
            op("sigmoid", t -> t[0].sigmoid(), NUMERIC, UNARY_SHAPES, Tol.ULPS4),
            op("sum", t -> t[0].sum(), ALL, UNARY_SHAPES, Tol.SUM),
            op("sum dim", t -> t[0].sum(-1, false), ALL, UNARY_SHAPES, Tol.SUM),
            op("sum dims keepdim", t -> t[0].dim() < 2 ? t[0].sum(0, true) : t[0].sum(new int[] {0, -1}, true), ALL,
                    UNARY_SHAPES, Tol.SUM),
            op("mean", t -> t[0].mean(), FLOATS, UNARY_SHAPES, Tol.SUM),
            op("mean dim", t -> t[0].mean(0, true), FLOATS, UNARY_SHAPES, Tol.SUM),
            op("prod", t -> t[0].prod(), ALL, UNARY_SHAPES, Tol.SUM),
            op("prod dim", t -> t[0].prod(-1, false), ALL, UNARY_SHAPES, Tol.SUM),
            op("max", t -> t[0].numel() == 0 ? t[0] : t[0].max(), ALL, UNARY_SHAPES, Tol.EXACT),
            op("min", t -> t[0].numel() == 0 ? t[0] : t[0].min(), ALL, UNARY_SHAPES, Tol.EXACT),
            op("max dim", t -> t[0].numel() == 0 ? t[0] : t[0].max(-1, true), ALL, UNARY_SHAPES, Tol.EXACT),
            op("min dim", t -> t[0].numel() == 0 ? t[0] : t[0].min(0), ALL, UNARY_SHAPES, Tol.EXACT),
            op("argmax", t -> t[0].numel() == 0 ? t[0] : t[0].argmax(), ALL, UNARY_SHAPES, Tol.EXACT),
            op("argmin dim", t -> t[0].numel() == 0 ? t[0] : t[0].argmin(0, false), ALL, UNARY_SHAPES, Tol.EXACT),
            op("sort", t -> t[0].sort(), ALL, UNARY_SHAPES, Tol.EXACT),
            op("sort dim 0 descending", t -> t[0].sort(0, true), ALL, UNARY_SHAPES, Tol.EXACT),
            op("matmul", t -> t[0].matmul(t[1]), NUMERIC, MATMUL_SHAPES, Tol.DOT),
            op("contiguous", t -> t[0].contiguous(), ALL, UNARY_SHAPES, Tol.EXACT),
            op("clone", t -> t[0].clone(), ALL, UNARY_SHAPES, Tol.EXACT),
            op("to float64", t -> t[0].to(DType.FLOAT64), ALL, UNARY_SHAPES, Tol.EXACT),
            op("to float32", t -> t[0].to(DType.FLOAT32), ALL, UNARY_SHAPES, Tol.EXACT),
            op("to int64", t -> t[0].to(DType.INT64), ALL, UNARY_SHAPES, Tol.EXACT),
            op("to bool", t -> t[0].to(DType.BOOL), ALL, UNARY_SHAPES, Tol.EXACT),
            op("cat", t -> t[0].dim() == 0 ? Torch.cat(0, t[0].reshape(1), t[0].neg().reshape(1))
                    : Torch.cat(0, t[0], t[0].neg()), NUMERIC, UNARY_SHAPES, Tol.EXACT),
            op("cat last dim", t -> t[0].dim() == 0 ? t[0] : Torch.cat(-1, t[0], t[0].mul(2)), ALL, UNARY_SHAPES,
                    Tol.EXACT),
            op("stack", t -> Torch.stack(t[0], t[0]), ALL, UNARY_SHAPES, Tol.EXACT),
            op("vstack", t -> Torch.vstack(t[0], t[0]), ALL, UNARY_SHAPES, Tol.EXACT),
            op("hstack", t -> Torch.hstack(t[0], t[0]), ALL, UNARY_SHAPES, Tol.EXACT),
            op("in-place add_", t -> t[0].clone().add_(t[1]), NUMERIC, new long[][][] {{{3, 4}, {4}}, {{5}, {}}},
                    Tol.EXACT),
            op("in-place mul_ scalar", t -> t[0].clone().mul_(0.25), FLOATS, UNARY_SHAPES, Tol.EXACT),
            op("copy_ broadcast", t -> t[0].clone().copy_(t[1]), ALL, new long[][][] {{{3, 4}, {4}}, {{2, 3}, {2, 1}}},
                    Tol.EXACT));

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Op op : OPS) {
            for (DType dtype : op.dtypes) {
                for (long[][] shapes : op.shapes) {
                    for (Layout layout : Layout.values()) {
                        boolean anyMatrix = Arrays.stream(shapes).anyMatch(s -> s.length >= 2);
                        if (layout == Layout.TRANSPOSED && !anyMatrix) continue;
                        if (layout == Layout.SLICED && Arrays.stream(shapes).allMatch(s -> s.length == 0)) continue;
                        cases.add(Arguments.of(op, dtype, shapes, layout));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("cases")
    void nativeMatchesReference(Op op, DType dtype, long[][] shapes, Layout layout) {
        long seed = (op.name + dtype + Arrays.deepToString(shapes) + layout).hashCode();
        try (Scope scope = Torch.scope()) {
            Object expected = op.fn.apply(inputs(REFERENCE, dtype, shapes, layout, op, seed));
            Object actual = op.fn.apply(inputs(NATIVE, dtype, shapes, layout, op, seed));
            String where = op + " " + dtype + " " + Arrays.deepToString(shapes) + " " + layout + " (seed " + seed + ")";
            if (expected instanceof ValuesIndices) {
                compare(where + " values", op, ((ValuesIndices) expected).values(), ((ValuesIndices) actual).values(), null);
                compare(where + " indices", op, ((ValuesIndices) expected).indices(), ((ValuesIndices) actual).indices(), null);
            } else {
                compare(where, op, (Tensor) expected, (Tensor) actual, inputs(REFERENCE, dtype, shapes, layout, op, seed));
            }
        }
    }

    /** The same random inputs on the given backend, laid out as asked. */
    static Tensor[] inputs(Backend backend, DType dtype, long[][] shapes, Layout layout, Op op, long seed) {
        Random random = new Random(seed);
        Tensor[] out = new Tensor[shapes.length];
        for (int i = 0; i < shapes.length; i++) out[i] = input(backend, dtype, shapes[i], layout, op, random);
        return out;
    }

    static Tensor input(Backend backend, DType dtype, long[] shape, Layout layout, Op op, Random random) {
        int n = shape.length;
        long[] base = shape.clone();
        if (layout == Layout.TRANSPOSED && n >= 2) {
            base[n - 1] = shape[n - 2];
            base[n - 2] = shape[n - 1];
        } else if (layout == Layout.SLICED && n >= 1) {
            base[n - 1] = 2 * shape[n - 1] + 1;
        }
        Tensor t = Tensor.fromArray(backend, dtype, base, randomArray(dtype, Strided.numel(base), op, random));
        if (layout == Layout.TRANSPOSED && n >= 2) return t.transpose(-1, -2);
        if (layout == Layout.SLICED && n >= 1) return t.narrow(-1, 1, shape[n - 1]);
        return t;
    }

    static Object randomArray(DType dtype, long count, Op op, Random random) {
        int n = Math.toIntExact(count);
        switch (dtype) {
            case FLOAT32: {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) a[i] = (float) (op.lo + (op.hi - op.lo) * random.nextDouble());
                return a;
            }
            case FLOAT64: {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) a[i] = op.lo + (op.hi - op.lo) * random.nextDouble();
                return a;
            }
            case INT64: {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) a[i] = (long) Math.floor(op.lo + (op.hi - op.lo + 1) * random.nextDouble());
                return a;
            }
            default: {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) a[i] = random.nextBoolean();
                return a;
            }
        }
    }

    static void compare(String where, Op op, Tensor expected, Tensor actual, Tensor[] refInputs) {
        assertEquals(expected.shape(), actual.shape(), where + ": shape");
        assertEquals(expected.dtype(), actual.dtype(), where + ": dtype");
        if (!expected.dtype().isFloatingPoint()) {
            assertArrayEquals(expected.toLongArray(), actual.toLongArray(), where);
            return;
        }
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        double[] bound = bounds(op, expected, refInputs);
        boolean single = expected.dtype() == DType.FLOAT32;
        for (int i = 0; i < e.length; i++) {
            if (Double.isNaN(e[i]) || Double.isNaN(a[i])) {
                if (Double.isNaN(e[i]) != Double.isNaN(a[i])) fail(where + " at " + i + ": expected " + e[i] + " got " + a[i]);
                continue;
            }
            double ulp = single ? Math.ulp((float) e[i]) : Math.ulp(e[i]);
            double allowed;
            switch (op.tol) {
                case EXACT: allowed = 0; break;
                case ULPS4: allowed = 4 * ulp; break;
                case SUM: allowed = 2 * ulp + bound[i]; break;
                default: allowed = bound[i]; break;
            }
            if (!(e[i] == a[i] || Math.abs(e[i] - a[i]) <= allowed)) {
                fail(where + " at " + i + ": expected " + e[i] + " got " + a[i] + " (allowed difference " + allowed + ")");
            }
        }
    }

    /** Per-element error bounds that depend on the inputs (sums and dot products). */
    static double[] bounds(Op op, Tensor expected, Tensor[] refInputs) {
        double[] b = new double[Math.toIntExact(expected.numel())];
        double eps = expected.dtype() == DType.FLOAT32 ? 0x1p-24 : 0x1p-53;
        if (op.tol == Tol.SUM) {
            Tensor in = refInputs[0];
            double magnitude = in.numel() == 0 ? 0 : in.to(DType.FLOAT64).abs().sum().item();
            double[] e = expected.toDoubleArray();
            for (int i = 0; i < b.length; i++) b[i] = in.numel() * 0x1p-52 * (magnitude + Math.abs(e[i]));
        }
        if (op.tol == Tol.DOT) {
            Tensor a = refInputs[0].abs(), c = refInputs[1].abs();
            double[] magnitude = a.matmul(c).toDoubleArray();
            long k = refInputs[0].size(-1);
            for (int i = 0; i < b.length; i++) b[i] = (k + 2) * eps * magnitude[i];
        }
        return b;
    }
}

package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.torchlet.AccuracyTest.Tol;
import dev.torchlet.backend.Backend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One fuzz case's tensors, each held twice: on the reference backend and on the native one, made by the same
 * calls. Random inputs (any dtype, 0-d to 4-d, size-0 and size-1 dims, non-contiguous layouts and storage
 * offsets), and {@link #apply}, which runs a call on both and checks that they agree.
 */
final class Twins {
    static final Backend REFERENCE = AccuracyTest.REFERENCE, NATIVE = AccuracyTest.NATIVE;
    static final DType[] DTYPES = DType.values();
    /** Exceptions bad input may raise; anything else (NullPointerException, ArithmeticException...) is a bug. */
    static final List<Class<? extends RuntimeException>> BAD_INPUT = List.of(IllegalArgumentException.class,
            IndexOutOfBoundsException.class, IllegalStateException.class, UnsupportedOperationException.class);

    /** A tensor on both backends. */
    record Twin(String name, Tensor ref, Tensor nat) {
        DType dtype() { return ref.dtype(); }
        long[] shape() { return ref.shape().toArray(); }
        int dim() { return ref.dim(); }
        @Override public String toString() { return name; }
    }

    final SplittableRandom r;
    final Fuzz.Log log;
    /** Every tensor of the case so far, inputs and results. */
    final List<Twin> pool = new ArrayList<>();
    /** Largest element count of a random shape: small, except in a "wide" case (dims past the kernels' 16-tiles). */
    final int maxNumel;
    /** Calls that raised on both backends (for the statistics). */
    int raised;
    private int names;

    Twins(SplittableRandom r, Fuzz.Log log) {
        this.r = r;
        this.log = log;
        maxNumel = r.nextInt(20) == 0 ? 1500 : 96;
    }

    // ------------------------------------------------------------------------------------------ shapes

    /** 0-d to 4-d, sizes mostly 1..5, sometimes 0; in a wide case some up to 40. */
    long[] shape() {
        while (true) {
            int[] rankWeights = {1, 3, 4, 2, 1};
            long[] s = new long[pickWeighted(rankWeights)];
            for (int i = 0; i < s.length; i++) s[i] = size();
            if (numel(s) <= maxNumel) return s;
        }
    }

    private long size() {
        int k = r.nextInt(40);
        if (k == 0) return 0;
        if (k < 8) return 1;
        if (maxNumel > 100 && k < 14) return 14 + r.nextInt(27);
        return 2 + r.nextInt(4);
    }

    /** A shape that broadcasts to s without growing it: trailing dims of s, some of them 1. */
    long[] broadcastableTo(long[] s) {
        int keep = r.nextInt(3) == 0 ? r.nextInt(s.length + 1) : s.length;
        long[] out = Arrays.copyOfRange(s, s.length - keep, s.length);
        for (int i = 0; i < out.length; i++) if (r.nextInt(4) == 0) out[i] = 1;
        return out;
    }

    /** A shape that broadcasts with s, the result maybe larger than s (a leading dim, 1s in s stretched). */
    long[] broadcastsWith(long[] s) {
        long[] out = broadcastableTo(s);
        for (int i = 0, j = s.length - out.length; i < out.length; i++, j++) {
            if (s[j] == 1 && r.nextInt(3) == 0) out[i] = 1 + r.nextInt(3);
        }
        if (out.length == s.length && r.nextInt(8) == 0 && numel(s) * 2 <= maxNumel) {
            long[] grown = new long[out.length + 1];
            grown[0] = 1 + r.nextInt(2);
            System.arraycopy(out, 0, grown, 1, out.length);
            return grown;
        }
        return out;
    }

    static long numel(long[] shape) { return dev.torchlet.backend.Strided.numel(shape); }

    int pickWeighted(int... weights) {
        int total = 0;
        for (int w : weights) total += w;
        int k = r.nextInt(total);
        for (int i = 0; ; i++) {
            k -= weights[i];
            if (k < 0) return i;
        }
    }

    DType dtype() { return DTYPES[r.nextInt(DTYPES.length)]; }

    /** A dim of a tensor of rank n, in range, sometimes written negative (a 0-d tensor takes 0 and -1). */
    int dim(int n) {
        int range = Math.max(n, 1), d = r.nextInt(range);
        return r.nextBoolean() ? d : d - range;
    }

    int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    // ------------------------------------------------------------------------------------------ inputs

    /** A new input of a random dtype and shape. */
    Twin input() { return input(dtype(), shape()); }

    /** A new input with random values, laid out contiguously or as a view (see {@link #layout}). */
    Twin input(DType dtype, long[] shape) {
        Layout layout = layout(shape);
        String kind = r.nextInt(10) < 7 ? "plain" : r.nextBoolean() ? "ties" : "special";
        Object values = values(dtype, numel(layout.base), kind);
        return add(fresh(), dtype + " " + Shapes.str(shape) + layout.how + ", " + kind + " values",
                layout.view.apply(Tensor.fromArray(REFERENCE, dtype, layout.base, values)),
                layout.view.apply(Tensor.fromArray(NATIVE, dtype, layout.base, values)));
    }

    /** An input with the given values, contiguous. */
    Twin input(DType dtype, long[] shape, Object values, String what) {
        return add(fresh(), dtype + " " + Shapes.str(shape) + ", " + what, Tensor.fromArray(REFERENCE, dtype, shape,
                values), Tensor.fromArray(NATIVE, dtype, shape, values));
    }

    /** An input's view of a contiguous tensor of shape base. */
    private record Layout(long[] base, UnaryOperator<Tensor> view, String how) {}

    /**
     * How an input of shape is made: contiguous, or permuted, narrowed (a storage offset), selected from one
     * more dim, or expanded from size-1 dims (stride 0) from a contiguous base.
     */
    private Layout layout(long[] shape) {
        int n = shape.length;
        long[] base = shape.clone();
        switch (r.nextInt(6)) {
            case 0: {
                if (n < 2) break;
                int[] p = permutation(n);
                for (int i = 0; i < n; i++) base[p[i]] = shape[i];
                return new Layout(base, t -> t.permute(p), " = permute" + Arrays.toString(p) + " of " + Shapes.str(base));
            }
            case 1: {
                if (n < 1) break;
                int k = r.nextInt(n);
                long extra = 1 + r.nextInt(3), start = r.nextInt((int) extra + 1);
                base[k] += extra;
                return new Layout(base, t -> t.narrow(k, start, shape[k]),
                        " = narrow(" + k + ", " + start + ", " + shape[k] + ") of " + Shapes.str(base));
            }
            case 2: {
                int at = r.nextInt(n + 1);
                long m = 1 + r.nextInt(3), index = r.nextInt((int) m);
                long[] wider = new long[n + 1];
                for (int i = 0, j = 0; i <= n; i++) wider[i] = i == at ? m : shape[j++];
                return new Layout(wider, t -> t.select(at, index),
                        " = select(" + at + ", " + index + ") of " + Shapes.str(wider));
            }
            case 3: {
                boolean any = false;
                for (int i = 0; i < n; i++) {
                    if (shape[i] != 1 && r.nextInt(3) == 0) {
                        base[i] = 1;
                        any = true;
                    }
                }
                if (!any) break;
                return new Layout(base, t -> t.expand(shape), " = expand of " + Shapes.str(base));
            }
            default:
                break;
        }
        return new Layout(shape, t -> t, "");
    }

    /** Row-major values of dtype: "plain" (uniform, or small integers for int64), "ties", "special". */
    Object values(DType dtype, long count, String kind) {
        int n = Math.toIntExact(count);
        switch (dtype) {
            case FLOAT32:
            case FLOAT64: {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) v[i] = floatValue(kind);
                if (dtype == DType.FLOAT64) return v;
                float[] f = new float[n];
                for (int i = 0; i < n; i++) f[i] = (float) v[i];
                return f;
            }
            case INT64: {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) v[i] = longValue(kind);
                return v;
            }
            default: {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) v[i] = r.nextBoolean();
                return v;
            }
        }
    }

    private static final double[] SPECIAL = {
        0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e30, -1e30, 1e-40, 1e-310, 1};

    private double floatValue(String kind) {
        if (kind.equals("ties")) return r.nextInt(7) - 3;
        if (kind.equals("special") && r.nextInt(4) == 0) return SPECIAL[r.nextInt(SPECIAL.length)];
        return -3 + 6 * r.nextDouble();
    }

    private static final long[] LARGE = {Long.MAX_VALUE, Long.MIN_VALUE, 1L << 62, -(1L << 40), (1L << 31) + 7};

    private long longValue(String kind) {
        if (kind.equals("special") && r.nextInt(4) == 0) return LARGE[r.nextInt(LARGE.length)];
        if (kind.equals("ties")) return r.nextInt(3) - 1;
        return r.nextInt(9) - 4;
    }

    // ------------------------------------------------------------------------------------------ running calls

    String fresh() { return "t" + names++; }

    Twin add(String name, String what, Tensor ref, Tensor nat) {
        Twin t = new Twin(name, ref, nat);
        pool.add(t);
        log.add(name + " = " + what);
        return t;
    }

    /** What a call gave on one backend: a result (Tensor or ValuesIndices) or an exception. */
    private record Outcome(Object value, RuntimeException error) {}

    private static Outcome run(Function<Tensor[], Object> call, Tensor[] args) {
        try {
            return new Outcome(call.apply(args), null);
        } catch (RuntimeException e) {
            return new Outcome(null, e);
        }
    }

    static Tensor[] refs(Twin... t) { return Arrays.stream(t).map(Twin::ref).toArray(Tensor[]::new); }

    static Tensor[] nats(Twin... t) { return Arrays.stream(t).map(Twin::nat).toArray(Tensor[]::new); }

    /**
     * Runs call (text: its Java form, %s for the operands) on the reference operands and on the native ones.
     * Both must raise the same exception (one bad input gets) or give results that agree: shape, dtype,
     * strides, storage offset, and values within tol (magnitude: MAG's per-element size). A float result that
     * is not exact is then overwritten on the native side with the reference's values, so that the next steps
     * of a chain start from the same numbers. Returns the result (the values of a ValuesIndices), or null
     * when both raised.
     */
    Twin apply(String text, Tol tol, BiFunction<Tensor[], Tensor, Tensor> magnitude, Function<Tensor[], Object> call,
               Twin... args) {
        String call0 = String.format(text, (Object[]) args);
        Tensor[] refArgs = refs(args);
        Outcome ref = run(call, refArgs), nat = run(call, nats(args));
        if (ref.error != null || nat.error != null) {
            sameError(call0, ref.error, nat.error);
            log.add(call0 + "  raised " + ref.error);
            raised++;
            return null;
        }
        Tensor refValues = values(ref.value), natValues = values(nat.value);
        String name = fresh();
        log.add(name + " = " + call0 + "  -> " + refValues.dtype() + " " + refValues.shape());
        agree(name + " = " + call0, tol, magnitude, refValues, natValues, refArgs);
        if (ref.value instanceof ValuesIndices) {
            agree(name + " = " + call0 + " (indices)", Tol.EXACT, null, ((ValuesIndices) ref.value).indices(),
                    ((ValuesIndices) nat.value).indices(), refArgs);
        }
        if (tol != Tol.EXACT && refValues.dtype().isFloatingPoint()) {
            try (Scope scope = Torch.scope(); GradMode off = new GradMode(false)) {
                Object exact = refValues.dtype() == DType.FLOAT32 ? refValues.toFloatArray() : refValues.toDoubleArray();
                natValues.copy_(Tensor.fromArray(NATIVE, refValues.dtype(), refValues.shape().toArray(), exact));
            }
        }
        Twin t = new Twin(name, refValues, natValues);
        pool.add(t);
        return t;
    }

    /**
     * Runs an invalid call (text: its Java form, %s for the operands) on both backends; both must raise the
     * same exception, one bad input gets. Returns the reference backend's.
     */
    RuntimeException raises(String text, Function<Tensor[], Object> call, Twin... args) {
        String call0 = String.format(text, (Object[]) args);
        Outcome ref = run(call, refs(args)), nat = run(call, nats(args));
        if (ref.error == null && nat.error == null) throw new AssertionError(call0 + ": did not raise on either backend");
        sameError(call0, ref.error, nat.error);
        log.add(call0 + "  raised " + ref.error);
        return ref.error;
    }

    private static Tensor values(Object result) {
        return result instanceof ValuesIndices ? ((ValuesIndices) result).values() : (Tensor) result;
    }

    /** Both raised the same exception, one bad input gets. */
    static void sameError(String call, RuntimeException ref, RuntimeException nat) {
        if (ref == null || nat == null) {
            RuntimeException e = ref != null ? ref : nat;
            throw new AssertionError(call + ": raised " + e + " on the " + (ref != null ? "reference" : "native")
                    + " backend only", e);
        }
        if (ref.getClass() != nat.getClass() || !Objects.equals(ref.getMessage(), nat.getMessage())) {
            throw new AssertionError(call + ": the backends raised differently:\n  reference: " + ref + "\n  native:    "
                    + nat, nat);
        }
        if (BAD_INPUT.stream().noneMatch(c -> c.isInstance(ref))) {
            throw new AssertionError(call + ": raised " + ref + ", not an exception for bad input", ref);
        }
    }

    /** The native result agrees with the reference's: layout, dtype, values (within tol). */
    static void agree(String what, Tol tol, BiFunction<Tensor[], Tensor, Tensor> magnitude, Tensor ref, Tensor nat,
                      Tensor[] refArgs) {
        AccuracyTest.compare(what, tol, magnitude, ref, nat, refArgs);
        assertArrayEquals(ref.stride(), nat.stride(), what + ": strides");
        assertEquals(ref.storageOffset(), nat.storageOffset(), what + ": storage offset");
    }

    /** Every tensor of the case agrees exactly: what an in-place write did to views and bases alike. */
    void agreeAll(String after) {
        for (Twin t : pool) agree(t.name + " after " + after, Tol.EXACT, null, t.ref, t.nat, new Tensor[0]);
    }
}

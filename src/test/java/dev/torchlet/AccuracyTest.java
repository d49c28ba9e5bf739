package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.torchlet.backend.Backend;
import dev.torchlet.backend.GradOp;
import dev.torchlet.backend.Strided;
import dev.torchlet.backend.cpu.CpuBackend;
import dev.torchlet.backend.ref.RefBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;
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
 *   <li>ULPS(k): transcendental functions, within k units in the last place of the reference, or within
 *       the smallest normal number of it (results that underflow).
 *   <li>SUM: reductions; native accumulates in double, so within 2 ulp of the result plus
 *       n * 2^-52 * (m + |result|), n the input's element count, m the sum of the input magnitudes (or of
 *       those the result element reduces, when the op gives them).
 *   <li>DOT(K): matrix products; gemm accumulates in the element type, so the bound grows with the inner
 *       dimension: (K + 2) * (eps * sum_k |a_ik * b_kj| + the smallest subnormal, for underflow).
 *   <li>MAG: fused kernels (gradient formulas, softmax, cross entropy, optimizer steps) that round several
 *       times in the element type or cancel: within 4 ulp plus 16 * eps * m, m a per-element magnitude the op
 *       states (the size of the terms that cancel, or |result| for a chain of roundings).
 * </ul>
 * Integer and bool results must be equal. NaN must match NaN (but a matrix product whose terms overflow the
 * element type may give inf or NaN).
 *
 * <p>A new op joins the suite with one line in {@link #OPS} (backend-level fused kernels: {@link #FUSED_OPS}); a
 * new backend by replacing {@link #NATIVE}.
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
        {{2, 5, 3}, {3}}, {{5}, {2, 5, 3}}, {{2, 3, 0}, {0, 4}}};

    enum Tol { EXACT, ULPS4, SUM, DOT, MAG }

    enum Layout { CONTIGUOUS, TRANSPOSED, SLICED }

    /** One op under test: how to call it on its inputs, on which dtypes and shapes, and how close it must be. */
    record Op(String name, Function<Tensor[], Object> fn, Set<DType> dtypes, long[][][] shapes, Tol tol,
              double lo, double hi, BiFunction<Tensor[], Tensor, Tensor> magnitude) {
        @Override public String toString() { return name; }
    }

    static Op op(String name, Function<Tensor[], Object> fn, Set<DType> dtypes, long[][][] shapes, Tol tol) {
        return new Op(name, fn, dtypes, shapes, tol, -3, 3, null);
    }

    static Op positive(String name, Function<Tensor[], Object> fn, Tol tol) {
        return new Op(name, fn, NUMERIC, UNARY_SHAPES, tol, 0.01, 5, null);
    }

    /** An op with tolerance MAG: magnitude(reference inputs, reference result) gives m per result element. */
    static Op mag(String name, Function<Tensor[], Object> fn, long[][][] shapes, double lo, double hi,
                  BiFunction<Tensor[], Tensor, Tensor> magnitude) {
        return new Op(name, fn, FLOATS, shapes, Tol.MAG, lo, hi, magnitude);
    }

    static Op mag(String name, Function<Tensor[], Object> fn, long[][][] shapes,
                  BiFunction<Tensor[], Tensor, Tensor> magnitude) {
        return mag(name, fn, shapes, -3, 3, magnitude);
    }

    // ---------------------------------------------------------------- fused autograd / loss / optimizer kernels

    /** (a, b, g) operand shapes of Backend.grad; the output has their broadcast shape. */
    static final long[][][] GRAD_SHAPES = {
        {{}, {}, {}}, {{1}, {1}, {1}}, {{7}, {7}, {7}}, {{0}, {0}, {0}}, {{3, 4}, {4}, {3, 1}}, {{2, 3, 5}, {3, 5}, {}},
        {{2, 0, 3}, {3}, {1}}, {{37, 29}, {37, 29}, {37, 29}}, {{1001}, {1001}, {1001}}, {{4, 1}, {1, 5}, {4, 5}}};
    /** [rows, n] shapes of the row kernels (the second operand, when used, has the same shape). */
    static final long[][][] ROW_SHAPES = {
        {{1, 1}, {1, 1}}, {{3, 7}, {3, 7}}, {{0, 5}, {0, 5}}, {{4, 0}, {4, 0}}, {{2, 1001}, {2, 1001}},
        {{1200, 3}, {1200, 3}}, {{5, 33}, {5, 33}}};
    /** [N, C] logits and [N] incoming gradient of the cross entropy kernels. */
    static final long[][][] CE_SHAPES = {
        {{1, 1}, {1}}, {{5, 7}, {5}}, {{0, 3}, {0}}, {{3, 1001}, {3}}, {{1200, 3}, {1200}}, {{9, 2}, {9}}};
    /** (param, grad) shapes of the optimizer steps; grad may be broadcast (stride 0). */
    static final long[][][] STEP_SHAPES = {
        {{}, {}}, {{1}, {1}}, {{7}, {7}}, {{0}, {0}}, {{3, 4}, {3, 4}}, {{3, 4}, {4}}, {{33, 31}, {33, 31}},
        {{1001}, {1001}}};

    static Tensor out(Tensor like, long... shape) { return Tensor.empty(like.backend(), like.dtype(), shape); }

    /** Zeros of t's shape on t's backend; transposed in memory when t is a non-contiguous matrix. */
    static Tensor zerosLike(Tensor t) {
        long[] shape = t.shape().toArray();
        int n = shape.length;
        if (n < 2 || t.isContiguous()) return out(t, shape).zero_();
        long[] swapped = shape.clone();
        swapped[n - 1] = shape[n - 2];
        swapped[n - 2] = shape[n - 1];
        return out(t, swapped).zero_().transpose(-1, -2);
    }

    static long[] broadcastAll(Tensor... t) {
        long[] shape = t[0].shape().toArray();
        for (Tensor x : t) shape = Shapes.broadcast(shape, x.shape().toArray());
        return shape;
    }

    /** Backend.grad on inputs (a, b, g) broadcast to one shape; out contiguous, or transposed when asked. */
    static Tensor grad(GradOp op, double s, Tensor[] t, boolean transposedOut) {
        long[] shape = broadcastAll(t);
        Tensor a = t[0].expand(shape), b = t[1].expand(shape), g = t[2].expand(shape);
        Tensor out = out(a, shape);
        if (transposedOut && shape.length >= 2) { // the same shape, laid out column-major in its last two dims
            long[] swapped = shape.clone();
            swapped[shape.length - 1] = shape[shape.length - 2];
            swapped[shape.length - 2] = shape[shape.length - 1];
            out = out(a, swapped).transpose(-1, -2);
        }
        a.backend().grad(op, a.data(), op.usesB() ? b.data() : a.data(), g.data(), s, out.data());
        return out;
    }

    static Op grad(String name, GradOp op, double s, boolean transposedOut, double lo, double hi,
                   BiFunction<Tensor[], Tensor, Tensor> magnitude) {
        return new Op(name, t -> grad(op, s, t, transposedOut), FLOATS, GRAD_SHAPES,
                magnitude == null ? Tol.EXACT : Tol.MAG, lo, hi, magnitude);
    }

    static Tensor softmax(Tensor[] t, boolean log) {
        Tensor in = t[0].contiguous(), out = out(in, in.shape().toArray());
        in.backend().softmax(in.data(), log, out.data());
        return out;
    }

    static Tensor softmaxBackward(Tensor[] t, boolean log) {
        Tensor g = t[0].contiguous(), y = t[1].contiguous(), out = out(g, g.shape().toArray());
        g.backend().softmaxBackward(g.data(), y.data(), log, out.data());
        return out;
    }

    /** The largest |x| of each row of a [N, C] tensor (C > 0), as [N, 1]. */
    static Tensor rowAbsMax(Tensor x) {
        if (x.size(0) == 0) return x.abs().sum(-1, true);
        return x.abs().max(-1, true).values();
    }

    /**
     * Targets of a CE case, a strided int64 [N] view (every other element of an [N, 2] tensor): row i has class
     * (7i + 3) % C, or ignoreIndex when i % 4 == 1 and ignoreRows.
     */
    static Tensor targets(Tensor like, long n, long classes, long ignoreIndex, boolean ignoreRows) {
        long[] raw = new long[Math.toIntExact(2 * n)];
        for (int i = 0; i < n; i++) {
            raw[2 * i] = ignoreRows && i % 4 == 1 ? ignoreIndex : (7L * i + 3) % classes;
            raw[2 * i + 1] = -12345;
        }
        return Tensor.fromArray(like.backend(), DType.INT64, new long[] {n, 2}, raw).select(1, 0);
    }

    static Tensor crossEntropy(Tensor[] t, long ignoreIndex, boolean ignoreRows, double ls) {
        Tensor logits = t[0].contiguous();
        long n = logits.size(0), c = logits.size(1);
        Tensor target = targets(logits, n, c, ignoreIndex, ignoreRows), losses = out(logits, n);
        long bad = logits.backend().crossEntropy(logits.data(), target.data(), ignoreIndex, ls, losses.data());
        assertEquals(-1, bad, "no target is out of bounds");
        return losses;
    }

    static Tensor crossEntropyBackward(Tensor[] t, long ignoreIndex, boolean ignoreRows, double ls, boolean scalarG) {
        Tensor logits = t[0].contiguous();
        long n = logits.size(0), c = logits.size(1);
        Tensor target = targets(logits, n, c, ignoreIndex, ignoreRows), grad = out(logits, n, c);
        Tensor g = t[1];
        if (scalarG) {
            Object v = logits.dtype() == DType.FLOAT32 ? new float[] {0.7f} : new double[] {0.7};
            g = Tensor.fromArray(logits.backend(), logits.dtype(), new long[0], v).expand(n);
        }
        logits.backend().crossEntropyBackward(logits.data(), target.data(), g.data(), ignoreIndex, ls, grad.data());
        return grad;
    }

    static Tensor ceMagnitude(Tensor[] t, Tensor expected) {
        return rowAbsMax(t[0]).mul(2).add(2).add(expected.abs().unsqueeze(-1)).squeeze(-1);
    }

    static Tensor ceBackwardMagnitude(Tensor[] t, Tensor expected) {
        return rowAbsMax(t[0]).mul(2).add(2).mul(3).expand(expected.shape().toArray());
    }

    /** The grad of step k (0-based) of an optimizer case, the same on both backends: grad * scale_k + shift_k. */
    static Tensor stepGrad(Tensor grad, int k, boolean shrinking) {
        return shrinking ? grad.mul(3 - k) : grad.mul(1 + 0.5 * k).sub(0.25 * k);
    }

    static Tensor flatCat(Tensor... t) {
        List<Tensor> flat = new ArrayList<>();
        for (Tensor x : t) if (x != null) flat.add(x.reshape(-1));
        return Torch.cat(flat, 0);
    }

    static Tensor sgd(Tensor[] t, double lr, double momentum, double dampening, double wd, boolean nesterov) {
        Tensor param = t[0], buf = momentum != 0 ? zerosLike(param) : null;
        for (int k = 0; k < 3; k++) {
            Tensor g = stepGrad(t[1], k, false).expand(param.shape().toArray());
            param.backend().sgdStep(param.data(), g.data(), buf == null ? null : buf.data(), lr, momentum, dampening,
                    wd, nesterov, k == 0);
        }
        return flatCat(param, buf);
    }

    static Tensor rmsprop(Tensor[] t, double lr, double alpha, double eps, double wd, double momentum,
                          boolean centered) {
        Tensor param = t[0], sq = zerosLike(param), ga = centered ? zerosLike(param) : null,
                buf = momentum > 0 ? zerosLike(param) : null;
        for (int k = 0; k < 3; k++) {
            Tensor g = stepGrad(t[1], k, false).expand(param.shape().toArray());
            param.backend().rmspropStep(param.data(), g.data(), sq.data(), ga == null ? null : ga.data(),
                    buf == null ? null : buf.data(), lr, alpha, eps, wd, momentum);
        }
        return flatCat(param, sq, ga, buf);
    }

    static Tensor adam(Tensor[] t, double lr, double beta1, double beta2, double eps, double wd, boolean amsgrad,
                       boolean decoupled) {
        Tensor param = t[0], m = zerosLike(param), v = zerosLike(param), vmax = amsgrad ? zerosLike(param) : null;
        for (int k = 0; k < 3; k++) {
            Tensor g = stepGrad(t[1], k, amsgrad).expand(param.shape().toArray());
            param.backend().adamStep(param.data(), g.data(), m.data(), v.data(), vmax == null ? null : vmax.data(),
                    k + 1, lr, beta1, beta2, eps, wd, decoupled);
        }
        return flatCat(param, m, v, vmax);
    }

    static Tensor stepMagnitude(Tensor[] t, Tensor expected) { return expected.abs().add(1); }

    static Op step(String name, Function<Tensor[], Object> fn) {
        return mag(name, fn, STEP_SHAPES, AccuracyTest::stepMagnitude);
    }

    static final List<Op> FUSED_OPS = List.of(
            grad("grad relu", GradOp.RELU, 0, false, -3, 3, null),
            grad("grad relu into transposed out", GradOp.RELU, 0, true, -3, 3, null),
            grad("grad sigmoid", GradOp.SIGMOID, 0, false, -3, 3,
                    (t, e) -> t[2].abs().mul(t[0].abs()).mul(t[0].abs().add(1)).expand(e.shape().toArray())),
            grad("grad tanh", GradOp.TANH, 0, false, -3, 3,
                    (t, e) -> t[2].abs().mul(t[0].mul(t[0]).add(1)).expand(e.shape().toArray())),
            grad("grad tanh into transposed out", GradOp.TANH, 0, true, -3, 3,
                    (t, e) -> t[2].abs().mul(t[0].mul(t[0]).add(1)).expand(e.shape().toArray())),
            grad("grad pow 2", GradOp.POW_SCALAR, 2, false, -3, 3, (t, e) -> e.abs()),
            grad("grad pow 3", GradOp.POW_SCALAR, 3, false, -3, 3, (t, e) -> e.abs()),
            grad("grad pow 0", GradOp.POW_SCALAR, 0, false, -3, 3, null),
            grad("grad pow 0.5", GradOp.POW_SCALAR, 0.5, false, 0.01, 5, (t, e) -> e.abs()),
            grad("grad pow -1", GradOp.POW_SCALAR, -1, false, 0.01, 5, (t, e) -> e.abs()),
            grad("grad pow 2.7", GradOp.POW_SCALAR, 2.7, false, 0.01, 5, (t, e) -> e.abs()),
            grad("grad mse", GradOp.MSE, 2.0 / 7, false, -3, 3, (t, e) -> e.abs()),
            grad("grad bce logits", GradOp.BCE_LOGITS, 0.25, false, -3, 3,
                    (t, e) -> t[2].abs().mul(t[1].abs().add(1)).mul(0.25).expand(e.shape().toArray())),
            mag("softmax", t -> softmax(t, false), ROW_SHAPES, (t, e) -> e.mul(e.log().abs().add(2))),
            mag("log softmax", t -> softmax(t, true), ROW_SHAPES, (t, e) -> e.abs().add(2)),
            mag("softmax wide range", t -> softmax(t, false), ROW_SHAPES, -1000, 1000,
                    (t, e) -> e.mul(e.log().abs().add(2))),
            mag("log softmax wide range", t -> softmax(t, true), ROW_SHAPES, -1000, 1000, (t, e) -> e.abs().add(2)),
            mag("softmax backward", t -> softmaxBackward(t, false), ROW_SHAPES,
                    (t, e) -> t[1].abs().mul(t[0].abs().add(t[0].mul(t[1]).abs().sum(-1, true)))),
            mag("log softmax backward", t -> softmaxBackward(t, true), ROW_SHAPES,
                    (t, e) -> t[0].abs().add(t[1].exp().mul(t[0].abs().sum(-1, true)))),
            mag("cross entropy", t -> crossEntropy(t, -100, false, 0), CE_SHAPES, AccuracyTest::ceMagnitude),
            mag("cross entropy ignore -100", t -> crossEntropy(t, -100, true, 0), CE_SHAPES, AccuracyTest::ceMagnitude),
            mag("cross entropy ignore class 0 smoothing 0.1", t -> crossEntropy(t, 0, false, 0.1), CE_SHAPES,
                    AccuracyTest::ceMagnitude),
            mag("cross entropy ignore -1 smoothing 0.3", t -> crossEntropy(t, -1, true, 0.3), CE_SHAPES,
                    AccuracyTest::ceMagnitude),
            mag("cross entropy wide range", t -> crossEntropy(t, -100, false, 0.2), CE_SHAPES, -1000, 1000,
                    AccuracyTest::ceMagnitude),
            mag("cross entropy backward", t -> crossEntropyBackward(t, -100, false, 0, false), CE_SHAPES,
                    AccuracyTest::ceBackwardMagnitude),
            mag("cross entropy backward ignore scalar g", t -> crossEntropyBackward(t, -100, true, 0, true), CE_SHAPES,
                    AccuracyTest::ceBackwardMagnitude),
            mag("cross entropy backward smoothing 0.1", t -> crossEntropyBackward(t, 2, true, 0.1, false), CE_SHAPES,
                    AccuracyTest::ceBackwardMagnitude),
            step("sgd", t -> sgd(t, 0.1, 0, 0, 0, false)),
            step("sgd weight decay", t -> sgd(t, 0.1, 0, 0, 0.01, false)),
            step("sgd momentum", t -> sgd(t, 0.05, 0.9, 0, 0, false)),
            step("sgd momentum dampening weight decay", t -> sgd(t, 0.05, 0.9, 0.1, 0.01, false)),
            step("sgd nesterov weight decay", t -> sgd(t, 0.05, 0.9, 0, 0.01, true)),
            step("rmsprop", t -> rmsprop(t, 0.01, 0.99, 1e-8, 0, 0, false)),
            step("rmsprop momentum weight decay", t -> rmsprop(t, 0.01, 0.9, 1e-8, 0.01, 0.9, false)),
            step("rmsprop centered", t -> rmsprop(t, 0.01, 0.99, 1e-8, 0, 0, true)),
            step("rmsprop centered momentum weight decay", t -> rmsprop(t, 0.01, 0.95, 1e-6, 0.1, 0.5, true)),
            step("adam", t -> adam(t, 1e-3, 0.9, 0.999, 1e-8, 0, false, false)),
            step("adam weight decay", t -> adam(t, 1e-2, 0.9, 0.999, 1e-8, 0.01, false, false)),
            step("adam amsgrad weight decay", t -> adam(t, 1e-2, 0.9, 0.99, 1e-8, 0.01, true, false)),
            step("adamw", t -> adam(t, 1e-2, 0.9, 0.999, 1e-8, 0.01, false, true)),
            step("adamw amsgrad", t -> adam(t, 1e-3, 0.8, 0.9, 1e-6, 0.1, true, true)));

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
            op("where", t -> Torch.where(t[0].gt(t[1]), t[0], t[1]), NUMERIC, BINARY_SHAPES, Tol.EXACT),
            op("sort backward (scatter)", t -> {
                Tensor x = t[0].clone().requiresGrad_();
                x.sort(0, false).values().mul(t[0]).sum().backward();
                return x.grad();
            }, FLOATS, UNARY_SHAPES, Tol.EXACT),
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
        for (Op op : Stream.concat(OPS.stream(), FUSED_OPS.stream()).toList()) {
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
        check(NATIVE, op, dtype, shapes, layout);
    }

    /** One case on backend against the reference (CudaAccuracyTest runs the same cases on a GPU). */
    static void check(Backend backend, Op op, DType dtype, long[][] shapes, Layout layout) {
        long seed = (op.name + dtype + Arrays.deepToString(shapes) + layout).hashCode();
        try (Scope scope = Torch.scope()) {
            Object expected = op.fn.apply(inputs(REFERENCE, dtype, shapes, layout, op, seed));
            Object actual = op.fn.apply(inputs(backend, dtype, shapes, layout, op, seed));
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
        compare(where, op.tol, op.magnitude, expected, actual, refInputs);
    }

    /**
     * Asserts that actual (native) has expected's (the reference's) shape, dtype and values within tol; refInputs
     * are the reference operands the SUM and DOT bounds are taken from, magnitude gives MAG's per-element m.
     */
    static void compare(String where, Tol tol, BiFunction<Tensor[], Tensor, Tensor> magnitude, Tensor expected,
                        Tensor actual, Tensor[] refInputs) {
        assertEquals(expected.shape(), actual.shape(), where + ": shape");
        assertEquals(expected.dtype(), actual.dtype(), where + ": dtype");
        if (!expected.dtype().isFloatingPoint()) {
            assertArrayEquals(expected.toLongArray(), actual.toLongArray(), where);
            return;
        }
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        double[] bound = bounds(tol, magnitude, expected, refInputs);
        boolean single = expected.dtype() == DType.FLOAT32;
        for (int i = 0; i < e.length; i++) {
            // products that overflow the element type may meet as inf - inf: gemm's NaN is then as right as the
            // reference's exact sum
            if (tol == Tol.DOT && Double.isInfinite(bound[i])) continue;
            if (Double.isNaN(e[i]) || Double.isNaN(a[i])) {
                if (Double.isNaN(e[i]) != Double.isNaN(a[i])) fail(where + " at " + i + ": expected " + e[i] + " got " + a[i]);
                continue;
            }
            double ulp = single ? Math.ulp((float) e[i]) : Math.ulp(e[i]);
            double allowed;
            switch (tol) {
                case EXACT: allowed = 0; break;
                // a result below the smallest normal number has no relative precision to keep (float32
                // sigmoid(-100) is 0 in PyTorch, 3.8e-44 rounded from double)
                case ULPS4: allowed = Math.max(4 * ulp, single ? Float.MIN_NORMAL : Double.MIN_NORMAL); break;
                case SUM: allowed = 2 * ulp + bound[i]; break;
                case MAG: allowed = 4 * ulp + bound[i]; break;
                default: allowed = bound[i]; break;
            }
            if (!(e[i] == a[i] || Math.abs(e[i] - a[i]) <= allowed)) {
                fail(where + " at " + i + ": expected " + e[i] + " got " + a[i] + " (allowed difference " + allowed + ")");
            }
        }
    }

    /** Per-element error bounds that depend on the inputs (sums and dot products). */
    static double[] bounds(Tol tol, BiFunction<Tensor[], Tensor, Tensor> magnitude, Tensor expected,
                           Tensor[] refInputs) {
        double[] b = new double[Math.toIntExact(expected.numel())];
        double eps = expected.dtype() == DType.FLOAT32 ? 0x1p-24 : 0x1p-53;
        if (tol == Tol.SUM) { // m: the op's per-element magnitude when it gives one, else the whole input's
            Tensor in = refInputs[0];
            double[] m = magnitude != null ? magnitude.apply(refInputs, expected).toDoubleArray() : null;
            double inputs = m != null || in.numel() == 0 ? 0 : in.to(DType.FLOAT64).abs().sum().item();
            double[] e = expected.toDoubleArray();
            for (int i = 0; i < b.length; i++) b[i] = in.numel() * 0x1p-52 * ((m != null ? m[i] : inputs) + Math.abs(e[i]));
        }
        if (tol == Tol.DOT) {
            Tensor a = refInputs[0].abs(), c = refInputs[1].abs();
            double[] products = a.matmul(c).toDoubleArray();
            long k = refInputs[0].size(-1);
            double underflow = expected.dtype() == DType.FLOAT32 ? Float.MIN_VALUE : Double.MIN_VALUE;
            for (int i = 0; i < b.length; i++) b[i] = (k + 2) * (eps * products[i] + underflow);
        }
        if (tol == Tol.MAG) {
            double[] m = magnitude.apply(refInputs, expected).toDoubleArray();
            if (m.length != b.length) throw new IllegalStateException("magnitude of the wrong size");
            // a NaN magnitude (0 * inf, e.g. softmax of an underflowed 0) allows only the ulps
            for (int i = 0; i < b.length; i++) b[i] = m[i] >= 0 ? 16 * eps * m[i] : 0;
        }
        return b;
    }
}

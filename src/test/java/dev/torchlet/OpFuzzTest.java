package dev.torchlet;

import dev.torchlet.AccuracyTest.Tol;
import dev.torchlet.Twins.Twin;
import dev.torchlet.nn.F;
import dev.torchlet.nn.Reduction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Property: a random chain of ops gives the same results on the native backend as on the reference backend.
 * A case makes one or two random inputs (see {@link Twins}) and applies 1 to 6 ops drawn from the public
 * Tensor API: elementwise binary ops (tensor and scalar forms, with broadcasting and type promotion),
 * comparisons, unary math, reductions with dims and keepdim, max/min/argmax/argmin, softmax and log-softmax,
 * matmul/mm/bmm, where, cat/stack, sort, clone/contiguous/to(dtype), views, in-place ops on views (operands
 * that overlap the destination included) and losses. Every result is compared as it is made; after an
 * in-place op, and at the end, every tensor of the case is compared again. Calls that are invalid (the chain
 * does not avoid them all) must raise the same exception on both backends.
 *
 * <p>Values include ties (for max, argmax, sort), zeros, NaN, infinities, subnormals and int64 extremes,
 * compared with NaN equal to NaN: both backends must give PyTorch's results for them, not merely finite ones.
 */
class OpFuzzTest {
    /** This test's share of {@code torchlet.fuzz.cases}. */
    static final double SHARE = 0.66;

    @Test void nativeMatchesReferenceOnRandomChains() {
        int[] stats = new int[2];
        Fuzz.run(OpFuzzTest.class, SHARE, (random, log) -> {
            Chain chain = new Chain(random, log);
            chain.run();
            stats[0] += chain.steps;
            stats[1] += chain.t.raised;
        });
        System.out.printf("OpFuzzTest: %d ops, %d of them raised on both backends%n", stats[0], stats[1]);
    }

    record Named<F>(String name, F fn) {}

    static final List<Named<BinaryOperator<Tensor>>> BINARY = List.of(
            new Named<>("add", Tensor::add), new Named<>("sub", Tensor::sub), new Named<>("mul", Tensor::mul),
            new Named<>("div", Tensor::div), new Named<>("pow", Tensor::pow), new Named<>("maximum", Tensor::maximum),
            new Named<>("minimum", Tensor::minimum), new Named<>("eq", Tensor::eq), new Named<>("ne", Tensor::ne),
            new Named<>("lt", Tensor::lt), new Named<>("le", Tensor::le), new Named<>("gt", Tensor::gt),
            new Named<>("ge", Tensor::ge));

    /** Unary ops; the first six are transcendental (not exact). */
    static final List<Named<UnaryOperator<Tensor>>> UNARY = List.of(
            new Named<>("exp", Tensor::exp), new Named<>("log", Tensor::log), new Named<>("sin", Tensor::sin),
            new Named<>("cos", Tensor::cos), new Named<>("tanh", Tensor::tanh), new Named<>("sigmoid", Tensor::sigmoid),
            new Named<>("neg", Tensor::neg), new Named<>("abs", Tensor::abs), new Named<>("sqrt", Tensor::sqrt),
            new Named<>("relu", Tensor::relu), new Named<>("sign", Tensor::sign),
            new Named<>("logicalNot", Tensor::logicalNot));

    static final double[] SCALARS = {0, 1, -1, 2, 0.5, -2.5, 3, 1e-3, 7.25, Double.NaN, Double.POSITIVE_INFINITY};

    /** One case: a pool of tensors on both backends and the chain of ops applied to them. */
    static final class Chain {
        final Twins t;
        final SplittableRandom r;
        int steps;

        Chain(SplittableRandom r, Fuzz.Log log) {
            this.r = r;
            t = new Twins(r, log);
        }

        void run() {
            t.input();
            if (r.nextInt(3) == 0) t.input();
            int n = 1 + r.nextInt(6);
            for (int i = 0; i < n; i++) {
                step(operand());
                steps++;
            }
            t.agreeAll("the chain");
        }

        /** The last tensor made, often; else any of the case. */
        Twin operand() {
            List<Twin> pool = t.pool;
            return r.nextBoolean() ? pool.get(pool.size() - 1) : pool.get(r.nextInt(pool.size()));
        }

        void step(Twin a) {
            switch (t.pickWeighted(14, 9, 10, 12, 4, 6, 4, 4, 3, 4, 13, 12, 5)) {
                case 0: binary(a); break;
                case 1: scalar(a); break;
                case 2: unary(a); break;
                case 3: reduction(a); break;
                case 4: softmax(a); break;
                case 5: matmul(a); break;
                case 6: where(a); break;
                case 7: join(a); break;
                case 8: sort(a); break;
                case 9: convert(a); break;
                case 10: view(a); break;
                case 11: inPlace(a); break;
                default: loss(a); break;
            }
        }

        Twin apply(String text, Tol tol, Function<Tensor[], Object> call, Twin... args) {
            return t.apply(text, tol, null, call, args);
        }

        /** A partner for a binary op with a: a itself, another tensor of the case, or a new broadcastable one. */
        Twin partner(Twin a, boolean mayGrow) {
            int k = r.nextInt(10);
            if (k == 0) return a;
            if (k == 1) return t.pool.get(r.nextInt(t.pool.size()));
            long[] shape = mayGrow ? t.broadcastsWith(a.shape()) : t.broadcastableTo(a.shape());
            return t.input(r.nextInt(10) < 6 ? a.dtype() : t.dtype(), shape);
        }

        /**
         * A loss target for a: mostly of a's shape and dtype; rarely one that broadcasts (PyTorch then warns, once
         * per pair of sizes, so rarely keeps the log short).
         */
        Twin target(Twin a) {
            return r.nextInt(64) == 0 ? partner(a, false) : t.input(a.dtype(), a.shape());
        }

        double scalarValue() {
            return r.nextInt(4) == 0 ? -5 + 10 * r.nextDouble() : SCALARS[r.nextInt(SCALARS.length)];
        }

        long longValue() { return r.nextInt(9) - 4; }

        // ------------------------------------------------------------------------------------------ ops

        void binary(Twin a) {
            Named<BinaryOperator<Tensor>> op = BINARY.get(r.nextInt(BINARY.size()));
            Twin b = partner(a, true);
            boolean swap = r.nextInt(4) == 0;
            apply("%s." + op.name + "(%s)", op.name.equals("pow") ? Tol.ULPS4 : Tol.EXACT,
                    x -> op.fn.apply(x[0], x[1]), swap ? b : a, swap ? a : b);
        }

        void scalar(Twin a) {
            double s = scalarValue();
            long l = longValue();
            switch (r.nextInt(15)) {
                case 0: apply("%s.add(" + s + ")", Tol.EXACT, x -> x[0].add(s), a); break;
                case 1: apply("%s.add(" + l + "L)", Tol.EXACT, x -> x[0].add(l), a); break;
                case 2: apply("%s.sub(" + s + ")", Tol.EXACT, x -> x[0].sub(s), a); break;
                case 3: apply("%s.sub(" + l + "L)", Tol.EXACT, x -> x[0].sub(l), a); break;
                case 4: apply("%s.mul(" + s + ")", Tol.EXACT, x -> x[0].mul(s), a); break;
                case 5: apply("%s.mul(" + l + "L)", Tol.EXACT, x -> x[0].mul(l), a); break;
                case 6: apply("%s.div(" + s + ")", Tol.EXACT, x -> x[0].div(s), a); break;
                case 7: apply("%s.div(" + l + "L)", Tol.EXACT, x -> x[0].div(l), a); break;
                case 8: apply("%s.rsub(" + s + ")", Tol.EXACT, x -> x[0].rsub(s), a); break;
                case 9: apply("%s.pow(" + s + ")", Tol.ULPS4, x -> x[0].pow(s), a); break;
                case 10: apply("%s.pow(" + l + "L)", Tol.ULPS4, x -> x[0].pow(l), a); break;
                case 11: apply("Torch.pow(" + s + ", %s)", Tol.ULPS4, x -> Torch.pow(s, x[0]), a); break;
                default: {
                    String[] names = {"eq", "ne", "lt", "le", "gt", "ge"};
                    String name = names[r.nextInt(names.length)];
                    apply("%s." + name + "(" + s + ")", Tol.EXACT, x -> comparison(name, x[0], s), a);
                }
            }
        }

        static Tensor comparison(String name, Tensor x, double s) {
            switch (name) {
                case "eq": return x.eq(s);
                case "ne": return x.ne(s);
                case "lt": return x.lt(s);
                case "le": return x.le(s);
                case "gt": return x.gt(s);
                default: return x.ge(s);
            }
        }

        void unary(Twin a) {
            int k = r.nextInt(UNARY.size());
            Named<UnaryOperator<Tensor>> op = UNARY.get(k);
            apply("%s." + op.name + "()", k < 6 ? Tol.ULPS4 : Tol.EXACT, x -> op.fn.apply(x[0]), a);
        }

        /** A non-empty set of distinct dims of a rank-n tensor, in random order and sign. */
        int[] dims(int n) {
            int[] p = t.permutation(Math.max(n, 1));
            int[] dims = Arrays.copyOf(p, 1 + r.nextInt(p.length));
            for (int i = 0; i < dims.length; i++) if (r.nextBoolean()) dims[i] -= Math.max(n, 1);
            return dims;
        }

        void reduction(Twin a) {
            int n = a.dim(), d = t.dim(n);
            int[] ds = dims(n);
            boolean keep = r.nextBoolean();
            String dimText = "(" + d + ", " + keep + ")", dimsText = "(new int[] " + Arrays.toString(ds)
                    .replace('[', '{').replace(']', '}') + ", " + keep + ")";
            switch (r.nextInt(16)) {
                case 0: sum("%s.sum()", x -> x.sum(), a); break;
                case 1: sum("%s.sum" + dimText, x -> x.sum(d, keep), a); break;
                case 2: sum("%s.sum" + dimsText, x -> x.sum(ds, keep), a); break;
                case 3: sum("%s.mean()", x -> x.mean(), a); break;
                case 4: sum("%s.mean" + dimText, x -> x.mean(d, keep), a); break;
                case 5: sum("%s.mean" + dimsText, x -> x.mean(ds, keep), a); break;
                case 6: sum("%s.prod()", x -> x.prod(), a); break;
                case 7: sum("%s.prod" + dimText, x -> x.prod(d, keep), a); break;
                case 8: apply("%s.max()", Tol.EXACT, x -> x[0].max(), a); break;
                case 9: apply("%s.min()", Tol.EXACT, x -> x[0].min(), a); break;
                case 10: apply("%s.max" + dimText, Tol.EXACT, x -> x[0].max(d, keep), a); break;
                case 11: apply("%s.min" + dimText, Tol.EXACT, x -> x[0].min(d, keep), a); break;
                case 12: apply("%s.argmax()", Tol.EXACT, x -> x[0].argmax(), a); break;
                case 13: apply("%s.argmin()", Tol.EXACT, x -> x[0].argmin(), a); break;
                case 14: apply("%s.argmax" + dimText, Tol.EXACT, x -> x[0].argmax(d, keep), a); break;
                default: apply("%s.argmin" + dimText, Tol.EXACT, x -> x[0].argmin(d, keep), a); break;
            }
        }

        /** A sum, mean or product: its error bound is per result element, the same reduction of |x|. */
        void sum(String text, UnaryOperator<Tensor> reduce, Twin a) {
            t.apply(text, Tol.SUM, (in, e) -> reduce.apply(in[0].to(DType.FLOAT64).abs()), x -> reduce.apply(x[0]), a);
        }

        void softmax(Twin a) {
            int d = t.dim(a.dim());
            if (r.nextBoolean()) {
                t.apply("%s.softmax(" + d + ")", Tol.MAG, (in, e) -> e.mul(e.log().abs().add(2)), x -> x[0].softmax(d), a);
            } else {
                t.apply("%s.logSoftmax(" + d + ")", Tol.MAG, (in, e) -> e.abs().add(2), x -> x[0].logSoftmax(d), a);
            }
        }

        /** a @ b or b @ a with b of a shape that fits (batch dims broadcast), mm or bmm where the ranks allow. */
        void matmul(Twin a) {
            long[] s = a.shape();
            int n = s.length;
            if (n == 0) {
                apply("%s.matmul(%s)", Tol.DOT, x -> x[0].matmul(x[1]), a, t.input(a.dtype(), new long[] {1}));
                return;
            }
            boolean left = r.nextBoolean(); // a is the left operand
            long k = left ? s[n - 1] : s[Math.max(n - 2, 0)], other = 1 + r.nextInt(4);
            long[] shape;
            switch (r.nextInt(3)) {
                case 0: shape = new long[] {k}; break;
                case 1: shape = left ? new long[] {k, other} : new long[] {other, k}; break;
                default: {
                    long[] batch = n > 2 ? t.broadcastsWith(Arrays.copyOf(s, n - 2)) : new long[] {1 + r.nextInt(3)};
                    shape = Arrays.copyOf(batch, batch.length + 2);
                    shape[batch.length] = left ? k : other;
                    shape[batch.length + 1] = left ? other : k;
                }
            }
            Twin b = t.input(r.nextInt(12) == 0 ? t.dtype() : a.dtype(), shape);
            Twin lhs = left ? a : b, rhs = left ? b : a;
            if (lhs.dim() == 2 && rhs.dim() == 2 && r.nextBoolean()) {
                apply("%s.mm(%s)", Tol.DOT, x -> x[0].mm(x[1]), lhs, rhs);
            } else if (lhs.dim() == 3 && rhs.dim() == 3 && r.nextBoolean()) {
                apply("%s.bmm(%s)", Tol.DOT, x -> x[0].bmm(x[1]), lhs, rhs);
            } else {
                apply("%s.matmul(%s)", Tol.DOT, x -> x[0].matmul(x[1]), lhs, rhs);
            }
        }

        void where(Twin a) {
            Twin b = partner(a, true);
            if (r.nextBoolean()) {
                double s = scalarValue();
                apply("Torch.where(%s.gt(" + s + "), %s, %s)", Tol.EXACT, x -> Torch.where(x[0].gt(s), x[1], x[2]),
                        a, a, b);
            } else {
                Twin c = t.input(DType.BOOL, t.broadcastsWith(a.shape()));
                apply("Torch.where(%s, %s, %s)", Tol.EXACT, x -> Torch.where(x[0], x[1], x[2]), c, a, b);
            }
        }

        void join(Twin a) {
            int n = a.dim();
            switch (r.nextInt(5)) {
                case 0:
                case 1: {
                    int d = t.dim(n);
                    long[] shape = a.shape();
                    if (n > 0) shape[d < 0 ? d + n : d] = r.nextInt(4);
                    Twin b = t.input(r.nextInt(4) == 0 ? t.dtype() : a.dtype(), shape);
                    if (r.nextBoolean()) {
                        apply("Torch.cat(" + d + ", %s, %s)", Tol.EXACT, x -> Torch.cat(d, x[0], x[1]), a, b);
                    } else {
                        apply("Torch.cat(" + d + ", %s, %s, %s)", Tol.EXACT, x -> Torch.cat(d, x[0], x[1], x[2]), b, a, a);
                    }
                    break;
                }
                case 2:
                case 3: {
                    int d = t.dim(n + 1);
                    Twin b = t.input(a.dtype(), a.shape());
                    apply("Torch.stack(List.of(%s, %s), " + d + ")", Tol.EXACT, x -> Torch.stack(List.of(x[0], x[1]), d),
                            a, b);
                    break;
                }
                default: {
                    Twin b = t.input(a.dtype(), a.shape());
                    if (r.nextBoolean()) apply("Torch.vstack(%s, %s)", Tol.EXACT, x -> Torch.vstack(x[0], x[1]), a, b);
                    else apply("Torch.hstack(%s, %s)", Tol.EXACT, x -> Torch.hstack(x[0], x[1]), a, b);
                }
            }
        }

        void sort(Twin a) {
            int d = t.dim(a.dim());
            boolean descending = r.nextBoolean();
            apply("%s.sort(" + d + ", " + descending + ")", Tol.EXACT, x -> x[0].sort(d, descending), a);
        }

        void convert(Twin a) {
            switch (r.nextInt(4)) {
                case 0: apply("%s.clone()", Tol.EXACT, x -> x[0].clone(), a); break;
                case 1: apply("%s.contiguous()", Tol.EXACT, x -> x[0].contiguous(), a); break;
                default: {
                    DType to = t.dtype();
                    apply("%s.to(DType." + to + ")", Tol.EXACT, x -> x[0].to(to), a);
                }
            }
        }

        /** A random view of a (valid by construction, except view() of layouts that do not allow it). */
        void view(Twin a) {
            long[] s = a.shape();
            int n = s.length;
            switch (r.nextInt(11)) {
                case 0: {
                    int d0 = t.dim(n), d1 = t.dim(n);
                    apply("%s.transpose(" + d0 + ", " + d1 + ")", Tol.EXACT, x -> x[0].transpose(d0, d1), a);
                    break;
                }
                case 1: {
                    int[] p = t.permutation(n);
                    apply("%s.permute(" + Arrays.toString(p) + ")", Tol.EXACT, x -> x[0].permute(p), a);
                    break;
                }
                case 2: {
                    if (n == 0) break;
                    int d = t.dim(n);
                    long size = s[d < 0 ? d + n : d], start = r.nextInt((int) size + 1), len = r.nextInt((int) (size - start) + 1);
                    apply("%s.narrow(" + d + ", " + start + ", " + len + ")", Tol.EXACT, x -> x[0].narrow(d, start, len), a);
                    break;
                }
                case 3: {
                    if (n == 0) break;
                    int d = t.dim(n);
                    long size = s[d < 0 ? d + n : d];
                    if (size == 0) break;
                    long i = r.nextInt((int) size) - (r.nextBoolean() ? size : 0);
                    apply("%s.select(" + d + ", " + i + ")", Tol.EXACT, x -> x[0].select(d, i), a);
                    break;
                }
                case 4: {
                    long[] to = t.broadcastsWith(s); // broadcast(s, to) is what s expands to
                    long[] target = Shapes.broadcast(s, to);
                    if (Twins.numel(target) > t.maxNumel) break;
                    long[] sizes = target.clone();
                    for (int i = 0; i < n; i++) if (r.nextInt(3) == 0) sizes[sizes.length - n + i] = -1;
                    apply("%s.expand(" + Shapes.str(sizes) + ")", Tol.EXACT, x -> x[0].expand(sizes), a);
                    break;
                }
                case 5: {
                    int d = t.dim(n + 1);
                    apply("%s.unsqueeze(" + d + ")", Tol.EXACT, x -> x[0].unsqueeze(d), a);
                    break;
                }
                case 6: {
                    if (r.nextBoolean()) {
                        apply("%s.squeeze()", Tol.EXACT, x -> x[0].squeeze(), a);
                    } else {
                        int d = t.dim(n);
                        apply("%s.squeeze(" + d + ")", Tol.EXACT, x -> x[0].squeeze(d), a);
                    }
                    break;
                }
                case 7: {
                    int d0 = t.dim(n), d1 = t.dim(n);
                    int lo = wrap(d0, n) <= wrap(d1, n) ? d0 : d1, hi = lo == d0 ? d1 : d0;
                    apply("%s.flatten(" + lo + ", " + hi + ")", Tol.EXACT, x -> x[0].flatten(lo, hi), a);
                    break;
                }
                case 8: {
                    long[] shape = factor(Twins.numel(s));
                    apply("%s.reshape(" + Shapes.str(shape) + ")", Tol.EXACT, x -> x[0].reshape(shape), a);
                    break;
                }
                case 9: {
                    long[] shape = factor(Twins.numel(s));
                    apply("%s.view(" + Shapes.str(shape) + ")", Tol.EXACT, x -> x[0].view(shape), a);
                    break;
                }
                default:
                    if (n <= 2) apply("%s.t()", Tol.EXACT, x -> x[0].t(), a);
                    else apply("%s.flatten()", Tol.EXACT, x -> x[0].flatten(), a);
            }
        }

        static int wrap(int d, int n) { return d < 0 ? d + Math.max(n, 1) : d; }

        /** A random shape of numel elements, sometimes with one size -1 to infer. */
        long[] factor(long numel) {
            int rank = numel == 1 ? r.nextInt(4) : 1 + r.nextInt(4);
            long[] out = new long[rank];
            long rest = numel;
            for (int i = 0; i < rank - 1; i++) {
                out[i] = numel == 0 ? r.nextInt(4) : divisor(rest);
                if (numel != 0) rest /= out[i];
            }
            if (rank > 0) out[rank - 1] = numel == 0 ? 0 : rest;
            if (rank > 0 && numel > 0 && r.nextInt(3) == 0) out[r.nextInt(rank)] = -1;
            return out;
        }

        long divisor(long n) {
            while (true) {
                long q = 1 + r.nextInt((int) Math.min(n, 64));
                if (n % q == 0) return q;
            }
        }

        /** An in-place op on a or a view of it, the operand sometimes overlapping the destination. */
        void inPlace(Twin a) {
            Twin dest = a;
            long[] s = a.shape();
            int n = s.length;
            if (r.nextBoolean() && n > 0) {
                int d = t.dim(n);
                long size = s[d < 0 ? d + n : d];
                long start = r.nextInt((int) size + 1), len = r.nextInt((int) (size - start) + 1);
                Twin v = r.nextBoolean() || n < 2
                        ? apply("%s.narrow(" + d + ", " + start + ", " + len + ")", Tol.EXACT, x -> x[0].narrow(d, start, len), a)
                        : apply("%s.transpose(0, " + (n - 1) + ")", Tol.EXACT, x -> x[0].transpose(0, n - 1), a);
                if (v == null) return;
                dest = v;
            }
            long[] ds = dest.shape();
            Twin src;
            int overlap = r.nextInt(8);
            if (overlap == 0) {
                src = dest;
            } else if (overlap == 1 && ds.length == 2 && ds[0] == ds[1]) {
                src = apply("%s.t()", Tol.EXACT, x -> x[0].t(), dest);
            } else {
                src = t.input(r.nextInt(10) < 6 ? dest.dtype() : t.dtype(), t.broadcastableTo(ds));
            }
            if (src == null) return;
            double s0 = scalarValue();
            String[] names = {"add_", "sub_", "mul_", "div_"};
            String name = names[r.nextInt(names.length)];
            Twin result;
            switch (r.nextInt(5)) {
                case 0:
                case 1:
                    result = apply("%s." + name + "(%s)", Tol.EXACT, x -> inPlace(name, x[0], x[1]), dest, src);
                    break;
                case 2:
                    result = apply("%s." + name + "(" + s0 + ")", Tol.EXACT, x -> inPlace(name, x[0], s0), dest);
                    break;
                case 3:
                    result = apply("%s.copy_(%s)", Tol.EXACT, x -> x[0].copy_(x[1]), dest, src);
                    break;
                default:
                    result = r.nextBoolean() ? apply("%s.zero_()", Tol.EXACT, x -> x[0].zero_(), dest)
                            : apply("%s.fill_(" + s0 + ")", Tol.EXACT, x -> x[0].fill_(s0), dest);
            }
            t.agreeAll(result == null ? "a raising in-place op" : result.name());
        }

        static Tensor inPlace(String name, Tensor x, Tensor y) {
            switch (name) {
                case "add_": return x.add_(y);
                case "sub_": return x.sub_(y);
                case "mul_": return x.mul_(y);
                default: return x.div_(y);
            }
        }

        static Tensor inPlace(String name, Tensor x, double y) {
            switch (name) {
                case "add_": return x.add_(y);
                case "sub_": return x.sub_(y);
                case "mul_": return x.mul_(y);
                default: return x.div_(y);
            }
        }

        /**
         * A loss of a (mse, l1, bce with logits, cross entropy) against a fitting target. Its rounding error is
         * a few eps times the size of its terms: MAG's m is the loss's reduction of a per-element bound of them.
         */
        void loss(Twin a) {
            Reduction red = Reduction.values()[r.nextInt(Reduction.values().length)];
            long[] s = a.shape();
            switch (r.nextInt(4)) {
                case 0: {
                    Twin b = target(a);
                    t.apply("F.mseLoss(%s, %s, " + red + ")", Tol.MAG,
                            (in, e) -> reduce(abs(in[0]).add(abs(in[1])).pow(2), red).add(e.abs()),
                            x -> F.mseLoss(x[0], x[1], red), a, b);
                    break;
                }
                case 1: {
                    Twin b = target(a);
                    t.apply("F.l1Loss(%s, %s, " + red + ")", Tol.MAG,
                            (in, e) -> reduce(abs(in[0]).add(abs(in[1])), red).add(e.abs()),
                            x -> F.l1Loss(x[0], x[1], red), a, b);
                    break;
                }
                case 2: {
                    Twin y = t.input(a.dtype(), s, probabilities(a.dtype(), Twins.numel(s)), "values in [0, 1]");
                    t.apply("F.binaryCrossEntropyWithLogits(%s, %s, " + red + ")", Tol.MAG,
                            (in, e) -> reduce(abs(in[0]).mul(abs(in[1]).add(3)).add(2), red).add(e.abs()),
                            x -> F.binaryCrossEntropyWithLogits(x[0], x[1], red), a, y);
                    break;
                }
                default: {
                    if (s.length == 0) return;
                    int classDim = s.length == 1 ? 0 : 1;
                    long classes = s[classDim], ignore = r.nextBoolean() ? -100 : r.nextInt(3);
                    double smoothing = r.nextBoolean() ? 0 : 0.1;
                    long[] ts = new long[s.length - 1];
                    for (int i = 0, j = 0; i < s.length; i++) if (i != classDim) ts[j++] = s[i];
                    long[] target = new long[Math.toIntExact(Twins.numel(ts))];
                    for (int i = 0; i < target.length; i++) {
                        target[i] = r.nextInt(5) == 0 ? ignore : classes == 0 ? 0 : r.nextInt((int) classes);
                    }
                    Twin y = t.input(DType.INT64, ts, target, "class indices");
                    // per row: log-sum-exp and the picked logit, each within max |x| + log(C) of 0
                    t.apply("F.crossEntropy(%s, %s, " + ignore + ", " + smoothing + ", " + red + ")", Tol.MAG,
                            (in, e) -> reduce(rowAbsMax(in[0], classDim).mul(2).add(2 + Math.log(classes + 1)),
                                    red == Reduction.NONE ? red : Reduction.SUM).add(e.abs()),
                            x -> F.crossEntropy(x[0], x[1], ignore, smoothing, red), a, y);
                }
            }
        }

        static Tensor abs(Tensor x) { return x.to(DType.FLOAT64).abs(); }

        static Tensor reduce(Tensor x, Reduction red) {
            return red == Reduction.NONE ? x : red == Reduction.SUM ? x.sum() : x.mean();
        }

        /** max |x| over the class dim (0 for no classes). */
        static Tensor rowAbsMax(Tensor x, int classDim) {
            Tensor a = abs(x);
            return a.size(classDim) == 0 ? a.sum(classDim, false) : a.max(classDim, false).values();
        }

        Object probabilities(DType dtype, long count) {
            double[] v = new double[Math.toIntExact(count)];
            for (int i = 0; i < v.length; i++) v[i] = r.nextDouble();
            if (dtype == DType.FLOAT64) return v;
            if (dtype != DType.FLOAT32) return t.values(dtype, count, "plain");
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
            return f;
        }
    }
}

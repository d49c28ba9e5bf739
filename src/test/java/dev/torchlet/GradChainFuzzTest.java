package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchlet.backend.Backend;
import dev.torchlet.nn.F;
import dev.torchlet.nn.Reduction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Property: the gradient of a random chain of differentiable ops is right, by {@link GradCheck} (the analytic
 * Jacobian against central finite differences, float64). A case makes 1 to 3 small leaves (0-d to 3-d, some
 * of them non-contiguous views) on the native backend, or in one case of five on the reference backend, and
 * chains 1 to 5 ops: unary math, scalar and broadcasting binary ops, reductions, max/min/sort, softmax, matmul,
 * where, cat/stack, views, in-place writes through views of an intermediate, and losses. The chain is built
 * on the current values, so that it stays away from the points where an op is not differentiable: abs, relu
 * and l1 inputs away from 0, maximum/minimum operands and max/min/sort candidates apart (no ties), log, sqrt,
 * pow and divisors away from 0.
 */
class GradChainFuzzTest {
    /** This test's share of {@code torchlet.fuzz.cases}. */
    static final double SHARE = 0.03;
    static final DType F64 = DType.FLOAT64;
    /** How far from a kink or a tie every value stays: far beyond gradcheck's 1e-6 steps. */
    static final double MARGIN = 0.05;

    @Test void gradientsOfRandomChainsPassGradcheck() {
        Fuzz.run(GradChainFuzzTest.class, SHARE, (random, log) -> new Chain(random, log).run());
    }

    /** One op of the chain: its operands (indices into the chain's values, inputs first) and what it does. */
    record Step(String text, int[] args, Function<Tensor[], Tensor> fn) {}

    static final class Chain {
        final SplittableRandom r;
        final Fuzz.Log log;
        final Backend backend;
        final List<Tensor> inputs = new ArrayList<>();
        final List<Step> steps = new ArrayList<>();
        /** The value of every input and step, computed without grad as the chain is built. */
        final List<Tensor> values = new ArrayList<>();
        /** Whether each value depends on an input (a constant does not). */
        final List<Boolean> live = new ArrayList<>();
        /** Steps that are ops (not constants). */
        int ops;

        Chain(SplittableRandom r, Fuzz.Log log) {
            this.r = r;
            this.log = log;
            backend = r.nextInt(5) == 0 ? Twins.REFERENCE : Twins.NATIVE;
        }

        void run() {
            log.add("on the " + backend.name() + " backend");
            int n = 1 + r.nextInt(3);
            for (int i = 0; i < n; i++) input();
            int length = 1 + r.nextInt(5);
            for (int tries = 0; ops < length && tries < 50; tries++) step();
            int output = live.lastIndexOf(true);
            log.add("gradcheck of " + name(output, inputs.size()));
            Function<Tensor[], Tensor> chain = in -> evaluate(in, output);
            assertTrue(Torch.gradcheck(chain, inputs.toArray(new Tensor[0])));
        }

        /** The chain's value number output from inputs in. */
        Tensor evaluate(Tensor[] in, int output) {
            Tensor[] v = Arrays.copyOf(in, output + 1);
            for (int j = 0; in.length + j <= output; j++) {
                Step s = steps.get(j);
                Tensor[] args = new Tensor[s.args.length];
                for (int k = 0; k < args.length; k++) args[k] = v[s.args[k]];
                v[in.length + j] = s.fn.apply(args);
            }
            return v[output];
        }

        // ------------------------------------------------------------------------------------------ values

        long[] shape() {
            while (true) {
                long[] s = new long[r.nextInt(4)];
                for (int i = 0; i < s.length; i++) s[i] = 1 + r.nextInt(3);
                if (Twins.numel(s) <= 6) return s;
            }
        }

        double[] uniform(long n, double lo, double hi) {
            double[] v = new double[Math.toIntExact(n)];
            for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * r.nextDouble();
            return v;
        }

        /** A leaf that requires grad, values in [-2, 2); sometimes a permuted or narrowed view of a larger tensor. */
        void input() {
            long[] s = shape();
            int n = s.length;
            Tensor t;
            String how = "";
            if (n >= 2 && r.nextBoolean()) {
                long[] base = {s[1], s[0]};
                base = Arrays.copyOf(base, n);
                for (int i = 2; i < n; i++) base[i] = s[i];
                t = Tensor.fromArray(backend, F64, base, uniform(Twins.numel(base), -2, 2)).transpose(0, 1);
                how = " = transpose(0, 1) of " + Shapes.str(base);
            } else if (n >= 1 && r.nextBoolean()) {
                long[] base = s.clone();
                base[n - 1] += 2;
                t = Tensor.fromArray(backend, F64, base, uniform(Twins.numel(base), -2, 2)).narrow(-1, 1, s[n - 1]);
                how = " = narrow(-1, 1, " + s[n - 1] + ") of " + Shapes.str(base);
            } else {
                t = Tensor.fromArray(backend, F64, s, uniform(Twins.numel(s), -2, 2));
            }
            t.requiresGrad_();
            log.add("x" + inputs.size() + " = leaf " + Shapes.str(s) + how);
            inputs.add(t);
            values.add(t.detach());
            live.add(true);
        }

        /** A tensor without grad (a target, a condition, a constant operand) on the case's backend. */
        Tensor constant(long[] shape, double lo, double hi) {
            return Tensor.fromArray(backend, F64, shape, uniform(Twins.numel(shape), lo, hi));
        }

        static String name(int i, int inputs) { return i < inputs ? "x" + i : "y" + (i - inputs); }

        /** Adds the step if it evaluates on the current values; returns whether it did. */
        boolean add(String text, Function<Tensor[], Tensor> fn, int... args) {
            Tensor[] a = new Tensor[args.length];
            for (int k = 0; k < args.length; k++) a[k] = values.get(args[k]);
            Tensor value;
            try (GradMode off = new GradMode(false)) {
                value = fn.apply(a);
            }
            if (value.numel() > 24 || value.numel() == 0 || max(value.abs()) > 50) return false; // small and tame
            Object[] names = Arrays.stream(args).mapToObj(i -> name(i, inputs.size())).toArray();
            String line = name(values.size(), inputs.size()) + " = " + String.format(text, names);
            log.add(line + "  -> " + value.shape());
            steps.add(new Step(line, args, fn));
            values.add(value);
            live.add(Arrays.stream(args).anyMatch(live::get));
            ops++;
            return true;
        }

        static double max(Tensor t) { return t.numel() == 0 ? 0 : t.max().item(); }

        static double min(Tensor t) { return t.numel() == 0 ? 1 : t.min().item(); }

        /** Every element at least MARGIN from 0. */
        static boolean awayFromZero(Tensor t) { return min(t.abs()) > MARGIN; }

        /** Every element at least MARGIN above 0. */
        static boolean positive(Tensor t) { return min(t) > MARGIN; }

        /** Along dim, every two elements MARGIN apart (max, min and sort have no ties to break). */
        static boolean distinct(Tensor t, int dim) {
            if (t.dim() == 0 || t.size(dim) < 2) return true;
            Tensor sorted = t.sort(dim, false).values();
            long n = sorted.size(dim);
            return min(sorted.narrow(dim, 1, n - 1).sub(sorted.narrow(dim, 0, n - 1))) > MARGIN;
        }

        // ------------------------------------------------------------------------------------------ steps

        /** The last value that depends on an input, mostly (a chain rather than a tree); else any such value. */
        int operand() {
            if (r.nextInt(5) > 0) return live.lastIndexOf(true);
            while (true) {
                int i = r.nextInt(values.size());
                if (live.get(i)) return i;
            }
        }

        int dim(Tensor v) {
            int n = Math.max(v.dim(), 1);
            return r.nextInt(n) - (r.nextBoolean() ? n : 0);
        }

        void step() {
            int i = operand();
            Tensor v = values.get(i);
            switch (r.nextInt(9)) {
                case 0: case 1: unary(i, v); break;
                case 2: binary(i, v); break;
                case 3: reduction(i, v); break;
                case 4: view(i, v); break;
                case 5: matmul(i, v); break;
                case 6: join(i, v); break;
                case 7: inPlace(i, v); break;
                default: loss(i, v); break;
            }
        }

        void unary(int i, Tensor v) {
            double s = 0.5 + r.nextInt(4) * 0.5;
            switch (r.nextInt(18)) {
                case 0: if (max(v) < 3) add("%s.exp()", x -> x[0].exp(), i); break;
                case 1: add("%s.tanh()", x -> x[0].tanh(), i); break;
                case 2: add("%s.sigmoid()", x -> x[0].sigmoid(), i); break;
                case 3: add("%s.sin()", x -> x[0].sin(), i); break;
                case 4: add("%s.cos()", x -> x[0].cos(), i); break;
                case 5: add("%s.neg()", x -> x[0].neg(), i); break;
                case 6: add("%s.mul(" + s + ")", x -> x[0].mul(s), i); break;
                case 7: add("%s.rsub(" + s + ")", x -> x[0].rsub(s), i); break;
                case 8: add("%s.div(" + -s + ")", x -> x[0].div(-s), i); break;
                case 9: add("%s.pow(2)", x -> x[0].pow(2), i); break;
                case 10: add("%s.pow(3L)", x -> x[0].pow(3L), i); break;
                case 11: if (positive(v)) add("%s.log()", x -> x[0].log(), i); break;
                case 12: if (positive(v)) add("%s.sqrt()", x -> x[0].sqrt(), i); break;
                case 13: {
                    double[] exps = {0.5, -0.5, -1, 1.7, -2};
                    double e = exps[r.nextInt(exps.length)];
                    if (positive(v)) add("%s.pow(" + e + ")", x -> x[0].pow(e), i);
                    break;
                }
                case 14: if (awayFromZero(v)) add("%s.abs()", x -> x[0].abs(), i); break;
                case 15: if (awayFromZero(v)) add("%s.relu()", x -> x[0].relu(), i); break;
                case 16: if (max(v.abs()) < 3) add("Torch.pow(" + s + ", %s)", x -> Torch.pow(s, x[0]), i); break;
                default: {
                    int d = dim(v);
                    if (r.nextBoolean()) add("%s.softmax(" + d + ")", x -> x[0].softmax(d), i);
                    else add("%s.logSoftmax(" + d + ")", x -> x[0].logSoftmax(d), i);
                }
            }
        }

        /** An earlier value that broadcasts with shape, or a new constant that does. */
        int partner(long[] shape) {
            List<Integer> fits = new ArrayList<>();
            for (int j = 0; j < values.size(); j++) {
                try {
                    Shapes.broadcast(shape, values.get(j).shape().toArray());
                    fits.add(j);
                } catch (IllegalArgumentException e) {
                    // does not broadcast
                }
            }
            if (!fits.isEmpty() && r.nextInt(3) > 0) return fits.get(r.nextInt(fits.size()));
            long[] s = shape.clone();
            for (int k = 0; k < s.length; k++) if (r.nextInt(3) == 0) s[k] = 1;
            s = Arrays.copyOfRange(s, r.nextInt(s.length + 1) / 2, s.length);
            return constantValue(constant(s, -2, 2));
        }

        /** A constant joins the values (so that steps can name it) as a step without operands. */
        int constantValue(Tensor c) {
            String line = name(values.size(), inputs.size()) + " = constant " + c.shape() + " "
                    + Arrays.toString(c.toDoubleArray());
            log.add(line);
            steps.add(new Step(line, new int[0], x -> c));
            values.add(c);
            live.add(false);
            return values.size() - 1;
        }

        void binary(int i, Tensor v) {
            int j = partner(v.shape().toArray());
            Tensor w = values.get(j);
            boolean swap = r.nextBoolean();
            int a = swap ? j : i, b = swap ? i : j;
            Tensor va = values.get(a), vb = values.get(b);
            switch (r.nextInt(7)) {
                case 0: add("%s.add(%s)", x -> x[0].add(x[1]), a, b); break;
                case 1: add("%s.sub(%s)", x -> x[0].sub(x[1]), a, b); break;
                case 2: add("%s.mul(%s)", x -> x[0].mul(x[1]), a, b); break;
                case 3: if (awayFromZero(vb) && min(vb.abs()) > 0.3) add("%s.div(%s)", x -> x[0].div(x[1]), a, b); break;
                case 4: if (positive(va) && max(vb.abs()) < 3) add("%s.pow(%s)", x -> x[0].pow(x[1]), a, b); break;
                case 5: {
                    if (!awayFromZero(va.sub(vb))) break;
                    if (r.nextBoolean()) add("%s.maximum(%s)", x -> x[0].maximum(x[1]), a, b);
                    else add("%s.minimum(%s)", x -> x[0].minimum(x[1]), a, b);
                    break;
                }
                default: {
                    long[] shape = Shapes.broadcast(va.shape().toArray(), vb.shape().toArray());
                    Tensor c = constant(shape, -1, 1).gt(0);
                    add("Torch.where(" + Arrays.toString(c.toBooleanArray()) + ", %s, %s)",
                            x -> Torch.where(c, x[0], x[1]), a, b);
                }
            }
        }

        void reduction(int i, Tensor v) {
            int d = dim(v);
            boolean keep = r.nextBoolean();
            switch (r.nextInt(8)) {
                case 0: add("%s.sum()", x -> x[0].sum(), i); break;
                case 1: add("%s.sum(" + d + ", " + keep + ")", x -> x[0].sum(d, keep), i); break;
                case 2: add("%s.mean(" + d + ", " + keep + ")", x -> x[0].mean(d, keep), i); break;
                case 3: add("%s.prod(" + d + ", " + keep + ")", x -> x[0].prod(d, keep), i); break;
                case 4: {
                    if (!distinct(v.reshape(-1), 0)) break;
                    if (r.nextBoolean()) add("%s.max()", x -> x[0].max(), i);
                    else add("%s.min()", x -> x[0].min(), i);
                    break;
                }
                case 5: {
                    if (!distinct(v, d)) break;
                    if (r.nextBoolean()) add("%s.max(" + d + ", " + keep + ").values()", x -> x[0].max(d, keep).values(), i);
                    else add("%s.min(" + d + ", " + keep + ").values()", x -> x[0].min(d, keep).values(), i);
                    break;
                }
                case 6: {
                    boolean desc = r.nextBoolean();
                    if (distinct(v, d)) add("%s.sort(" + d + ", " + desc + ").values()", x -> x[0].sort(d, desc).values(), i);
                    break;
                }
                default: {
                    if (v.dim() < 2) break;
                    int[] dims = {0, -1};
                    add("%s.sum(new int[] {0, -1}, " + keep + ")", x -> x[0].sum(dims, keep), i);
                }
            }
        }

        int[] permutation(int n) {
            int[] p = new int[n];
            for (int k = 0; k < n; k++) p[k] = k;
            for (int k = n - 1; k > 0; k--) {
                int j = r.nextInt(k + 1), t = p[k];
                p[k] = p[j];
                p[j] = t;
            }
            return p;
        }

        void view(int i, Tensor v) {
            long[] s = v.shape().toArray();
            int n = s.length, d = dim(v), d2 = dim(v);
            switch (r.nextInt(9)) {
                case 0: add("%s.transpose(" + d + ", " + d2 + ")", x -> x[0].transpose(d, d2), i); break;
                case 1: {
                    int[] p = permutation(n);
                    add("%s.permute(" + Arrays.toString(p) + ")", x -> x[0].permute(p), i);
                    break;
                }
                case 2: {
                    if (n == 0) break;
                    long size = v.size(d), start = r.nextInt((int) size), len = 1 + r.nextInt((int) (size - start));
                    add("%s.narrow(" + d + ", " + start + ", " + len + ")", x -> x[0].narrow(d, start, len), i);
                    break;
                }
                case 3: {
                    if (n == 0) break;
                    long index = r.nextInt((int) v.size(d));
                    add("%s.select(" + d + ", " + index + ")", x -> x[0].select(d, index), i);
                    break;
                }
                case 4: {
                    long[] to = new long[n + 1];
                    to[0] = 2;
                    for (int k = 0; k < n; k++) to[k + 1] = s[k] == 1 ? 1 + r.nextInt(3) : s[k];
                    add("%s.expand(" + Shapes.str(to) + ")", x -> x[0].expand(to), i);
                    break;
                }
                case 5: {
                    int at = r.nextInt(n + 1);
                    add("%s.unsqueeze(" + at + ")", x -> x[0].unsqueeze(at), i);
                    break;
                }
                case 6: add("%s.squeeze()", x -> x[0].squeeze(), i); break;
                case 7: add("%s.reshape(-1)", x -> x[0].reshape(-1), i); break;
                default: if (n <= 2) add("%s.t()", x -> x[0].t(), i); else add("%s.flatten(1, 2)", x -> x[0].flatten(1, 2), i);
            }
        }

        /** v @ w or w @ v, w an earlier value of a fitting shape (a constant if none fits). */
        void matmul(int i, Tensor v) {
            int n = v.dim();
            if (n == 0) return;
            boolean left = r.nextBoolean();
            long k = left ? v.size(-1) : v.size(Math.max(n - 2, 0));
            List<Integer> fits = new ArrayList<>();
            for (int j = 0; j < values.size(); j++) {
                Tensor w = values.get(j);
                if (w.dim() == 0 || w.dim() > 3) continue;
                long kw = left ? w.size(Math.max(w.dim() - 2, 0)) : w.size(-1);
                if (kw == k && (n <= 2 || w.dim() <= 2)) fits.add(j);
            }
            int j = !fits.isEmpty() && r.nextBoolean() ? fits.get(r.nextInt(fits.size()))
                    : constantValue(constant(r.nextBoolean() ? new long[] {k} : left ? new long[] {k, 2} : new long[] {2, k}, -1, 1));
            add("%s.matmul(%s)", x -> x[0].matmul(x[1]), left ? i : j, left ? j : i);
        }

        void join(int i, Tensor v) {
            int n = v.dim();
            if (n == 0) return;
            int d = dim(v);
            long[] s = v.shape().toArray();
            int j = constantValue(constant(s, -2, 2));
            if (r.nextBoolean()) add("Torch.cat(" + d + ", %s, %s)", x -> Torch.cat(d, x[0], x[1]), i, j);
            else add("Torch.stack(List.of(%s, %s), " + d + ")", x -> Torch.stack(List.of(x[0], x[1]), d), j, i);
        }

        /** A copy of v written in place through a view of it (narrow or select) or as a whole. */
        void inPlace(int i, Tensor v) {
            int n = v.dim();
            int d = dim(v);
            boolean whole = n == 0 || r.nextInt(3) == 0;
            long start = whole ? 0 : r.nextInt((int) v.size(d));
            Function<Tensor, Tensor> part = whole ? x -> x : r.nextBoolean() ? x -> x.narrow(d, start, 1) : x -> x.select(d, start);
            String where = whole ? "" : ".narrow/select(" + d + ", " + start + ")";
            Tensor region = part.apply(v);
            int j = partner(region.shape().toArray());
            long[] rs = region.shape().toArray();
            if (!Arrays.equals(Shapes.broadcast(rs, values.get(j).shape().toArray()), rs)) return; // needs a larger destination
            double s = 0.5 + r.nextInt(3);
            switch (r.nextInt(5)) {
                case 0: add("%s.clone()" + where + ".add_(%s), the clone", x -> written(x[0], part, p -> p.add_(x[1])), i, j); break;
                case 1: add("%s.clone()" + where + ".mul_(%s), the clone", x -> written(x[0], part, p -> p.mul_(x[1])), i, j); break;
                case 2: add("%s.clone()" + where + ".copy_(%s), the clone", x -> written(x[0], part, p -> p.copy_(x[1])), i, j); break;
                case 3: add("%s.clone()" + where + ".sub_(" + s + "), the clone", x -> written(x[0], part, p -> p.sub_(s)), i); break;
                default: add("%s.clone()" + where + ".fill_(" + s + "), the clone", x -> written(x[0], part, p -> p.fill_(s)), i);
            }
        }

        static Tensor written(Tensor x, Function<Tensor, Tensor> part, Function<Tensor, Tensor> write) {
            Tensor c = x.clone();
            write.apply(part.apply(c));
            return c;
        }

        void loss(int i, Tensor v) {
            Reduction red = Reduction.values()[r.nextInt(3)];
            long[] s = v.shape().toArray();
            switch (r.nextInt(4)) {
                case 0: {
                    int j = constantValue(constant(s, -2, 2));
                    add("F.mseLoss(%s, %s, " + red + ")", x -> F.mseLoss(x[0], x[1], red), i, j);
                    break;
                }
                case 1: {
                    int j = constantValue(constant(s, -2, 2));
                    if (awayFromZero(v.sub(values.get(j)))) add("F.l1Loss(%s, %s, " + red + ")", x -> F.l1Loss(x[0], x[1], red), i, j);
                    break;
                }
                case 2: {
                    Tensor y = constant(s, 0, 1);
                    add("F.binaryCrossEntropyWithLogits(%s, " + Arrays.toString(y.toDoubleArray()) + ", " + red + ")",
                            x -> F.binaryCrossEntropyWithLogits(x[0], y, red), i);
                    break;
                }
                default: {
                    if (s.length == 0 || s.length > 2) break;
                    long classes = s[s.length - 1];
                    long[] target = new long[s.length == 1 ? 1 : (int) s[0]];
                    for (int k = 0; k < target.length; k++) target[k] = r.nextInt((int) classes);
                    Tensor y = s.length == 1 ? Tensor.fromArray(backend, DType.INT64, new long[0], target)
                            : Tensor.fromArray(backend, DType.INT64, new long[] {target.length}, target);
                    double smoothing = r.nextBoolean() ? 0 : 0.1;
                    add("F.crossEntropy(%s, " + Arrays.toString(target) + ", -100, " + smoothing + ", " + red + ")",
                            x -> F.crossEntropy(x[0], y, -100, smoothing, red), i);
                }
            }
        }
    }
}

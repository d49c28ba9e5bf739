package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.torchlet.Twins.Twin;
import dev.torchlet.nn.F;
import dev.torchlet.nn.Reduction;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Property: an invalid call raises the same Java exception on the native and on the reference backend, of
 * the type and with the message PyTorch's wording gives for it (naming the shapes, dims and dtypes involved),
 * and never crashes the JVM. Each case makes random inputs (any layout, see {@link Twins}), breaks one rule
 * (broadcast shapes, dims out of range, matmul shapes, dtypes PyTorch refuses, in-place results that would
 * need broadcasting the destination or writes to a leaf that requires grad, views of the wrong size,
 * narrow/select out of range, closed tensors, expand/permute/cat/stack arguments, cross entropy targets out of
 * range, reductions of nothing, item of many elements) and derives the expected message from the inputs.
 */
class InvalidCallFuzzTest {
    /** This test's share of {@code torchlet.fuzz.cases}. */
    static final double SHARE = 0.25;

    @Test void invalidCallsRaiseTheSameExceptionOnBothBackends() {
        Fuzz.run(InvalidCallFuzzTest.class, SHARE, (random, log) -> new Case(random, log).run());
    }

    static final Class<IllegalArgumentException> ARG = IllegalArgumentException.class;
    static final Class<IndexOutOfBoundsException> INDEX = IndexOutOfBoundsException.class;
    static final Class<IllegalStateException> STATE = IllegalStateException.class;

    static final class Case {
        final Twins t;
        final SplittableRandom r;

        Case(SplittableRandom r, Fuzz.Log log) {
            this.r = r;
            t = new Twins(r, log);
        }

        void run() {
            switch (t.pickWeighted(3, 3, 3, 2, 2, 2, 2, 2, 1, 1, 1, 2, 1, 1, 1)) {
                case 0: broadcast(); break;
                case 1: dimOutOfRange(); break;
                case 2: matmul(); break;
                case 3: dtypes(); break;
                case 4: inPlaceShape(); break;
                case 5: inPlaceLeaf(); break;
                case 6: viewSize(); break;
                case 7: narrowSelect(); break;
                case 8: closed(); break;
                case 9: expand(); break;
                case 10: permute(); break;
                case 11: join(); break;
                case 12: crossEntropyTarget(); break;
                case 13: emptyReduction(); break;
                default: item(); break;
            }
        }

        /** The call raises exactly this exception on both backends. */
        void expect(Class<? extends RuntimeException> type, String message, String text, Function<Tensor[], Object> call,
                    Twin... args) {
            RuntimeException e = t.raises(text, call, args);
            String where = String.format(text, (Object[]) args);
            assertEquals(type, e.getClass(), where);
            assertEquals(message, e.getMessage(), where);
        }

        long[] shapeOfRank(int min) {
            while (true) {
                long[] s = t.shape();
                if (s.length >= min) return s;
            }
        }

        DType floating() { return r.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64; }

        DType numeric() { return new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64}[r.nextInt(3)]; }

        /** A size other than 1 and other than s. */
        long mismatch(long s) { return s < 2 ? 2 + r.nextInt(3) : s + 1 + r.nextInt(2); }

        // ------------------------------------------------------------------------------------------ cases

        void broadcast() {
            long[] a = shapeOfRank(1), b = t.broadcastsWith(a);
            if (b.length == 0) b = new long[] {1};
            int j = r.nextInt(b.length), i = j + a.length - b.length; // aligned dims
            if (i < 0) return; // a leading dim of b only
            if (a[i] == 1) a[i] = 2 + r.nextInt(3);
            b[j] = mismatch(a[i]);
            Twin x = t.input(t.dtype(), a), y = t.input(t.dtype(), b);
            boolean swap = r.nextBoolean();
            Twin p = swap ? y : x, q = swap ? x : y;
            String message = broadcastMessage(p.shape(), q.shape());
            String[] ops = {"add", "mul", "div", "maximum", "lt", "eq", "where", "pow", "copy_"};
            String op = ops[r.nextInt(ops.length)];
            switch (op) {
                case "add": expect(ARG, message, "%s.add(%s)", v -> v[0].add(v[1]), p, q); break;
                case "mul": expect(ARG, message, "%s.mul(%s)", v -> v[0].mul(v[1]), p, q); break;
                case "div": expect(ARG, message, "%s.div(%s)", v -> v[0].div(v[1]), p, q); break;
                case "maximum": expect(ARG, message, "%s.maximum(%s)", v -> v[0].maximum(v[1]), p, q); break;
                case "lt": expect(ARG, message, "%s.lt(%s)", v -> v[0].lt(v[1]), p, q); break;
                case "eq": expect(ARG, message, "%s.eq(%s)", v -> v[0].eq(v[1]), p, q); break;
                case "where":
                    expect(ARG, message, "Torch.where(%s.ne(0), %s, %s)", v -> Torch.where(v[0].ne(0), v[1], v[2]), p, p, q);
                    break;
                case "pow": expect(ARG, message, "%s.pow(%s)", v -> v[0].pow(v[1]), p, q); break;
                default: // copy_(src): src must broadcast to the destination, named first
                    expect(ARG, message, "%s.copy_(%s)", v -> v[0].copy_(v[1]), writable(p), q);
            }
        }

        /** PyTorch's message for shapes a and b that do not broadcast: the first bad dim from the right. */
        static String broadcastMessage(long[] a, long[] b) {
            int n = Math.max(a.length, b.length);
            for (int i = n - 1; i >= 0; i--) {
                long da = i - n + a.length >= 0 ? a[i - n + a.length] : 1, db = i - n + b.length >= 0 ? b[i - n + b.length] : 1;
                if (da != db && da != 1 && db != 1) {
                    return "The size of tensor a (" + da + ") must match the size of tensor b (" + db
                            + ") at non-singleton dimension " + i;
                }
            }
            throw new AssertionError(Arrays.toString(a) + " and " + Arrays.toString(b) + " broadcast");
        }

        void dimOutOfRange() {
            Twin a = t.input(floating(), t.shape());
            int n = a.dim();
            String[] ops = {"sum", "sumKeep", "mean", "prod", "max", "argmax", "softmax", "logSoftmax", "sort", "transpose",
                "squeeze", "flatten", "narrow", "select", "cat", "unsqueeze", "stack", "size"};
            String op = ops[r.nextInt(ops.length)];
            boolean oneMore = op.equals("unsqueeze") || op.equals("stack");
            if ((op.equals("narrow") || op.equals("select") || op.equals("cat") || op.equals("size")) && n == 0) return;
            int range = oneMore ? n + 1 : Math.max(n, 1), d = r.nextBoolean() ? range + r.nextInt(3) : -range - 1 - r.nextInt(3);
            String message = "Dimension out of range (expected to be in range of [" + -range + ", " + (range - 1)
                    + "], but got " + d + ")";
            String text = "%s." + op + "(" + d + ")";
            switch (op) {
                case "sum": expect(INDEX, message, text, v -> v[0].sum(d), a); break;
                case "sumKeep": expect(INDEX, message, "%s.sum(new int[] {0, " + d + "}, true)",
                        v -> v[0].sum(new int[] {0, d}, true), a); break;
                case "mean": expect(INDEX, message, text, v -> v[0].mean(d), a); break;
                case "prod": expect(INDEX, message, text, v -> v[0].prod(d), a); break;
                case "max": expect(INDEX, message, text, v -> v[0].max(d), a); break;
                case "argmax": expect(INDEX, message, text, v -> v[0].argmax(d, true), a); break;
                case "softmax": expect(INDEX, message, text, v -> v[0].softmax(d), a); break;
                case "logSoftmax": expect(INDEX, message, text, v -> v[0].logSoftmax(d), a); break;
                case "sort": expect(INDEX, message, text, v -> v[0].sort(d, false), a); break;
                case "transpose": expect(INDEX, message, "%s.transpose(0, " + d + ")", v -> v[0].transpose(0, d), a); break;
                case "squeeze": expect(INDEX, message, text, v -> v[0].squeeze(d), a); break;
                case "flatten": expect(INDEX, message, "%s.flatten(" + d + ", -1)", v -> v[0].flatten(d, -1), a); break;
                case "narrow": expect(INDEX, message, "%s.narrow(" + d + ", 0, 0)", v -> v[0].narrow(d, 0, 0), a); break;
                case "select": expect(INDEX, message, "%s.select(" + d + ", 0)", v -> v[0].select(d, 0), a); break;
                case "cat": expect(INDEX, message, "Torch.cat(" + d + ", %s, %s)", v -> Torch.cat(d, v[0], v[1]), a, a); break;
                case "unsqueeze": expect(INDEX, message, text, v -> v[0].unsqueeze(d), a); break;
                case "stack": expect(INDEX, message, "Torch.stack(List.of(%s, %s), " + d + ")",
                        v -> Torch.stack(java.util.List.of(v[0], v[1]), d), a, a); break;
                default: expect(INDEX, message, text, v -> v[0].size(d), a); break;
            }
        }

        long size() { return 1 + r.nextInt(4); }

        void matmul() {
            DType dtype = numeric();
            long m = size(), k = size(), n = size(), k2 = mismatch(k), b = 1 + r.nextInt(3);
            String mk = m + "x" + k;
            switch (r.nextInt(9)) {
                case 0: {
                    Twin x = t.input(dtype, new long[] {k}), y = t.input(dtype, new long[] {k2});
                    expect(ARG, "inconsistent tensor size, expected tensor [" + k + "] and src [" + k2 + "] to have the same "
                            + "number of elements, but got " + k + " and " + k2 + " elements respectively",
                            "%s.matmul(%s)", v -> v[0].matmul(v[1]), x, y);
                    break;
                }
                case 1: {
                    Twin x = t.input(dtype, new long[] {m, k}), y = t.input(dtype, new long[] {k2});
                    expect(ARG, "size mismatch, got input (" + m + "), mat (" + mk + "), vec (" + k2 + ")",
                            "%s.matmul(%s)", v -> v[0].matmul(v[1]), x, y);
                    break;
                }
                case 2: {
                    Twin x = t.input(dtype, new long[] {k}), y = t.input(dtype, new long[] {k2, n});
                    expect(ARG, "mat1 and mat2 shapes cannot be multiplied (1x" + k + " and " + k2 + "x" + n + ")",
                            "%s.matmul(%s)", v -> v[0].matmul(v[1]), x, y);
                    break;
                }
                case 3: {
                    Twin x = t.input(dtype, new long[] {m, k}), y = t.input(dtype, new long[] {k2, n});
                    String message = "mat1 and mat2 shapes cannot be multiplied (" + mk + " and " + k2 + "x" + n + ")";
                    if (r.nextBoolean()) expect(ARG, message, "%s.matmul(%s)", v -> v[0].matmul(v[1]), x, y);
                    else expect(ARG, message, "%s.mm(%s)", v -> v[0].mm(v[1]), x, y);
                    break;
                }
                case 4: { // batched, a's batch dims broadcast against b's
                    Twin x = t.input(dtype, new long[] {b, m, k});
                    Twin y = t.input(dtype, r.nextBoolean() ? new long[] {k2, n} : new long[] {1, k2, n});
                    expect(ARG, "Expected size for first two dimensions of batch2 tensor to be: [" + b + ", " + k
                            + "] but got: [" + b + ", " + k2 + "].", "%s.matmul(%s)", v -> v[0].matmul(v[1]), x, y);
                    break;
                }
                case 5: {
                    long b2 = r.nextBoolean() ? b : mismatch(b), kk = b2 == b ? k2 : k;
                    Twin x = t.input(dtype, new long[] {b, m, k}), y = t.input(dtype, new long[] {b2, kk, n});
                    expect(ARG, "Expected size for first two dimensions of batch2 tensor to be: [" + b + ", " + k
                            + "] but got: [" + b2 + ", " + kk + "].", "%s.bmm(%s)", v -> v[0].bmm(v[1]), x, y);
                    break;
                }
                case 6: {
                    DType other = dtype == DType.FLOAT64 ? DType.FLOAT32 : DType.FLOAT64;
                    Twin x = t.input(dtype, new long[] {m, k}), y = t.input(other, new long[] {k, n});
                    expect(ARG, "expected m1 and m2 to have the same dtype, but got: " + lower(dtype) + " != " + lower(other),
                            "%s.matmul(%s)", v -> v[0].matmul(v[1]), x, y);
                    break;
                }
                case 7: {
                    Twin x = t.input(dtype, new long[0]), y = t.input(dtype, shapeOfRank(1));
                    boolean swap = r.nextBoolean();
                    expect(ARG, "both arguments to matmul need to be at least 1D, but they are " + (swap ? y.dim() + "D and 0D"
                            : "0D and " + y.dim() + "D"), "%s.matmul(%s)", v -> v[0].matmul(v[1]), swap ? y : x, swap ? x : y);
                    break;
                }
                default: {
                    Twin x = t.input(DType.BOOL, new long[] {m, k}), y = t.input(DType.BOOL, new long[] {k, n});
                    expect(ARG, "\"addmm_impl_cpu_\" not implemented for 'Bool'", "%s.matmul(%s)", v -> v[0].matmul(v[1]), x, y);
                }
            }
        }

        static String lower(DType d) { return d.scalarTypeName().toLowerCase(); }

        void dtypes() {
            long[] s = t.shape();
            DType integral = r.nextBoolean() ? DType.INT64 : DType.BOOL;
            String name = integral.scalarTypeName();
            switch (r.nextInt(8)) {
                case 0:
                    expect(ARG, "mean(): could not infer output dtype. Input dtype must be either a floating point or complex "
                            + "dtype. Got: " + name, "%s.mean()", v -> v[0].mean(), t.input(integral, s));
                    break;
                case 1:
                    expect(ARG, "\"softmax_lastdim_kernel_impl\" not implemented for '" + name + "'", "%s.softmax(-1)",
                            v -> v[0].softmax(-1), t.input(integral, s));
                    break;
                case 2: {
                    DType c = r.nextBoolean() ? floating() : DType.INT64;
                    expect(ARG, "where expected condition to be a boolean tensor, but got a tensor with dtype "
                            + c.scalarTypeName(), "Torch.where(%s, %s, %s)", v -> Torch.where(v[0], v[1], v[2]),
                            t.input(c, s), t.input(t.dtype(), s), t.input(t.dtype(), s));
                    break;
                }
                case 3:
                    expect(ARG, "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
                            + "`logical_xor()` operator instead.", "%s.sub(%s)", v -> v[0].sub(v[1]),
                            t.input(DType.BOOL, s), t.input(DType.BOOL, t.broadcastsWith(s)));
                    break;
                case 4:
                    expect(ARG, "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert "
                            + "a mask, use the `~` or `logical_not()` operator instead.", "%s.neg()", v -> v[0].neg(),
                            t.input(DType.BOOL, s));
                    break;
                case 5: { // an in-place result of a type the destination cannot hold
                    DType dest = integral, src = dest == DType.BOOL ? numeric() : floating();
                    Twin a = t.input(dest, s), b = t.input(src, t.broadcastableTo(s));
                    expect(ARG, "result type " + src.scalarTypeName() + " can't be cast to the desired output type "
                            + dest.scalarTypeName(), "%s.add_(%s)", v -> v[0].add_(v[1]), writable(a), b);
                    break;
                }
                case 6:
                    expect(ARG, "Integers to negative integer powers are not allowed.", "%s.pow(-2L)", v -> v[0].pow(-2L),
                            t.input(DType.INT64, s));
                    break;
                default: { // class-index targets must be int64
                    long n = size(), c = size();
                    DType target = r.nextBoolean() ? floating() : DType.BOOL;
                    expect(ARG, "expected scalar type Long but found " + target.scalarTypeName(), "F.crossEntropy(%s, %s)",
                            v -> F.crossEntropy(v[0], v[1]), t.input(floating(), new long[] {n, c}),
                            t.input(target, new long[] {n}));
                }
            }
        }

        /** a, or a contiguous copy of it where its layout is expanded (stride 0 cannot be written). */
        Twin writable(Twin a) {
            for (long st : a.ref().stride()) if (st == 0) return t.apply("%s.clone()", AccuracyTest.Tol.EXACT, null, v -> v[0].clone(), a);
            return a;
        }

        void inPlaceShape() {
            long[] s = t.shape(), grown = t.broadcastsWith(s);
            long[] full = Shapes.broadcast(s, grown);
            if (Arrays.equals(full, s)) return; // nothing to grow: not a bad call
            DType dtype = numeric();
            Twin a = writable(t.input(dtype, s)), b = t.input(dtype, grown);
            String[] ops = {"add_", "sub_", "mul_", "div_"};
            String op = ops[r.nextInt(ops.length)];
            expect(ARG, "output with shape " + Shapes.str(s) + " doesn't match the broadcast shape " + Shapes.str(full),
                    "%s." + op + "(%s)", v -> OpFuzzTest.Chain.inPlace(op, v[0], v[1]), a, b);
            if (Twins.numel(full) > Twins.numel(s) && s.length > 0) { // and an expanded destination
                Twin e = t.apply("%s.expand(" + Shapes.str(full) + ")", AccuracyTest.Tol.EXACT, null, v -> v[0].expand(full), a);
                expect(ARG, "unsupported operation: more than one element of the written-to tensor refers to a single memory "
                        + "location. Please clone() the tensor before performing the operation.", "%s.mul_(2.0)",
                        v -> v[0].mul_(2.0), e);
            }
        }

        /** In-place writes to a leaf that requires grad, or to a view of one, while grad mode is on. */
        void inPlaceLeaf() {
            long[] s = t.shape();
            DType dtype = floating();
            // contiguous: an input laid out as a view of another tensor is a view of a leaf itself
            Twin a = t.input(dtype, s, t.values(dtype, Twins.numel(s), "plain"), "contiguous");
            boolean view = s.length > 0 && s[0] > 0 && r.nextBoolean();
            String message = "a " + (view ? "view of a " : "") + "leaf Variable that requires grad is being used in an "
                    + "in-place operation.";
            Function<Tensor, Tensor> target = view ? x -> x.select(0, 0) : x -> x;
            String how = view ? ".select(0, 0)" : "";
            switch (r.nextInt(5)) {
                case 0: expect(STATE, message, "%s.requiresGrad_()" + how + ".add_(%s)",
                        v -> target.apply(v[0].requiresGrad_()).add_(v[1]), a, t.input(a.dtype(), new long[0])); break;
                case 1: expect(STATE, message, "%s.requiresGrad_()" + how + ".mul_(2.0)",
                        v -> target.apply(v[0].requiresGrad_()).mul_(2.0), a); break;
                case 2: expect(STATE, message, "%s.requiresGrad_()" + how + ".zero_()",
                        v -> target.apply(v[0].requiresGrad_()).zero_(), a); break;
                case 3: expect(STATE, message, "%s.requiresGrad_()" + how + ".fill_(1.5)",
                        v -> target.apply(v[0].requiresGrad_()).fill_(1.5), a); break;
                default: expect(STATE, message, "%s.requiresGrad_()" + how + ".copy_(%s)",
                        v -> target.apply(v[0].requiresGrad_()).copy_(v[1]), a, t.input(t.dtype(), new long[0]));
            }
        }

        void viewSize() {
            long[] s = t.shape();
            long numel = Twins.numel(s), wrong = numel + 1 + r.nextInt(3);
            Twin a = t.input(t.dtype(), s);
            if (r.nextInt(4) == 0 && s.length == 2 && s[0] > 1 && s[1] > 1) {
                Twin tr = t.apply("%s.t()", AccuracyTest.Tol.EXACT, null, v -> v[0].t(), a);
                if (Shapes.viewStrides(tr.shape(), tr.ref().stride(), new long[] {numel}) != null) return; // a view after all
                expect(ARG, "view size is not compatible with input tensor's size and stride (at least one dimension spans "
                        + "across two contiguous subspaces). Use .reshape(...) instead.", "%s.view(-1)", v -> v[0].view(-1), tr);
                return;
            }
            long[] shape;
            String message = null;
            if (numel == 0 && r.nextBoolean()) { // -1 beside a 0 could be anything
                shape = r.nextBoolean() ? new long[] {-1, 0} : new long[] {0, -1};
                message = "cannot reshape tensor of 0 elements into shape " + Shapes.str(shape)
                        + " because the unspecified dimension size -1 can be any value and is ambiguous";
            } else {
                shape = r.nextBoolean() ? new long[] {wrong} : new long[] {-1, wrong};
                if (shape.length == 2 && numel % wrong == 0) return; // -1 fits
                message = "shape '" + Shapes.str(shape) + "' is invalid for input of size " + numel;
            }
            String expected = message;
            if (r.nextBoolean()) expect(ARG, expected, "%s.view(" + Shapes.str(shape) + ")", v -> v[0].view(shape), a);
            else expect(ARG, expected, "%s.reshape(" + Shapes.str(shape) + ")", v -> v[0].reshape(shape), a);
        }

        void narrowSelect() {
            long[] s = t.shape();
            Twin a = t.input(t.dtype(), s);
            int n = s.length;
            if (n == 0) {
                if (r.nextBoolean()) {
                    expect(INDEX, "select() cannot be applied to a 0-dim tensor.", "%s.select(0, 0)", v -> v[0].select(0, 0), a);
                } else {
                    expect(ARG, "narrow() cannot be applied to a 0-dim tensor.", "%s.narrow(0, 0, 1)", v -> v[0].narrow(0, 0, 1), a);
                }
                return;
            }
            int d = t.dim(n), k = d < 0 ? d + n : d;
            long size = s[k];
            switch (r.nextInt(4)) {
                case 0: {
                    long i = r.nextBoolean() ? size + r.nextInt(3) : -size - 1 - r.nextInt(3);
                    expect(INDEX, "select(): index " + i + " out of range for tensor of size " + Shapes.str(s) + " at dimension "
                            + k, "%s.select(" + d + ", " + i + ")", v -> v[0].select(d, i), a);
                    break;
                }
                case 1: {
                    long start = r.nextBoolean() ? size + 1 + r.nextInt(3) : -size - 1 - r.nextInt(3);
                    expect(INDEX, "start out of range (expected to be in range of [" + -size + ", " + size + "], but got "
                            + start + ")", "%s.narrow(" + d + ", " + start + ", 0)", v -> v[0].narrow(d, start, 0), a);
                    break;
                }
                case 2: {
                    long start = r.nextInt((int) size + 1), len = size - start + 1 + r.nextInt(3);
                    expect(ARG, "start (" + start + ") + length (" + len + ") exceeds dimension size (" + size + ").",
                            "%s.narrow(" + d + ", " + start + ", " + len + ")", v -> v[0].narrow(d, start, len), a);
                    break;
                }
                default: {
                    long len = -1 - r.nextInt(3);
                    expect(ARG, "narrow(): length must be non-negative.", "%s.narrow(" + d + ", 0, " + len + ")",
                            v -> v[0].narrow(d, 0, len), a);
                }
            }
        }

        /** A tensor used after close(): the message names its shape and dtype, whichever operand it is. */
        void closed() {
            Twin a = writable(t.input()), b = t.input(a.dtype(), a.shape());
            boolean second = r.nextBoolean();
            Twin dead = second ? b : a;
            String message = "Tensor of shape " + Shapes.str(dead.shape()) + " and dtype " + dead.dtype()
                    + " was used after close()";
            int which = second ? 1 : 0;
            switch (r.nextInt(5)) {
                case 0: expect(STATE, message, "close " + dead + "; %s.add(%s)", v -> closing(v, which).add(v[1]), a, b); break;
                case 1: expect(STATE, message, "close " + dead + "; %s.copy_(%s)", v -> closing(v, which).copy_(v[1]), a, b); break;
                case 2: expect(STATE, message, "close " + dead + "; Torch.cat(0, %s, %s)",
                        v -> Torch.cat(0, closing(v, which), v[1]), a, b); break;
                case 3: expect(STATE, message, "close " + dead + "; %s.matmul(%s)",
                        v -> closing(v, which).matmul(v[1]), a, b); break;
                default: expect(STATE, "Tensor of shape " + Shapes.str(a.shape()) + " and dtype " + a.dtype()
                        + " was used after close()", "close " + a + "; %s.sum()", v -> closing(v, 0).sum(), a);
            }
        }

        /** Closes v[which]; returns v[0]. */
        static Tensor closing(Tensor[] v, int which) {
            v[which].close();
            return v[0];
        }

        void expand() {
            long[] s = shapeOfRank(1);
            Twin a = t.input(t.dtype(), s);
            int n = s.length;
            if (r.nextBoolean()) {
                long[] sizes = Arrays.copyOf(s, r.nextInt(n));
                expect(ARG, "expand(" + a.dtype().scalarTypeName() + "Tensor{" + Shapes.str(s) + "}, size=" + Shapes.str(sizes)
                        + "): the number of sizes provided (" + sizes.length + ") must be greater or equal to the number of "
                        + "dimensions in the tensor (" + n + ")", "%s.expand(" + Shapes.str(sizes) + ")",
                        v -> v[0].expand(sizes), a);
            } else {
                int lead = r.nextInt(2), i = r.nextInt(n);
                long[] sizes = new long[n + lead];
                for (int j = 0; j < sizes.length; j++) sizes[j] = j < lead ? 2 : s[j - lead];
                if (s[i] == 1) return; // a size-1 dim expands to anything
                sizes[i + lead] = mismatch(s[i]);
                expect(ARG, "The expanded size of the tensor (" + sizes[i + lead] + ") must match the existing size (" + s[i]
                        + ") at non-singleton dimension " + (i + lead) + ".  Target sizes: " + Shapes.str(sizes)
                        + ".  Tensor sizes: " + Shapes.str(s), "%s.expand(" + Shapes.str(sizes) + ")", v -> v[0].expand(sizes), a);
            }
        }

        void permute() {
            long[] s = t.shape();
            Twin a = t.input(t.dtype(), s);
            int n = s.length;
            if (n >= 2 && r.nextBoolean()) {
                int[] p = t.permutation(n);
                p[0] = p[1];
                expect(ARG, "permute(): duplicate dims are not allowed.", "%s.permute(" + Arrays.toString(p) + ")",
                        v -> v[0].permute(p), a);
            } else {
                int[] p = new int[n == 0 ? 1 : r.nextBoolean() ? n - 1 : n + 1];
                for (int i = 0; i < p.length; i++) p[i] = i % Math.max(n, 1);
                expect(ARG, "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the "
                        + "desired ordering of dimensions i.e. input.dim() = " + n + " is not equal to len(dims) = " + p.length,
                        "%s.permute(" + Arrays.toString(p) + ")", v -> v[0].permute(p), a);
            }
        }

        void join() {
            long[] s = shapeOfRank(1);
            int n = s.length;
            Twin a = t.input(t.dtype(), s);
            switch (r.nextInt(3)) {
                case 0: { // sizes differ outside the cat dim
                    if (n < 2) return;
                    int d = r.nextInt(n), k = (d + 1 + r.nextInt(n - 1)) % n;
                    long[] s2 = s.clone();
                    s2[k] = s[k] == 0 ? 1 : s[k] + 1;
                    Twin b = t.input(a.dtype(), s2);
                    expect(ARG, "Sizes of tensors must match except in dimension " + d + ". Expected size " + s[k]
                            + " but got size " + s2[k] + " for tensor number 1 in the list.", "Torch.cat(" + d + ", %s, %s)",
                            v -> Torch.cat(d, v[0], v[1]), a, b);
                    break;
                }
                case 1: { // ranks differ (a legacy empty [0] joins anything, so b has elements)
                    long[] s2 = Arrays.copyOf(s, n + 1);
                    s2[n] = 2;
                    for (int i = 0; i < n; i++) if (s2[i] == 0) s2[i] = 1;
                    Twin b = t.input(a.dtype(), s2);
                    if (n == 1 && s[0] == 0) return;
                    expect(ARG, "Tensors must have same number of dimensions: got " + n + " and " + (n + 1),
                            "Torch.cat(0, %s, %s)", v -> Torch.cat(0, v[0], v[1]), a, b);
                    break;
                }
                default: {
                    long[] s2 = s.clone();
                    s2[r.nextInt(n)] += 1;
                    Twin b = t.input(a.dtype(), s2);
                    expect(ARG, "stack expects each tensor to be equal size, but got " + Shapes.str(s) + " at entry 0 and "
                            + Shapes.str(s2) + " at entry 1", "Torch.stack(List.of(%s, %s), 0)",
                            v -> Torch.stack(java.util.List.of(v[0], v[1]), 0), a, b);
                }
            }
        }

        void crossEntropyTarget() {
            long n = size(), c = size();
            Twin logits = t.input(floating(), new long[] {n, c});
            long[] target = new long[(int) n];
            for (int i = 0; i < n; i++) target[i] = r.nextInt((int) c);
            int bad = r.nextInt((int) n);
            target[bad] = r.nextBoolean() ? c + r.nextInt(3) : -1 - r.nextInt(3);
            Twin y = t.input(DType.INT64, new long[] {n}, target, "class indices, one out of range");
            Reduction red = Reduction.values()[r.nextInt(3)];
            expect(INDEX, "Target " + target[bad] + " is out of bounds.", "F.crossEntropy(%s, %s, -100, 0.0, " + red + ")",
                    v -> F.crossEntropy(v[0], v[1], -100, 0.0, red), logits, y);
        }

        void emptyReduction() {
            long[] s = shapeOfRank(1);
            int k = r.nextInt(s.length);
            s[k] = 0;
            Twin a = t.input(t.dtype(), s);
            String[] names = {"max", "min", "argmax", "argmin"};
            String op = names[r.nextInt(names.length)];
            if (r.nextBoolean()) {
                String message = op + "(): Expected reduction dim to be specified for input.numel() == 0."
                        + (op.startsWith("arg") ? "" : " Specify the reduction dim with the 'dim' argument.");
                Function<Tensor[], Object> call = op.equals("max") ? v -> v[0].max() : op.equals("min") ? v -> v[0].min()
                        : op.equals("argmax") ? v -> v[0].argmax() : v -> v[0].argmin();
                expect(ARG, message, "%s." + op + "()", call, a);
            } else {
                int d = r.nextBoolean() ? k : k - s.length;
                Function<Tensor[], Object> call = op.equals("max") ? v -> v[0].max(d) : op.equals("min") ? v -> v[0].min(d)
                        : op.equals("argmax") ? v -> v[0].argmax(d) : v -> v[0].argmin(d);
                expect(ARG, op + "(): Expected reduction dim " + k + " to have non-zero size.", "%s." + op + "(" + d + ")",
                        call, a);
            }
        }

        void item() {
            long[] s = t.shape();
            long numel = Twins.numel(s);
            if (numel == 1) return;
            expect(ARG, "a Tensor with " + numel + " elements cannot be converted to Scalar", "%s.item()", v -> v[0].item(),
                    t.input(t.dtype(), s));
        }
    }
}

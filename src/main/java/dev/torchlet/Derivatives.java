package dev.torchlet;

import dev.torchlet.backend.GradOp;
import dev.torchlet.backend.Strided;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * Every derivative rule, in one place (PyTorch's derivatives.yaml, candle's backprop.rs). Each op of
 * {@link Tensor} computes its result and passes it here with its inputs; when grad mode is on and an input
 * requires grad, the result gets a {@link GradFn} named as PyTorch names it, holding the rule.
 *
 * <p>Rules are written with tensor ops (run with grad mode off) or fused native gradient kernels
 * ({@link GradOp}). They may return gradients of the output's broadcast shape or dtype: {@link Autograd}
 * sums them to each input's shape and casts them to its dtype. A rule computes only what
 * {@link GradFn#needsGrad} asks for and saves only tensors its gradients use.
 */
final class Derivatives {
    private Derivatives() {}

    /** True when an op on these inputs must record history. */
    static boolean recording(Tensor a) { return a.requiresGrad() && GradMode.isEnabled(); }

    static boolean recording(Tensor a, Tensor b) {
        return (a.requiresGrad() || b.requiresGrad()) && GradMode.isEnabled();
    }

    static boolean recording(List<Tensor> inputs) {
        for (Tensor t : inputs) if (t.requiresGrad()) return GradMode.isEnabled();
        return false;
    }

    /** Makes out the result of a node named name with these inputs; returns out. */
    static Tensor record(Tensor out, String name, GradFn.Rule rule, Tensor[] inputs, GradFn.Saved... saved) {
        out.setHistory(new GradFn(name, inputs, rule, saved));
        return out;
    }

    private static Tensor record(Tensor out, String name, GradFn.Rule rule, Tensor input, GradFn.Saved... saved) {
        return record(out, name, rule, new Tensor[] {input}, saved);
    }

    private static GradFn.Saved save(Tensor t) { return new GradFn.Saved(t); }

    private static Tensor[] grads(Tensor... g) { return g; }

    // ------------------------------------------------------------------------------------ binary arithmetic

    static Tensor add(Tensor a, Tensor b, Tensor out) {
        if (!recording(a, b)) return out;
        return record(out, "AddBackward0", (g, fn) -> grads(g, g), new Tensor[] {a, b});
    }

    static Tensor sub(Tensor a, Tensor b, Tensor out) {
        if (!recording(a, b)) return out;
        return record(out, "SubBackward0", (g, fn) -> grads(g, fn.needsGrad(1) ? g.neg() : null), new Tensor[] {a, b});
    }

    static Tensor mul(Tensor a, Tensor b, Tensor out) {
        if (!recording(a, b)) return out;
        GradFn.Saved sa = b.requiresGrad() ? save(a) : null, sb = a.requiresGrad() ? save(b) : null;
        return record(out, "MulBackward0", (g, fn) -> grads(
                fn.needsGrad(0) ? g.mul(sb.get()) : null,
                fn.needsGrad(1) ? g.mul(sa.get()) : null), new Tensor[] {a, b}, savedOf(sa, sb));
    }

    static Tensor div(Tensor a, Tensor b, Tensor out) {
        if (!recording(a, b)) return out;
        GradFn.Saved sa = b.requiresGrad() ? save(a) : null, sb = save(b);
        return record(out, "DivBackward0", (g, fn) -> grads(
                fn.needsGrad(0) ? g.div(sb.get()) : null,
                fn.needsGrad(1) ? g.neg().mul(sa.get().div(sb.get()).div(sb.get())) : null),
                new Tensor[] {a, b}, savedOf(sa, sb));
    }

    /** a ** b for two tensors (PowBackward1); zero exponents and 0 ** b>=0 give zero gradients, as in PyTorch. */
    static Tensor pow(Tensor a, Tensor b, Tensor out) {
        if (!recording(a, b)) return out;
        GradFn.Saved sa = save(a), sb = save(b), so = b.requiresGrad() ? save(out) : null;
        return record(out, "PowBackward1", (g, fn) -> {
            Tensor x = sa.get(), p = sb.get();
            Tensor ga = fn.needsGrad(0) ? Tensor.where(p.eq(0), zero(g), g.mul(p.mul(x.pow(p.sub(1))))) : null;
            Tensor gb = fn.needsGrad(1)
                    ? g.mul(Tensor.where(x.eq(0).logicalAnd(p.ge(0)), zero(g), so.get().mul(x.log()))) : null;
            return grads(ga, gb);
        }, new Tensor[] {a, b}, savedOf(sa, sb, so));
    }

    static Tensor maximum(Tensor a, Tensor b, Tensor out) { return selectBetween(a, b, out, "MaximumBackward0", true); }

    static Tensor minimum(Tensor a, Tensor b, Tensor out) { return selectBetween(a, b, out, "MinimumBackward0", false); }

    /** maximum/minimum: the gradient goes to the selected input, split in half on ties. */
    private static Tensor selectBetween(Tensor a, Tensor b, Tensor out, String name, boolean max) {
        if (!recording(a, b)) return out;
        GradFn.Saved sa = save(a), sb = save(b);
        return record(out, name, (g, fn) -> {
            Tensor x = sa.get(), y = sb.get();
            Tensor split = Tensor.where(x.eq(y), g.div(2), g);
            return grads(
                    fn.needsGrad(0) ? Tensor.where(max ? x.lt(y) : x.gt(y), zero(g), split) : null,
                    fn.needsGrad(1) ? Tensor.where(max ? x.gt(y) : x.lt(y), zero(g), split) : null);
        }, new Tensor[] {a, b}, sa, sb);
    }

    // ------------------------------------------------------------------------------- with a scalar operand

    static Tensor addScalar(Tensor a, Tensor out) {
        return recording(a) ? record(out, "AddBackward0", (g, fn) -> grads(g), a) : out;
    }

    static Tensor subScalar(Tensor a, Tensor out) {
        return recording(a) ? record(out, "SubBackward0", (g, fn) -> grads(g), a) : out;
    }

    /** s - a. */
    static Tensor rsubScalar(Tensor a, Tensor out) {
        return recording(a) ? record(out, "RsubBackward1", (g, fn) -> grads(g.neg()), a) : out;
    }

    static Tensor mulScalar(Tensor a, double s, Tensor out) {
        return recording(a) ? record(out, "MulBackward0", (g, fn) -> grads(g.mul(s)), a) : out;
    }

    static Tensor divScalar(Tensor a, double s, Tensor out) {
        return recording(a) ? record(out, "DivBackward0", (g, fn) -> grads(g.div(s)), a) : out;
    }

    /** a ** p: one fused kernel, g * p * a^(p-1) (0 for p == 0). */
    static Tensor powScalar(Tensor a, double p, Tensor out) {
        return savingOne(a, out, "PowBackward0", a, (g, x) -> Tensor.fusedGrad(GradOp.POW_SCALAR, x, null, g, p));
    }

    /** base ** a: g * out * ln(base) (0 where base == 0 and a >= 0). */
    static Tensor rpowScalar(double base, Tensor a, Tensor out) {
        if (!recording(a)) return out;
        GradFn.Saved so = save(out);
        return record(out, "PowBackward2", (g, fn) -> {
            Tensor grad = g.mul(so.get()).mul(Math.log(base));
            return grads(base == 0 ? Tensor.where(so.get().ne(0), grad, zero(g)) : grad);
        }, a, so);
    }

    // ------------------------------------------------------------------------------------------------ unary

    static Tensor neg(Tensor a, Tensor out) {
        return recording(a) ? record(out, "NegBackward0", (g, fn) -> grads(g.neg()), a) : out;
    }

    static Tensor abs(Tensor a, Tensor out) { return savingOne(a, out, "AbsBackward0", a, (g, x) -> g.mul(x.sign())); }

    static Tensor exp(Tensor a, Tensor out) { return savingOne(a, out, "ExpBackward0", out, Tensor::mul); }

    static Tensor log(Tensor a, Tensor out) { return savingOne(a, out, "LogBackward0", a, Tensor::div); }

    static Tensor sqrt(Tensor a, Tensor out) { return savingOne(a, out, "SqrtBackward0", out, (g, y) -> g.div(y.mul(2))); }

    static Tensor sin(Tensor a, Tensor out) { return savingOne(a, out, "SinBackward0", a, (g, x) -> g.mul(x.cos())); }

    static Tensor cos(Tensor a, Tensor out) {
        return savingOne(a, out, "CosBackward0", a, (g, x) -> g.mul(x.sin().neg()));
    }

    static Tensor tanh(Tensor a, Tensor out) { return fusedOnOutput(a, out, "TanhBackward0", GradOp.TANH); }

    static Tensor sigmoid(Tensor a, Tensor out) { return fusedOnOutput(a, out, "SigmoidBackward0", GradOp.SIGMOID); }

    /** relu's gradient passes where the output is positive (PyTorch's threshold_backward on the result). */
    static Tensor relu(Tensor a, Tensor out) { return fusedOnOutput(a, out, "ReluBackward0", GradOp.RELU); }

    private static Tensor fusedOnOutput(Tensor a, Tensor out, String name, GradOp op) {
        return savingOne(a, out, name, out, (g, y) -> Tensor.fusedGrad(op, y, null, g, 0));
    }

    /** A one-input op whose gradient is rule(g, s) for one saved tensor s (its input or its output). */
    private static Tensor savingOne(Tensor a, Tensor out, String name, Tensor toSave,
                                    BinaryOperator<Tensor> rule) {
        if (!recording(a)) return out;
        GradFn.Saved s = save(toSave);
        return record(out, name, (g, fn) -> grads(rule.apply(g, s.get())), a, s);
    }

    // ------------------------------------------------------------------------------------------- reductions

    static Tensor sumAll(Tensor a, Tensor out) {
        if (!recording(a)) return out;
        long[] shape = a.data().shape;
        return record(out, "SumBackward0", (g, fn) -> grads(g.expand(shape)), a);
    }

    static Tensor sum(Tensor a, int[] dims, boolean keepdim, Tensor out) {
        if (!recording(a)) return out;
        long[] shape = a.data().shape;
        return record(out, "SumBackward1", (g, fn) -> grads(unreduce(g, dims, keepdim, shape).expand(shape)), a);
    }

    static Tensor meanAll(Tensor a, Tensor out) {
        if (!recording(a)) return out;
        long[] shape = a.data().shape;
        long n = a.numel();
        return record(out, "MeanBackward0", (g, fn) -> grads(g.div(n).expand(shape)), a);
    }

    static Tensor mean(Tensor a, int[] dims, boolean keepdim, Tensor out) {
        if (!recording(a)) return out;
        long[] shape = a.data().shape;
        long n = a.numel() == 0 ? 0 : a.numel() / Math.max(1, out.numel());
        return record(out, "MeanBackward1",
                (g, fn) -> grads(unreduce(g, dims, keepdim, shape).div(n).expand(shape)), a);
    }

    /**
     * prod: g * (product of the other elements), exact with zeros: with no zero it is out / a; with one zero
     * only that element gets the product of the rest; with more, every gradient is 0.
     */
    static Tensor prod(Tensor a, int[] dims, boolean keepdim, boolean all, Tensor out) {
        if (!recording(a)) return out;
        long[] shape = a.data().shape;
        GradFn.Saved sa = save(a);
        return record(out, all ? "ProdBackward0" : "ProdBackward1", (g, fn) -> {
            Tensor x = sa.get();
            Tensor isZero = x.eq(0).to(x.dtype());
            Tensor nonZero = x.add(isZero); // zeros replaced by 1
            Tensor prodNonZero = nonZero.prod(dims, true), zeros = isZero.sum(dims, true);
            Tensor others = prodNonZero.div(nonZero).mul(zeros.eq(0).to(x.dtype()))
                    .add(prodNonZero.mul(isZero).mul(zeros.eq(1).to(x.dtype())));
            return grads(unreduce(g, dims, keepdim, shape).mul(others));
        }, a, sa);
    }

    /** max()/min() over all elements: the gradient is shared evenly by the elements equal to the result. */
    static Tensor extremeAll(Tensor a, Tensor out, String name) {
        if (!recording(a)) return out;
        GradFn.Saved sa = save(a), so = save(out);
        return record(out, name, (g, fn) -> {
            Tensor mask = sa.get().eq(so.get()).to(g.dtype());
            return grads(mask.mul(g.div(mask.sum())));
        }, a, sa, so);
    }

    /** max(dim)/min(dim) values: the gradient goes to the element each index points at. */
    static Tensor extremeAlongDim(Tensor a, int dim, boolean keepdim, Tensor values, Tensor indices, String name) {
        if (!recording(a)) return values;
        long[] shape = a.data().shape;
        GradFn.Saved si = save(indices);
        return record(values, name, (g, fn) -> grads(scatterAlongDim(g, si.get(), dim, keepdim, shape)), a, si);
    }

    /** sort values: the gradient of each sorted element goes back to the position it came from. */
    static Tensor sort(Tensor a, int dim, Tensor values, Tensor indices) {
        if (!recording(a)) return values;
        long[] shape = a.data().shape;
        GradFn.Saved si = save(indices);
        return record(values, "SortBackward0", (g, fn) -> grads(Tensor.scatterAlongDim(g, si.get(), dim, shape)), a, si);
    }

    /** g (reduced over dims) with those dims restored as size 1. */
    private static Tensor unreduce(Tensor g, int[] dims, boolean keepdim, long[] shape) {
        if (keepdim || shape.length == 0) return g;
        int n = shape.length;
        boolean[] reduced = new boolean[n];
        for (int d : dims) reduced[Shapes.wrapDim(d, n)] = true;
        long[] withOnes = shape.clone();
        for (int i = 0; i < n; i++) if (reduced[i]) withOnes[i] = 1;
        return g.reshape(withOnes);
    }

    /** zeros of shape with g[..., j, ...] placed at index[..., j, ...] along dim (one element per index). */
    private static Tensor scatterAlongDim(Tensor g, Tensor index, int dim, boolean keepdim, long[] shape) {
        int[] dims = {dim};
        return Tensor.scatterAlongDim(unreduce(g, dims, keepdim, shape), unreduce(index, dims, keepdim, shape),
                Shapes.wrapDim(dim, shape.length), shape);
    }

    // ----------------------------------------------------------------------------------- matrix products

    /**
     * matmul in all its forms. The gradients are products with the other operand transposed (gemm with a
     * transpose flag, no copy); 1-D operands are treated as a row (a) or a column (b) and batch dims that
     * broadcast are summed by the engine.
     */
    static Tensor matmul(Tensor a, Tensor b, Tensor out) {
        if (!recording(a, b)) return out;
        int da = a.dim(), db = b.dim();
        String name = da == 1 && db == 1 ? "DotBackward0" : da == 2 && db == 1 ? "MvBackward0"
                : da == 2 && db == 2 ? "MmBackward0" : da == 3 && db == 3 ? "BmmBackward0" : "UnsafeViewBackward0";
        GradFn.Saved sa = b.requiresGrad() ? save(a) : null, sb = a.requiresGrad() ? save(b) : null;
        return record(out, name, (g, fn) -> {
            // the output's gradient with the dims of 1-D operands restored: a as [1, K], b as [K, 1]
            Tensor g2 = da == 1 && db == 1 ? g.reshape(1, 1) : da == 1 ? g.unsqueeze(-2) : db == 1 ? g.unsqueeze(-1) : g;
            Tensor ga = null, gb = null;
            if (fn.needsGrad(0)) ga = g2.matmul(db == 1 ? sb.get().unsqueeze(0) : sb.get().transpose(-1, -2));
            if (fn.needsGrad(1)) {
                Tensor x = sa.get();
                if (db == 2 && da >= 2) { // the batch folded into the rows: one gemm
                    gb = x.reshape(-1, x.size(-1)).t().mm(g2.reshape(-1, g2.size(-1)));
                } else {
                    gb = (da == 1 ? x.unsqueeze(-1) : x.transpose(-1, -2)).matmul(g2);
                    if (db == 1) gb = gb.squeeze(-1);
                }
            }
            return grads(ga, gb);
        }, new Tensor[] {a, b}, savedOf(sa, sb));
    }

    /**
     * F.linear on a 2-D input: x @ w^T (+ bias) as one node (AddmmBackward0, or MmBackward0 without bias):
     * dx = g @ w, dw = g^T @ x, dbias = g summed over rows.
     */
    static Tensor linear(Tensor x, Tensor w, Tensor bias, Tensor out) {
        Tensor[] inputs = bias == null ? new Tensor[] {x, w} : new Tensor[] {x, w, bias};
        if (!recording(Arrays.asList(inputs))) return out;
        GradFn.Saved sx = w.requiresGrad() ? save(x) : null, sw = x.requiresGrad() ? save(w) : null;
        return record(out, bias == null ? "MmBackward0" : "AddmmBackward0", (g, fn) -> grads(
                fn.needsGrad(0) ? g.mm(sw.get()) : null,
                fn.needsGrad(1) ? g.t().mm(sx.get()) : null,
                bias != null && fn.needsGrad(2) ? g : null), inputs, savedOf(sx, sw));
    }

    // -------------------------------------------------------------------------------------- views and copies

    /** An op whose gradient is a function of the output's gradient alone (views, copies, negation...). */
    static Tensor passGrad(Tensor a, Tensor out, String name, UnaryOperator<Tensor> rule) {
        return recording(a) ? record(out, name, (g, fn) -> grads(rule.apply(g)), a) : out;
    }

    /** view, reshape, flatten and the squeezes: the gradient takes the input's shape back. */
    static Tensor reshaped(Tensor a, Tensor out, String name) {
        if (!recording(a)) return out;
        long[] shape = a.data().shape;
        return passGrad(a, out, name, g -> g.reshape(shape));
    }

    /** select and narrow: the gradient lands in that part of a zero tensor of the input's shape. */
    static Tensor part(Tensor a, Tensor out, String name, UnaryOperator<Tensor> partOf) {
        if (!recording(a)) return out;
        long[] shape = a.data().shape;
        return passGrad(a, out, name, g -> {
            Tensor z = g.zerosOfShape(shape);
            partOf.apply(z).copy_(g);
            return z;
        });
    }

    /**
     * as_strided, PyTorch's as_strided_backward: the gradient is summed into a buffer over the storage span
     * of the input's and the view's elements, at each view element's storage position, and read back through
     * the input's geometry; a storage element the input repeats gives each repeat an equal share. Computed on
     * host arrays in double (an as_strided gradient is rare and small).
     */
    static Tensor asStrided(Tensor a, Tensor out) {
        if (!recording(a)) return out;
        Strided in = a.data(), view = out.data();
        return passGrad(a, out, "AsStridedBackward0", g -> {
            long[] inPos = storagePositions(in), outPos = storagePositions(view);
            long base = Long.MAX_VALUE, end = 0;
            for (long[] ps : new long[][] {inPos, outPos}) {
                for (long p : ps) {
                    base = Math.min(base, p);
                    end = Math.max(end, p + 1);
                }
            }
            if (inPos.length == 0) return g.zerosOfShape(in.shape);
            if (end - base > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("as_strided backward: the storage span of " + (end - base)
                        + " elements does not fit in a Java array");
            }
            double[] buffer = new double[(int) (end - base)], count = new double[buffer.length];
            double[] gv = g.toDoubleArray();
            for (int i = 0; i < outPos.length; i++) buffer[(int) (outPos[i] - base)] += gv[i];
            for (long p : inPos) count[(int) (p - base)]++;
            double[] result = new double[inPos.length];
            for (int i = 0; i < inPos.length; i++) {
                int p = (int) (inPos[i] - base);
                result[i] = buffer[p] / count[p];
            }
            try (Tensor r = Tensor.fromArray(g.backend(), DType.FLOAT64, in.shape, result)) {
                return r.to(g.dtype()).clone();
            }
        });
    }

    /** The storage position of each element of s, in row-major order. */
    private static long[] storagePositions(Strided s) {
        long n = s.numel();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("as_strided backward: " + n + " elements do not fit in a Java array");
        }
        long[] positions = new long[(int) n];
        long[] index = new long[s.dim()];
        for (int i = 0; i < n; i++) {
            long p = s.offset;
            for (int d = 0; d < index.length; d++) p += index[d] * s.strides[d];
            positions[i] = p;
            for (int d = index.length - 1; d >= 0 && ++index[d] == s.shape[d]; d--) index[d] = 0;
        }
        return positions;
    }

    /** cat: each input gets its slice of the gradient along dim (inputs skipped as legacy empty get none). */
    static Tensor cat(List<Tensor> inputs, List<Tensor> joined, int dim, Tensor out) {
        if (!recording(inputs)) return out;
        long[] offsets = new long[inputs.size()], lengths = new long[inputs.size()];
        long offset = 0;
        for (int i = 0; i < inputs.size(); i++) {
            Tensor t = inputs.get(i);
            boolean skipped = !joined.contains(t);
            offsets[i] = offset;
            lengths[i] = skipped ? -1 : t.size(dim);
            if (!skipped) offset += lengths[i];
        }
        return record(out, "CatBackward0", (g, fn) -> {
            Tensor[] grads = new Tensor[offsets.length];
            for (int i = 0; i < grads.length; i++) {
                if (lengths[i] >= 0 && fn.needsGrad(i)) grads[i] = g.narrow(dim, offsets[i], lengths[i]);
            }
            return grads;
        }, inputs.toArray(new Tensor[0]));
    }

    /** stack: input i gets the gradient's slice i along the new dim. */
    static Tensor stack(List<Tensor> inputs, int dim, Tensor out) {
        if (!recording(inputs)) return out;
        return record(out, "StackBackward0", (g, fn) -> {
            Tensor[] grads = new Tensor[inputs.size()];
            for (int i = 0; i < grads.length; i++) if (fn.needsGrad(i)) grads[i] = g.select(dim, i);
            return grads;
        }, inputs.toArray(new Tensor[0]));
    }

    /** copy_(src) into a tensor: the gradient flows to src (summed to its shape, cast to its dtype). */
    static void copyInto(Tensor self, Tensor src) {
        if (!recording(self, src)) return;
        self.setInPlaceHistory(new GradFn("CopyBackwards", new Tensor[] {src}, (g, fn) -> grads(g), new GradFn.Saved[0]),
                src);
    }

    // --------------------------------------------------------------------------------- losses and softmax

    /** softmax / log-softmax over dim: one fused backward kernel on the saved output. */
    static Tensor softmax(Tensor a, int dim, boolean log, Tensor out) {
        if (!recording(a)) return out;
        GradFn.Saved so = save(out);
        return record(out, log ? "LogSoftmaxBackward0" : "SoftmaxBackward0",
                (g, fn) -> grads(Tensor.softmaxBackward(g, so.get(), dim, log)), a, so);
    }

    /** mse_loss: grad_input = scale * (input - target) * g in one kernel; the target gets its negative. */
    static Tensor mseLoss(Tensor input, Tensor target, double scale, Tensor out) {
        if (!recording(input, target)) return out;
        GradFn.Saved si = save(input), st = save(target);
        return record(out, "MseLossBackward0", (g, fn) -> grads(
                fn.needsGrad(0) ? Tensor.fusedGrad(GradOp.MSE, si.get(), st.get(), g, scale) : null,
                fn.needsGrad(1) ? Tensor.fusedGrad(GradOp.MSE, st.get(), si.get(), g, scale) : null),
                new Tensor[] {input, target}, si, st);
    }

    /**
     * binary_cross_entropy_with_logits: grad_input = scale * (sigmoid(x) - y) * g in one kernel;
     * grad_target = -scale * x * g.
     */
    static Tensor bceWithLogits(Tensor input, Tensor target, double scale, Tensor out) {
        if (!recording(input, target)) return out;
        GradFn.Saved si = save(input), st = save(target);
        return record(out, "BinaryCrossEntropyWithLogitsBackward0", (g, fn) -> grads(
                fn.needsGrad(0) ? Tensor.fusedGrad(GradOp.BCE_LOGITS, si.get(), st.get(), g, scale) : null,
                fn.needsGrad(1) ? si.get().mul(g).mul(-scale) : null), new Tensor[] {input, target}, si, st);
    }

    /**
     * Cross entropy with class-index targets over logits [N, C]: one fused kernel gives
     * g_i * (softmax - smoothed one-hot) per row. lossGrad maps the output's gradient to the per-row one.
     * PyTorch names the node NllLossBackward0 (AddBackward0 with label smoothing, where it adds two terms).
     */
    static Tensor crossEntropy(Tensor logits, Tensor target, long ignoreIndex, double smoothing,
                               UnaryOperator<Tensor> lossGrad, Tensor out) {
        if (!recording(logits)) return out;
        GradFn.Saved sl = save(logits), st = save(target);
        return record(out, smoothing > 0 ? "AddBackward0" : "NllLossBackward0", (g, fn) -> grads(
                Tensor.crossEntropyBackward(sl.get(), st.get(), lossGrad.apply(g), ignoreIndex, smoothing)),
                logits, sl, st);
    }

    // ------------------------------------------------------------------------------------------- helpers

    private static Tensor zero(Tensor like) { return like.zerosOfShape(new long[0]); }

    /** The non-null saved tensors, for the node to free after backward. */
    private static GradFn.Saved[] savedOf(GradFn.Saved... saved) {
        return Arrays.stream(saved).filter(Objects::nonNull).toArray(GradFn.Saved[]::new);
    }
}

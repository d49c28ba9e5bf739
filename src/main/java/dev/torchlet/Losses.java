package dev.torchlet;

import dev.torchlet.nn.Reduction;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * The loss functions and F.linear: PyTorch's forward arithmetic and checks, with the gradient of each
 * recorded as one fused node (see {@link Derivatives}). Public through {@link Torch} and nn.F.
 */
final class Losses {
    private Losses() {}

    static Tensor mse(Tensor input, Tensor target, Reduction reduction) {
        warnIfBroadcast(input, target);
        DType dtype = DType.promote(input.dtype(), target.dtype());
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("\"mse_cpu\" not implemented for '" + dtype.scalarTypeName() + "'");
        }
        Tensor out;
        long n;
        try (Scope scope = new Scope(); GradMode off = new GradMode(false)) {
            Tensor diff = input.sub(target);
            Tensor squared = diff.mul(diff);
            n = squared.numel();
            out = scope.keep(reduce(squared, reduction));
        }
        return Derivatives.mseLoss(input, target, reduction == Reduction.MEAN ? 2.0 / n : 2.0, out);
    }

    /** PyTorch's l1_loss is composite: |input - target| reduced, so its graph is that of those ops. */
    static Tensor l1(Tensor input, Tensor target, Reduction reduction) {
        warnIfBroadcast(input, target);
        try (Scope scope = new Scope()) {
            return scope.keep(reduce(input.sub(target).abs(), reduction));
        }
    }

    static Tensor bceWithLogits(Tensor input, Tensor target, Reduction reduction) {
        if (!Arrays.equals(input.data().shape, target.data().shape)) {
            throw new IllegalArgumentException("Target size (" + target.shape() + ") must be the same as input size ("
                    + input.shape() + ")");
        }
        Tensor out;
        try (Scope scope = new Scope(); GradMode off = new GradMode(false)) {
            // (1 - y) * x + m + log(exp(-m) + exp(-x - m)), m = max(-x, 0): PyTorch's overflow-free form
            Tensor m = input.neg().relu();
            Tensor loss = target.rsub(1).mul(input).add(m).add(m.neg().exp().add(input.neg().sub(m).exp()).log());
            out = scope.keep(reduce(loss, reduction));
        }
        return Derivatives.bceWithLogits(input, target, reduction == Reduction.MEAN ? 1.0 / input.numel() : 1.0, out);
    }

    /**
     * Cross entropy of logits ([C], [N, C] or [N, C, d1, ...]) against int64 class indices (shape of the
     * logits without the class dim) or class probabilities (the logits' shape).
     */
    static Tensor crossEntropy(Tensor input, Tensor target, long ignoreIndex, double smoothing, Reduction reduction) {
        if (smoothing < 0 || smoothing > 1) {
            throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0. Got: " + smoothing);
        }
        if (input.dim() == 0) throw new IllegalArgumentException("cross_entropy: input must have at least 1 dim");
        if (!input.dtype().isFloatingPoint()) { // the native kernel reads the logits as float or double
            throw new IllegalArgumentException("\"log_softmax_lastdim_kernel_impl\" not implemented for '"
                    + input.dtype().scalarTypeName() + "'");
        }
        int classDim = input.dim() == 1 ? 0 : 1;
        long classes = input.size(classDim);
        if (target.dtype().isFloatingPoint() && Arrays.equals(target.data().shape, input.data().shape)) {
            return probabilityCrossEntropy(input, target, classDim, classes, smoothing, reduction);
        }
        if (target.dtype() != DType.INT64) {
            throw new IllegalArgumentException("expected scalar type Long but found " + target.dtype().scalarTypeName());
        }
        long[] expected = input.dim() == 1 ? new long[0] : removeDim(input.data().shape, 1);
        if (!Arrays.equals(target.data().shape, expected)) {
            if (input.dim() >= 2 && target.dim() >= 1 && target.size(0) != input.size(0)) {
                throw new IllegalArgumentException("Expected input batch_size (" + input.size(0) + ") to match target "
                        + "batch_size (" + target.size(0) + ").");
            }
            throw new IllegalArgumentException("Expected target size " + Shapes.str(expected) + ", got "
                    + Shapes.str(target.data().shape));
        }
        try (Scope scope = new Scope()) {
            Tensor rows = classRows(input, classDim), flatTarget = target.reshape(-1);
            Tensor losses;
            double count; // rows not ignored: the mean's divisor (0 gives NaN, as in PyTorch)
            try (GradMode off = new GradMode(false)) {
                losses = Tensor.crossEntropyRows(rows, flatTarget, ignoreIndex, smoothing);
                count = flatTarget.ne(ignoreIndex).sum().item();
            }
            Tensor out;
            UnaryOperator<Tensor> lossGrad;
            long n = rows.size(0);
            try (GradMode off = new GradMode(false)) {
                switch (reduction) {
                    case NONE:
                        out = losses.view(target.data().shape);
                        lossGrad = g -> g.reshape(-1);
                        break;
                    case SUM:
                        out = losses.sum();
                        lossGrad = g -> g.expand(n);
                        break;
                    default:
                        out = losses.sum().div(count);
                        lossGrad = g -> g.div(count).expand(n);
                }
            }
            return scope.keep(Derivatives.crossEntropy(rows, flatTarget, ignoreIndex, smoothing, lossGrad, out));
        }
    }

    /** -sum_c t'_c log softmax(x)_c with t' = t (1 - s) + s / C; the mean divides by the batch size. */
    private static Tensor probabilityCrossEntropy(Tensor input, Tensor target, int classDim, long classes,
                                                  double smoothing, Reduction reduction) {
        try (Scope scope = new Scope()) {
            Tensor t = smoothing > 0 ? target.mul(1 - smoothing).add(smoothing / classes) : target;
            Tensor losses = input.logSoftmax(classDim).mul(t).sum(classDim, false).neg();
            Tensor out;
            switch (reduction) {
                case NONE: out = losses; break;
                case SUM: out = losses.sum(); break;
                default: out = input.dim() == 1 ? losses : losses.sum().div(input.size(0));
            }
            return scope.keep(out);
        }
    }

    /** The logits as [rows, C] with the class dim last (views that record their own gradients). */
    private static Tensor classRows(Tensor input, int classDim) {
        if (input.dim() == 1) return input.unsqueeze(0);
        if (input.dim() == 2) return input;
        int[] order = new int[input.dim()];
        for (int i = 0, j = 0; i < order.length; i++) if (i != classDim) order[j++] = i;
        order[order.length - 1] = classDim;
        return input.permute(order).reshape(-1, input.size(classDim));
    }

    /** F.linear: x @ w^T + bias; a 2-D input is one node (AddmmBackward0), others compose matmul and add. */
    static Tensor linear(Tensor x, Tensor w, Tensor bias) {
        if (x.dim() != 2 || w.dim() != 2) {
            try (Scope scope = new Scope()) {
                Tensor y = x.matmul(w.t());
                return scope.keep(bias == null ? y : y.add(bias));
            }
        }
        Tensor out;
        try (GradMode off = new GradMode(false)) {
            out = x.matmul(w.t());
            if (bias != null) out.add_(bias);
        }
        return Derivatives.linear(x, w, bias, out);
    }

    private static Tensor reduce(Tensor losses, Reduction reduction) {
        switch (reduction) {
            case NONE: return losses;
            case SUM: return losses.sum();
            default: return losses.mean();
        }
    }

    /** PyTorch warns (and broadcasts anyway) when an elementwise loss gets a target of another size. */
    private static void warnIfBroadcast(Tensor input, Tensor target) {
        if (!Arrays.equals(input.data().shape, target.data().shape)) {
            String message = "UserWarning: Using a target size (" + target.shape() + ") that is different to the input "
                    + "size (" + input.shape() + "). This will likely lead to incorrect results due to broadcasting. "
                    + "Please ensure they have the same size.";
            Warnings.once(message, message);
        }
    }

    private static long[] removeDim(long[] shape, int k) {
        long[] out = new long[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != k) out[j++] = shape[i];
        return out;
    }
}

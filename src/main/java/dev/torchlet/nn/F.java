package dev.torchlet.nn;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;

/** PyTorch's torch.nn.functional: the functional forms of the layers and losses. */
public final class F {
    private F() {}

    /** x @ w^T + bias (bias may be null). */
    public static Tensor linear(Tensor x, Tensor w, Tensor bias) { return Torch.linear(x, w, bias); }

    public static Tensor relu(Tensor x) { return x.relu(); }

    public static Tensor sigmoid(Tensor x) { return x.sigmoid(); }

    public static Tensor tanh(Tensor x) { return x.tanh(); }

    public static Tensor softmax(Tensor x, int dim) { return x.softmax(dim); }

    public static Tensor logSoftmax(Tensor x, int dim) { return x.logSoftmax(dim); }

    /**
     * In training, zeroes elements with probability p and scales the others by 1/(1-p), as PyTorch's CPU
     * dropout does (input * (bernoulli(1-p) mask / (1-p))); otherwise returns x.
     */
    public static Tensor dropout(Tensor x, double p, boolean training) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        if (!training || p == 0) return x;
        if (p == 1) return x.mul(0.0);
        try (var scope = Torch.scope()) {
            Tensor noise = Torch.emptyLike(x).bernoulli_(1 - p);
            noise.div_(1 - p);
            return scope.keep(x.mul(noise));
        }
    }

    /** Mean squared error, mean over all elements. */
    public static Tensor mseLoss(Tensor input, Tensor target) { return mseLoss(input, target, Reduction.MEAN); }

    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        return Torch.mseLoss(input, target, reduction);
    }

    public static Tensor l1Loss(Tensor input, Tensor target) { return l1Loss(input, target, Reduction.MEAN); }

    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        return Torch.l1Loss(input, target, reduction);
    }

    /** Cross entropy of logits against int64 class indices (or class probabilities), mean over the batch. */
    public static Tensor crossEntropy(Tensor logits, Tensor target) {
        return crossEntropy(logits, target, CrossEntropyLoss.DEFAULT_IGNORE_INDEX, 0.0, Reduction.MEAN);
    }

    public static Tensor crossEntropy(Tensor logits, Tensor target, long ignoreIndex, double labelSmoothing,
                                      Reduction reduction) {
        return Torch.crossEntropy(logits, target, ignoreIndex, labelSmoothing, reduction);
    }

    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return binaryCrossEntropyWithLogits(input, target, Reduction.MEAN);
    }

    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Reduction reduction) {
        return Torch.binaryCrossEntropyWithLogits(input, target, reduction);
    }
}

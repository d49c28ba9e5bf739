package dev.torchlet.nn;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;

/** PyTorch's torch.nn.functional: the functional forms of the layers and losses. */
public final class F {
    private F() {}

    /**
     * x @ w^T + bias (bias may be null).
     * @param w the weight, of shape (out, in)
     * @param bias the bias, of shape (out), or null
     * @param x the input
     * @return a new tensor
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor bias) { return Torch.linear(x, w, bias); }

    /**
     * PyTorch's {@code F.relu(x)}.
     * @param x the input
     * @return a new tensor
     */
    public static Tensor relu(Tensor x) { return x.relu(); }

    /**
     * PyTorch's {@code F.sigmoid(x)} / {@code torch.sigmoid}.
     * @param x the input
     * @return a new tensor
     */
    public static Tensor sigmoid(Tensor x) { return x.sigmoid(); }

    /**
     * PyTorch's {@code F.tanh(x)} / {@code torch.tanh}.
     * @param x the input
     * @return a new tensor
     */
    public static Tensor tanh(Tensor x) { return x.tanh(); }

    /**
     * PyTorch's {@code F.softmax(x, dim)}.
     * @param x the input
     * @param dim the dimension
     * @return a new tensor
     */
    public static Tensor softmax(Tensor x, int dim) { return x.softmax(dim); }

    /**
     * PyTorch's {@code F.log_softmax(x, dim)}.
     * @param x the input
     * @param dim the dimension
     * @return a new tensor
     */
    public static Tensor logSoftmax(Tensor x, int dim) { return x.logSoftmax(dim); }

    /**
     * In training, zeroes elements with probability p and scales the others by 1/(1-p), as PyTorch's CPU
     * dropout does (input * (bernoulli(1-p) mask / (1-p))); otherwise returns x.
     * @param p the probability of zeroing an element
     * @param training whether to drop (false returns x itself)
     * @param x the input
     * @return the result
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

    /**
     * Mean squared error, mean over all elements.
     * @param input the prediction
     * @param target the target, of input's shape
     * @return the loss
     */
    public static Tensor mseLoss(Tensor input, Tensor target) { return mseLoss(input, target, Reduction.MEAN); }

    /**
     * Mean squared error, PyTorch's {@code F.mse_loss(input, target, reduction=...)}.
     * @param input the prediction
     * @param target the target, of input's shape
     * @param reduction how the elementwise losses are combined
     * @return the loss
     */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        return Torch.mseLoss(input, target, reduction);
    }

    /**
     * Mean absolute error, mean over all elements, PyTorch's {@code F.l1_loss(input, target)}.
     * @param input the prediction
     * @param target the target, of input's shape
     * @return the loss
     */
    public static Tensor l1Loss(Tensor input, Tensor target) { return l1Loss(input, target, Reduction.MEAN); }

    /**
     * Mean absolute error, PyTorch's {@code F.l1_loss(input, target, reduction=...)}.
     * @param input the prediction
     * @param target the target, of input's shape
     * @param reduction how the elementwise losses are combined
     * @return the loss
     */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        return Torch.l1Loss(input, target, reduction);
    }

    /**
     * Cross entropy of logits against int64 class indices (or class probabilities), mean over the batch.
     * @param logits the logits, of shape (N, C) or (C)
     * @param target class indices (int64) or class probabilities
     * @return the loss
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target) {
        return crossEntropy(logits, target, CrossEntropyLoss.DEFAULT_IGNORE_INDEX, 0.0, Reduction.MEAN);
    }

    /**
     * PyTorch's {@code F.cross_entropy(logits, target, ignore_index=..., label_smoothing=..., reduction=...)}.
     * @param reduction how the elementwise losses are combined
     * @param logits the logits, of shape (N, C) or (C)
     * @param target class indices (int64) or class probabilities
     * @param ignoreIndex a class index whose targets count for nothing
     * @param labelSmoothing the label smoothing in [0, 1]
     * @return the loss
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target, long ignoreIndex, double labelSmoothing,
                                      Reduction reduction) {
        return Torch.crossEntropy(logits, target, ignoreIndex, labelSmoothing, reduction);
    }

    /**
     * Binary cross-entropy on logits, mean over all elements, PyTorch's {@code F.binary_cross_entropy_with_logits}.
     * @param input the logits
     * @param target the targets in [0, 1]
     * @return the loss
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return binaryCrossEntropyWithLogits(input, target, Reduction.MEAN);
    }

    /**
     * Binary cross-entropy on logits with the given reduction.
     * @param reduction how the elementwise losses are combined
     * @param input the logits
     * @param target the targets in [0, 1]
     * @return the loss
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Reduction reduction) {
        return Torch.binaryCrossEntropyWithLogits(input, target, reduction);
    }
}

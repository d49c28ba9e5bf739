package dev.torchlet.distributed;

/** How a collective combines the ranks' tensors, PyTorch's {@code torch.distributed.ReduceOp}. */
public enum ReduceOp {
    /** The sum. */
    SUM,
    /** The mean over the ranks (floating point tensors only). */
    AVG,
    /** The product. */
    PRODUCT,
    /** The minimum. */
    MIN,
    /** The maximum. */
    MAX
}

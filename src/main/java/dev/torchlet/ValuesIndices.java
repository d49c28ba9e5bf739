package dev.torchlet;

/**
 * The (values, indices) pair that sort, max(dim) and min(dim) return, like torch.return_types.sort.
 * Closing it closes both tensors.
 */
public final class ValuesIndices implements AutoCloseable {
    private final String opName;
    private final Tensor values;
    private final Tensor indices;

    ValuesIndices(String opName, Tensor values, Tensor indices) {
        this.opName = opName;
        this.values = values;
        this.indices = indices;
    }

    /**
     * The values, PyTorch's {@code result.values}.
     * @return the values tensor
     */
    public Tensor values() { return values; }

    /**
     * The indices (int64) of the values in the input, PyTorch's {@code result.indices}.
     * @return the indices tensor
     */
    public Tensor indices() { return indices; }

    @Override public void close() {
        values.close();
        indices.close();
    }

    @Override public String toString() {
        return "torch.return_types." + opName + "(\nvalues=" + values + ",\nindices=" + indices + ")";
    }
}

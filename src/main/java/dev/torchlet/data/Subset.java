package dev.torchlet.data;

import java.util.Arrays;

/**
 * The samples of another dataset at the given indices, in that order: PyTorch's
 * {@code torch.utils.data.Subset}, as {@link Dataset#randomSplit} returns them.
 *
 * @param <T> the type of a sample
 */
public final class Subset<T> implements Dataset<T> {
    private final Dataset<T> dataset;
    private final int[] indices;

    /**
     * The samples of dataset at indices (copied; each in [0, dataset.size()), checked when read).
     * @param dataset the whole dataset
     * @param indices the indices of the subset's samples
     */
    public Subset(Dataset<T> dataset, int[] indices) {
        this.dataset = dataset;
        this.indices = indices.clone();
    }

    /**
     * The whole dataset this is a subset of.
     * @return the whole dataset
     */
    public Dataset<T> dataset() { return dataset; }

    /**
     * The indices into {@link #dataset()}, in order (a copy).
     * @return the indices
     */
    public int[] indices() { return indices.clone(); }

    /** The sample {@code dataset().get(indices()[index])}. */
    @Override public T get(int index) { return dataset.get(indices[index]); }

    /** The number of indices. */
    @Override public int size() { return indices.length; }

    /** The indices, as PyTorch's {@code subset.indices} prints them. */
    @Override public String toString() { return "Subset(" + Arrays.toString(indices) + ")"; }
}

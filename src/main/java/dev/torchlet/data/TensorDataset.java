package dev.torchlet.data;

import dev.torchlet.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Tensors that share their first dimension, read row by row: PyTorch's {@code TensorDataset}. Sample i is
 * the list of {@code t.select(0, i)} for each tensor t (views, no copy), the Java form of PyTorch's tuple
 * {@code (t[i] for t in tensors)}; a {@link DataLoader} stacks them into a list of batch tensors.
 *
 * <pre>{@code
 * var dataset = new TensorDataset(x, y);          // x [N, 64], y [N]
 * List<Tensor> sample = dataset.get(0);           // [x[0], y[0]]
 * }</pre>
 */
public final class TensorDataset implements Dataset<List<Tensor>> {
    private final List<Tensor> tensors;

    /**
     * A dataset of the rows of tensors.
     *
     * @param tensors the tensors, all with the same first dimension
     * @throws IllegalArgumentException if there are none, if one is 0-dimensional, or if their first
     *     dimensions differ (PyTorch's "Size mismatch between tensors")
     */
    public TensorDataset(Tensor... tensors) {
        if (tensors.length == 0) throw new IllegalArgumentException("TensorDataset needs at least one tensor");
        for (Tensor t : tensors) {
            if (t.dim() == 0) throw new IllegalArgumentException("TensorDataset needs tensors of at least one dimension");
            if (t.size(0) != tensors[0].size(0)) throw new IllegalArgumentException("Size mismatch between tensors");
        }
        if (tensors[0].size(0) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("TensorDataset of " + tensors[0].size(0) + " rows is too large");
        }
        this.tensors = Collections.unmodifiableList(new ArrayList<>(List.of(tensors)));
    }

    /**
     * The tensors, in the order given.
     * @return the tensors
     */
    public List<Tensor> tensors() { return tensors; }

    /** Row index of every tensor, as views of the tensors' storage. */
    @Override public List<Tensor> get(int index) {
        Tensor[] row = new Tensor[tensors.size()];
        for (int k = 0; k < row.length; k++) row[k] = tensors.get(k).select(0, index);
        return List.of(row);
    }

    /** The size of the tensors' first dimension. */
    @Override public int size() { return (int) tensors.get(0).size(0); }
}

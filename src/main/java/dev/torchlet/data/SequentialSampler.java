package dev.torchlet.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** The indices 0, 1, ..., n - 1 in order, PyTorch's {@code SequentialSampler}: a loader without shuffle. */
public final class SequentialSampler implements Sampler {
    private final Dataset<?> dataset;

    /**
     * Samples the indices of dataset (its size is read at the start of each epoch, as PyTorch reads len()).
     * @param dataset the dataset whose indices are sampled
     */
    public SequentialSampler(Dataset<?> dataset) { this.dataset = dataset; }

    /** 0 .. size - 1. */
    @Override public Iterator<Integer> iterator() {
        int n = dataset.size();
        return new Iterator<>() {
            private int next;

            @Override public boolean hasNext() { return next < n; }

            @Override public Integer next() {
                if (next >= n) throw new NoSuchElementException();
                return next++;
            }
        };
    }

    /** The dataset's size. */
    @Override public int size() { return dataset.size(); }
}

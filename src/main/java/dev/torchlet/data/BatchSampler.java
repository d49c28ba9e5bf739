package dev.torchlet.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The indices of a {@link Sampler} in batches of batchSize, PyTorch's {@code BatchSampler}: the last batch
 * is shorter, or dropped with dropLast. Like PyTorch's it pulls indices from the sampler only as batches are
 * asked for (so a sampler's draws happen when its indices are first needed).
 *
 * <pre>{@code
 * new BatchSampler(new SequentialSampler(dataset10), 3, false)   // [0, 1, 2] [3, 4, 5] [6, 7, 8] [9]
 * new BatchSampler(new SequentialSampler(dataset10), 3, true)    // [0, 1, 2] [3, 4, 5] [6, 7, 8]
 * }</pre>
 */
public final class BatchSampler implements Iterable<int[]> {
    private final Sampler sampler;
    private final int batchSize;
    private final boolean dropLast;

    /**
     * Batches of sampler's indices.
     *
     * @param sampler the sampler whose indices are batched
     * @param batchSize the number of indices in a full batch
     * @param dropLast whether to drop a last, incomplete batch
     * @throws IllegalArgumentException if batchSize is not positive
     */
    public BatchSampler(Sampler sampler, int batchSize, boolean dropLast) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch_size should be a positive integer value, but got batch_size=" + batchSize);
        }
        this.sampler = sampler;
        this.batchSize = batchSize;
        this.dropLast = dropLast;
    }

    /**
     * The sampler whose indices are batched.
     * @return the sampler
     */
    public Sampler sampler() { return sampler; }

    /**
     * The number of indices in a full batch.
     * @return the batch size
     */
    public int batchSize() { return batchSize; }

    /**
     * Whether a last, incomplete batch is dropped.
     * @return whether the last incomplete batch is dropped
     */
    public boolean dropLast() { return dropLast; }

    /**
     * The number of batches per epoch: the sampler's size over batchSize, rounded down with dropLast, else up.
     * @return the number of batches
     */
    public int size() {
        long n = sampler.size();
        return (int) (dropLast ? n / batchSize : (n + batchSize - 1) / batchSize);
    }

    /** One epoch of batches; each {@code int[]} is new. */
    @Override public Iterator<int[]> iterator() {
        return new Iterator<>() {
            private Iterator<Integer> indices; // made on the first request, as PyTorch's generator starts
            private int[] ready;
            private boolean done;

            @Override public boolean hasNext() {
                if (ready == null && !done) ready = pull();
                return ready != null;
            }

            @Override public int[] next() {
                if (!hasNext()) throw new NoSuchElementException();
                int[] b = ready;
                ready = null;
                return b;
            }

            private int[] pull() {
                if (indices == null) indices = sampler.iterator();
                int[] batch = new int[batchSize];
                int k = 0;
                while (k < batchSize && indices.hasNext()) batch[k++] = indices.next();
                if (k == batchSize) return batch;
                done = true;
                return k == 0 || dropLast ? null : Arrays.copyOf(batch, k);
            }
        };
    }
}

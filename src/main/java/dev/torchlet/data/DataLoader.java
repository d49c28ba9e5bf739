package dev.torchlet.data;

import dev.torchlet.Generator;
import dev.torchlet.Tensor;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Batches of a {@link Dataset}, PyTorch's {@code torch.utils.data.DataLoader}: each {@link #iterator()} is
 * one epoch, reading the dataset in the order of a {@link Sampler} (in order, or shuffled), batchSize
 * samples at a time, each batch made by a collate function ({@link Collate#defaultCollate}: stacked).
 *
 * <pre>{@code
 * DataLoader<List<Tensor>> loader = DataLoader.builder(new TensorDataset(x, y))
 *         .batchSize(32).shuffle(true).generator(new Generator().manualSeed(0)).prefetch(2).build();
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     for (List<Tensor> batch : loader) { Tensor xb = batch.get(0), yb = batch.get(1); ... }
 * }
 * }</pre>
 *
 * <p><b>Order.</b> A seed gives the batches PyTorch gives. With shuffle the loader samples with a
 * {@link RandomSampler} (see there what it draws). Like PyTorch's, each epoch first draws a 64-bit "base
 * seed" ({@code torch.empty((), dtype=torch.int64).random_(generator=loader.generator)}) from the generator
 * given, or the default generator, even without shuffle: PyTorch seeds its worker processes with it; here
 * it is drawn and dropped, so that the generator's stream advances as in PyTorch.
 *
 * <p><b>Prefetch.</b> With {@code prefetch(0)} (the default, PyTorch's {@code num_workers=0}) each batch is
 * loaded on the caller's thread when {@code next()} asks for it, and every draw happens when PyTorch makes
 * it. With {@code prefetch(n)}, n &gt; 0, one background thread per epoch loads up to n batches ahead of
 * the one being returned. The batches and their order are the same; the sampler still runs on the caller's
 * thread, but up to n batches early (as PyTorch's worker processes run it), so a sampler's draws (only the
 * permutation a shuffle draws at the end of an epoch, for the default sampler) may come before draws the
 * caller makes meanwhile from the same generator. The background thread loads each batch in the grad mode
 * the caller had when the batch was requested; an exception thrown while loading (by the dataset or the
 * collate function) is rethrown, the same object, by the {@code next()} that would have returned the batch,
 * and the epoch goes on after it. The thread ends when the epoch is exhausted, when its iterator is closed,
 * or, for an iterator abandoned without close, once it has been garbage collected. With the default collate,
 * the tensors of a batch handed over join the caller's innermost {@link dev.torchlet.Scope} as if made
 * there, and batches loaded ahead but never handed out are closed.
 *
 * @param <B> the type of a batch
 */
public final class DataLoader<B> implements Iterable<B> {
    /**
     * One epoch of a {@link DataLoader}: an iterator that can be closed early, which ends its prefetch
     * thread (if any) and frees the batches loaded ahead. Exhausting it closes it.
     *
     * <pre>{@code
     * try (var batches = loader.iterator()) {
     *     while (batches.hasNext()) { if (step(batches.next())) break; }
     * }
     * }</pre>
     *
     * @param <B> the type of a batch
     */
    public interface BatchIterator<B> extends Iterator<B>, AutoCloseable {
        /** Ends the epoch: no more batches; the prefetch thread ends. Idempotent. */
        @Override void close();
    }

    private final Dataset<?> dataset;
    private final BatchSampler batchSampler;
    private final Function<int[], B> fetch;
    private final boolean ownsBatches;
    private final Generator generator;
    private final int prefetch;

    /**
     * A loader of batches of batchSize in order, with the default collate: {@code DataLoader(dataset, batch_size)}.
     * @param dataset the dataset to load
     * @param batchSize the number of samples per batch
     */
    public DataLoader(Dataset<B> dataset, int batchSize) { this(builder(dataset).batchSize(batchSize)); }

    /**
     * A loader of batches of batchSize, shuffled each epoch (seeded from the default generator) when
     * shuffle is true, with the default collate: {@code DataLoader(dataset, batch_size, shuffle)}.
     * @param dataset the dataset to load
     * @param batchSize the number of samples per batch
     * @param shuffle whether to shuffle each epoch
     */
    public DataLoader(Dataset<B> dataset, int batchSize, boolean shuffle) {
        this(builder(dataset).batchSize(batchSize).shuffle(shuffle));
    }

    private DataLoader(Builder<?, B> b) {
        if (b.sampler != null && b.shuffle) throw new IllegalArgumentException("sampler option is mutually exclusive with shuffle");
        if (b.prefetch < 0) throw new IllegalArgumentException("prefetch should be a non-negative integer, but got prefetch=" + b.prefetch);
        Sampler sampler = b.sampler != null ? b.sampler
                : b.shuffle ? new RandomSampler(b.dataset, b.generator) : new SequentialSampler(b.dataset);
        this.dataset = b.dataset;
        this.batchSampler = new BatchSampler(sampler, b.batchSize, b.dropLast);
        this.fetch = b.fetchFunction();
        this.ownsBatches = b.defaultCollate;
        this.generator = b.generator;
        this.prefetch = b.prefetch;
    }

    /**
     * A builder for a loader of dataset with PyTorch's defaults: batch size 1, no shuffle, no generator,
     * the last batch kept, the default collate ({@link Collate#defaultCollate}, which keeps the samples'
     * structure, so batches have the samples' type), no prefetch.
     * @param <T> the sample type
     * @param dataset the dataset to load
     * @return a builder
     */
    public static <T> Builder<T, T> builder(Dataset<T> dataset) { return new Builder<>(dataset); }

    /** One epoch. Each call starts a new one (and draws the epoch's base seed). */
    @Override public BatchIterator<B> iterator() {
        RandomSampler.drawSeed(generator != null ? generator : Generator.defaultGenerator());
        return new LoaderIterator<>(batchSampler.iterator(), fetch, ownsBatches, prefetch);
    }

    /**
     * The number of batches per epoch, PyTorch's {@code len(loader)}.
     * @return the number of batches
     */
    public int size() { return batchSampler.size(); }

    /**
     * The dataset loaded.
     * @return the dataset
     */
    public Dataset<?> dataset() { return dataset; }

    /**
     * The number of samples in a full batch.
     * @return the batch size
     */
    public int batchSize() { return batchSampler.batchSize(); }

    /**
     * Whether a last, incomplete batch is dropped.
     * @return whether the last incomplete batch is dropped
     */
    public boolean dropLast() { return batchSampler.dropLast(); }

    /**
     * The sampler giving the order of the indices.
     * @return the sampler
     */
    public Sampler sampler() { return batchSampler.sampler(); }

    /**
     * The generator given, or null.
     * @return the generator, or null
     */
    public Generator generator() { return generator; }

    /**
     * How many batches are loaded ahead on a background thread (0: none, no thread).
     * @return the number of batches loaded ahead
     */
    public int prefetch() { return prefetch; }

    /**
     * The settings of a {@link DataLoader}, named as PyTorch's arguments.
     *
     * @param <T> the type of a sample
     * @param <B> the type of a batch
     */
    public static final class Builder<T, B> {
        private final Dataset<T> dataset;
        private Function<? super List<T>, ? extends B> collate;
        private boolean defaultCollate;
        private int batchSize = 1;
        private boolean shuffle;
        private Sampler sampler;
        private Generator generator;
        private boolean dropLast;
        private int prefetch;

        @SuppressWarnings("unchecked")
        private Builder(Dataset<T> dataset) {
            this.dataset = dataset;
            this.collate = samples -> (B) defaultCollateKeepingType(samples);
            this.defaultCollate = true;
        }

        private Builder(Builder<T, ?> from, Function<? super List<T>, ? extends B> collate) {
            this.dataset = from.dataset;
            this.collate = collate;
            this.defaultCollate = false;
            this.batchSize = from.batchSize;
            this.shuffle = from.shuffle;
            this.sampler = from.sampler;
            this.generator = from.generator;
            this.dropLast = from.dropLast;
            this.prefetch = from.prefetch;
        }

        /**
         * Samples per batch (default 1).
         * @param batchSize the number of samples per batch
         * @return this builder
         */
        public Builder<T, B> batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Whether to shuffle each epoch with a {@link RandomSampler} (default false).
         * @param shuffle whether to shuffle
         * @return this builder
         */
        public Builder<T, B> shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /**
         * A sampler giving the order of the indices (exclusive with shuffle).
         * @param sampler the sampler
         * @return this builder
         */
        public Builder<T, B> sampler(Sampler sampler) {
            this.sampler = sampler;
            return this;
        }

        /**
         * The generator to shuffle with and to draw each epoch's base seed from (default: none, so the
         * shuffle seeds itself from the default generator each epoch).
         * @param generator the generator, or null
         * @return this builder
         */
        public Builder<T, B> generator(Generator generator) {
            this.generator = generator;
            return this;
        }

        /**
         * Whether to drop the last batch when it is incomplete (default false).
         * @param dropLast whether to drop it
         * @return this builder
         */
        public Builder<T, B> dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /**
         * How many batches to load ahead on a background thread (default 0: each batch is loaded on the
         * caller's thread when asked for); see the class notes of {@link DataLoader}.
         * @param batches the number of batches loaded ahead, 0 for none
         * @return this builder
         */
        public Builder<T, B> prefetch(int batches) {
            this.prefetch = batches;
            return this;
        }

        /**
         * A collate function, which makes a batch of a list of samples (PyTorch's {@code collate_fn}); the
         * loader's batches then have its result type. A custom collate's batches are not closed or moved
         * between scopes by the loader: what it returns may be the dataset's own tensors.
         * @param <R> the batch type
         * @param collate the collate function
         * @return this builder, typed for the new batches
         */
        public <R> Builder<T, R> collate(Function<? super List<T>, ? extends R> collate) {
            return new Builder<>(this, collate);
        }

        /**
         * The loader.
         *
         * @return a new loader
         * @throws IllegalArgumentException for a batch size that is not positive, a negative prefetch, or a
         *     sampler with shuffle
         */
        public DataLoader<B> build() { return new DataLoader<>(this); }

        private Function<int[], B> fetchFunction() {
            Dataset<T> ds = dataset;
            Function<? super List<T>, ? extends B> fn = collate;
            return indices -> {
                List<T> samples = new java.util.ArrayList<>(indices.length);
                for (int i : indices) samples.add(ds.get(i));
                return fn.apply(samples);
            };
        }

        /** The default collate for a loader whose batches have the samples' type. */
        private static Object defaultCollateKeepingType(List<?> samples) {
            Object first = samples.isEmpty() ? null : samples.get(0);
            if (first == null || first instanceof Tensor || first instanceof List || first instanceof Map
                    || first.getClass() == Tensor[].class || first.getClass() == Object[].class) {
                return Collate.defaultCollate(samples);
            }
            throw new IllegalArgumentException("default_collate makes a batch of " + first.getClass().getSimpleName()
                    + " samples into another type: build the loader with .collate(Collate::defaultCollate) "
                    + "(or another collate function)");
        }
    }
}

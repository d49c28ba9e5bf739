package dev.torchlet.data;

import dev.torchlet.DType;
import dev.torchlet.Generator;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Indices in random order, PyTorch's {@code RandomSampler}, drawing exactly what it draws, so that a seed
 * gives the same order here as there:
 * <ul>
 * <li>With no generator, each epoch first draws a seed from the default generator, as
 *     {@code int(torch.empty((), dtype=torch.int64).random_().item())}, and shuffles with a new
 *     {@link Generator} seeded with it; with a generator, it shuffles with that one.</li>
 * <li>Without replacement the indices are {@code randperm(n, generator)}, once per n of
 *     {@code numSamples}, and then one more permutation cut to {@code numSamples % n} indices, drawn even
 *     when that is 0 (PyTorch does, when the epoch runs to its end): an epoch of the whole dataset draws two
 *     permutations from the generator.</li>
 * <li>With replacement they are {@code randint(0, n, (32,), generator)} in runs of 32 and one run of
 *     {@code numSamples % 32}.</li>
 * </ul>
 * Draws happen lazily, when the epoch's iterator is first asked for an index and when it is asked past the
 * end of a permutation or run, as PyTorch's generator function draws them.
 */
public final class RandomSampler implements Sampler {
    private static final int REPLACEMENT_RUN = 32;

    private final Dataset<?> dataset;
    private final boolean replacement;
    private final Integer numSamples;
    private final Generator generator;

    /**
     * A shuffle of the whole dataset each epoch, seeded from the default generator.
     * @param dataset the dataset whose indices are sampled
     */
    public RandomSampler(Dataset<?> dataset) { this(dataset, false, null, null); }

    /**
     * A shuffle of the whole dataset each epoch with generator (null: seeded from the default generator).
     * @param dataset the dataset whose indices are sampled
     * @param generator the generator, or null to seed each epoch from the default generator
     */
    public RandomSampler(Dataset<?> dataset, Generator generator) { this(dataset, false, null, generator); }

    /**
     * PyTorch's {@code RandomSampler(data_source, replacement, num_samples, generator)}.
     *
     * @param dataset the dataset whose indices are sampled
     * @param replacement whether to draw with replacement
     * @param numSamples indices per epoch; null for the dataset's size
     * @param generator the generator to shuffle with; null to seed a new one from the default generator each epoch
     * @throws IllegalArgumentException if the number of samples is not positive
     */
    public RandomSampler(Dataset<?> dataset, boolean replacement, Integer numSamples, Generator generator) {
        this.dataset = dataset;
        this.replacement = replacement;
        this.numSamples = numSamples;
        this.generator = generator;
        int k = size();
        if (k <= 0) {
            throw new IllegalArgumentException("num_samples should be a positive integer value, but got num_samples=" + k);
        }
    }

    /** The number of indices per epoch: numSamples, or the dataset's size when it was not given. */
    @Override public int size() { return numSamples != null ? numSamples : dataset.size(); }

    /**
     * Whether indices are drawn with replacement.
     * @return whether sampling is with replacement
     */
    public boolean replacement() { return replacement; }

    /**
     * The generator given, or null when each epoch seeds its own from the default generator.
     * @return the generator, or null
     */
    public Generator generator() { return generator; }

    /** One epoch; nothing is drawn until the first index is asked for. */
    @Override public Iterator<Integer> iterator() {
        return new Iterator<>() {
            private final int n = dataset.size();
            private final int total = size();
            private Generator g;
            private long[] run = new long[0];
            private int pos;
            private int runsDrawn;
            private final int fullRuns = replacement ? total / REPLACEMENT_RUN : total / n;

            @Override public boolean hasNext() {
                while (pos >= run.length) {
                    if (runsDrawn > fullRuns) return false;
                    draw();
                }
                return true;
            }

            @Override public Integer next() {
                if (!hasNext()) throw new NoSuchElementException();
                return (int) run[pos++];
            }

            private void draw() {
                if (g == null) g = generator != null ? generator : new Generator().manualSeed(seedFromDefault());
                boolean last = runsDrawn == fullRuns;
                if (replacement) {
                    int len = last ? total % REPLACEMENT_RUN : REPLACEMENT_RUN;
                    try (Tensor t = Torch.randint(0, n, new long[] {len}, g)) {
                        run = t.toLongArray();
                    }
                } else {
                    try (Tensor t = Torch.randperm(n, g)) {
                        run = t.toLongArray();
                    }
                    if (last) run = Arrays.copyOf(run, total % n);
                }
                pos = 0;
                runsDrawn++;
            }
        };
    }

    /** {@code int(torch.empty((), dtype=torch.int64).random_(generator=g).item())}: one 64-bit draw. */
    static long drawSeed(Generator g) {
        try (Tensor t = Torch.empty(new long[0], DType.INT64).random_(g)) {
            return t.toLongArray()[0];
        }
    }

    private static long seedFromDefault() { return drawSeed(Generator.defaultGenerator()); }
}

package dev.torchlet.data;

import dev.torchlet.Generator;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A map-style dataset, PyTorch's {@code torch.utils.data.Dataset}: {@link #size()} samples, read by index
 * with {@link #get(int)} ({@code __len__} and {@code __getitem__}). A {@link DataLoader} batches one.
 *
 * <p>A dataset read by a {@link DataLoader} with {@code prefetch > 0} is read on the loader's background
 * thread: {@code get} must then be safe to call from another thread than the one that made the dataset
 * (reading tensors that nobody writes meanwhile is).
 *
 * @param <T> the type of a sample, such as {@code Tensor} or {@code List<Tensor>}
 */
public interface Dataset<T> {
    /**
     * The sample at index, 0 &le; index &lt; {@link #size()}.
     * @param index the sample's index
     * @return the sample
     */
    T get(int index);

    /**
     * The number of samples.
     * @return the number of samples
     */
    int size();

    /**
     * Splits dataset at random into non-overlapping subsets of the given lengths, PyTorch's
     * {@code random_split(dataset, lengths, generator)}: the indices are {@code randperm(sum(lengths),
     * generator)}, cut in order into consecutive runs of the lengths. As in PyTorch, lengths that sum to 1
     * are read as fractions (see {@link #randomSplit(Dataset, double[], Generator)}).
     *
     * @param <T> the sample type
     * @param dataset the dataset to split
     * @param lengths the subsets' sizes, summing to the dataset's size
     * @param generator the generator for the permutation
     * @return the subsets
     * @throws IllegalArgumentException if the lengths do not sum to the dataset's size
     */
    static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int[] lengths, Generator generator) {
        double[] asDouble = new double[lengths.length];
        for (int i = 0; i < lengths.length; i++) asDouble[i] = lengths[i];
        return randomSplit(dataset, asDouble, generator);
    }

    /**
     * {@link #randomSplit(Dataset, int[], Generator)} drawing from the default generator, as PyTorch does by default.
     * @param <T> the sample type
     * @param dataset the dataset to split
     * @param lengths the subsets' sizes, summing to the dataset's size
     * @return the subsets
     */
    static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int... lengths) {
        return randomSplit(dataset, lengths, Generator.defaultGenerator());
    }

    /**
     * Splits dataset at random by fractions, PyTorch's {@code random_split(dataset, [0.8, 0.2], generator)}.
     * When the lengths sum to 1 (within {@code math.isclose}'s relative 1e-9, and not above 1), each split
     * gets {@code floor(size * fraction)} samples and what remains is handed out one by one, round robin from
     * the first split; otherwise the lengths must be whole numbers that sum to the dataset's size. A split of
     * length 0 prints PyTorch's warning to stderr.
     *
     * @param <T> the sample type
     * @param dataset the dataset to split
     * @param lengths the subsets' fractions (summing to 1) or sizes
     * @param generator the generator for the permutation
     * @return the subsets
     * @throws IllegalArgumentException for a fraction outside [0, 1], or lengths that do not sum to the size
     */
    static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, double[] lengths, Generator generator) {
        int n = dataset.size();
        double sum = 0;
        for (double l : lengths) sum += l;
        long[] counts = new long[lengths.length];
        if (isClose(sum, 1) && sum <= 1) {
            long assigned = 0;
            for (int i = 0; i < lengths.length; i++) {
                double frac = lengths[i];
                if (frac < 0 || frac > 1) throw new IllegalArgumentException("Fraction at index " + i + " is not between 0 and 1");
                counts[i] = (long) Math.floor(n * frac);
                assigned += counts[i];
            }
            long remainder = n - assigned;
            for (long i = 0; i < remainder; i++) counts[(int) (i % counts.length)]++;
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    System.err.println("UserWarning: Length of split at index " + i
                            + " is 0. This might result in an empty dataset.");
                }
            }
        } else {
            for (int i = 0; i < lengths.length; i++) {
                if (lengths[i] != Math.rint(lengths[i]) || lengths[i] < 0) {
                    throw new IllegalArgumentException("Sum of input lengths does not equal the length of the input dataset!");
                }
                counts[i] = (long) lengths[i];
            }
        }
        long total = 0;
        for (long c : counts) total += c;
        if (total != n) throw new IllegalArgumentException("Sum of input lengths does not equal the length of the input dataset!");
        long[] perm;
        try (Tensor p = Torch.randperm(total, generator)) {
            perm = p.toLongArray();
        }
        List<Subset<T>> out = new ArrayList<>(counts.length);
        int offset = 0;
        for (long c : counts) {
            int[] indices = new int[(int) c];
            for (int i = 0; i < c; i++) indices[i] = (int) perm[offset + i];
            offset += (int) c;
            out.add(new Subset<>(dataset, indices));
        }
        return Collections.unmodifiableList(out);
    }

    /** Python's {@code math.isclose(a, b)} with its default relative tolerance 1e-9. */
    private static boolean isClose(double a, double b) {
        return a == b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
    }
}

package dev.torchlet.data;

/**
 * The order in which a {@link DataLoader} reads a dataset's indices, PyTorch's
 * {@code torch.utils.data.Sampler}: each {@link #iterator()} is one epoch. {@link SequentialSampler} and
 * {@link RandomSampler} are the two a loader picks by itself; any other can be given with
 * {@link DataLoader.Builder#sampler(Sampler)}.
 */
public interface Sampler extends Iterable<Integer> {
    /**
     * The number of indices one epoch yields, PyTorch's {@code len(sampler)}.
     * @return the number of indices per epoch
     */
    int size();
}

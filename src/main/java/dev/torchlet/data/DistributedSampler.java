package dev.torchlet.data;

import dev.torchlet.Generator;
import dev.torchlet.Torch;
import dev.torchlet.distributed.Distributed;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Each rank's shard of a dataset, PyTorch's {@code torch.utils.data.distributed.DistributedSampler}, with the
 * same indices: the dataset is shuffled with a generator seeded {@code seed + epoch} (PyTorch's randperm
 * stream), padded by repeating its start to a multiple of the replicas (or, with dropLast, cut to one), and rank
 * r takes every replicas-th index from r. Call {@link #setEpoch} before each epoch for a new order.
 */
public final class DistributedSampler implements Sampler {
    private final Dataset<?> dataset;
    private final int replicas, rank;
    private final boolean shuffle, dropLast;
    private final long seed;
    private final int numSamples;
    private long epoch;

    /**
     * The shard of this process in the default process group, shuffled, seed 0.
     * @param dataset the dataset
     */
    public DistributedSampler(Dataset<?> dataset) {
        this(dataset, Distributed.worldSize(), Distributed.rank(), true, 0, false);
    }

    /**
     * A shard.
     * @param dataset the dataset
     * @param replicas the number of shards (the world size)
     * @param rank this shard, 0 to replicas - 1
     * @param shuffle whether to shuffle (with seed + epoch)
     * @param seed the shuffling seed, the same on every rank
     * @param dropLast true to drop the tail that does not divide evenly, false to pad by repeating indices
     */
    public DistributedSampler(Dataset<?> dataset, int replicas, int rank, boolean shuffle, long seed, boolean dropLast) {
        if (replicas < 1) throw new IllegalArgumentException("num_replicas must be positive, got " + replicas);
        if (rank < 0 || rank >= replicas) {
            throw new IllegalArgumentException("Invalid rank " + rank + ", rank should be in the interval [0, "
                    + (replicas - 1) + "]");
        }
        this.dataset = dataset;
        this.replicas = replicas;
        this.rank = rank;
        this.shuffle = shuffle;
        this.seed = seed;
        this.dropLast = dropLast;
        int n = dataset.size();
        this.numSamples = dropLast && n % replicas != 0 ? (n - replicas + replicas - 1) / replicas
                : (n + replicas - 1) / replicas;
    }

    /**
     * Sets the epoch, which seeds the next shuffle (PyTorch's {@code set_epoch}).
     * @param epoch the epoch
     */
    public void setEpoch(long epoch) { this.epoch = epoch; }

    @Override public int size() { return numSamples; }

    @Override public Iterator<Integer> iterator() {
        int n = dataset.size();
        List<Integer> indices = new ArrayList<>(n);
        if (shuffle) {
            for (long i : Torch.randperm(n, new Generator().manualSeed(seed + epoch)).toLongArray()) indices.add((int) i);
        } else {
            for (int i = 0; i < n; i++) indices.add(i);
        }
        int total = numSamples * replicas;
        if (dropLast) {
            indices = indices.subList(0, total);
        } else {
            for (int i = 0; indices.size() < total; i++) indices.add(indices.get(i % n));
        }
        List<Integer> shard = new ArrayList<>(numSamples);
        for (int i = rank; i < total; i += replicas) shard.add(indices.get(i));
        return shard.iterator();
    }
}

package dev.torchlet.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.torchlet.Generator;
import dev.torchlet.Torch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DistributedSampler's shards, by PyTorch's definition (pad by repeating the start, or drop the tail; stride). */
public class DistributedSamplerTest {
    static List<Integer> shard(DistributedSampler s) {
        List<Integer> out = new ArrayList<>();
        s.forEach(out::add);
        assertEquals(s.size(), out.size());
        return out;
    }

    static Dataset<Integer> range(int n) {
        return new Dataset<>() {
            @Override public Integer get(int index) { return index; }
            @Override public int size() { return n; }
        };
    }

    @Test
    void padsByRepeatingTheStartAndStrides() {
        // 10 indices over 3 replicas: 0..9, 0, 1 (padded to 12), rank r takes r, r + 3, ...
        assertEquals(List.of(0, 3, 6, 9), shard(new DistributedSampler(range(10), 3, 0, false, 0, false)));
        assertEquals(List.of(1, 4, 7, 0), shard(new DistributedSampler(range(10), 3, 1, false, 0, false)));
        assertEquals(List.of(2, 5, 8, 1), shard(new DistributedSampler(range(10), 3, 2, false, 0, false)));
        // 2 indices over 5 replicas: repeated more than once (0, 1, 0, 1, 0)
        assertEquals(List.of(0), shard(new DistributedSampler(range(2), 5, 4, false, 0, false)));
        assertEquals(List.of(1), shard(new DistributedSampler(range(2), 5, 3, false, 0, false)));
    }

    @Test
    void dropLastCutsTheTail() {
        // ceil((10 - 3) / 3) = 3 per rank: 0..8
        assertEquals(List.of(0, 3, 6), shard(new DistributedSampler(range(10), 3, 0, false, 0, true)));
        assertEquals(List.of(2, 5, 8), shard(new DistributedSampler(range(10), 3, 2, false, 0, true)));
        assertEquals(0, new DistributedSampler(range(3), 4, 0, false, 0, true).size());
    }

    /** Shuffled: the shards stride through randperm(n) of a generator seeded seed + epoch, and cover it. */
    @Test
    void shuffleIsRandpermOfSeedPlusEpoch() {
        DistributedSampler r0 = new DistributedSampler(range(9), 3, 0, true, 7, false);
        DistributedSampler r1 = new DistributedSampler(range(9), 3, 1, true, 7, false);
        r0.setEpoch(2);
        r1.setEpoch(2);
        long[] perm = Torch.randperm(9, new Generator().manualSeed(9)).toLongArray();
        assertEquals(List.of((int) perm[0], (int) perm[3], (int) perm[6]), shard(r0));
        assertEquals(List.of((int) perm[1], (int) perm[4], (int) perm[7]), shard(r1));
        r0.setEpoch(3);
        long[] next = Torch.randperm(9, new Generator().manualSeed(10)).toLongArray();
        assertEquals(List.of((int) next[0], (int) next[3], (int) next[6]), shard(r0));
    }

    @Test
    void badRanksAreRefused() {
        assertEquals("Invalid rank 3, rank should be in the interval [0, 2]",
                assertThrows(IllegalArgumentException.class, () -> new DistributedSampler(range(4), 3, 3, false, 0, false))
                        .getMessage());
    }
}

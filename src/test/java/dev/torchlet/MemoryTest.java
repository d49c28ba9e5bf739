package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchlet.backend.cpu.CpuBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Native memory ownership: close, scopes, views sharing storage, and bounded memory without either. */
public class MemoryTest {
    @AfterEach
    void restoreThreshold() { Torch.setGcThreshold(1L << 30); }

    /**
     * Native bytes in use once the garbage of earlier tests is collected, so that deltas are exact: collects
     * until two rounds agree (one round with a short wait is not enough on a loaded machine).
     */
    public static long inUse() {
        long previous = -1;
        for (int round = 0; round < 20; round++) {
            System.gc();
            CpuBackend.INSTANCE.allocator().freeUnreachable();
            long now = Torch.memoryStats().bytesInUse();
            if (now == previous) return now;
            previous = now;
        }
        return previous;
    }

    @Test
    void unreachableStorageIsFreedAfterItSurvivedCollections() {
        long before = inUse();
        Tensor t = Torch.zeros(1000);
        assertEquals(before + 4000, inUse()); // survived collections: its block is on the old list now
        t = null;
        // Freed by an allocation after a collection, once there were as many allocations since the old list's
        // last check as it holds blocks.
        long blocks = Torch.memoryStats().liveBlocks();
        for (long i = 0; i <= blocks; i++) Torch.empty(1).close();
        System.gc();
        Torch.empty(1).close();
        assertEquals(before, Torch.memoryStats().bytesInUse());
    }

    @Test
    void closeFreesAtOnce() {
        long before = inUse();
        Tensor t = Torch.zeros(1000);
        assertEquals(before + 4000, inUse());
        t.close();
        assertEquals(before, inUse());
        t.close(); // idempotent
        assertEquals(before, inUse());
    }

    @Test
    void useAfterCloseRaises() {
        Tensor t = Torch.ones(2, 3);
        t.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.add(1.0));
        assertEquals("Tensor of shape [2, 3] and dtype torch.float32 was used after close()", e.getMessage());
        assertThrows(IllegalStateException.class, t::item);
        assertThrows(IllegalStateException.class, () -> t.view(6));
    }

    @Test
    void viewKeepsStorageAliveAfterItsBaseIsClosed() {
        long before = inUse();
        Tensor base = Torch.arange(0.0, 6.0, 1.0);
        Tensor matrix = base.view(2, 3);
        Tensor view = matrix.t();
        base.close();
        matrix.close();
        assertEquals(before + 24, inUse());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, view.toFloatArray());
        view.close();
        assertEquals(before, inUse());
    }

    @Test
    void scopeFreesEverythingButWhatIsKept() {
        long before = inUse();
        Tensor kept;
        Tensor dropped;
        try (Scope scope = Torch.scope()) {
            Tensor a = Torch.ones(100);
            dropped = a.mul(3.0).add(a);
            kept = scope.keep(dropped.sum());
        }
        assertTrue(dropped.isClosed());
        assertFalse(kept.isClosed());
        assertEquals(400.0, kept.item());
        assertEquals(before + 4, inUse());
        kept.close();
        assertEquals(before, inUse());
    }

    @Test
    void keptTensorJoinsTheEnclosingScope() {
        long before = inUse();
        Tensor inner;
        try (Scope outer = Torch.scope()) {
            try (Scope scope = Torch.scope()) {
                inner = scope.keep(Torch.ones(10));
            }
            assertFalse(inner.isClosed());
        }
        assertTrue(inner.isClosed());
        assertEquals(before, inUse());
    }

    @Test
    void opsFreeTheirTemporaries() {
        Tensor a = Torch.ones(new long[] {3, 4}, DType.INT64), b = Torch.ones(4);
        long before = inUse();
        Tensor sum = a.add(b); // converts a to float32 and broadcasts b on the way
        Tensor eye = Torch.eye(4);
        Tensor c = sum.matmul(eye);
        assertEquals(before + 48 + 64 + 48, inUse()); // only sum, eye and c [3, 4] float32 remain
        c.close();
        sum.close();
        eye.close();
        assertEquals(before, inUse());
    }

    /** A million small ops, none closed: the allocator keeps native memory under the GC threshold. */
    @Test
    void millionSmallOpsWithoutCloseStayBounded() {
        Torch.setGcThreshold(16L << 20);
        Tensor a = Torch.ones(100), b = Torch.ones(100);
        long peak = 0;
        for (int i = 0; i < 1_000_000; i++) {
            a.add(b);
            if (i % 1000 == 0) peak = Math.max(peak, Torch.memoryStats().bytesInUse());
        }
        assertTrue(peak < 32L << 20, "native bytes in use reached " + peak);
    }

    /** A thousand 16 MB ops, none closed: bounded by the threshold, not by the 16 GB they allocate in all. */
    @Test
    void thousandLargeOpsWithoutCloseStayBounded() {
        Torch.setGcThreshold(256L << 20);
        Tensor a = Torch.ones(4L << 20);
        long peak = 0;
        for (int i = 0; i < 1000; i++) {
            a.mul(2.0);
            peak = Math.max(peak, Torch.memoryStats().bytesInUse());
        }
        assertTrue(peak < 512L << 20, "native bytes in use reached " + peak);
    }

    /** The cache of freed blocks holds at most the GC threshold's worth, and a lower threshold trims it. */
    @Test
    void cacheIsBoundedByTheGcThreshold() {
        inUse(); // collect earlier tests' garbage first, so that nothing else enters the cache meanwhile
        Torch.emptyCache();
        Torch.setGcThreshold(8L << 20);
        Tensor[] blocks = new Tensor[4];
        for (int i = 0; i < blocks.length; i++) blocks[i] = Torch.zeros(1 << 20); // 4 MiB each
        for (Tensor t : blocks) t.close();
        assertEquals(8L << 20, Torch.memoryStats().bytesCached(), "two of four 4 MiB blocks fit an 8 MiB limit");
        Torch.setGcThreshold(4L << 20);
        assertEquals(0, Torch.memoryStats().bytesCached(), "a threshold below what is cached empties the cache");
        Torch.setGcThreshold(32L << 20);
        for (int i = 0; i < blocks.length; i++) blocks[i] = Torch.zeros(1 << 20);
        for (Tensor t : blocks) t.close();
        assertEquals(16L << 20, Torch.memoryStats().bytesCached(), "all four fit a 32 MiB limit");
        Torch.emptyCache();
    }

    /** Large freed blocks are cached and reused, counted as cached rather than in use, and emptyCache frees them. */
    @Test
    void largeBlocksAreCachedForReuse() {
        inUse(); // collect earlier tests' garbage first, so that nothing else enters the cache meanwhile
        Torch.emptyCache();
        assertEquals(0, Torch.memoryStats().bytesCached());
        Tensor big = Torch.zeros(1 << 20); // 4 MiB
        long inUse = Torch.memoryStats().bytesInUse();
        big.close();
        assertEquals(inUse - (4 << 20), Torch.memoryStats().bytesInUse());
        assertEquals(4 << 20, Torch.memoryStats().bytesCached());
        Tensor again = Torch.ones(1 << 20); // the same size class: served from the cache
        assertEquals(0, Torch.memoryStats().bytesCached());
        assertEquals(1f, again.toFloatArray()[(1 << 20) - 1]);
        again.close();
        Torch.emptyCache();
        assertEquals(0, Torch.memoryStats().bytesCached());
    }
}

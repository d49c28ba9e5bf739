package dev.torchlet.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Java-side cache of small blocks: memory.cpp's size classes, reuse within a class only, its cap. */
public class SmallBlocksTest {
    @Test
    void sizeClassesAreTheNativeOnes() {
        // memory.cpp: 64 bytes at least, then four classes per power of two (test_creation.cpp: 1000 -> 1024)
        long[][] cases = {{0, 64}, {1, 64}, {64, 64}, {65, 80}, {80, 80}, {81, 96}, {100, 112}, {128, 128},
            {129, 160}, {400, 448}, {1000, 1024}, {1025, 1280}, {65536, 65536}};
        for (long[] c : cases) assertEquals(c[1], SmallBlocks.sizeClass(c[0]), "size class of " + c[0]);
        assertEquals(4 * 6, SmallBlocks.classIndex(64));
        assertEquals(4 * 8 + 3, SmallBlocks.classIndex(448));
    }

    @Test
    void aBlockIsReusedForItsOwnClassOnly() {
        SmallBlocks cache = new SmallBlocks(1 << 20);
        assertTrue(cache.keep(0x1000, 400)); // class 448
        assertEquals(448, cache.cachedBytes);
        assertEquals(0, cache.take(449)); // class 512
        assertEquals(0, cache.take(384)); // class 384
        assertEquals(0x1000, cache.take(420)); // class 448 again: the block has room for it
        assertEquals(0, cache.take(420));
        assertEquals(0, cache.cachedBytes);
    }

    @Test
    void keepsNothingLargeNorPastItsCapacity() {
        SmallBlocks cache = new SmallBlocks(1024);
        assertFalse(cache.keep(0x1000, SmallBlocks.MAX_BLOCK + 1));
        assertTrue(cache.keep(0x2000, 1000)); // 1024 bytes: full
        assertFalse(cache.keep(0x3000, 1));
        assertFalse(new SmallBlocks(0).keep(0x4000, 1));
        for (int i = 0; i < 100; i++) assertEquals(0, cache.take(64));
    }

    @Test
    void drainListsEveryBlockWithItsClassSize() {
        SmallBlocks cache = new SmallBlocks(1 << 20);
        for (int i = 0; i < 40; i++) cache.keep(0x10000 + 0x100L * i, 100); // more than one array growth
        cache.keep(0x90000, 1000);
        long[] drained = cache.drain();
        assertEquals(2 * 41, drained.length);
        assertArrayEquals(new long[] {0x10000, 112}, new long[] {drained[0], drained[1]});
        assertArrayEquals(new long[] {0x90000, 1024}, new long[] {drained[80], drained[81]});
        assertEquals(0, cache.cachedBytes);
        assertEquals(0, cache.take(100));
    }
}

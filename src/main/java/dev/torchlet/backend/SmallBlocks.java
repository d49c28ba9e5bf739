package dev.torchlet.backend;

import java.util.Arrays;

/**
 * Freed small blocks kept on the Java side for reuse, by the native allocator's size classes (memory.cpp:
 * four per power of two, 64 bytes at least). A small op's result then costs no native call to allocate or
 * free: measured on W1 (add of two [100] floats), the tl_alloc/tl_free pair with its mutex was about 65 ns of
 * an op. A block is reused only for a request of its own size class, so it always has room for it. Not
 * thread-safe: {@link NativeAllocator} calls it under its lock.
 */
final class SmallBlocks {
    /** The largest block kept, in bytes. */
    static final long MAX_BLOCK = 64 << 10;
    private static final int CLASSES = classIndex(MAX_BLOCK) + 1;

    private final long capacityBytes;
    private final long[][] free = new long[CLASSES][]; // addresses per class, a stack each
    private final int[] count = new int[CLASSES];
    long cachedBytes;

    /** @param capacityBytes the most bytes kept; 0 keeps none */
    SmallBlocks(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /** A kept block for a request of nbytes, or 0 when there is none. */
    long take(long nbytes) {
        if (nbytes > MAX_BLOCK) return 0;
        long size = sizeClass(nbytes);
        int c = classIndex(size);
        if (count[c] == 0) return 0;
        cachedBytes -= size;
        return free[c][--count[c]];
    }

    /** Keeps a freed block of a request of nbytes when it is small and there is room; returns whether it did. */
    boolean keep(long address, long nbytes) {
        if (nbytes > MAX_BLOCK) return false;
        long size = sizeClass(nbytes);
        if (cachedBytes + size > capacityBytes) return false;
        int c = classIndex(size);
        if (free[c] == null) free[c] = new long[16];
        else if (count[c] == free[c].length) free[c] = Arrays.copyOf(free[c], 2 * count[c]);
        free[c][count[c]++] = address;
        cachedBytes += size;
        return true;
    }

    /** Empties the cache: returns {address, size, address, size, ...} of every block it kept. */
    long[] drain() {
        long[] out = new long[2 * Math.toIntExact(Arrays.stream(count).asLongStream().sum())];
        int i = 0;
        for (int c = 0; c < CLASSES; c++) {
            for (int j = 0; j < count[c]; j++) {
                out[i++] = free[c][j];
                out[i++] = classSize(c);
            }
            count[c] = 0;
        }
        cachedBytes = 0;
        return out;
    }

    /** memory.cpp's size_class: the block size for a request, at most 25% of it unused. */
    static long sizeClass(long nbytes) {
        if (nbytes <= 64) return 64;
        long quantum = 1L << (63 - Long.numberOfLeadingZeros(nbytes) - 2);
        return (nbytes + quantum - 1) & -quantum;
    }

    /** memory.cpp's class_index: 4 * floor(log2(size)) + the quarter. */
    static int classIndex(long size) {
        int log2 = 63 - Long.numberOfLeadingZeros(size);
        return 4 * log2 + (int) ((size >>> (log2 - 2)) & 3);
    }

    private static long classSize(int c) {
        int log2 = c / 4;
        return (1L << log2) + (long) (c % 4) * (1L << (log2 - 2));
    }
}

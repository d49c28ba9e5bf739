package dev.torchlet.backend;

/**
 * Native memory accounting of one backend.
 *
 * @param bytesInUse     bytes currently allocated to live storages
 * @param peakBytesInUse the highest bytesInUse seen
 * @param liveBlocks     storages currently allocated
 * @param allocations    storages allocated since start
 * @param gcRequests     times the allocator asked the JVM to collect unreachable tensors
 */
public record MemoryStats(long bytesInUse, long peakBytesInUse, long liveBlocks, long allocations, long gcRequests) {
    public static final MemoryStats NONE = new MemoryStats(0, 0, 0, 0, 0);
}

package dev.torchlet.backend;

/**
 * Native memory accounting of one backend.
 *
 * @param bytesInUse     bytes currently allocated to live storages
 * @param peakBytesInUse the highest bytesInUse seen
 * @param bytesCached    bytes of freed blocks kept for reuse (not in use; see Torch.emptyCache)
 * @param liveBlocks     storages currently allocated
 * @param allocations    storages allocated since start
 * @param gcRequests     times the allocator asked the JVM to collect unreachable tensors
 */
public record MemoryStats(long bytesInUse, long peakBytesInUse, long bytesCached, long liveBlocks, long allocations,
                          long gcRequests) {
}

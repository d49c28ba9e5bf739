package dev.torchlet.backend;

/**
 * Storage in native memory (host or device), allocated and freed by a {@link NativeAllocator}, or memory the
 * allocator adopted from elsewhere (a memory-mapped file region), given back by its own release action.
 */
public final class NativeStorage extends Storage {
    /** The first byte. Valid until the storage is freed. */
    public final long address;
    NativeAllocator.Block block;

    NativeStorage(Backend backend, long nbytes, long address) {
        super(backend, nbytes);
        this.address = address;
    }

    /**
     * True for adopted memory (a memory-mapped file region), false for memory the allocator allocated.
     * @return whether the memory is adopted
     */
    public boolean isAdopted() { return block.isAdopted(); }

    @Override protected void free() { block.free(); }
}

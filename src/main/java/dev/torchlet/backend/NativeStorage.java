package dev.torchlet.backend;

/**
 * Storage in native memory (host or device), allocated and freed by a {@link NativeAllocator}, or memory the
 * allocator adopted from elsewhere (a memory-mapped file region), given back by its own release action.
 */
public final class NativeStorage extends Storage {
    NativeAllocator.Block block; // set by the allocator before the storage is handed out

    NativeStorage(Backend backend, long nbytes) {
        super(backend, nbytes);
    }

    /**
     * The first byte. Valid until the storage is freed.
     * @return the address
     */
    public long address() { return block.address(); }

    /**
     * True for adopted memory (a memory-mapped file region), false for memory the allocator allocated.
     * @return whether the memory is adopted
     */
    public boolean isAdopted() { return block instanceof NativeAllocator.AdoptedBlock; }

    @Override protected void free() { block.free(); }
}

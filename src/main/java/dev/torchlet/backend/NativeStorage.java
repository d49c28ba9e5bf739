package dev.torchlet.backend;

/** Storage in native memory (host or device), allocated and freed by a {@link NativeAllocator}. */
public final class NativeStorage extends Storage {
    /** The first byte. Valid until the storage is freed. */
    public final long address;
    NativeAllocator.Block block;

    NativeStorage(Backend backend, long nbytes, long address) {
        super(backend, nbytes);
        this.address = address;
    }

    @Override protected void free() { block.free(); }
}

package dev.torchlet.backend;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A block of memory owned by a backend, shared by every tensor that views it. Each tensor holds one
 * reference; the memory is freed when the last tensor is closed, or, as a safety net, when no tensor
 * refers to the storage any more and the garbage collector notices.
 */
public abstract class Storage {
    // refs is changed by atomic adds, not under a lock: a monitor costs two compare-and-swaps per op on the
    // per-op path (every result is retained once and released once).
    private static final VarHandle REFS;

    static {
        try {
            REFS = MethodHandles.lookup().findVarHandle(Storage.class, "refs", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Backend backend;
    private final long nbytes;
    private volatile int refs;
    private volatile boolean freed; // read before every native call
    private int version; // PyTorch's version counter: in-place writes bump it, autograd checks it

    /**
     * Storage of nbytes owned by backend, with one reference.
     * @param backend the owning backend
     * @param nbytes the size in bytes
     */
    protected Storage(Backend backend, long nbytes) {
        this.backend = backend;
        this.nbytes = nbytes;
    }

    /**
     * The backend that allocated this storage.
     * @return the backend
     */
    public final Backend backend() { return backend; }

    /**
     * The size in bytes.
     * @return the size
     */
    public final long nbytes() { return nbytes; }

    /** A tensor starts using this storage. */
    public final void retain() {
        if (freed) throw new IllegalStateException("storage already freed");
        REFS.getAndAdd(this, 1);
    }

    /**
     * Whether more than one tensor uses this storage (a view, an alias).
     * @return whether it is shared
     */
    public final boolean isShared() { return refs > 1; }

    /** A tensor stops using this storage; the last one frees it at once. */
    public final void release() {
        // Only the release that takes the count from 1 to 0 frees (Tensor.close lets each tensor release once).
        if ((int) REFS.getAndAdd(this, -1) != 1) return;
        freed = true;
        free();
    }

    /**
     * True once the last reference was released and the memory given back.
     * @return whether the storage is freed
     */
    public final boolean isFreed() { return freed; }

    /**
     * How many in-place writes this storage has seen (shared by every view, as PyTorch's _version is).
     * @return the version counter
     */
    public final int version() { return version; }

    /** Records an in-place write. */
    public final void bumpVersion() { version++; }

    /** Gives the memory back; called once. */
    protected abstract void free();
}

package dev.torchlet.backend;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;

/**
 * Owns every native block of one backend. A block is freed exactly once: when its last tensor is closed
 * (explicitly or by a scope), or when its storage became unreachable and the garbage collector enqueued it.
 *
 * <p>The JVM cannot see native memory, so a loop that never closes tensors would otherwise outrun the
 * collector. Each allocation first frees the blocks the collector already found unreachable (a cheap queue
 * poll, no cleaner thread); when the bytes in use would pass the GC threshold, it asks the JVM for a
 * collection and waits briefly for the unreachable blocks, the way direct ByteBuffers do. No JavaCPP
 * Pointer is created per block, so no per-allocation /proc read is paid.
 */
public final class NativeAllocator {
    /** The raw allocator of the device, with its cache of freed blocks. */
    public interface RawMemory {
        /**
         * Returns 0 when the memory is not available.
         * @param nbytes the size in bytes
         * @return the block's address, or 0
         */
        long allocate(long nbytes);

        /**
         * Gives back a block of nbytes (it may be cached for reuse).
         * @param address the block's address
         * @param nbytes its size in bytes
         */
        void free(long address, long nbytes);

        /** Gives every cached block back to the system. */
        void emptyCache();

        /**
         * Bytes held in the cache, not in use.
         * @return the cached bytes
         */
        long cachedBytes();
    }

    private static final long DEFAULT_GC_THRESHOLD = Long.getLong("torchlet.gcThresholdBytes", 1L << 30);

    private final String deviceName;
    private final RawMemory raw;
    private final ReferenceQueue<NativeStorage> unreachable = new ReferenceQueue<>();
    private final Block head = new Block(); // sentinel of the list that keeps live Blocks reachable

    private volatile long gcThreshold = DEFAULT_GC_THRESHOLD;
    private long gcTrigger = DEFAULT_GC_THRESHOLD; // raised while live data alone exceeds the threshold
    private long bytesInUse, peakBytesInUse, liveBlocks, allocations, gcRequests;

    /**
     * An allocator over raw memory.
     * @param deviceName the device name, for messages
     * @param raw the raw allocator
     */
    public NativeAllocator(String deviceName, RawMemory raw) {
        this.deviceName = deviceName;
        this.raw = raw;
    }

    /**
     * Bytes in use above which an allocation first asks the JVM to collect unreachable tensors.
     * @param bytes the threshold in bytes
     */
    public void setGcThreshold(long bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("GC threshold must be positive, got " + bytes);
        synchronized (this) {
            gcThreshold = bytes;
            gcTrigger = bytes;
        }
    }

    /**
     * The GC threshold, see {@link #setGcThreshold}.
     * @return the threshold in bytes
     */
    public long gcThreshold() { return gcThreshold; }

    /**
     * Allocates storage of nbytes for backend, asking the JVM to collect unreachable tensors past the threshold.
     * @param backend the backend that owns the storage
     * @param nbytes the size in bytes
     * @return new storage
     * @throws OutOfMemoryError when the memory is not available even after a collection
     */
    public NativeStorage allocate(Backend backend, long nbytes) {
        freeUnreachable();
        boolean overTrigger;
        synchronized (this) {
            overTrigger = bytesInUse + nbytes > gcTrigger;
        }
        if (overTrigger) collect(nbytes);
        long address = raw.allocate(nbytes);
        if (address == 0) {
            collect(Long.MAX_VALUE / 4);
            raw.emptyCache();
            address = raw.allocate(nbytes);
            if (address == 0) {
                throw new OutOfMemoryError("torchlet: " + deviceName + " out of memory: tried to allocate "
                        + nbytes + " bytes with " + bytesInUse() + " bytes in use");
            }
        }
        NativeStorage storage = new NativeStorage(backend, nbytes, address);
        link(storage, new Block(storage, this, address, nbytes, null));
        return storage;
    }

    /**
     * Storage over nbytes of memory that this allocator did not allocate (a memory-mapped file region): it
     * is counted in {@link #bytesInUse()} like any storage, and when the storage is freed (its last tensor
     * closed, or the storage found unreachable) release runs once instead of the raw free. release must not
     * refer to the returned storage, or the garbage collector could never find it unreachable.
     * @param backend the backend that owns the storage
     * @param address the region's address
     * @param nbytes the region's size in bytes
     * @param release what frees the region, run once
     * @return new storage over the region
     */
    public NativeStorage adopt(Backend backend, long address, long nbytes, Runnable release) {
        freeUnreachable();
        NativeStorage storage = new NativeStorage(backend, nbytes, address);
        link(storage, new Block(storage, this, address, nbytes, release));
        return storage;
    }

    private void link(NativeStorage storage, Block block) {
        storage.block = block;
        synchronized (this) {
            block.next = head.next;
            block.prev = head;
            if (head.next != null) head.next.prev = block;
            head.next = block;
            bytesInUse += block.nbytes;
            peakBytesInUse = Math.max(peakBytesInUse, bytesInUse);
            liveBlocks++;
            allocations++;
        }
    }

    /** Frees the blocks whose storage the garbage collector found unreachable (reporting them, see LeakDetector). */
    public void freeUnreachable() {
        Reference<? extends NativeStorage> ref;
        while ((ref = unreachable.poll()) != null) {
            Block block = (Block) ref;
            if (block.free() && block.allocation != null) LeakDetector.collected(block.allocation, block.nbytes);
        }
    }

    /**
     * The live storages grouped by allocation site (see {@link LeakDetector}), after freeing those the
     * garbage collector already found unreachable.
     * @return the report
     */
    public LeakReport leakReport() {
        freeUnreachable();
        LeakReport.Builder report = new LeakReport.Builder();
        synchronized (this) {
            for (Block b = head.next; b != null; b = b.next) {
                report.add(b.allocation == null ? null : b.allocation.site(), b.nbytes);
            }
        }
        return report.build();
    }

    /**
     * Bytes of native memory in use by live storage.
     * @return the bytes in use
     */
    public synchronized long bytesInUse() { return bytesInUse; }

    /**
     * A snapshot of the counters.
     * @return the memory stats
     */
    public MemoryStats stats() {
        long cached = raw.cachedBytes();
        synchronized (this) {
            return new MemoryStats(bytesInUse, peakBytesInUse, cached, liveBlocks, allocations, gcRequests);
        }
    }

    /** Starts the peak over: {@link MemoryStats#peakBytesInUse()} becomes the bytes in use now. */
    public synchronized void resetPeak() { peakBytesInUse = bytesInUse; }

    /** Gives the blocks cached for reuse back to the system. */
    public void emptyCache() { raw.emptyCache(); }

    /** Asks for a collection and waits (up to about half a second) until nbytes more fit under the threshold. */
    private void collect(long nbytes) {
        synchronized (this) {
            gcRequests++;
        }
        System.gc();
        for (int attempt = 0; attempt < 9; attempt++) {
            freeUnreachable();
            synchronized (this) {
                if (bytesInUse + nbytes <= gcThreshold) {
                    gcTrigger = gcThreshold;
                    return;
                }
            }
            try {
                Thread.sleep(1L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // Live tensors alone exceed the threshold: collect again only once usage doubles, not on every op.
        synchronized (this) {
            gcTrigger = Math.max(gcThreshold, 2 * bytesInUse);
        }
    }

    /** One native block; reachable from the allocator's list until freed. */
    static final class Block extends PhantomReference<NativeStorage> {
        private final NativeAllocator owner;
        private final long address;
        private final long nbytes;
        private final Runnable release; // null: raw memory of the allocator
        private Block prev, next; // prev is null once freed (a live block follows at least the sentinel)
        private LeakDetector.Allocation allocation; // null unless recorded while leak detection was on

        private Block() { // list sentinel
            super(null, null);
            owner = null;
            address = 0;
            nbytes = 0;
            release = null;
        }

        Block(NativeStorage storage, NativeAllocator owner, long address, long nbytes, Runnable release) {
            super(storage, owner.unreachable);
            this.owner = owner;
            this.address = address;
            this.nbytes = nbytes;
            this.release = release;
        }

        boolean isAdopted() { return release != null; }

        long nbytes() { return nbytes; }

        void record(LeakDetector.Allocation a) {
            synchronized (owner) {
                allocation = a;
            }
        }

        LeakDetector.Allocation allocation() {
            synchronized (owner) {
                return allocation;
            }
        }

        /** Frees the block unless it was already freed; returns whether it did. */
        boolean free() {
            synchronized (owner) {
                if (prev == null) return false;
                prev.next = next;
                if (next != null) next.prev = prev;
                prev = next = null;
                owner.bytesInUse -= nbytes;
                owner.liveBlocks--;
            }
            // No clear(): unlinked, this Block is reachable only through its storage, so it dies with it and is
            // never enqueued (and if it were, a null prev makes it a no-op); clear() is a native call per free.
            if (release != null) release.run();
            else owner.raw.free(address, nbytes);
            return true;
        }
    }
}

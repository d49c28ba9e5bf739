package dev.torchlet.backend;

import java.lang.ref.PhantomReference;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Owns every native block of one backend. A block is freed exactly once: when its last tensor is closed
 * (explicitly or by a scope), or when its storage became unreachable and the garbage collector cleared the
 * block's phantom reference.
 *
 * <p>Finding the cleared blocks: no ReferenceQueue (the JDK's Reference Handler thread takes a lock and
 * notifies per enqueued reference: an unclosed [100] add took about 1,150 ns with a queue, 600 to 1,000
 * without; and queued blocks lagged behind the collection that found them). Instead an allocation checks a
 * sentinel weak reference that every collection clears; once it is cleared, the blocks allocated since the
 * last look ("young") are checked with {@code refersTo(null)}, the cleared ones freed, the others moved to
 * the "old" list. The old list is checked too once there were as many allocations since its last check as
 * it has blocks, so the checking costs a constant per allocation on average.
 *
 * <p>The JVM cannot see native memory, so a loop that never closes tensors could outrun the collector: when
 * the bytes in use would pass the GC threshold, an allocation asks the JVM for a collection and then checks
 * every block, the way direct ByteBuffers do. No JavaCPP Pointer is created per block, so no per-allocation
 * /proc read is paid.
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
         * The most bytes the cache may hold (a smaller limit than it holds empties it). The allocator sets it
         * to its GC threshold: what a collection frees is what a loop that leaves its tensors to the collector
         * asks for again before the next one, and reusing it spares faulting in fresh pages.
         * @param bytes the limit in bytes
         */
        void setCacheLimit(long bytes);

        /**
         * Bytes held in the cache, not in use.
         * @return the cached bytes
         */
        long cachedBytes();
    }

    private static final long DEFAULT_GC_THRESHOLD = Long.getLong("torchlet.gcThresholdBytes", 1L << 30);

    private final String deviceName;
    private final RawMemory raw;
    private final SmallBlocks small;
    // Live blocks, in two lists with sentinel heads: allocated since the last check, and older.
    private final Block young = new Block(), old = new Block();
    private long youngCount, oldCount, allocationsAtOldCheck;
    private volatile WeakReference<Object> epoch = newEpoch(); // cleared by every collection

    private volatile long gcThreshold = DEFAULT_GC_THRESHOLD;
    private long gcTrigger = DEFAULT_GC_THRESHOLD; // raised while live data alone exceeds the threshold
    private long bytesInUse, peakBytesInUse, liveBlocks, allocations, gcRequests;

    /**
     * An allocator over raw memory.
     * @param deviceName the device name, for messages
     * @param raw the raw allocator
     * @param smallBlockCacheBytes how many bytes of freed small blocks (up to {@link SmallBlocks#MAX_BLOCK}) to
     *     keep for reuse on the Java side, sparing the per-op path two native calls; 0 keeps none
     */
    public NativeAllocator(String deviceName, RawMemory raw, long smallBlockCacheBytes) {
        this.deviceName = deviceName;
        this.raw = raw;
        this.small = new SmallBlocks(smallBlockCacheBytes);
        raw.setCacheLimit(DEFAULT_GC_THRESHOLD);
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
        raw.setCacheLimit(bytes);
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
        if (epoch.refersTo(null)) freeUnreachable(false);
        if (bytesInUse + nbytes > gcTrigger) collect(nbytes); // unlocked reads: a heuristic, rechecked in collect
        synchronized (this) {
            long address = small.take(nbytes);
            if (address != 0) return link(new NativeStorage(backend, nbytes), address, null);
        }
        long address = raw.allocate(nbytes);
        if (address == 0) {
            collect(Long.MAX_VALUE / 4);
            emptyCache();
            address = raw.allocate(nbytes);
            if (address == 0) {
                throw new OutOfMemoryError("torchlet: " + deviceName + " out of memory: tried to allocate "
                        + nbytes + " bytes with " + bytesInUse() + " bytes in use");
            }
        }
        synchronized (this) {
            return link(new NativeStorage(backend, nbytes), address, null);
        }
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
        if (epoch.refersTo(null)) freeUnreachable(false);
        synchronized (this) {
            return link(new NativeStorage(backend, nbytes), address, release);
        }
    }

    /** Gives storage its block, at the head of the young list; the caller holds this allocator's lock. */
    private NativeStorage link(NativeStorage storage, long address, Runnable release) {
        Block block = release == null ? new Block(storage, this, address)
                : new AdoptedBlock(storage, this, address, release);
        storage.block = block;
        block.insertAfter(young);
        youngCount++;
        bytesInUse += storage.nbytes();
        peakBytesInUse = Math.max(peakBytesInUse, bytesInUse);
        liveBlocks++;
        allocations++;
        return storage;
    }

    /**
     * Frees every block whose storage the garbage collector found unreachable (reporting them, see
     * LeakDetector).
     */
    public void freeUnreachable() { freeUnreachable(true); }

    /**
     * Frees the blocks the collector cleared: the young ones, and the old ones too when all is set or their
     * turn has come (see the class comment).
     */
    private void freeUnreachable(boolean all) {
        List<Block> released = null, reported = null; // rare: adopted blocks, blocks leak detection recorded
        synchronized (this) {
            epoch = newEpoch(); // before checking: a collection from now on is seen by the next allocation
            boolean withOld = all || allocations - allocationsAtOldCheck >= oldCount;
            List<Block> lists = withOld ? List.of(young, old) : List.of(young);
            for (Block list : lists) {
                for (Block b = list.next; b != null; ) {
                    Block next = b.next;
                    if (b.refersTo(null)) {
                        // raw blocks go back at once (a cache push or one native call), under the lock
                        if (forget(b)) {
                            if (b instanceof AdoptedBlock) released = append(released, b);
                            else b.giveBack();
                        }
                        if (b.allocation != null) reported = append(reported, b);
                    } else if (list == young) {
                        b.unlink();
                        b.insertAfter(old);
                        b.old = true;
                        youngCount--;
                        oldCount++;
                    }
                    b = next;
                }
            }
            if (withOld) allocationsAtOldCheck = allocations;
        }
        if (released != null) for (Block b : released) b.giveBack();
        if (reported != null) for (Block b : reported) LeakDetector.collected(b.allocation, b.nbytes());
    }

    /**
     * Takes a freed block off its list and out of the counts, keeping its memory in the small-block cache
     * when it can. Returns whether its memory must still be given back. The caller holds the lock.
     */
    private boolean forget(Block b) {
        b.unlink();
        if (b.old) oldCount--;
        else youngCount--;
        bytesInUse -= b.nbytes;
        liveBlocks--;
        return b instanceof AdoptedBlock || !small.keep(b.address, b.nbytes);
    }

    private static List<Block> append(List<Block> list, Block b) {
        List<Block> out = list == null ? new ArrayList<>() : list;
        out.add(b);
        return out;
    }

    private static WeakReference<Object> newEpoch() { return new WeakReference<>(new Object()); }

    /**
     * The live storages grouped by allocation site (see {@link LeakDetector}), after freeing those the
     * garbage collector already found unreachable.
     * @return the report
     */
    public LeakReport leakReport() {
        freeUnreachable(true);
        LeakReport.Builder report = new LeakReport.Builder();
        synchronized (this) {
            for (Block list : new Block[] {young, old}) {
                for (Block b = list.next; b != null; b = b.next) {
                    report.add(b.allocation == null ? null : b.allocation.site(), b.nbytes);
                }
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
            return new MemoryStats(bytesInUse, peakBytesInUse, cached + small.cachedBytes, liveBlocks, allocations,
                    gcRequests);
        }
    }

    /** Starts the peak over: {@link MemoryStats#peakBytesInUse()} becomes the bytes in use now. */
    public synchronized void resetPeak() { peakBytesInUse = bytesInUse; }

    /** Gives the blocks cached for reuse back to the system. */
    public void emptyCache() {
        long[] blocks;
        synchronized (this) {
            blocks = small.drain();
        }
        for (int i = 0; i < blocks.length; i += 2) raw.free(blocks[i], blocks[i + 1]);
        raw.emptyCache();
    }

    /**
     * Asks for a collection and frees what it found unreachable. The next collection comes once the bytes in
     * use pass the threshold or twice what survived this one, whichever is more: when live tensors alone come
     * near the threshold, collecting on every few allocations would cost more than the memory saved.
     */
    private void collect(long nbytes) {
        synchronized (this) {
            gcRequests++;
        }
        System.gc();
        // A full collection has cleared the references when System.gc returns; a concurrent one
        // (-XX:+ExplicitGCInvokesConcurrent) may still be running: give it a few milliseconds.
        for (int attempt = 0; attempt < 5; attempt++) {
            freeUnreachable(true);
            synchronized (this) {
                if (bytesInUse + nbytes <= gcThreshold) break;
            }
            try {
                Thread.sleep(1L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        synchronized (this) {
            gcTrigger = Math.max(gcThreshold, 2 * bytesInUse);
        }
    }

    /**
     * One native block; reachable from the allocator's lists until freed. It refers to its storage only
     * phantom-like (cleared by the collector once the storage is unreachable); the storage's size is kept here
     * for after that.
     */
    static class Block extends PhantomReference<NativeStorage> {
        private final NativeAllocator owner;
        private final long address;
        private final long nbytes;
        private Block prev, next; // prev is null once freed (a live block follows at least its list's sentinel)
        private boolean old; // on the old list
        private LeakDetector.Allocation allocation; // null unless recorded while leak detection was on

        private Block() { // list sentinel
            super(null, null);
            owner = null;
            address = 0;
            nbytes = 0;
        }

        Block(NativeStorage storage, NativeAllocator owner, long address) {
            super(storage, null); // no queue: see the allocator's class comment
            this.owner = owner;
            this.address = address;
            this.nbytes = storage.nbytes();
        }

        long address() { return address; }

        long nbytes() { return nbytes; }

        private void insertAfter(Block sentinel) {
            next = sentinel.next;
            prev = sentinel;
            if (next != null) next.prev = this;
            sentinel.next = this;
        }

        private void unlink() {
            prev.next = next;
            if (next != null) next.prev = prev;
            prev = next = null;
        }

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

        /** Frees the block (its last tensor was closed) unless it was already freed; returns whether it did. */
        boolean free() {
            boolean giveBack;
            synchronized (owner) {
                if (prev == null) return false;
                giveBack = owner.forget(this);
            }
            // No clear(): unlinked, this Block is reachable only through its storage, so it dies with it.
            if (giveBack) giveBack();
            return true;
        }

        /** Gives the memory back to the raw allocator. */
        void giveBack() { owner.raw.free(address, nbytes); }
    }

    /** A block of memory the allocator adopted: given back by its own release action. */
    static final class AdoptedBlock extends Block {
        private final Runnable release;

        AdoptedBlock(NativeStorage storage, NativeAllocator owner, long address, Runnable release) {
            super(storage, owner, address);
            this.release = release;
        }

        @Override void giveBack() { release.run(); }
    }
}

package dev.torchlet.backend;

import dev.torchlet.DType;
import java.security.CodeSource;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Leak detection, in the manner of Netty's ResourceLeakDetector: off by default, on with
 * {@code -Dtorchlet.leakDetection=true} or {@link #setEnabled}. While it is on, each new native storage
 * records where it was allocated: the first stack frames outside torchlet, the thread, and the dtype and
 * shape of its first tensor. {@link NativeAllocator#leakReport()} lists the storages still live by site, and
 * a storage the garbage collector reclaims because no one closed its tensors is reported on stderr, once
 * per site. While it is off, the op path pays one read of a volatile field per new tensor and nothing else.
 */
public final class LeakDetector {
    private static final int MAX_FRAMES = 8;
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final String LIBRARY = location(LeakDetector.class);
    /** Whether a class is torchlet's own (loaded from torchlet's jar or classes directory), not the user's. */
    private static final ClassValue<Boolean> IN_LIBRARY = new ClassValue<>() {
        @Override protected Boolean computeValue(Class<?> c) {
            return c.getName().startsWith("dev.torchlet.") && Objects.equals(location(c), LIBRARY);
        }
    };
    private static final AtomicLong RECORDED = new AtomicLong(); // serial numbers of recorded allocations
    private static final Set<Site> REPORTED_COLLECTED = ConcurrentHashMap.newKeySet();

    private static volatile boolean enabled = Boolean.getBoolean("torchlet.leakDetection");

    private LeakDetector() {}

    /**
     * Where a storage was allocated. Storages with equal sites are counted together in a {@link LeakReport}.
     *
     * @param tensor the storage's first tensor, as "Tensor of shape [2, 3] and dtype torch.float32"
     * @param thread the name of the allocating thread
     * @param frames the first stack frames outside torchlet, innermost first (at most 8)
     */
    public record Site(String tensor, String thread, List<StackTraceElement> frames) {
        /** The tensor, the thread, and the frames one per line as in a Java stack trace. */
        @Override public String toString() {
            StringBuilder s = new StringBuilder(tensor).append(" allocated on thread \"").append(thread)
                    .append("\" at:");
            for (StackTraceElement f : frames) s.append("\n\tat ").append(f);
            if (frames.isEmpty()) s.append("\n\t(no stack frame outside torchlet)");
            return s.toString();
        }
    }

    /**
     * What a block records while detection is on: its site, its serial number among recorded blocks, and
     * whether its tensor has an owner inside torchlet (a gradient, optimizer state), which leaves it to the
     * collector by design.
     */
    record Allocation(Site site, long serial, boolean ownedByTorchlet) {}

    /**
     * Whether allocation sites are being recorded.
     * @return whether leak detection is on
     */
    public static boolean isEnabled() { return enabled; }

    /**
     * Turns leak detection on or off. Storages allocated while it is off have no site (a {@link LeakReport}
     * counts them apart); turning it off stops recording and reporting.
     * @param on true to record allocation sites
     */
    public static void setEnabled(boolean on) { enabled = on; }

    /**
     * Records the allocation site of storage if it is native and tensor is its first user (a new storage),
     * called by the tensor constructor while detection is on.
     * @param storage the storage the new tensor uses
     * @param dtype the tensor's dtype
     * @param shape the tensor's shape
     */
    public static void record(Storage storage, DType dtype, long[] shape) {
        if (!(storage instanceof NativeStorage) || storage.isShared()) return;
        String tensor = "Tensor of shape " + Arrays.toString(shape) + " and dtype " + dtype;
        List<StackTraceElement> frames = WALKER.walk(s -> s.dropWhile(f -> IN_LIBRARY.get(f.getDeclaringClass()))
                .limit(MAX_FRAMES).map(StackWalker.StackFrame::toStackTraceElement).toList());
        Site site = new Site(tensor, Thread.currentThread().getName(), frames);
        ((NativeStorage) storage).block.record(new Allocation(site, RECORDED.incrementAndGet(), false));
    }

    /**
     * Notes that the tensor over storage has an owner inside torchlet (a leaf's gradient, an optimizer's
     * state), which drops it to the garbage collector by design: its reclamation is not reported.
     * @param storage the tensor's storage
     */
    public static void ownedByTorchlet(Storage storage) {
        if (!(storage instanceof NativeStorage)) return;
        NativeAllocator.Block block = ((NativeStorage) storage).block;
        Allocation a = block.allocation();
        if (a != null) block.record(new Allocation(a.site(), a.serial(), true));
    }

    /**
     * How many allocations have been recorded so far: a storage recorded later has a higher serial number.
     * A {@code Torch.scope()} notes this when it opens.
     * @return the number of recorded allocations
     */
    public static long recordedSoFar() { return RECORDED.get(); }

    /**
     * The storages among these that are still live, and were recorded after recordedSoFar returned since:
     * what a scope opened then closed but could not free.
     * @param storages the storages of the tensors a scope closed
     * @param since {@link #recordedSoFar()} when the scope opened
     * @return the report, grouped by site
     */
    public static LeakReport stillLive(Collection<Storage> storages, long since) {
        LeakReport.Builder report = new LeakReport.Builder();
        Set<Storage> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Storage s : storages) {
            if (!(s instanceof NativeStorage) || !seen.add(s)) continue;
            NativeAllocator.Block block = ((NativeStorage) s).block;
            Allocation a = block.allocation();
            if (a != null && a.serial() > since && !s.isFreed()) report.add(a.site(), block.nbytes());
        }
        return report.build();
    }

    /** Reports, once per site while detection is on, a block the collector reclaimed without close(). */
    static void collected(Allocation a, long nbytes) {
        if (!enabled || a.ownedByTorchlet() || !REPORTED_COLLECTED.add(a.site())) return;
        System.err.println("LEAK: Tensor.close() was not called before the tensor was garbage-collected (" + nbytes
                + " bytes; reported once per allocation site: close the tensor, or create it in a Torch.scope()). "
                + a.site());
    }

    private static String location(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? null : source.getLocation().toString();
    }
}

package dev.torchlet.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Live native storages grouped by where they were allocated, from {@code Torch.leakReport()} (see
 * {@link LeakDetector}). {@link #toString()} is the printable report.
 */
public final class LeakReport {
    /**
     * The live storages allocated at one site.
     *
     * @param site where they were allocated
     * @param count how many are live
     * @param bytes their size in bytes, together
     */
    public record Entry(LeakDetector.Site site, long count, long bytes) {}

    private final List<Entry> entries;
    private final long untrackedCount, untrackedBytes;

    private LeakReport(List<Entry> entries, long untrackedCount, long untrackedBytes) {
        this.entries = entries;
        this.untrackedCount = untrackedCount;
        this.untrackedBytes = untrackedBytes;
    }

    /**
     * The sites of live storages allocated while leak detection was on, the most bytes first.
     * @return the entries, unmodifiable
     */
    public List<Entry> entries() { return entries; }

    /**
     * True when no storage allocated while leak detection was on is live.
     * @return whether there are no entries
     */
    public boolean isEmpty() { return entries.isEmpty(); }

    /**
     * Live storages allocated while leak detection was off: they have no site.
     * @return how many there are
     */
    public long untrackedCount() { return untrackedCount; }

    /**
     * The size of the storages counted by {@link #untrackedCount()}.
     * @return their bytes, together
     */
    public long untrackedBytes() { return untrackedBytes; }

    /** A summary line, then each site with its count and bytes. */
    @Override public String toString() {
        long count = 0, bytes = 0;
        for (Entry e : entries) {
            count += e.count();
            bytes += e.bytes();
        }
        StringBuilder s = new StringBuilder("torchlet leak report: ").append(count)
                .append(count == 1 ? " live storage (" : " live storages (").append(bytes).append(" bytes) from ")
                .append(entries.size()).append(entries.size() == 1 ? " allocation site" : " allocation sites");
        if (untrackedCount > 0) {
            s.append(", and ").append(untrackedCount).append(" (").append(untrackedBytes)
                    .append(" bytes) allocated while leak detection was off");
        }
        for (Entry e : entries) {
            s.append("\n").append(e.count()).append(" live (").append(e.bytes()).append(" bytes): ").append(e.site());
        }
        return s.toString();
    }

    /** Counts storages by site. */
    static final class Builder {
        private final Map<LeakDetector.Site, long[]> bySite = new LinkedHashMap<>(); // site -> {count, bytes}
        private long untrackedCount, untrackedBytes;

        /** Adds one storage of nbytes; a null site counts it as allocated while detection was off. */
        void add(LeakDetector.Site site, long nbytes) {
            if (site == null) {
                untrackedCount++;
                untrackedBytes += nbytes;
                return;
            }
            long[] c = bySite.computeIfAbsent(site, k -> new long[2]);
            c[0]++;
            c[1] += nbytes;
        }

        LeakReport build() {
            List<Entry> entries = new ArrayList<>();
            bySite.forEach((site, c) -> entries.add(new Entry(site, c[0], c[1])));
            entries.sort(Comparator.comparingLong(Entry::bytes).reversed());
            return new LeakReport(List.copyOf(entries), untrackedCount, untrackedBytes);
        }
    }
}

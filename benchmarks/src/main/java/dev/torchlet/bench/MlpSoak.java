package dev.torchlet.bench;

import dev.torchlet.Torch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Native memory across a long W6 run: {@link Mlp#step()} repeated, with torchlet's native bytes in use
 * ({@code Torch.memoryStats().bytesInUse()}) read after every step. "Flat" means bounded: the highest value of
 * the second half of the run is no more than that of the first half (plus 10% and 8 MiB of slack).
 */
final class MlpSoak {
    /** Native bytes in use before training, after the first step, the peak, at the end, and the halves' maxima. */
    record Result(int steps, double seconds, long before, long afterFirst, long peak, long end, long firstHalfMax,
                  long secondHalfMax, long allocatorPeak, long rssAfterFirst, long rssEnd) {
        boolean flat() { return secondHalfMax <= firstHalfMax * 1.10 + (8L << 20); }
    }

    static Result run(int steps) {
        Mlp mlp = new Mlp();
        long before = Torch.memoryStats().bytesInUse();
        mlp.step();
        long afterFirst = Torch.memoryStats().bytesInUse(), rssAfterFirst = rss();
        long peak = afterFirst, firstHalfMax = afterFirst, secondHalfMax = 0, now = afterFirst;
        long t0 = System.nanoTime();
        for (int i = 2; i <= steps; i++) {
            mlp.step();
            now = Torch.memoryStats().bytesInUse();
            peak = Math.max(peak, now);
            if (i <= steps / 2) firstHalfMax = Math.max(firstHalfMax, now);
            else secondHalfMax = Math.max(secondHalfMax, now);
            if (i % 1000 == 0) {
                System.out.printf("# W6 soak: step %d/%d, native in use %.1f MiB, peak so far %.1f MiB, %.1f steps/s%n", i,
                        steps, mib(now), mib(peak), (i - 1) / ((System.nanoTime() - t0) / 1e9));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Result(steps, seconds, before, afterFirst, peak, now, firstHalfMax, secondHalfMax,
                Torch.memoryStats().peakBytesInUse(), rssAfterFirst, rss());
    }

    static double mib(long bytes) { return bytes / (1024.0 * 1024.0); }

    /** Resident set size of this process (Linux), or -1. */
    static long rss() {
        try {
            String[] f = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(f[1]) * 4096;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}

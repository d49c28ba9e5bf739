package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchlet.backend.NativeStorage;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 64 MiB file saves and loads without passing through the Java heap: the bytes this thread allocates on
 * the heap stay a small constant (the header, a few objects), whatever the file's size.
 */
class SafetensorsLargeFileTest {
    static final long ELEMENTS = 16L << 20; // 16 Mi float32 = 64 MiB
    static final long HEAP_LIMIT = 2L << 20;

    @TempDir Path dir;

    static long heapAllocated() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test void sixtyFourMebibytesInAndOutWithoutTheHeap() throws Exception {
        Path p = dir.resolve("large.safetensors");
        try (Tensor big = Torch.arange(0.0, (double) ELEMENTS, 1.0)) { // exact in float32 up to 2^24
            long heap = heapAllocated();
            Torch.save(Map.of("big", big), p);
            heap = heapAllocated() - heap;
            assertTrue(heap < HEAP_LIMIT, "heap bytes allocated by save: " + heap);
        }
        long header = Files.size(p) - 8 - 4 * ELEMENTS;
        assertTrue(header > 0 && header < 200 && header % 8 == 0, "header bytes: " + header);

        for (boolean mmap : new boolean[] {true, false}) {
            long heap = heapAllocated();
            long t0 = System.nanoTime();
            Map<String, Tensor> sd = Torch.load(p, mmap);
            long loadNanos = System.nanoTime() - t0;
            heap = heapAllocated() - heap;
            assertTrue(heap < HEAP_LIMIT, "heap bytes allocated by load (mmap " + mmap + "): " + heap);
            try (Tensor big = sd.get("big")) {
                assertEquals(mmap, ((NativeStorage) big.data().storage).isAdopted());
                long t1 = System.nanoTime();
                double sum;
                try (Tensor wide = big.to(DType.FLOAT64)) { // reads every page; the sum of these doubles is exact
                    sum = wide.sum().item();
                }
                long sumNanos = System.nanoTime() - t1;
                assertEquals((double) ELEMENTS * (ELEMENTS - 1) / 2, sum);
                System.out.printf("64 MiB load, mmap %s: load %.1f ms, first full read %.1f ms, heap %d bytes%n",
                        mmap, loadNanos / 1e6, sumNanos / 1e6, heap);
            }
        }
        assertFalse(Files.list(dir).anyMatch(f -> f.getFileName().toString().endsWith(".tmp")));
    }
}

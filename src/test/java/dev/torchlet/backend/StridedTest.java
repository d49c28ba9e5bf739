package dev.torchlet.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.torchlet.DType;
import dev.torchlet.backend.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

/** A layout can only be built inside its storage, so no backend call can reach outside native memory. */
class StridedTest {
    final Storage storage = CpuBackend.INSTANCE.allocate(DType.FLOAT32, 12); // 48 bytes

    @Test void layoutsInsideTheStorageAreAccepted() {
        assertEquals(12, new Strided(storage, DType.FLOAT32, 0, new long[] {3, 4}, new long[] {4, 1}).numel());
        assertEquals(4, new Strided(storage, DType.FLOAT32, 8, new long[] {4}, new long[] {1}).numel());
        assertEquals(6, new Strided(storage, DType.FLOAT32, 0, new long[] {2, 3}, new long[] {0, 4}).numel()); // broadcast
        assertEquals(0, new Strided(storage, DType.FLOAT32, 99, new long[] {0, 5}, new long[] {5, 1}).numel()); // empty
    }

    @Test void layoutsOutsideTheStorageAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Strided(storage, DType.FLOAT32, 1, new long[] {3, 4}, new long[] {4, 1}));
        assertEquals("a view with offset 1, sizes [3, 4] and strides [4, 1] reaches outside its storage of 48 bytes",
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new Strided(storage, DType.FLOAT64, 0, new long[] {12}, new long[] {1})); // 96 bytes
        assertThrows(IllegalArgumentException.class,
                () -> new Strided(storage, DType.FLOAT32, -1, new long[] {2}, new long[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> new Strided(storage, DType.FLOAT32, 4, new long[] {2}, new long[] {-2}));
        assertThrows(IllegalArgumentException.class,
                () -> new Strided(storage, DType.FLOAT32, 0, new long[] {2, 2}, new long[] {Long.MAX_VALUE, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> new Strided(storage, DType.FLOAT32, 0, new long[] {2, 2}, new long[] {1}));
    }
}

package dev.torchlet.utils;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV a metrics log writes, and what it keeps in memory. */
class MetricsLogTest {
    @TempDir Path dir;

    @Test
    void writesRowsAsTheyCome() throws IOException {
        Path csv = dir.resolve("run/metrics.csv");
        try (MetricsLog log = MetricsLog.create(csv, "loss", "lr")) {
            log.log(1, 0, 2.302585092994046, 0.1);
            log.log(2, 0, Map.of("loss", 1.5));
            // readable before close: each row is flushed
            assertEquals(List.of("step,epoch,loss,lr", "1,0,2.302585092994046,0.1", "2,0,1.5,"), Files.readAllLines(csv));
            log.log(3, 1, Double.NaN, 1e-5);
            for (int i = 4; i <= 200; i++) log.log(i, i / 100, 1.0 / i, 0.01);
            assertEquals(200, log.size());
            assertArrayEquals(new long[] {1, 2, 3}, java.util.Arrays.copyOf(log.steps(), 3));
            assertArrayEquals(new int[] {0, 0, 1}, java.util.Arrays.copyOf(log.epochs(), 3));
            double[] lr = log.column("lr");
            assertEquals(0.1, lr[0]);
            assertEquals(Double.NaN, lr[1]);
            assertEquals(1.0 / 200, log.column("loss")[199]);
        }
        List<String> lines = Files.readAllLines(csv);
        assertEquals(201, lines.size());
        assertEquals("3,1,nan,1e-05", lines.get(3));
        assertEquals("200,2,0.005,0.01", lines.get(200));
    }

    @Test
    void badUse() {
        assertThrows(IllegalArgumentException.class, () -> MetricsLog.inMemory());
        assertThrows(IllegalArgumentException.class, () -> MetricsLog.inMemory("a,b"));
        assertThrows(IllegalArgumentException.class, () -> MetricsLog.inMemory("loss", "loss"));
        assertThrows(IllegalArgumentException.class, () -> MetricsLog.inMemory("step"));
        MetricsLog log = MetricsLog.inMemory("loss");
        assertThrows(IllegalArgumentException.class, () -> log.log(1, 0, 1.0, 2.0));
        assertThrows(IllegalArgumentException.class, () -> log.log(1, 0, Map.of("acc", 1.0)));
        assertThrows(IllegalArgumentException.class, () -> log.column("acc"));
        log.log(1, 0, 0.5);
        assertArrayEquals(new double[] {0.5}, log.column("loss"));
    }
}

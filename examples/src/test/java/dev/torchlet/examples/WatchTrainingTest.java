package dev.torchlet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WatchTraining writes its CSV and its two charts, and the model learns. */
class WatchTrainingTest {
    @TempDir Path dir;

    @Test
    void writesMetricsAndCharts() throws Exception {
        WatchTraining.main(new String[] {dir.toString()});
        List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals("step,epoch,loss,lr", csv.get(0));
        assertEquals(401, csv.size());
        assertTrue(csv.get(1).startsWith("1,0,") && csv.get(1).endsWith(",0.1"), csv.get(1));
        String[] last = csv.get(400).split(",");
        assertEquals("400", last[0]);
        assertTrue(Double.parseDouble(last[2]) < 0.01, "final loss " + last[2]);
        assertTrue(Double.parseDouble(last[3]) < 0.0011, "final lr " + last[3]);   // annealed to eta_min 1e-3
        for (String png : List.of("loss.png", "lr.png")) {
            BufferedImage img = ImageIO.read(dir.resolve(png).toFile());
            assertEquals(800, img.getWidth(), png);
            assertEquals(500, img.getHeight(), png);
        }
    }
}

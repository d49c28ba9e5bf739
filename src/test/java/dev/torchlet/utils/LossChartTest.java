package dev.torchlet.utils;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A loss curve rendered to PNG without a display (surefire sets java.awt.headless=true). */
class LossChartTest {
    @TempDir Path dir;

    @Test
    void writesAPngThatDecodesToTheSizeAsked() throws Exception {
        assertTrue(GraphicsEnvironment.isHeadless());
        MetricsLog log = MetricsLog.inMemory("loss", "val_loss");
        for (int step = 1; step <= 500; step++) {
            double loss = 2.0 * Math.exp(-step / 100.0) + 0.05 * Math.sin(step);
            log.log(step, step / 100, loss, step % 50 == 0 ? loss * 1.1 : Double.NaN);
        }
        Path png = dir.resolve("charts/loss.png");
        new LossChart().size(640, 400).title("training").yLabel("loss").logY(true).add(log).save(png);

        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(640, img.getWidth());
        assertEquals(400, img.getHeight());
        // not blank: a white background with axes, text and two coloured curves
        Set<Integer> colours = new HashSet<>();
        int white = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb == 0xffffff) white++;
            }
        }
        int pixels = img.getWidth() * img.getHeight();
        assertTrue(colours.size() > 20, "colours: " + colours.size());
        assertTrue(white > pixels / 2 && white < pixels - 2000, "white pixels: " + white + " of " + pixels);
    }

    @Test
    void longSeriesAreThinnedKeepingSpikes() {
        int n = 100_000;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = 1.0;
        }
        y[54_321] = 50.0;
        double[][] t = LossChart.thin(new double[][] {x, y}, 3000);
        assertTrue(t[0].length <= 3001, "points: " + t[0].length);
        double max = 0;
        for (double v : t[1]) max = Math.max(max, v);
        assertEquals(50.0, max);
        assertEquals(n - 1, t[0][t[0].length - 1]);
        for (int i = 1; i < t[0].length; i++) assertTrue(t[0][i] > t[0][i - 1]);
        BufferedImage img = new LossChart().size(300, 200).add("loss", x, y).render();
        assertEquals(300, img.getWidth());
    }

    @Test
    void leavesOutValuesItCannotDraw() {
        double[][] c = LossChart.clean(new double[] {1, 2, 3, 4}, new double[] {1, Double.NaN, -1, 2}, true);
        assertArrayEquals(new double[] {1, 4}, c[0]);
        assertArrayEquals(new double[] {1, 2}, c[1]);
        assertThrows(IllegalStateException.class, () -> new LossChart().render());
        assertThrows(IllegalStateException.class,
                () -> new LossChart().logY(true).add("loss", new double[] {1}, new double[] {0}).render());
        assertThrows(IllegalArgumentException.class, () -> new LossChart().add("a", new double[1], new double[2]));
        assertThrows(IllegalArgumentException.class, () -> new LossChart().size(10, 10));
    }
}

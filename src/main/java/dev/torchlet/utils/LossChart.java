package dev.torchlet.utils;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Loss curves (or any metric against the step) drawn as a PNG by XChart ({@code org.knowm.xchart:xchart},
 * a dependency of torchlet: its core jar only, about 0.4 MB).
 * <pre>{@code
 * new LossChart().title("training").logY(true).add(log, "loss").save(Path.of("loss.png"));
 * }</pre>
 * Needs no display: on a machine without one, run with {@code -Djava.awt.headless=true} (the JDK assumes it
 * on Linux when {@code DISPLAY} is unset). Text is drawn with the JDK's fonts, so a minimal headless JRE
 * needs fontconfig and a font installed (Debian: {@code fontconfig fonts-dejavu-core}).
 *
 * <p>Non-finite values are left out (a NaN loss makes a gap, not a failed chart), and so are values
 * &lt;= 0 on a log axis. A series longer than 4 points per pixel of width is thinned to each pixel
 * column's first, lowest and highest points, which keeps the spikes a plain stride would drop.
 */
public final class LossChart {
    private int width = 800;
    private int height = 500;
    private String title = "";
    private String xLabel = "step";
    private String yLabel = "";
    private boolean logY;
    private final List<Series> series = new ArrayList<>();

    private record Series(String name, double[] x, double[] y) {}

    /** An empty 800 x 500 chart, x axis "step". */
    public LossChart() {}

    /**
     * @param width the image width in pixels (at least 100)
     * @param height the image height in pixels (at least 100)
     * @return this chart
     */
    public LossChart size(int width, int height) {
        if (width < 100 || height < 100) throw new IllegalArgumentException("chart size must be at least 100 x 100, got " + width + " x " + height);
        this.width = width;
        this.height = height;
        return this;
    }

    /**
     * @param title the chart title (default none)
     * @return this chart
     */
    public LossChart title(String title) {
        this.title = title;
        return this;
    }

    /**
     * @param xLabel the x axis title (default "step")
     * @return this chart
     */
    public LossChart xLabel(String xLabel) {
        this.xLabel = xLabel;
        return this;
    }

    /**
     * @param yLabel the y axis title (default none)
     * @return this chart
     */
    public LossChart yLabel(String yLabel) {
        this.yLabel = yLabel;
        return this;
    }

    /**
     * @param logY true for a logarithmic y axis (values &lt;= 0 are then left out)
     * @return this chart
     */
    public LossChart logY(boolean logY) {
        this.logY = logY;
        return this;
    }

    /**
     * Adds a curve.
     *
     * @param name the legend entry
     * @param x the x values (steps)
     * @param y the y values, as many as x
     * @return this chart
     */
    public LossChart add(String name, double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException("x has " + x.length + " values, y has " + y.length);
        for (Series s : series) if (s.name.equals(name)) throw new IllegalArgumentException("series '" + name + "' already added");
        series.add(new Series(name, x.clone(), y.clone()));
        return this;
    }

    /**
     * Adds a curve per named column of a metrics log, against its steps.
     *
     * @param log the metrics log
     * @param columns the columns to draw (all of them when none is named)
     * @return this chart
     */
    public LossChart add(MetricsLog log, String... columns) {
        long[] steps = log.steps();
        double[] x = new double[steps.length];
        for (int i = 0; i < x.length; i++) x[i] = steps[i];
        for (String c : columns.length == 0 ? log.columns().toArray(new String[0]) : columns) add(c, x, log.column(c));
        return this;
    }

    /**
     * Draws the chart.
     *
     * @return the image, width x height
     * @throws IllegalStateException when no series was added
     */
    public BufferedImage render() { return BitmapEncoder.getBufferedImage(chart()); }

    /**
     * Writes the chart as a PNG file (parent folders are made).
     *
     * @param png the file to write
     * @throws UncheckedIOException when it cannot be written
     * @throws IllegalStateException when no series was added
     */
    public void save(Path png) {
        XYChart chart = chart();
        try {
            Path parent = png.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            try (OutputStream out = Files.newOutputStream(png)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }

    private XYChart chart() {
        if (series.isEmpty()) throw new IllegalStateException("no series to draw: add one first");
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        var styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setLegendVisible(series.size() > 1);
        styler.setYAxisLogarithmic(logY);
        styler.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        boolean any = false;
        double xMin = Double.POSITIVE_INFINITY;
        for (Series s : series) {
            double[][] xy = thin(clean(s.x, s.y, logY), 4 * width);
            if (xy[0].length == 0) continue;
            XYSeries drawn = chart.addSeries(s.name.isEmpty() ? " " : s.name, xy[0], xy[1]);
            drawn.setMarker(SeriesMarkers.NONE);
            drawn.setLineStyle(new BasicStroke(1.5f));
            any = true;
            xMin = Math.min(xMin, xy[0][0]);
        }
        if (xMin >= 0) styler.setXAxisMin(0.0);   // steps: ticks at round numbers from 0, not from the first step
        if (!any) throw new IllegalStateException("no finite value to draw" + (logY ? " (values <= 0 are left out on a log axis)" : ""));
        return chart;
    }

    /** The points with finite x and y (and y > 0 on a log axis). */
    static double[][] clean(double[] x, double[] y, boolean positive) {
        int n = 0;
        double[] cx = new double[x.length], cy = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!positive || y[i] > 0)) {
                cx[n] = x[i];
                cy[n] = y[i];
                n++;
            }
        }
        return new double[][] {java.util.Arrays.copyOf(cx, n), java.util.Arrays.copyOf(cy, n)};
    }

    /**
     * At most about maxPoints points: the series cut into maxPoints / 3 runs, each kept as its first, lowest
     * and highest points in x order.
     */
    static double[][] thin(double[][] xy, int maxPoints) {
        double[] x = xy[0], y = xy[1];
        int n = x.length;
        if (n <= maxPoints) return xy;
        int buckets = Math.max(1, maxPoints / 3);
        double[] ox = new double[3 * buckets + 1], oy = new double[3 * buckets + 1];
        int m = 0;
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) n * b / buckets), to = (int) ((long) n * (b + 1) / buckets);
            if (from >= to) continue;
            int lo = from, hi = from;
            for (int i = from; i < to; i++) {
                if (y[i] < y[lo]) lo = i;
                if (y[i] > y[hi]) hi = i;
            }
            int[] keep = {from, Math.min(lo, hi), Math.max(lo, hi)};
            int last = -1;
            for (int i : keep) {
                if (i == last) continue;
                ox[m] = x[i];
                oy[m] = y[i];
                m++;
                last = i;
            }
        }
        if (ox[m - 1] != x[n - 1]) {   // always end on the last point
            ox[m] = x[n - 1];
            oy[m] = y[n - 1];
            m++;
        }
        return new double[][] {java.util.Arrays.copyOf(ox, m), java.util.Arrays.copyOf(oy, m)};
    }
}

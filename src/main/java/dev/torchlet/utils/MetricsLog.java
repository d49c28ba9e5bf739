package dev.torchlet.utils;

import dev.torchlet.PyFormat;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Metrics of a training run, one row per logged step: {@code step,epoch,<name>,<name>...} written to a CSV
 * file as they come (each row flushed, so a crashed or running job's file is readable), and kept in memory
 * for {@link LossChart}.
 * <pre>{@code
 * try (MetricsLog log = MetricsLog.create(Path.of("metrics.csv"), "loss", "lr")) {
 *     ... log.log(step, epoch, loss.item(), sched.getLastLr().get(0));
 *     new LossChart().add(log, "loss").save(Path.of("loss.png"));
 * }
 * }</pre>
 * The file:
 * <pre>
 * step,epoch,loss,lr
 * 1,0,2.3021,0.1
 * 2,0,2.2876,0.1
 * </pre>
 * Numbers are written as Python's {@code repr} writes them (the shortest text that reads back as the same
 * double: {@code 0.1}, {@code 1e-05}, {@code nan}), which pandas, spreadsheets and {@code csv} read. A value
 * not given in a row (see {@link #log(long, int, Map)}) is an empty cell. I/O errors are thrown as
 * {@link UncheckedIOException}, so logging fits in a training loop.
 */
public final class MetricsLog implements Closeable, Flushable {
    private final List<String> columns;
    private final BufferedWriter writer;
    private final Path path;
    private long[] steps = new long[64];
    private int[] epochs = new int[64];
    private final double[][] values;
    private int rows;

    private MetricsLog(Path path, String[] columns) {
        if (columns.length == 0) throw new IllegalArgumentException("a metrics log needs at least one column");
        Set<String> seen = new HashSet<>(List.of("step", "epoch"));
        for (String c : columns) {
            if (c == null || c.isEmpty() || c.contains(",") || c.contains("\"") || c.contains("\n") || c.contains("\r")) {
                throw new IllegalArgumentException("bad column name: " + c);
            }
            if (!seen.add(c)) throw new IllegalArgumentException("duplicate column name: " + c);
        }
        this.columns = List.of(columns);
        this.values = new double[columns.length][64];
        this.path = path;
        if (path == null) {
            writer = null;
        } else {
            try {
                Path parent = path.toAbsolutePath().getParent();
                if (parent != null) Files.createDirectories(parent);
                writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
                writer.write("step,epoch," + String.join(",", columns));
                writer.newLine();
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + path, e);
            }
        }
    }

    /**
     * A log that writes to a CSV file (replacing it; parent folders are made) and keeps the rows in memory.
     *
     * @param csv the file to write
     * @param columns the metric names, after "step" and "epoch"
     * @return the open log; close it when done
     * @throws UncheckedIOException when the file cannot be written
     * @throws IllegalArgumentException for no column, a duplicate name, or a name with a comma, quote or newline
     */
    public static MetricsLog create(Path csv, String... columns) { return new MetricsLog(csv, columns); }

    /**
     * A log kept in memory only (for a chart without a CSV file).
     *
     * @param columns the metric names
     * @return the log
     */
    public static MetricsLog inMemory(String... columns) { return new MetricsLog(null, columns); }

    /**
     * Adds a row: the values in the order of the columns.
     *
     * @param step the global step (or any increasing x value)
     * @param epoch the epoch of the step
     * @param values one value per column
     * @throws IllegalArgumentException when the number of values is not the number of columns
     */
    public void log(long step, int epoch, double... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("expected " + columns.size() + " values " + columns + ", got " + values.length);
        }
        append(step, epoch, values);
    }

    /**
     * Adds a row from named values; columns not named get an empty cell (NaN in memory).
     *
     * @param step the global step
     * @param epoch the epoch of the step
     * @param values values by column name
     * @throws IllegalArgumentException for a name that is not a column
     */
    public void log(long step, int epoch, Map<String, ? extends Number> values) {
        double[] row = new double[columns.size()];
        Arrays.fill(row, Double.NaN);
        boolean[] given = new boolean[columns.size()];
        for (var e : values.entrySet()) {
            int i = columns.indexOf(e.getKey());
            if (i < 0) throw new IllegalArgumentException("unknown column '" + e.getKey() + "', columns are " + columns);
            row[i] = e.getValue().doubleValue();
            given[i] = true;
        }
        append(step, epoch, row, given);
    }

    private void append(long step, int epoch, double[] row) {
        boolean[] given = new boolean[row.length];
        Arrays.fill(given, true);
        append(step, epoch, row, given);
    }

    private void append(long step, int epoch, double[] row, boolean[] given) {
        if (writer != null) {
            StringBuilder sb = new StringBuilder();
            sb.append(step).append(',').append(epoch);
            for (int i = 0; i < row.length; i++) {
                sb.append(',');
                if (given[i]) sb.append(PyFormat.repr(row[i]));
            }
            try {
                writer.write(sb.toString());
                writer.newLine();
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + path, e);
            }
        }
        if (rows == steps.length) {
            int n = rows * 2;
            steps = Arrays.copyOf(steps, n);
            epochs = Arrays.copyOf(epochs, n);
            for (int i = 0; i < values.length; i++) values[i] = Arrays.copyOf(values[i], n);
        }
        steps[rows] = step;
        epochs[rows] = epoch;
        for (int i = 0; i < row.length; i++) values[i][rows] = row[i];
        rows++;
    }

    /** @return the metric names, in order (without "step" and "epoch") */
    public List<String> columns() { return columns; }

    /** @return the CSV file, or null for a log in memory */
    public Path path() { return path; }

    /** @return the number of rows logged */
    public int size() { return rows; }

    /** @return the step of each row */
    public long[] steps() { return Arrays.copyOf(steps, rows); }

    /** @return the epoch of each row */
    public int[] epochs() { return Arrays.copyOf(epochs, rows); }

    /**
     * @param name a column name
     * @return its value in each row (NaN where not given)
     * @throws IllegalArgumentException for a name that is not a column
     */
    public double[] column(String name) {
        int i = columns.indexOf(name);
        if (i < 0) throw new IllegalArgumentException("unknown column '" + name + "', columns are " + columns);
        return Arrays.copyOf(values[i], rows);
    }

    /** Flushes the file (rows are already flushed as they are written). */
    @Override
    public void flush() {
        if (writer == null) return;
        try {
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    /** Closes the file; the rows stay readable in memory. */
    @Override
    public void close() {
        if (writer == null) return;
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + path, e);
        }
    }
}

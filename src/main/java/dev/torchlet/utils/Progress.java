package dev.torchlet.utils;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A progress bar for a training loop of known length (epochs x steps per epoch): epoch, step, steps/s,
 * ETA and the last loss.
 * <pre>{@code
 * try (Progress bar = new Progress(epochs, stepsPerEpoch)) {
 *     for (int epoch = 0; epoch < epochs; epoch++) {
 *         for (int i = 0; i < stepsPerEpoch; i++) {
 *             ...
 *             bar.set("lr", sched.getLastLr().get(0));   // optional extra values
 *             bar.step(loss.item());
 *         }
 *     }
 * }
 * }</pre>
 * On a terminal ({@link System#console()} present, {@code TERM} not "dumb") one line is redrawn in place
 * with {@code \r}, at most every 100 ms:
 * <pre>epoch 2/5  step  37/100 [#######.............]  52.1 steps/s  ETA 00:12  loss 0.2315  lr 0.01</pre>
 * Otherwise (output piped to a file or a CI log) it prints plain lines: one when an epoch ends (at most one
 * a second) and one after every 10 s without a line, and always the last step. Steps/s is the average since
 * the bar was made, and the ETA the remaining steps at that rate.
 *
 * <p>Turned off with {@link Mode#OFF} or, for any program without recompiling, with
 * {@code -Dtorchlet.progress=false}; {@code -Dtorchlet.progress=lines} or {@code =terminal} force a mode.
 * The system property wins over the builder. Output goes to {@link System#err} unless told otherwise; the
 * clock and the stream can be replaced (for tests, through {@link #builder}).
 */
public final class Progress implements AutoCloseable {
    /** How the bar prints. */
    public enum Mode {
        /** {@link #TERMINAL} when the program runs on a terminal, else {@link #LINES}. */
        AUTO,
        /** One line redrawn in place with carriage returns. */
        TERMINAL,
        /** Plain lines, one every so often. */
        LINES,
        /** Nothing at all. */
        OFF
    }

    /** The system property that turns the bar off ("false"/"off") or forces a mode ("lines", "terminal"). */
    public static final String PROPERTY = "torchlet.progress";

    private static final int BAR_WIDTH = 20;

    private final int epochs;
    private final long stepsPerEpoch;
    private final long total;
    private final PrintStream out;
    private final LongSupplier clock;
    private final Mode mode;
    private final long refreshNanos;
    private final long lineNanos;
    private final long start;
    private final Map<String, Double> extras = new LinkedHashMap<>();

    private long done;
    private double loss = Double.NaN;
    private boolean hasLoss;
    private long lastDraw = Long.MIN_VALUE;
    private long lastDrawnStep = -1;
    private int lastWidth;
    private boolean closed;

    /**
     * A bar with the defaults: {@link Mode#AUTO}, {@link System#err}, the system clock.
     *
     * @param epochs the number of epochs (at least 1)
     * @param stepsPerEpoch the number of steps in each epoch (at least 1)
     */
    public Progress(int epochs, long stepsPerEpoch) { this(builder(epochs, stepsPerEpoch)); }

    private Progress(Builder b) {
        if (b.epochs < 1) throw new IllegalArgumentException("epochs must be at least 1, got " + b.epochs);
        if (b.stepsPerEpoch < 1) throw new IllegalArgumentException("stepsPerEpoch must be at least 1, got " + b.stepsPerEpoch);
        this.epochs = b.epochs;
        this.stepsPerEpoch = b.stepsPerEpoch;
        this.total = Math.multiplyExact((long) b.epochs, b.stepsPerEpoch);
        this.out = b.out;
        this.clock = b.clock;
        this.mode = resolve(b.mode, System.getProperty(PROPERTY));
        this.refreshNanos = b.refreshMillis * 1_000_000L;
        this.lineNanos = b.lineSeconds * 1_000_000_000L;
        this.start = clock.getAsLong();
    }

    /**
     * A builder for a bar with other settings.
     *
     * @param epochs the number of epochs (at least 1)
     * @param stepsPerEpoch the number of steps in each epoch (at least 1)
     * @return a builder with the defaults
     */
    public static Builder builder(int epochs, long stepsPerEpoch) { return new Builder(epochs, stepsPerEpoch); }

    /** Settings of a {@link Progress}; each setter returns the builder. */
    public static final class Builder {
        private final int epochs;
        private final long stepsPerEpoch;
        private PrintStream out = System.err;
        private LongSupplier clock = System::nanoTime;
        private Mode mode = Mode.AUTO;
        private long refreshMillis = 100;
        private long lineSeconds = 10;

        private Builder(int epochs, long stepsPerEpoch) {
            this.epochs = epochs;
            this.stepsPerEpoch = stepsPerEpoch;
        }

        /**
         * @param out where the bar prints (default {@link System#err})
         * @return this builder
         */
        public Builder out(PrintStream out) {
            this.out = out;
            return this;
        }

        /**
         * @param nanoClock a monotonic clock in nanoseconds (default {@link System#nanoTime})
         * @return this builder
         */
        public Builder clock(LongSupplier nanoClock) {
            this.clock = nanoClock;
            return this;
        }

        /**
         * @param mode how to print (default {@link Mode#AUTO}); {@code -Dtorchlet.progress} overrides it
         * @return this builder
         */
        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /**
         * @param enabled false for {@link Mode#OFF}; true leaves the mode as it is
         * @return this builder
         */
        public Builder enabled(boolean enabled) {
            if (!enabled) this.mode = Mode.OFF;
            return this;
        }

        /**
         * @param millis the shortest time between two redraws on a terminal (default 100)
         * @return this builder
         */
        public Builder refreshMillis(long millis) {
            this.refreshMillis = Math.max(0, millis);
            return this;
        }

        /**
         * @param seconds in {@link Mode#LINES}, the longest time without a line inside an epoch (default 10)
         * @return this builder
         */
        public Builder lineSeconds(long seconds) {
            this.lineSeconds = Math.max(0, seconds);
            return this;
        }

        /** @return the bar; its clock starts now */
        public Progress build() { return new Progress(this); }
    }

    static Mode resolve(Mode asked, String property) {
        if (property != null) {
            switch (property.trim().toLowerCase(Locale.ROOT)) {
                case "false": case "off": case "0": case "no": return Mode.OFF;
                case "lines": return Mode.LINES;
                case "terminal": return Mode.TERMINAL;
                default: break;   // "true", "auto", anything else: as asked
            }
        }
        if (asked != Mode.AUTO) return asked;
        return System.console() != null && !"dumb".equals(System.getenv("TERM")) ? Mode.TERMINAL : Mode.LINES;
    }

    /** @return how this bar prints, after the system property and terminal detection */
    public Mode mode() { return mode; }

    /** @return the steps done so far */
    public long stepsDone() { return done; }

    /** @return epochs x steps per epoch */
    public long totalSteps() { return total; }

    /**
     * Shows a named value after the loss from now on (the lr, an accuracy...); the latest value is shown.
     *
     * @param name the label
     * @param value the value
     * @return this bar
     */
    public Progress set(String name, double value) {
        extras.put(name, value);
        return this;
    }

    /**
     * Records one step done, with its loss.
     *
     * @param loss the step's loss (shown as the last loss)
     */
    public void step(double loss) {
        this.loss = loss;
        this.hasLoss = true;
        step();
    }

    /** Records one step done, without a loss. */
    public void step() {
        if (closed) throw new IllegalStateException("progress bar already closed");
        done++;
        if (mode == Mode.OFF) return;
        long now = clock.getAsLong();
        boolean last = done >= total;
        if (mode == Mode.TERMINAL) {
            if (last || lastDraw == Long.MIN_VALUE || now - lastDraw >= refreshNanos) draw(now);
        } else {
            boolean epochEnd = done % stepsPerEpoch == 0;
            long since = lastDraw == Long.MIN_VALUE ? now - start : now - lastDraw;
            if (last || since >= lineNanos || (epochEnd && since >= 1_000_000_000L)) draw(now);
        }
    }

    /** Prints the final state (if not shown yet) and ends the terminal line. Further steps are refused. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (mode == Mode.OFF) return;
        if (lastDrawnStep != done) draw(clock.getAsLong());
        if (mode == Mode.TERMINAL) out.print(System.lineSeparator());
        out.flush();
    }

    private void draw(long now) {
        String line = render(now);
        if (mode == Mode.TERMINAL) {
            StringBuilder sb = new StringBuilder("\r").append(line);
            for (int i = line.length(); i < lastWidth; i++) sb.append(' ');
            lastWidth = line.length();
            out.print(sb);
        } else {
            out.println(line);
        }
        out.flush();
        lastDraw = now;
        lastDrawnStep = done;
    }

    /** The text of the bar after {@code done} steps at time {@code now}. */
    String render(long now) {
        long epoch = done == 0 ? 1 : (done - 1) / stepsPerEpoch + 1;
        long inEpoch = done == 0 ? 0 : (done - 1) % stepsPerEpoch + 1;
        int stepDigits = Long.toString(stepsPerEpoch).length();
        StringBuilder sb = new StringBuilder();
        sb.append("epoch ").append(pad(Long.toString(epoch), Integer.toString(epochs).length())).append('/').append(epochs);
        sb.append("  step ").append(pad(Long.toString(inEpoch), stepDigits)).append('/').append(stepsPerEpoch);
        if (mode == Mode.TERMINAL) {
            int filled = (int) (BAR_WIDTH * inEpoch / stepsPerEpoch);
            sb.append(" [").append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append(']');
        }
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? done / seconds : Double.NaN;
        sb.append("  ").append(rate(rate));
        sb.append("  ETA ").append(done >= total ? time(0) : rate > 0 ? time((total - done) / rate) : "--:--");
        if (hasLoss) sb.append("  loss ").append(number(loss));
        for (var e : extras.entrySet()) sb.append("  ").append(e.getKey()).append(' ').append(number(e.getValue()));
        return sb.toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    private static String rate(double stepsPerSecond) {
        if (!(stepsPerSecond > 0) || Double.isInfinite(stepsPerSecond)) return "-- steps/s";
        if (stepsPerSecond < 1) return String.format(Locale.ROOT, "%.2f s/step", 1 / stepsPerSecond);
        return String.format(Locale.ROOT, stepsPerSecond < 100 ? "%.1f steps/s" : "%.0f steps/s", stepsPerSecond);
    }

    /** mm:ss, or h:mm:ss from an hour on. */
    static String time(double seconds) {
        long s = Math.round(seconds);
        long h = s / 3600, m = s / 60 % 60, sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec) : String.format(Locale.ROOT, "%02d:%02d", m, sec);
    }

    /** 4 significant digits: 0.2315, 1.235e-05, 12.00, nan. */
    static String number(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        return String.format(Locale.ROOT, "%.4g", v);
    }
}

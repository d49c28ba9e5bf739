package dev.torchlet;

/**
 * How tensors print, as torch.set_printoptions sets it (torch/_tensor_str.py __PrinterOptions): one
 * immutable snapshot, with the current one held in a static volatile field.
 */
public final class PrintOptions {
    /** PyTorch's defaults: precision 4, threshold 1000, edgeitems 3, linewidth 80, sci_mode None. */
    public static final PrintOptions DEFAULT = new PrintOptions(4, 1000, 3, 80, null);

    private static volatile PrintOptions current = DEFAULT;

    private final int precision;
    private final int threshold;
    private final int edgeItems;
    private final int lineWidth;
    private final Boolean sciMode;

    /**
     * @param precision digits after the decimal point (or after the first digit in scientific notation)
     * @param threshold element count above which a tensor prints summarized with "..."
     * @param edgeItems items kept at each end of a summarized dimension
     * @param lineWidth characters per line before wrapping
     * @param sciMode true or false to force scientific notation on or off; null lets the formatter choose
     */
    public PrintOptions(int precision, int threshold, int edgeItems, int lineWidth, Boolean sciMode) {
        if (precision < 0) throw new IllegalArgumentException("precision must not be negative, got " + precision);
        if (threshold < 0) throw new IllegalArgumentException("threshold must not be negative, got " + threshold);
        if (edgeItems < 0) throw new IllegalArgumentException("edgeItems must not be negative, got " + edgeItems);
        this.precision = precision;
        this.threshold = threshold;
        this.edgeItems = edgeItems;
        this.lineWidth = lineWidth;
        this.sciMode = sciMode;
    }

    static PrintOptions current() { return current; }

    static void set(PrintOptions options) {
        if (options == null) throw new NullPointerException("options");
        current = options;
    }

    /**
     * Digits after the decimal point (PyTorch's default 4).
     * @return the precision
     */
    public int precision() { return precision; }

    /**
     * Element count above which a tensor prints summarized with "..." (default 1000).
     * @return the threshold
     */
    public int threshold() { return threshold; }

    /**
     * Items printed at each edge of a summarized dim (default 3).
     * @return the edge item count
     */
    public int edgeItems() { return edgeItems; }

    /**
     * Characters per line before wrapping (default 80).
     * @return the line width
     */
    public int lineWidth() { return lineWidth; }

    /**
     * Forced scientific notation on (true) or off (false); null when chosen automatically.
     * @return the forced mode, or null
     */
    public Boolean sciMode() { return sciMode; }

    @Override public String toString() {
        return "PrintOptions(precision=" + precision + ", threshold=" + threshold + ", edgeitems=" + edgeItems
                + ", linewidth=" + lineWidth + ", sci_mode=" + (sciMode == null ? "None" : sciMode ? "True" : "False")
                + ")";
    }
}

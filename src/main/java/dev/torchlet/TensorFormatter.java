package dev.torchlet;

import java.util.ArrayList;
import java.util.List;

/**
 * The text of a tensor as Python's {@code repr(tensor)} gives it: a port of PyTorch's torch/_tensor_str.py
 * for dense tensors of the dtypes torchlet has. Floats are formatted by {@link PyFormat}, as Python's
 * {@code '{:.4f}'} and {@code '{:.4e}'} do.
 */
final class TensorFormatter {
    private TensorFormatter() {}

    /**
     * {@code _str_intern}: "tensor(" + contents + suffixes + ")".
     *
     * @param shape the tensor's sizes (empty for a 0-dim tensor)
     * @param values row-major contents: double[] for FLOAT32/FLOAT64, long[] for INT64, boolean[] for BOOL
     * @param extraSuffixes what follows the device and dtype, in order ("requires_grad=True",
     *     "grad_fn=&lt;AddBackward0&gt;"); may be null
     */
    static String repr(long[] shape, DType dtype, Object values, Device device, List<String> extraSuffixes) {
        PrintOptions opts = PrintOptions.current();
        int numel = checkValues(shape, dtype, values);
        String prefix = "tensor(";
        int indent = prefix.length();
        List<String> suffixes = new ArrayList<>();
        // The device shows when it is not the default one (cpu).
        if (device != null && !device.equals(Device.CPU)) suffixes.add("device='" + device + "'");
        String contents;
        if (numel == 0) {
            // An empty tensor shows its shape unless it is (0,), and any dtype but the default float one.
            if (shape.length != 1) suffixes.add("size=" + pythonTuple(shape));
            if (dtype != DType.defaultFloat()) suffixes.add("dtype=" + dtype);
            contents = "[]";
        } else {
            // has_default_dtype: the default float dtype, int64 and bool print no dtype.
            if (dtype != DType.defaultFloat() && dtype != DType.INT64 && dtype != DType.BOOL) {
                suffixes.add("dtype=" + dtype);
            }
            contents = new Printer(shape, dtype, values, opts).tensorStr(indent);
        }
        if (extraSuffixes != null) suffixes.addAll(extraSuffixes);
        return addSuffixes(prefix + contents, suffixes, indent, opts.lineWidth());
    }

    /** {@code _add_suffixes}: ", suffix", or ",\n" + indent + suffix once the line would pass the width. */
    private static String addSuffixes(String tensorStr, List<String> suffixes, int indent, int lineWidth) {
        StringBuilder out = new StringBuilder(tensorStr);
        // As Python computes it (rfind gives -1 when there is no newline).
        int lastLineLen = tensorStr.length() - tensorStr.lastIndexOf('\n') + 1;
        for (String suffix : suffixes) {
            if (lastLineLen + suffix.length() + 2 > lineWidth) {
                out.append(",\n").append(" ".repeat(indent)).append(suffix);
                lastLineLen = indent + suffix.length();
            } else {
                out.append(", ").append(suffix);
                lastLineLen += suffix.length() + 2;
            }
        }
        return out.append(')').toString();
    }

    /** {@code str(tuple(shape))}: "(0, 3)", "(0,)". */
    private static String pythonTuple(long[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) s.append(", ");
            s.append(shape[i]);
        }
        return s.append(shape.length == 1 ? ",)" : ")").toString();
    }

    private static int checkValues(long[] shape, DType dtype, Object values) {
        long numel = 1;
        for (long size : shape) {
            if (size < 0) throw new IllegalArgumentException("negative size in shape: " + size);
            numel *= size;
        }
        int length;
        if (dtype.isFloatingPoint() && values instanceof double[]) length = ((double[]) values).length;
        else if (dtype == DType.INT64 && values instanceof long[]) length = ((long[]) values).length;
        else if (dtype == DType.BOOL && values instanceof boolean[]) length = ((boolean[]) values).length;
        else {
            throw new IllegalArgumentException("values for " + dtype + " must be a "
                    + (dtype.isFloatingPoint() ? "double[]" : dtype == DType.INT64 ? "long[]" : "boolean[]")
                    + ", got " + (values == null ? "null" : values.getClass().getSimpleName()));
        }
        if (length != numel) {
            throw new IllegalArgumentException("shape holds " + numel + " elements but values has " + length);
        }
        return length;
    }

    /** The contents of one non-empty tensor: {@code _tensor_str} and the functions it calls. */
    private static final class Printer {
        private final int[] shape;
        private final int[] strides;
        private final Object values;
        private final PrintOptions opts;
        private final Formatter formatter;

        Printer(long[] shape, DType dtype, Object values, PrintOptions opts) {
            this.shape = new int[shape.length];
            this.strides = new int[shape.length];
            int stride = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                this.shape[d] = (int) shape[d];
                this.strides[d] = stride;
                stride *= (int) shape[d];
            }
            this.values = values;
            this.opts = opts;
            this.formatter = new Formatter(dtype, values, opts);
        }

        /** {@code _tensor_str}: a summarized tensor's formatter sees only the values that print. */
        String tensorStr(int indent) {
            int numel = shape.length == 0 ? 1 : shape[0] * strides[0];
            boolean summarize = numel > opts.threshold();
            List<Integer> shown = new ArrayList<>();
            if (summarize) {
                summarizedData(0, 0, shown);
            } else {
                for (int i = 0; i < numel; i++) shown.add(i);
            }
            formatter.measure(shown);
            return withFormatter(0, 0, indent, summarize);
        }

        /** {@code get_summarized_data}: the flat indices of the edge items of every dimension. */
        private void summarizedData(int d, int offset, List<Integer> out) {
            int rank = shape.length - d;
            if (rank == 0) {
                out.add(offset);
                return;
            }
            int n = shape[d];
            int edge = opts.edgeItems();
            if (rank == 1) {
                if (n > 2 * edge) {
                    for (int i = 0; i < edge; i++) out.add(offset + i);
                    for (int i = tailStart(n, edge); i < n; i++) out.add(offset + i);
                } else {
                    for (int i = 0; i < n; i++) out.add(offset + i);
                }
                return;
            }
            if (n > 2 * edge) {
                for (int i = 0; i < edge; i++) summarizedData(d + 1, offset + i * strides[d], out);
                for (int i = n - edge; i < n; i++) summarizedData(d + 1, offset + i * strides[d], out);
            } else {
                for (int i = 0; i < n; i++) summarizedData(d + 1, offset + i * strides[d], out);
            }
        }

        /** {@code _tensor_str_with_formatter}: rows joined by ",", dim-1 newlines and the indent. */
        private String withFormatter(int d, int offset, int indent, boolean summarize) {
            int rank = shape.length - d;
            if (rank == 0) return formatter.format(offset); // _scalar_str
            if (rank == 1) return vectorStr(d, offset, indent, summarize);
            int n = shape[d];
            int edge = opts.edgeItems();
            List<String> slices = new ArrayList<>();
            if (summarize && n > 2 * edge) {
                for (int i = 0; i < edge; i++) slices.add(withFormatter(d + 1, offset + i * strides[d], indent + 1, true));
                slices.add("...");
                for (int i = n - edge; i < n; i++) slices.add(withFormatter(d + 1, offset + i * strides[d], indent + 1, true));
            } else {
                for (int i = 0; i < n; i++) slices.add(withFormatter(d + 1, offset + i * strides[d], indent + 1, summarize));
            }
            return "[" + String.join("," + "\n".repeat(rank - 1) + " ".repeat(indent + 1), slices) + "]";
        }

        /** {@code _vector_str}: as many elements a line as fit in linewidth - indent. */
        private String vectorStr(int d, int offset, int indent, boolean summarize) {
            int elementLength = formatter.width() + 2; // with ", "
            int perLine = Math.max(1, Math.floorDiv(opts.lineWidth() - indent, elementLength));
            int n = shape[d];
            int edge = opts.edgeItems();
            List<String> data = new ArrayList<>();
            if (summarize && n > 2 * edge) {
                for (int i = 0; i < edge; i++) data.add(formatter.format(offset + i));
                data.add(" ...");
                for (int i = tailStart(n, edge); i < n; i++) data.add(formatter.format(offset + i));
            } else {
                for (int i = 0; i < n; i++) data.add(formatter.format(offset + i));
            }
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < data.size(); i += perLine) {
                lines.add(String.join(", ", data.subList(i, Math.min(i + perLine, data.size()))));
            }
            return "[" + String.join(",\n" + " ".repeat(indent + 1), lines) + "]";
        }

        /** Where Python's {@code self[-edge:]} starts: with edge 0 that slice is the whole vector. */
        private static int tailStart(int n, int edge) {
            return edge == 0 ? 0 : n - edge;
        }
    }

    /** {@code _Formatter}: picks int, fixed or scientific notation and one width for all elements. */
    private static final class Formatter {
        private final boolean floating;
        private final Object values;
        private final int precision;
        private final Boolean forcedSciMode;
        private boolean intMode = true;
        private boolean sciMode = false;
        private int maxWidth = 1;

        Formatter(DType dtype, Object values, PrintOptions opts) {
            this.floating = dtype.isFloatingPoint();
            this.values = values;
            this.precision = opts.precision();
            this.forcedSciMode = opts.sciMode();
        }

        /** {@code _Formatter.__init__}, over the elements at the given flat indices. */
        void measure(List<Integer> indices) {
            if (!floating) {
                for (int i : indices) maxWidth = Math.max(maxWidth, plainStr(i).length());
            } else {
                double[] data = (double[]) values;
                List<Double> nonzeroFinite = new ArrayList<>();
                for (int i : indices) {
                    if (Double.isFinite(data[i]) && data[i] != 0) nonzeroFinite.add(data[i]);
                }
                // No valid number: int mode, width 1, and (as in Python) sci_mode is not applied.
                if (nonzeroFinite.isEmpty()) return;
                double min = Double.POSITIVE_INFINITY;
                double max = 0;
                for (double v : nonzeroFinite) {
                    min = Math.min(min, Math.abs(v));
                    max = Math.max(max, Math.abs(v));
                    if (v != Math.ceil(v)) intMode = false;
                }
                if (intMode) {
                    // Integers print as "{:.0f}" plus a "."; hence the + 1.
                    if (max / min > 1000.0 || max > 1.0e8) {
                        sciMode = true;
                        for (double v : nonzeroFinite) maxWidth = Math.max(maxWidth, PyFormat.sci(v, precision).length());
                    } else {
                        for (double v : nonzeroFinite) maxWidth = Math.max(maxWidth, PyFormat.fixed(v, 0).length() + 1);
                    }
                } else if (max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4) {
                    sciMode = true;
                    for (double v : nonzeroFinite) maxWidth = Math.max(maxWidth, PyFormat.sci(v, precision).length());
                } else {
                    for (double v : nonzeroFinite) maxWidth = Math.max(maxWidth, PyFormat.fixed(v, precision).length());
                }
            }
            if (forcedSciMode != null) sciMode = forcedSciMode;
        }

        int width() { return maxWidth; }

        /** {@code _Formatter.format}: the element at a flat index, right-aligned to the width. */
        String format(int index) {
            String ret;
            if (floating) {
                double v = ((double[]) values)[index];
                if (sciMode) ret = PyFormat.sci(v, precision);
                else if (intMode) ret = PyFormat.fixed(v, 0) + (Double.isFinite(v) ? "." : "");
                else ret = PyFormat.fixed(v, precision);
            } else {
                ret = plainStr(index);
            }
            return ret.length() >= maxWidth ? ret : " ".repeat(maxWidth - ret.length()) + ret;
        }

        /** Python's {@code '{}'.format(value)} of an int or a bool. */
        private String plainStr(int index) {
            if (values instanceof long[]) return Long.toString(((long[]) values)[index]);
            return ((boolean[]) values)[index] ? "True" : "False";
        }
    }
}

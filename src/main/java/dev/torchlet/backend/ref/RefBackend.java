package dev.torchlet.backend.ref;

import dev.torchlet.DType;
import dev.torchlet.Device;
import dev.torchlet.backend.Backend;
import dev.torchlet.backend.BinaryOp;
import dev.torchlet.backend.GradOp;
import dev.torchlet.backend.MemoryStats;
import dev.torchlet.backend.ReduceOp;
import dev.torchlet.backend.Storage;
import dev.torchlet.backend.Strided;
import dev.torchlet.backend.UnaryOp;
import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The pure-Java reference backend: the oracle the native backends are tested against. Every op follows the
 * semantics of torchlet.h on any strided layout. Floats are computed in double and rounded once to the
 * output dtype; sums are compensated and dot products use Dot2, so results are about as accurate as
 * double-double arithmetic. Written for clarity, never for speed: every element goes through
 * {@link #index}, which maps a row-major position to a storage index.
 */
public final class RefBackend implements Backend {
    /** The one reference backend instance. */
    public static final RefBackend INSTANCE = new RefBackend();

    private final Cleaner cleaner = Cleaner.create();
    private long bytesInUse, peakBytesInUse, liveBlocks, allocations; // guarded by this

    private RefBackend() {}

    @Override public String name() { return "reference"; }

    @Override public Device device() { return Device.CPU; }

    @Override public Storage allocate(DType dtype, long numel) {
        if (numel < 0 || numel > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("reference backend: " + numel + " elements do not fit a Java array");
        }
        return new RefStorage(this, dtype, (int) numel);
    }

    @Override public void fill(Strided out, double value) {
        for (long i = 0; i < out.numel(); i++) setD(out, index(out, i), value);
    }

    @Override public void copy(Strided src, Strided dst) {
        for (long i = 0; i < dst.numel(); i++) move(src, index(src, i), dst, index(dst, i));
    }

    @Override public void binary(BinaryOp op, Strided a, Strided b, Strided out) {
        boolean fp = a.dtype.isFloatingPoint();
        for (long i = 0; i < out.numel(); i++) {
            long ia = index(a, i), ib = index(b, i), io = index(out, i);
            if (fp) setD(out, io, binaryD(op, getD(a, ia), getD(b, ib)));
            else setL(out, io, binaryL(op, getL(a, ia), getL(b, ib)));
        }
    }

    @Override public void binaryScalar(BinaryOp op, Strided a, double s, boolean scalarFirst, Strided out) {
        boolean fp = a.dtype.isFloatingPoint();
        // PyTorch converts the scalar to the tensor's dtype before the op.
        double sd = a.dtype == DType.FLOAT32 ? (float) s : s;
        long sl = a.dtype == DType.INT64 ? toLong(s) : (s != 0 ? 1 : 0);
        for (long i = 0; i < out.numel(); i++) {
            long ia = index(a, i), io = index(out, i);
            if (fp) {
                double x = getD(a, ia);
                setD(out, io, scalarFirst ? binaryD(op, sd, x) : op == BinaryOp.POW ? powScalar(x, sd) : binaryD(op, x, sd));
            } else {
                long x = getL(a, ia);
                setL(out, io, scalarFirst ? binaryL(op, sl, x) : binaryL(op, x, sl));
            }
        }
    }

    @Override public void unary(UnaryOp op, Strided a, Strided out) {
        boolean fp = a.dtype.isFloatingPoint();
        for (long i = 0; i < out.numel(); i++) {
            long ia = index(a, i), io = index(out, i);
            if (fp) setD(out, io, unaryD(op, getD(a, ia)));
            else setL(out, io, unaryL(op, getL(a, ia)));
        }
    }

    @Override public void reduce(ReduceOp op, Strided in, int nReduced, Strided out, Strided indices) {
        if (in.numel() == 0) { // nothing to reduce (Tensor rejects the selecting ops here): the op's identity
            if (out != null) fill(out, op == ReduceOp.PROD ? 1 : op == ReduceOp.MEAN ? Double.NaN : 0);
            return;
        }
        int nKeep = in.dim() - nReduced;
        // Split the input into a view over the kept dims (with the offset) and one over the reduced dims.
        Strided keep = new Strided(in.storage, in.dtype, in.offset, Arrays.copyOfRange(in.shape, 0, nKeep),
                Arrays.copyOfRange(in.strides, 0, nKeep));
        Strided red = new Strided(in.storage, in.dtype, 0, Arrays.copyOfRange(in.shape, nKeep, in.dim()),
                Arrays.copyOfRange(in.strides, nKeep, in.dim()));
        for (long o = 0; o < keep.numel(); o++) {
            long base = index(keep, o);
            if (op.selects()) {
                long best = select(op, in, base, red);
                if (out != null) move(in, base + index(red, best), out, index(out, o));
                if (indices != null) setL(indices, index(indices, o), best);
            } else if (in.dtype.isFloatingPoint()) {
                setD(out, index(out, o), reduceD(op, in, base, red));
            } else {
                setL(out, index(out, o), reduceL(op, in, base, red));
            }
        }
    }

    @Override public void matmul(Strided a, Strided b, Strided out) {
        long batch = out.shape[0], m = out.shape[1], n = out.shape[2], k = a.shape[2];
        for (long p = 0; p < batch; p++) {
            for (long i = 0; i < m; i++) {
                for (long j = 0; j < n; j++) {
                    long io = at(out, p, i, j);
                    if (a.dtype.isFloatingPoint()) setD(out, io, dotD(a, b, p, i, j, k));
                    else setL(out, io, dotL(a, b, p, i, j, k));
                }
            }
        }
    }

    @Override public void sort(Strided in, boolean descending, Strided values, Strided indices) {
        long len = in.dim() == 0 ? 1 : in.shape[in.dim() - 1];
        long rows = len == 0 ? 0 : in.numel() / len;
        for (long r = 0; r < rows; r++) {
            long first = r * len;
            Integer[] order = new Integer[Math.toIntExact(len)];
            for (int j = 0; j < order.length; j++) order[j] = j;
            Comparator<Integer> ascending = (p, q) -> compare(in, index(in, first + p), index(in, first + q));
            // Arrays.sort on objects is a stable merge sort, so equal keys keep input order both ways.
            Arrays.sort(order, descending ? ascending.reversed() : ascending);
            for (int j = 0; j < order.length; j++) {
                move(in, index(in, first + order[j]), values, index(values, first + j));
                setL(indices, index(indices, first + j), order[j]);
            }
        }
    }

    /*
     * arange and linspace follow PyTorch's CPU fill loop (cpu_serial_kernel_vec with AVX2 vectors), as
     * src/main/cpp/creation.cpp does: over the first n - n % (2W) elements, blocks of W = 32 / itemSize are
     * base + j * step from one base per block; the rest one by one; `start + step * i` is a fused
     * multiply-add, as PyTorch's x86-64 builds compile it.
     */
    private static final int VECTOR_BYTES = 32;

    private static long vectorEnd(long n, int width) { return n - n % (2L * width); }

    @Override public void arange(Strided out, double start, double step) {
        long n = out.numel();
        if (!out.dtype.isFloatingPoint()) { // integer arange accumulates in int64: exact
            long s = (long) start, st = (long) step;
            for (long i = 0; i < n; i++) setL(out, index(out, i), s + st * i);
            return;
        }
        int w = VECTOR_BYTES / out.dtype.itemSize();
        long vecEnd = vectorEnd(n, w);
        for (long i = 0; i < n; i++) {
            double v;
            if (i < vecEnd) {
                long i0 = i - i % w;
                double base = Math.fma(step, i0, start); // accumulated in double, rounded to the dtype
                if (out.dtype == DType.FLOAT32) base = (float) base;
                v = Math.fma(i - i0, step, base);
            } else {
                v = Math.fma(step, i, start);
            }
            setD(out, index(out, i), v);
        }
    }

    /**
     * PyTorch's CPU linspace_kernel: start and end converted to the dtype, the step in the dtype's precision
     * (double for integers), and the second half counted back from end so that the last element is end.
     */
    @Override public void linspace(Strided out, double start, double end) {
        long n = out.numel();
        if (n == 0) return;
        if (out.dtype == DType.FLOAT32) {
            float s = (float) start, e = (float) end, step = n == 1 ? 0 : (e - s) / (n - 1); // float arithmetic
            long half = n / 2, vecEnd = vectorEnd(n, VECTOR_BYTES / 4);
            for (long i = 0; i < n; i++) {
                long i0 = i < vecEnd ? i - i % (VECTOR_BYTES / 4) : i;
                float base = i0 < half ? Math.fma(step, (float) i0, s) : Math.fma(-step, (float) (n - 1 - i0), e);
                setD(out, index(out, i), n == 1 ? s : base + (float) (i - i0) * step);
            }
        } else if (out.dtype == DType.FLOAT64) {
            double step = n == 1 ? 0 : (end - start) / (n - 1);
            long half = n / 2, vecEnd = vectorEnd(n, VECTOR_BYTES / 8);
            for (long i = 0; i < n; i++) {
                long i0 = i < vecEnd ? i - i % (VECTOR_BYTES / 8) : i;
                double base = i0 < half ? Math.fma(step, i0, start) : Math.fma(-step, n - 1 - i0, end);
                setD(out, index(out, i), n == 1 ? start : base + (i - i0) * step);
            }
        } else { // integers: start and end truncated first, the step in double, blocks of 4 truncated twice
            double s = toLong(start), e = toLong(end);
            double step = n == 1 ? 0 : (e - s) / (n - 1);
            long half = n / 2, vecEnd = vectorEnd(n, VECTOR_BYTES / 8);
            for (long i = 0; i < n; i++) {
                long i0 = i < vecEnd ? i - i % (VECTOR_BYTES / 8) : i;
                long base = toLong(i0 < half ? Math.fma(step, i0, s) : Math.fma(-step, n - 1 - i0, e));
                setL(out, index(out, i), n == 1 ? (long) s : i == i0 ? base : toLong(base + (i - i0) * step));
            }
        }
    }

    // ----------------------------------------------------------- autograd, loss and optimizer kernels

    /** The scalar of an elementwise formula, converted to the tensors' dtype first as PyTorch does. */
    private static double scalarIn(DType dtype, double s) { return dtype == DType.FLOAT32 ? (float) s : s; }

    @Override public void where(Strided cond, Strided a, Strided b, Strided out) {
        for (long i = 0; i < out.numel(); i++) {
            boolean c = getL(cond, index(cond, i)) != 0;
            Strided from = c ? a : b;
            move(from, index(from, i), out, index(out, i));
        }
    }

    @Override public long scatter(Strided src, Strided index, Strided out) {
        long m = src.shape[src.dim() - 1], n = out.shape[out.dim() - 1];
        for (long i = 0; i < index.numel(); i++) {
            long k = getL(index, index(index, i));
            if (k < 0 || k >= n) return i;
        }
        for (long i = 0; i < src.numel(); i++) {
            long row = i / m;
            move(src, index(src, i), out, index(out, row * n + getL(index, index(index, i))));
        }
        return -1;
    }

    @Override public void grad(GradOp op, Strided a, Strided b, Strided g, double s, Strided out) {
        double sd = scalarIn(out.dtype, s);
        double exponent = scalarIn(out.dtype, s - 1); // PyTorch: self.pow(s - 1), s - 1 a double Scalar
        for (long i = 0; i < out.numel(); i++) {
            double x = getD(a, index(a, i)), gi = getD(g, index(g, i));
            double y = op.usesB() ? getD(b, index(b, i)) : 0;
            double r = switch (op) {
                case RELU -> x <= 0 ? 0 : gi; // threshold_backward: NaN <= 0 is false, so NaN passes g
                case SIGMOID -> gi * (1 - x) * x;
                case TANH -> gi * (1 - x * x);
                case POW_SCALAR -> sd == 0 ? 0 : gi * (sd * pow(x, exponent));
                case MSE -> sd * (x - y) * gi;
                case BCE_LOGITS -> sd * (1 / (1 + Math.exp(-x)) - y) * gi;
            };
            setD(out, index(out, i), r);
        }
    }

    @Override public void softmax(Strided in, boolean log, Strided out) {
        long len = in.dim() == 0 ? 1 : in.shape[in.dim() - 1];
        long rows = len == 0 ? 0 : in.numel() / len;
        for (long r = 0; r < rows; r++) {
            double[] x = row(in, r * len, len);
            double max = rowMax(x), sum = sumExp(x, max), logSum = Math.log(sum);
            for (int j = 0; j < len; j++) {
                double v = log ? (x[j] - max) - logSum : Math.exp(x[j] - max) / sum;
                setD(out, index(out, r * len + j), v);
            }
        }
    }

    @Override public void softmaxBackward(Strided g, Strided y, boolean log, Strided gradIn) {
        long len = g.dim() == 0 ? 1 : g.shape[g.dim() - 1];
        long rows = len == 0 ? 0 : g.numel() / len;
        for (long r = 0; r < rows; r++) {
            double[] gr = row(g, r * len, len), out = row(y, r * len, len), prod = new double[(int) len];
            for (int j = 0; j < len; j++) prod[j] = gr[j] * out[j];
            double sum = log ? compensatedSum(gr) : compensatedSum(prod);
            for (int j = 0; j < len; j++) {
                double v = log ? gr[j] - Math.exp(out[j]) * sum : out[j] * (gr[j] - sum);
                setD(gradIn, index(gradIn, r * len + j), v);
            }
        }
    }

    @Override public long crossEntropy(Strided logits, Strided target, long ignoreIndex, double labelSmoothing,
                                       Strided losses) {
        long n = logits.shape[0], classes = logits.shape[1];
        long bad = firstBadTarget(target, n, classes, ignoreIndex);
        if (bad >= 0) return bad;
        for (long i = 0; i < n; i++) {
            long t = getL(target, index(target, i));
            double loss = 0;
            if (t != ignoreIndex) {
                double[] logp = logSoftmaxRow(logits, i, classes);
                loss = -(1 - labelSmoothing) * logp[(int) t];
                // only with smoothing: 0 * sum would turn a -inf log-probability into NaN
                if (labelSmoothing != 0) loss -= labelSmoothing / classes * compensatedSum(logp);
            }
            setD(losses, index(losses, i), loss);
        }
        return -1;
    }

    @Override public long crossEntropyBackward(Strided logits, Strided target, Strided g, long ignoreIndex,
                                               double labelSmoothing, Strided gradLogits) {
        long n = logits.shape[0], classes = logits.shape[1];
        long bad = firstBadTarget(target, n, classes, ignoreIndex);
        if (bad >= 0) return bad;
        for (long i = 0; i < n; i++) {
            long t = getL(target, index(target, i));
            double gi = getD(g, index(g, i));
            double[] logp = t == ignoreIndex ? null : logSoftmaxRow(logits, i, classes);
            for (int c = 0; c < classes; c++) {
                double v = 0;
                if (logp != null) {
                    double p = Math.exp(logp[c]), onehot = c == t ? 1 : 0;
                    v = gi * (p - (1 - labelSmoothing) * onehot - labelSmoothing / classes);
                }
                setD(gradLogits, index(gradLogits, i * classes + c), v);
            }
        }
        return -1;
    }

    /** The first row whose target is neither in [0, classes) nor ignoreIndex, or -1. */
    private static long firstBadTarget(Strided target, long n, long classes, long ignoreIndex) {
        for (long i = 0; i < n; i++) {
            long t = getL(target, index(target, i));
            if (t != ignoreIndex && (t < 0 || t >= classes)) return i;
        }
        return -1;
    }

    @Override public void sgdStep(Strided param, Strided grad, Strided momentumBuffer, double lr, double momentum,
                                  double dampening, double weightDecay, boolean nesterov, boolean firstStep) {
        for (long i = 0; i < param.numel(); i++) {
            long ip = index(param, i);
            double p = getD(param, ip), d = getD(grad, index(grad, i));
            if (weightDecay != 0) d = d + weightDecay * p;
            if (momentum != 0) {
                long ib = index(momentumBuffer, i);
                double buf = firstStep ? d : momentum * getD(momentumBuffer, ib) + (1 - dampening) * d;
                setD(momentumBuffer, ib, buf);
                buf = getD(momentumBuffer, ib); // the stored (rounded) buffer is what PyTorch reads back
                d = nesterov ? d + momentum * buf : buf;
            }
            setD(param, ip, p - lr * d);
        }
    }

    @Override public void rmspropStep(Strided param, Strided grad, Strided squareAvg, Strided gradAvg,
                                      Strided momentumBuffer, double lr, double alpha, double eps, double weightDecay,
                                      double momentum) {
        for (long i = 0; i < param.numel(); i++) {
            long ip = index(param, i), isq = index(squareAvg, i);
            double p = getD(param, ip), g = getD(grad, index(grad, i));
            if (weightDecay != 0) g = g + weightDecay * p;
            setD(squareAvg, isq, alpha * getD(squareAvg, isq) + (1 - alpha) * g * g);
            double sq = getD(squareAvg, isq), avg;
            if (gradAvg != null) {
                long iga = index(gradAvg, i);
                double ga = getD(gradAvg, iga);
                setD(gradAvg, iga, ga + (1 - alpha) * (g - ga)); // lerp(ga, g, 1 - alpha)
                ga = getD(gradAvg, iga);
                avg = Math.sqrt(sq - ga * ga) + eps;
            } else {
                avg = Math.sqrt(sq) + eps;
            }
            if (momentum > 0) {
                long ib = index(momentumBuffer, i);
                setD(momentumBuffer, ib, momentum * getD(momentumBuffer, ib) + g / avg);
                setD(param, ip, p - lr * getD(momentumBuffer, ib));
            } else {
                setD(param, ip, p - lr * g / avg);
            }
        }
    }

    @Override public void adamStep(Strided param, Strided grad, Strided expAvg, Strided expAvgSq, Strided maxExpAvgSq,
                                   long step, double lr, double beta1, double beta2, double eps, double weightDecay,
                                   boolean decoupled) {
        double bc1 = 1 - Math.pow(beta1, step), bc2 = 1 - Math.pow(beta2, step), stepSize = lr / bc1;
        for (long i = 0; i < param.numel(); i++) {
            long ip = index(param, i), im = index(expAvg, i), iv = index(expAvgSq, i);
            double g = getD(grad, index(grad, i));
            if (decoupled) {
                setD(param, ip, getD(param, ip) * (1 - lr * weightDecay));
            } else if (weightDecay != 0) {
                g = g + weightDecay * getD(param, ip);
            }
            double m = getD(expAvg, im);
            setD(expAvg, im, m + (1 - beta1) * (g - m)); // lerp(expAvg, g, 1 - beta1)
            setD(expAvgSq, iv, beta2 * getD(expAvgSq, iv) + (1 - beta2) * g * g);
            double v = getD(expAvgSq, iv);
            if (maxExpAvgSq != null) {
                long ix = index(maxExpAvgSq, i);
                setD(maxExpAvgSq, ix, Math.max(getD(maxExpAvgSq, ix), v)); // NaN propagates, as torch.maximum
                v = getD(maxExpAvgSq, ix);
            }
            double denom = Math.sqrt(v) / Math.sqrt(bc2) + eps;
            setD(param, ip, getD(param, ip) - stepSize * getD(expAvg, im) / denom);
        }
    }

    /** The len elements of s at row-major positions first, first + 1, ... as doubles. */
    private static double[] row(Strided s, long first, long len) {
        double[] r = new double[Math.toIntExact(len)];
        for (int j = 0; j < r.length; j++) r[j] = getD(s, index(s, first + j));
        return r;
    }

    /** The largest element; NaN if any is NaN; -inf for an empty row. */
    private static double rowMax(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) max = Math.max(max, v);
        return max;
    }

    private static double sumExp(double[] x, double max) {
        double[] e = new double[x.length];
        for (int j = 0; j < x.length; j++) e[j] = Math.exp(x[j] - max);
        return compensatedSum(e);
    }

    /** log_softmax of row i of a [N, C] logits view: x - max - log(sum(exp(x - max))). */
    private static double[] logSoftmaxRow(Strided logits, long i, long classes) {
        double[] x = row(logits, i * classes, classes);
        double max = rowMax(x), logSum = Math.log(sumExp(x, max));
        for (int c = 0; c < x.length; c++) x[c] = (x[c] - max) - logSum;
        return x;
    }

    /** Sum with TwoSum error compensation (as reduceD). */
    private static double compensatedSum(double[] x) {
        double s = 0, c = 0;
        for (double v : x) {
            double t = s + v;
            c += twoSumError(s, v, t);
            s = t;
        }
        return Double.isFinite(s) ? s + c : s;
    }

    @Override public void write(Strided dst, Object array) {
        for (long i = 0; i < dst.numel(); i++) {
            long at = index(dst, i);
            int k = (int) i;
            switch (dst.dtype) {
                case FLOAT32 -> setD(dst, at, ((float[]) array)[k]);
                case FLOAT64 -> setD(dst, at, ((double[]) array)[k]);
                case INT64 -> setL(dst, at, ((long[]) array)[k]);
                case BOOL -> setL(dst, at, ((boolean[]) array)[k] ? 1 : 0);
            }
        }
    }

    @Override public Object read(Strided src) {
        int n = Math.toIntExact(src.numel());
        switch (src.dtype) {
            case FLOAT32: {
                float[] r = new float[n];
                for (int i = 0; i < n; i++) r[i] = (float) getD(src, index(src, i));
                return r;
            }
            case FLOAT64: {
                double[] r = new double[n];
                for (int i = 0; i < n; i++) r[i] = getD(src, index(src, i));
                return r;
            }
            case INT64: {
                long[] r = new long[n];
                for (int i = 0; i < n; i++) r[i] = getL(src, index(src, i));
                return r;
            }
            default: {
                boolean[] r = new boolean[n];
                for (int i = 0; i < n; i++) r[i] = getL(src, index(src, i)) != 0;
                return r;
            }
        }
    }

    /** Bytes as numel * itemSize (what native storages count), of the storages neither freed nor collected. */
    @Override public synchronized MemoryStats memoryStats() {
        return new MemoryStats(bytesInUse, peakBytesInUse, 0, liveBlocks, allocations, 0);
    }

    /** Counts a new storage; the returned cleanable uncounts it once, on free() or when the GC collects it. */
    Cleaner.Cleanable track(RefStorage storage, long nbytes) {
        synchronized (this) {
            bytesInUse += nbytes;
            peakBytesInUse = Math.max(peakBytesInUse, bytesInUse);
            liveBlocks++;
            allocations++;
        }
        return cleaner.register(storage, () -> released(nbytes)); // the action must not capture storage
    }

    private synchronized void released(long nbytes) {
        bytesInUse -= nbytes;
        liveBlocks--;
    }

    // ------------------------------------------------------------------------------------- element access

    /** Storage index of the element at row-major position {@code linear} of s (any strides, 0 included). */
    static long index(Strided s, long linear) {
        long at = s.offset;
        for (int d = s.dim() - 1; d >= 0; d--) {
            at += linear % s.shape[d] * s.strides[d];
            linear /= s.shape[d];
        }
        return at;
    }

    /** Storage index of element (p, i, j) of a 3-d s. */
    private static long at(Strided s, long p, long i, long j) {
        return s.offset + p * s.strides[0] + i * s.strides[1] + j * s.strides[2];
    }

    /** A float32/float64 element. */
    private static double getD(Strided s, long at) {
        return ((RefStorage) s.storage).doubles[Math.toIntExact(at)];
    }

    /** An int64 or bool (0/1) element. */
    private static long getL(Strided s, long at) {
        return ((RefStorage) s.storage).longs[Math.toIntExact(at)];
    }

    /** Stores v converted to s's dtype: float32 rounds, int64 truncates (see toLong), bool is v != 0. */
    private static void setD(Strided s, long at, double v) {
        RefStorage st = (RefStorage) s.storage;
        int k = Math.toIntExact(at);
        switch (s.dtype) {
            case FLOAT32 -> st.doubles[k] = (float) v;
            case FLOAT64 -> st.doubles[k] = v;
            case INT64 -> st.longs[k] = toLong(v);
            case BOOL -> st.longs[k] = v != 0 ? 1 : 0; // NaN != 0 is true
        }
    }

    /** Stores v converted to s's dtype. long to float32 rounds once (not via double, which could round twice). */
    private static void setL(Strided s, long at, long v) {
        RefStorage st = (RefStorage) s.storage;
        int k = Math.toIntExact(at);
        switch (s.dtype) {
            case FLOAT32 -> st.doubles[k] = (float) v;
            case FLOAT64 -> st.doubles[k] = v;
            case INT64 -> st.longs[k] = v;
            case BOOL -> st.longs[k] = v != 0 ? 1 : 0;
        }
    }

    /** dst element = src element converted to dst's dtype. */
    private static void move(Strided src, long si, Strided dst, long di) {
        if (src.dtype.isFloatingPoint()) setD(dst, di, getD(src, si));
        else setL(dst, di, getL(src, si));
    }

    /** Float to int64 truncates toward zero; NaN and out-of-range give Long.MIN_VALUE, as x86's cvttsd2si does. */
    static long toLong(double v) {
        if (Double.isNaN(v) || v >= 0x1p63 || v < -0x1p63) return Long.MIN_VALUE;
        return (long) v;
    }

    // ----------------------------------------------------------------------------------------- elementwise

    /** Comparisons give 1 or 0 (stored as bool); NaN compares false except in NE. */
    private static double binaryD(BinaryOp op, double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case POW -> pow(x, y);
            // NaN propagates; otherwise C++'s std::max and std::min (what the native kernels and PyTorch's scalar
            // loops use): of two equal values, -0.0 and 0.0 included, the first (Math.max would take 0.0)
            case MAXIMUM -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : x < y ? y : x;
            case MINIMUM -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : y < x ? y : x;
            case EQ -> x == y ? 1 : 0;
            case NE -> x != y ? 1 : 0;
            case LT -> x < y ? 1 : 0;
            case LE -> x <= y ? 1 : 0;
            case GT -> x > y ? 1 : 0;
            case GE -> x >= y ? 1 : 0;
        };
    }

    /**
     * Exact wrapping long arithmetic. Bool operands (0/1) go through here too and are stored as != 0, which
     * makes ADD and MAXIMUM an or, MUL and MINIMUM an and.
     */
    private static long binaryL(BinaryOp op, long x, long y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> y == 0 ? 0 : x / y; // truncates toward zero; MIN_VALUE / -1 wraps to MIN_VALUE
            case POW -> powL(x, y);
            case MAXIMUM -> Math.max(x, y);
            case MINIMUM -> Math.min(x, y);
            case EQ -> x == y ? 1 : 0;
            case NE -> x != y ? 1 : 0;
            case LT -> x < y ? 1 : 0;
            case LE -> x <= y ? 1 : 0;
            case GT -> x > y ? 1 : 0;
            case GE -> x >= y ? 1 : 0;
        };
    }

    /** C's pow (what the native kernels call): unlike Math.pow, pow(1, y) = 1 for every y, pow(-1, ±inf) = 1. */
    private static double pow(double x, double y) {
        if (x == 1 || (x == -1 && Double.isInfinite(y))) return 1;
        return Math.pow(x, y);
    }

    /**
     * x ** e for a float tensor and a scalar: PyTorch's fast paths (pow_tensor_scalar_optimized_kernel), which
     * differ from C's pow at special values: (-inf) ** 0.5 is sqrt(-inf) = NaN, (-0.0) ** -0.5 is -inf.
     */
    private static double powScalar(double x, double e) {
        if (e == 2) return x * x;
        if (e == 3) return x * x * x;
        if (e == 0.5) return Math.sqrt(x);
        if (e == -0.5) return 1 / Math.sqrt(x);
        if (e == -1) return 1 / x;
        if (e == -2) return 1 / (x * x);
        return pow(x, e);
    }

    /** PyTorch's integer pow: squaring with wrapping multiplication; a negative exponent only keeps ±1. */
    private static long powL(long base, long exp) {
        if (exp < 0) {
            if (base == 1) return 1;
            if (base == -1) return exp % 2 == 0 ? 1 : -1;
            return 0;
        }
        long result = 1;
        while (exp != 0) {
            if ((exp & 1) != 0) result *= base;
            exp >>= 1;
            base *= base;
        }
        return result;
    }

    private static double unaryD(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case RELU -> x < 0 ? 0.0 : x; // PyTorch's clamp_min(x, 0): NaN stays NaN, -0.0 stays -0.0
        };
    }

    private static long unaryL(UnaryOp op, long x) {
        return switch (op) {
            case NEG -> -x; // wraps: -MIN_VALUE is MIN_VALUE
            case ABS -> Math.abs(x);
            case RELU -> Math.max(x, 0);
            default -> throw new IllegalArgumentException("reference backend: " + op.torchName + " of int64");
        };
    }

    // ------------------------------------------------------------------------------------------ reductions

    /** Row-major position of the first maximum (MAX, ARGMAX) or minimum within red; the first NaN wins. */
    private static long select(ReduceOp op, Strided in, long base, Strided red) {
        if (red.numel() == 0) throw new IllegalArgumentException(op.torchName + " of an empty reduction");
        boolean max = op == ReduceOp.MAX || op == ReduceOp.ARGMAX;
        long best = 0;
        for (long r = 1; r < red.numel(); r++) {
            long i = base + index(red, r), b = base + index(red, best);
            if (in.dtype.isFloatingPoint()) {
                double x = getD(in, i), y = getD(in, b);
                if (Double.isNaN(y)) break;
                if (Double.isNaN(x) || (max ? x > y : x < y)) best = r;
            } else {
                long x = getL(in, i), y = getL(in, b);
                if (max ? x > y : x < y) best = r;
            }
        }
        return best;
    }

    /** SUM, MEAN, PROD of float elements in double; sums compensated with TwoSum (Sum2 of Ogita-Rump-Oishi). */
    private static double reduceD(ReduceOp op, Strided in, long base, Strided red) {
        long count = red.numel();
        if (op == ReduceOp.PROD) {
            double p = 1;
            for (long r = 0; r < count; r++) p *= getD(in, base + index(red, r));
            return p;
        }
        double s = 0, c = 0;
        for (long r = 0; r < count; r++) {
            double x = getD(in, base + index(red, r)), t = s + x;
            c += twoSumError(s, x, t);
            s = t;
        }
        double sum = Double.isFinite(s) ? s + c : s; // with inf or NaN the error terms are NaN, s is right
        return op == ReduceOp.MEAN ? sum / count : sum; // empty MEAN: 0 / 0 = NaN
    }

    /** SUM, PROD of int64 or bool elements, exact wrapping. */
    private static long reduceL(ReduceOp op, Strided in, long base, Strided red) {
        if (op != ReduceOp.SUM && op != ReduceOp.PROD) {
            throw new IllegalArgumentException("reference backend: " + op.torchName + " of " + in.dtype);
        }
        long acc = op == ReduceOp.SUM ? 0 : 1;
        for (long r = 0; r < red.numel(); r++) {
            long x = getL(in, base + index(red, r));
            acc = op == ReduceOp.SUM ? acc + x : acc * x;
        }
        return acc;
    }

    /** The rounding error of s = fl(a + b): a + b == s + error exactly (Knuth's TwoSum). */
    private static double twoSumError(double a, double b, double s) {
        double bb = s - a;
        return (a - (s - bb)) + (b - bb);
    }

    // ---------------------------------------------------------------------------------------------- matmul

    /** Dot2 (Ogita-Rump-Oishi): TwoProduct by fma plus TwoSum, as accurate as if computed in twice double. */
    private static double dotD(Strided a, Strided b, long p, long i, long j, long k) {
        double sum = 0, err = 0;
        for (long q = 0; q < k; q++) {
            double x = getD(a, at(a, p, i, q)), y = getD(b, at(b, p, q, j));
            double h = x * y, t = sum + h;
            err += twoSumError(sum, h, t) + Math.fma(x, y, -h); // fma gives x * y - h exactly
            sum = t;
        }
        return Double.isFinite(sum) ? sum + err : sum;
    }

    private static long dotL(Strided a, Strided b, long p, long i, long j, long k) {
        long sum = 0;
        for (long q = 0; q < k; q++) sum += getL(a, at(a, p, i, q)) * getL(b, at(b, p, q, j));
        return sum;
    }

    // ------------------------------------------------------------------------------------------------ sort

    /** Ascending order with NaN above every number and NaNs equal; -0.0 and 0.0 tie, as with PyTorch's <. */
    private static int compare(Strided s, long i, long j) {
        if (!s.dtype.isFloatingPoint()) return Long.compare(getL(s, i), getL(s, j));
        double x = getD(s, i), y = getD(s, j);
        if (Double.isNaN(x) || Double.isNaN(y)) return Boolean.compare(Double.isNaN(x), Double.isNaN(y));
        return x < y ? -1 : x > y ? 1 : 0;
    }
}

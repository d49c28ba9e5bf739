package dev.torchlet;

import dev.torchlet.backend.Backend;
import dev.torchlet.backend.MemoryStats;
import dev.torchlet.backend.Strided;
import dev.torchlet.backend.cpu.CpuBackend;
import dev.torchlet.backend.ref.RefBackend;
import dev.torchlet.nn.Reduction;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code torch} module: tensor creation, functions over several tensors, memory scopes and settings.
 *
 * <p>CPU tensors run on the native backend. Setting {@code -Dtorchlet.backend=reference} (or calling
 * {@link #setCpuBackend(String)} before creating tensors) runs any program on the pure-Java reference
 * backend instead, which computes in double precision and serves as the oracle in tests.
 */
public final class Torch {
    private static volatile Backend cpuBackend = backendNamed(System.getProperty("torchlet.backend", "native"));

    private Torch() {}

    // -------------------------------------------------------------------------------------------- backends

    /** "native" (default) or "reference": the backend that new CPU tensors use. */
    public static void setCpuBackend(String name) { cpuBackend = backendNamed(name); }

    /** The name of the backend new CPU tensors use. */
    public static String cpuBackend() { return cpuBackend == CpuBackend.INSTANCE ? "native" : "reference"; }

    private static Backend backendNamed(String name) {
        switch (name) {
            case "native": return CpuBackend.INSTANCE;
            case "reference": return RefBackend.INSTANCE;
            default:
                throw new IllegalArgumentException("torchlet.backend must be \"native\" or \"reference\", got \"" + name
                        + "\"");
        }
    }

    static Backend backendFor(Device device) {
        if (device.isCuda()) throw new IllegalStateException("Torch not compiled with CUDA enabled");
        return cpuBackend;
    }

    // ---------------------------------------------------------------------------------------------- memory

    /**
     * Opens a scope on this thread: tensors created until it closes are freed when it closes, except those
     * passed to {@link Scope#keep}. Use with try-with-resources.
     */
    public static Scope scope() { return new Scope(); }

    /** Native memory accounting of the CPU backend (bytes in use, peak, live blocks, ...). */
    public static MemoryStats memoryStats() { return CpuBackend.INSTANCE.memoryStats(); }

    /**
     * Gives the CPU blocks torchlet keeps for reuse (freed blocks of 64 KiB and more, at most 512 MiB)
     * back to the system; {@link #memoryStats()} reports them as bytesCached.
     */
    public static void emptyCache() { CpuBackend.INSTANCE.allocator().emptyCache(); }

    /**
     * Threads the native CPU kernels may use for one op, as torch.set_num_threads: elementwise ops, copies,
     * fills and reductions above about 64K elements, and matmul (fixed output tiles and the batch, each
     * tile one single-threaded OpenBLAS call), split their work over a pool of n threads (the calling
     * thread and n - 1 workers). The default is the number of CPUs the process may run on (affinity mask,
     * cgroup quota). Results are bit for bit the same for every n.
     *
     * @throws IllegalArgumentException when n < 1
     */
    public static void setNumThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("set_num_threads expects a positive integer, got " + n);
        CpuBackend.INSTANCE.setNumThreads(n);
    }

    /** The threads the native CPU kernels use for one op (torch.get_num_threads). */
    public static int getNumThreads() { return CpuBackend.INSTANCE.getNumThreads(); }

    /**
     * Native bytes in use above which an allocation first asks the JVM to collect unreachable tensors
     * (default 1 GiB, or {@code -Dtorchlet.gcThresholdBytes}). Programs that close or scope their tensors
     * never reach it.
     */
    public static void setGcThreshold(long bytes) { CpuBackend.INSTANCE.allocator().setGcThreshold(bytes); }

    /**
     * How tensors print, as torch.set_printoptions: digits after the point (4), element count above which
     * tensors are summarized with "..." (1000), items kept at each edge when summarized (3), line width
     * (80), and scientific notation forced on or off (null: PyTorch's automatic choice).
     */
    public static void setPrintOptions(int precision, int threshold, int edgeItems, int lineWidth, Boolean sciMode) {
        PrintOptions.set(new PrintOptions(precision, threshold, edgeItems, lineWidth, sciMode));
    }

    // -------------------------------------------------------------------------------- saving and loading

    /**
     * Saves stateDict to path in the safetensors format, the format Hugging Face and PyTorch users exchange
     * weights in, with the metadata {@code {"format": "pt"}} (what transformers' save_pretrained writes):
     * the file loads with Python's {@code safetensors.torch.load_file(path)}, and is byte for byte what
     * {@code save_file(state_dict, path, metadata={"format": "pt"})} writes for the same tensors.
     *
     * <p>stateDict is usually {@code module.stateDict()}: a map of tensors (float32, float64, int64, bool;
     * non-contiguous ones are written contiguous, CUDA ones through the host). It may also be nested, as
     * {@code optimizer.stateDict()} is, or a checkpoint map of several state dicts: maps with string keys,
     * lists, tensors, byte[] (stored as U8 tensors, like {@code torch.get_rng_state()}), numbers, booleans,
     * strings and null. Then each tensor is stored under its dotted key path ("state.0.exp_avg"), and the
     * structure with every non-tensor value as JSON in the metadata entry "torchlet.structure";
     * {@link #loadDict} rebuilds it. The file is written beside path and renamed over it: saving over a
     * file whose tensors are still in use (memory-mapped) is safe.
     *
     * @throws IllegalArgumentException for a value that cannot be stored, or two values stored as one name
     * @throws java.io.UncheckedIOException when the file cannot be written
     */
    public static void save(Map<String, ?> stateDict, Path path) { save(stateDict, path, Map.of("format", "pt")); }

    /**
     * {@link #save(Map, Path)} with exactly the given metadata (strings to strings; empty writes no
     * {@code __metadata__}), as {@code save_file(tensors, path, metadata)}.
     */
    public static void save(Map<String, ?> stateDict, Path path, Map<String, String> metadata) {
        Safetensors.save(stateDict, path, metadata);
    }

    /**
     * The tensors of the safetensors file at path, by name, in file order, like Python's
     * {@code safetensors.torch.load_file(path)}: F32, F64, I64 and BOOL as float32, float64, int64 and
     * bool; F16 and BF16 widened exactly to float32; I32, I16, I8, U8, U16 and U32 widened to int64. Other
     * dtypes (U64, C64, the F8, F6 and F4 types) raise.
     *
     * <p>Tensors of 1 MiB and more are memory-mapped copy-on-write: nothing is copied or read until used,
     * and in-place changes stay private (the file never changes); the mapping is removed when the tensor's
     * storage is freed, by {@code close()}, a {@link #scope()}, or the collector. Smaller tensors are
     * copied into native memory. Nothing passes through the Java heap. So
     * {@code try (var s = Torch.scope()) { model.loadStateDict(Torch.load(path)); }} restores a model and
     * unmaps the file at once. Do not truncate or rewrite in place a file whose tensors are in use (a
     * mapped page that vanishes crashes the process, as with any memory map); {@link #save} replaces files
     * by renaming, which is safe.
     *
     * @throws SafetensorsException when the file is not valid safetensors (truncated, a header longer than
     *     the file or than 100 MB, invalid JSON, offsets out of range, overlapping or leaving gaps, unknown
     *     dtypes, sizes that overflow or do not match): raised before anything of the declared sizes is
     *     allocated
     * @throws java.io.UncheckedIOException when the file cannot be read or mapped
     */
    public static Map<String, Tensor> load(Path path) { return Safetensors.load(path, true); }

    /**
     * {@link #load(Path)}; with mmap false, every tensor is copied once (natively, not through the heap)
     * into storage of its own, and the file is not used after this returns.
     */
    public static Map<String, Tensor> load(Path path, boolean mmap) { return Safetensors.load(path, mmap); }

    /**
     * What {@link #save} stored, nested as it was: {@code optimizer.loadStateDict(Torch.loadDict(path))}.
     * Maps come back as LinkedHashMaps, lists as ArrayLists, integers as Long, floating values as Double,
     * byte[] as byte[]; a file without torchlet's structure (a plain state dict, or a file from Python)
     * gives its tensors by name.
     *
     * @throws SafetensorsException as {@link #load(Path)} does, or for a structure that is not valid
     */
    public static Map<String, Object> loadDict(Path path) { return Safetensors.loadDict(path); }

    /**
     * The {@code __metadata__} of the safetensors file at path (empty when it has none), as Python's
     * {@code safe_open(path, "pt").metadata()}; reads and checks only the header.
     */
    public static Map<String, String> loadMetadata(Path path) { return Safetensors.metadata(path); }

    // -------------------------------------------------------------------------------------------- creation

    /** A 1-D float32 tensor, like {@code torch.tensor([2.5, 4.0])}. */
    public static Tensor tensor(float... values) { return fromArray(DType.FLOAT32, new long[] {values.length}, values); }

    /** A 1-D float32 tensor (Python floats become the default dtype); see {@link #tensor(double[], DType)}. */
    public static Tensor tensor(double... values) { return tensor(values, DType.FLOAT32); }

    public static Tensor tensor(double[] values, DType dtype) {
        return convert(fromArray(DType.FLOAT64, new long[] {values.length}, values), dtype);
    }

    /** A 1-D int64 tensor, like {@code torch.tensor([1, 2, 3])}. */
    public static Tensor tensor(long... values) { return fromArray(DType.INT64, new long[] {values.length}, values); }

    public static Tensor tensor(boolean... values) { return fromArray(DType.BOOL, new long[] {values.length}, values); }

    public static Tensor tensor(float[][] rows) {
        long[] shape = matrixShape(rows);
        return fromArray(DType.FLOAT32, shape, flatten(rows, new float[elements(shape)], (int) shape[1]));
    }

    public static Tensor tensor(double[][] rows) { return tensor(rows, DType.FLOAT32); }

    public static Tensor tensor(double[][] rows, DType dtype) {
        long[] shape = matrixShape(rows);
        return convert(fromArray(DType.FLOAT64, shape, flatten(rows, new double[elements(shape)], (int) shape[1])), dtype);
    }

    public static Tensor tensor(long[][] rows) {
        long[] shape = matrixShape(rows);
        return fromArray(DType.INT64, shape, flatten(rows, new long[elements(shape)], (int) shape[1]));
    }

    /** A 0-dim float32 tensor, like {@code torch.tensor(3.5)}. */
    public static Tensor scalarTensor(double value) { return scalarTensor(value, DType.FLOAT32); }

    /** A 0-dim int64 tensor, like {@code torch.tensor(3)}. */
    public static Tensor scalarTensor(long value) { return fromArray(DType.INT64, new long[0], new long[] {value}); }

    public static Tensor scalarTensor(double value, DType dtype) { return full(new long[0], value, dtype); }

    private static Tensor fromArray(DType dtype, long[] shape, Object array) {
        return Tensor.fromArray(cpuBackend, dtype, shape, array);
    }

    /** t as dtype; t itself is closed when a converted copy replaces it. */
    private static Tensor convert(Tensor t, DType dtype) {
        if (t.dtype() == dtype) return t;
        try (t) {
            return t.to(dtype);
        }
    }

    /** [rows, cols] of a rectangular Java matrix (float[][], double[][] or long[][]), as torch.tensor checks it. */
    private static long[] matrixShape(Object[] rows) {
        int cols = rows.length == 0 ? 0 : java.lang.reflect.Array.getLength(rows[0]);
        for (Object row : rows) {
            int length = java.lang.reflect.Array.getLength(row);
            if (length != cols) {
                throw new IllegalArgumentException("expected sequence of length " + cols + " at dim 1 (got " + length + ")");
            }
        }
        return new long[] {rows.length, cols};
    }

    private static int elements(long[] shape) { return Math.toIntExact(shape[0] * shape[1]); }

    /** The rows (each of cols elements) end to end in flat, which is returned. */
    private static <A> A flatten(Object[] rows, A flat, int cols) {
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, flat, i * cols, cols);
        return flat;
    }

    /** Uninitialized float32 memory of the given shape. */
    public static Tensor empty(long... shape) { return empty(shape, DType.FLOAT32); }

    public static Tensor empty(long[] shape, DType dtype) { return Tensor.empty(cpuBackend, dtype, shape); }

    public static Tensor zeros(long... shape) { return zeros(shape, DType.FLOAT32); }

    public static Tensor zeros(long[] shape, DType dtype) { return full(shape, 0, dtype); }

    public static Tensor ones(long... shape) { return ones(shape, DType.FLOAT32); }

    public static Tensor ones(long[] shape, DType dtype) { return full(shape, 1, dtype); }

    /** A float32 tensor filled with value. */
    public static Tensor full(long[] shape, double value) { return full(shape, value, DType.FLOAT32); }

    /** An int64 tensor filled with value, as {@code torch.full(shape, 3)} is. */
    public static Tensor full(long[] shape, long value) { return full(shape, value, DType.INT64); }

    public static Tensor full(long[] shape, double value, DType dtype) {
        Tensor t = empty(shape, dtype);
        return t.fill_(value);
    }

    public static Tensor zerosLike(Tensor t) { return zeros(t.shape().toArray(), t.dtype()); }

    public static Tensor onesLike(Tensor t) { return ones(t.shape().toArray(), t.dtype()); }

    public static Tensor emptyLike(Tensor t) { return empty(t.shape().toArray(), t.dtype()); }

    /** int64 values 0, 1, ..., end-1. */
    public static Tensor arange(long end) { return arange(0, end, 1); }

    public static Tensor arange(long start, long end) { return arange(start, end, 1); }

    public static Tensor arange(long start, long end, long step) { return arange(start, end, step, DType.INT64); }

    /** float32 values start, start+step, ... below end. */
    public static Tensor arange(double start, double end, double step) { return arange(start, end, step, DType.FLOAT32); }

    public static Tensor arange(double start, double end, double step, DType dtype) {
        if (step == 0) throw new IllegalArgumentException("step must be nonzero");
        if (!Double.isFinite(start) || !Double.isFinite(end)) {
            throw new IllegalArgumentException("unsupported range: " + start + " -> " + end);
        }
        if ((step > 0 && end < start) || (step < 0 && end > start)) {
            throw new IllegalArgumentException("upper bound and larger bound inconsistent with step sign");
        }
        if (dtype == DType.BOOL) throw new IllegalArgumentException("\"arange_cpu\" not implemented for 'Bool'");
        long n = (long) Math.ceil((end - start) / step);
        Tensor t = empty(new long[] {n}, dtype);
        t.backend().arange(t.data(), start, step);
        return t;
    }

    /**
     * steps float32 values from start to end inclusive, spaced evenly; the same bits as PyTorch's CPU kernel
     * with AVX2 vectors (see src/main/cpp/creation.cpp; PyTorch on AVX-512 machines blocks by 16 instead).
     */
    public static Tensor linspace(double start, double end, long steps) { return linspace(start, end, steps, DType.FLOAT32); }

    public static Tensor linspace(double start, double end, long steps, DType dtype) {
        if (steps < 0) throw new IllegalArgumentException("number of steps must be non-negative");
        if (dtype == DType.BOOL) throw new IllegalArgumentException("\"linspace_cpu\" not implemented for 'Bool'");
        Tensor t = empty(new long[] {steps}, dtype);
        t.backend().linspace(t.data(), start, end);
        return t;
    }

    public static Tensor eye(long n) { return eye(n, n, DType.FLOAT32); }

    public static Tensor eye(long n, long m) { return eye(n, m, DType.FLOAT32); }

    public static Tensor eye(long n, long m, DType dtype) {
        if (n < 0) throw new IllegalArgumentException("n must be greater or equal to 0, got " + n);
        if (m < 0) throw new IllegalArgumentException("m must be greater or equal to 0, got " + m);
        Tensor t = zeros(new long[] {n, m}, dtype);
        // the diagonal is a strided view with stride m + 1
        Strided d = t.data();
        t.backend().fill(new Strided(d.storage, dtype, 0, new long[] {Math.min(n, m)}, new long[] {m + 1}), 1);
        return t;
    }

    // ---------------------------------------------------------------------------------------------- random

    /** Seeds the default generator (PyTorch's CPU stream: the same seed gives the same values); returns it. */
    public static Generator manualSeed(long seed) { return Generator.defaultGenerator().manualSeed(seed); }

    public static long initialSeed() { return Generator.defaultGenerator().initialSeed(); }

    /** Seeds the default generator non-deterministically; returns the seed. */
    public static long seed() { return Generator.defaultGenerator().seed(); }

    /** Uniform float32 values in [0, 1). */
    public static Tensor rand(long... shape) { return rand(shape, DType.FLOAT32); }

    public static Tensor rand(long[] shape, DType dtype) { return rand(shape, dtype, Generator.defaultGenerator()); }

    public static Tensor rand(long[] shape, DType dtype, Generator generator) {
        return empty(shape, dtype).uniform_(0, 1, generator);
    }

    /** Standard normal float32 values. */
    public static Tensor randn(long... shape) { return randn(shape, DType.FLOAT32); }

    public static Tensor randn(long[] shape, DType dtype) { return randn(shape, dtype, Generator.defaultGenerator()); }

    public static Tensor randn(long[] shape, DType dtype, Generator generator) {
        return empty(shape, dtype).normal_(0, 1, generator);
    }

    /** int64 values uniform in [low, high). */
    public static Tensor randint(long low, long high, long... shape) {
        return randint(low, high, shape, Generator.defaultGenerator());
    }

    public static Tensor randint(long low, long high, long[] shape, Generator generator) {
        int n = Math.toIntExact(Strided.numel(Shapes.checkedSizes(shape)));
        return fromArray(DType.INT64, shape, RandomOps.randint(generator, n, low, high));
    }

    /** A random permutation of 0 .. n-1 (int64). */
    public static Tensor randperm(long n) { return randperm(n, Generator.defaultGenerator()); }

    public static Tensor randperm(long n, Generator generator) {
        if (n < 0) throw new IllegalArgumentException("n must be non-negative, got" + n);
        return fromArray(DType.INT64, new long[] {n}, RandomOps.randperm(generator, Math.toIntExact(n)));
    }

    // --------------------------------------------------------------------------------- functions of tensors

    public static Tensor matmul(Tensor a, Tensor b) { return a.matmul(b); }

    public static Tensor mm(Tensor a, Tensor b) { return a.mm(b); }

    public static Tensor bmm(Tensor a, Tensor b) { return a.bmm(b); }

    /** base ** exponent for a scalar base, like {@code torch.pow(2, x)}. */
    public static Tensor pow(double base, Tensor exponent) { return exponent.rpow(base); }

    public static Tensor cat(List<Tensor> tensors, int dim) { return Joins.cat(tensors, dim); }

    public static Tensor cat(int dim, Tensor... tensors) { return cat(Arrays.asList(tensors), dim); }

    /** Concatenation along dim 0. */
    public static Tensor cat(Tensor... tensors) { return cat(Arrays.asList(tensors), 0); }

    public static Tensor stack(List<Tensor> tensors, int dim) { return Joins.stack(tensors, dim); }

    /** Stacks along a new dim 0. */
    public static Tensor stack(Tensor... tensors) { return stack(Arrays.asList(tensors), 0); }

    /** Stacks rows: 1-D tensors become rows of a matrix, like {@code torch.vstack}. */
    public static Tensor vstack(Tensor... tensors) { return Joins.vstack(Arrays.asList(tensors)); }

    public static Tensor vstack(List<Tensor> tensors) { return Joins.vstack(tensors); }

    /** Concatenates columns (1-D tensors end to end), like {@code torch.hstack}. */
    public static Tensor hstack(Tensor... tensors) { return Joins.hstack(Arrays.asList(tensors)); }

    public static Tensor hstack(List<Tensor> tensors) { return Joins.hstack(tensors); }

    public static Tensor where(Tensor condition, Tensor x, Tensor y) { return Tensor.where(condition, x, y); }

    // --------------------------------------------------------------------------------------------- autograd

    /** Turns history recording off on this thread until the returned guard closes (try-with-resources). */
    public static GradMode noGrad() { return new GradMode(false); }

    /** Turns history recording on on this thread until the returned guard closes. */
    public static GradMode enableGrad() { return new GradMode(true); }

    public static boolean isGradEnabled() { return GradMode.isEnabled(); }

    public static void setGradEnabled(boolean enabled) { GradMode.setEnabled(enabled); }

    /**
     * torch.autograd.gradcheck with its defaults (eps 1e-6, atol 1e-5, rtol 1e-3): true when the analytic
     * gradient of fn matches finite differences for every input that requires grad; otherwise raises with
     * both Jacobians. Inputs should be float64 leaves.
     */
    public static boolean gradcheck(Function<Tensor[], Tensor> fn, Tensor... inputs) {
        return GradCheck.check(fn, inputs, 1e-6, 1e-5, 1e-3);
    }

    public static boolean gradcheck(Function<Tensor[], Tensor> fn, Tensor[] inputs, double eps, double atol, double rtol) {
        return GradCheck.check(fn, inputs, eps, atol, rtol);
    }

    // ------------------------------------------------------------------------------ nn functions (see nn.F)

    public static Tensor softmax(Tensor x, int dim) { return x.softmax(dim); }

    public static Tensor logSoftmax(Tensor x, int dim) { return x.logSoftmax(dim); }

    /** x @ w^T + bias (bias may be null), PyTorch's F.linear. */
    public static Tensor linear(Tensor x, Tensor w, Tensor bias) { return Losses.linear(x, w, bias); }

    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        return Losses.mse(input, target, reduction);
    }

    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        return Losses.l1(input, target, reduction);
    }

    /** PyTorch's F.cross_entropy with class-index (int64) or class-probability targets. */
    public static Tensor crossEntropy(Tensor input, Tensor target, long ignoreIndex, double labelSmoothing,
                                      Reduction reduction) {
        return Losses.crossEntropy(input, target, ignoreIndex, labelSmoothing, reduction);
    }

    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Reduction reduction) {
        return Losses.bceWithLogits(input, target, reduction);
    }

    // ------------------------------------------------------------------------- fused optimizer updates

    /**
     * One SGD update of param in place, in one native call (PyTorch's torch.optim.SGD formula; see
     * Backend.sgdStep). momentumBuffer is null when momentum is 0; firstStep fills it from the gradient.
     */
    public static void sgdStep_(Tensor param, Tensor grad, Tensor momentumBuffer, double lr, double momentum,
                                double dampening, double weightDecay, boolean nesterov, boolean firstStep) {
        checkOptimizerOperands(param, grad, momentumBuffer);
        param.backend().sgdStep(param.data(), grad.data(), dataOrNull(momentumBuffer), lr, momentum, dampening,
                weightDecay, nesterov, firstStep);
        param.data().storage.bumpVersion();
    }

    /** One RMSprop update in place (gradAvg only when centered, momentumBuffer only with momentum). */
    public static void rmspropStep_(Tensor param, Tensor grad, Tensor squareAvg, Tensor gradAvg, Tensor momentumBuffer,
                                    double lr, double alpha, double eps, double weightDecay, double momentum) {
        checkOptimizerOperands(param, grad, squareAvg, gradAvg, momentumBuffer);
        param.backend().rmspropStep(param.data(), grad.data(), squareAvg.data(), dataOrNull(gradAvg),
                dataOrNull(momentumBuffer), lr, alpha, eps, weightDecay, momentum);
        param.data().storage.bumpVersion();
    }

    /** One Adam (decoupled = false) or AdamW update in place; step counts from 1; maxExpAvgSq only with amsgrad. */
    public static void adamStep_(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq,
                                 long step, double lr, double beta1, double beta2, double eps, double weightDecay,
                                 boolean decoupled) {
        checkOptimizerOperands(param, grad, expAvg, expAvgSq, maxExpAvgSq);
        param.backend().adamStep(param.data(), grad.data(), expAvg.data(), expAvgSq.data(), dataOrNull(maxExpAvgSq),
                step, lr, beta1, beta2, eps, weightDecay, decoupled);
        param.data().storage.bumpVersion();
    }

    /** Same shape, floating dtype and device for a parameter, its gradient and its state (null states skipped). */
    private static void checkOptimizerOperands(Tensor param, Tensor... others) {
        if (!param.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("optimizers update floating point parameters, got " + param.dtype());
        }
        for (Tensor t : others) {
            if (t == null) continue;
            param.checkSameDevice(t);
            if (!t.shape().equals(param.shape()) || t.dtype() != param.dtype()) {
                throw new IllegalArgumentException("optimizer state or gradient of shape " + t.shape() + " and dtype "
                        + t.dtype() + " does not match its parameter of shape " + param.shape() + " and dtype "
                        + param.dtype());
            }
        }
    }

    private static Strided dataOrNull(Tensor t) { return t == null ? null : t.data(); }
}

package dev.torchlet;

import dev.torchlet.backend.Backend;
import dev.torchlet.backend.LeakDetector;
import dev.torchlet.backend.LeakReport;
import dev.torchlet.backend.MemoryStats;
import dev.torchlet.backend.Strided;
import dev.torchlet.backend.cpu.CpuBackend;
import dev.torchlet.backend.cuda.CudaBackend;
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

    /**
     * "native" (default) or "reference": the backend that new CPU tensors use.
     * @param name "native" or "reference"
     */
    public static void setCpuBackend(String name) { cpuBackend = backendNamed(name); }

    /**
     * The name of the backend new CPU tensors use.
     * @return "native" or "reference"
     */
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

    /** The backend of device: the CPU backend in use, or CUDA device i's (initializing CUDA on first use). */
    static Backend backendFor(Device device) {
        return device.isCuda() ? CudaBackend.of(device.index()) : cpuBackend;
    }

    /**
     * The {@code torch.cuda} module: availability, device count, synchronize, memory counters, the TF32 switch.
     * Calling it loads nothing; CUDA is initialized by the first of its methods that needs it.
     * @return the CUDA module
     */
    public static Cuda cuda() { return Cuda.INSTANCE; }

    // ---------------------------------------------------------------------------------------------- memory

    /**
     * Opens a scope on this thread: tensors created until it closes are freed when it closes, except those
     * passed to {@link Scope#keep}. Use with try-with-resources.
     * @return the new scope
     */
    public static Scope scope() { return Scope.opened(); }

    /**
     * Native memory accounting of the CPU backend (bytes in use, peak, live blocks, ...).
     * @return a snapshot of the counters
     */
    public static MemoryStats memoryStats() { return CpuBackend.INSTANCE.memoryStats(); }

    /**
     * Starts the CPU backend's peak over, as torch.cuda.reset_peak_memory_stats: the peakBytesInUse of
     * {@link #memoryStats()} becomes the bytes in use now, and tracks the highest value from here on.
     */
    public static void resetPeakMemoryStats() { CpuBackend.INSTANCE.allocator().resetPeak(); }

    /**
     * Turns leak detection on or off (off by default; {@code -Dtorchlet.leakDetection=true} turns it on at
     * start). While it is on, each new native storage records its allocation site (the first stack frames
     * outside torchlet, the thread, the tensor's dtype and shape), at the cost of a stack walk per new tensor;
     * then {@link #leakReport()} lists the storages still live by site, a tensor the garbage collector
     * reclaims because nothing closed it is reported on stderr (once per site), and a {@link #scope()}
     * warns on close about tensors that escaped it (see {@link Scope}). While it is off, nothing is recorded.
     * @param on true to record allocation sites
     */
    public static void setLeakDetection(boolean on) { LeakDetector.setEnabled(on); }

    /**
     * Whether leak detection is on, see {@link #setLeakDetection}.
     * @return whether allocation sites are being recorded
     */
    public static boolean isLeakDetectionEnabled() { return LeakDetector.isEnabled(); }

    /**
     * The CPU backend's live native storages grouped by allocation site, with counts and bytes (those
     * allocated while leak detection was off are only counted); print it with {@code System.err.println}.
     * Storages the garbage collector already found unreachable are freed first, so what remains is held by
     * tensors not yet closed, or not yet found unreachable.
     * @return the report
     */
    public static LeakReport leakReport() { return CpuBackend.INSTANCE.allocator().leakReport(); }

    /**
     * Gives the CPU blocks torchlet keeps for reuse (freed blocks, at most the GC threshold's worth, see
     * {@link #setGcThreshold}) back to the system; {@link #memoryStats()} reports them as bytesCached.
     */
    public static void emptyCache() { CpuBackend.INSTANCE.allocator().emptyCache(); }

    /**
     * Threads the native CPU kernels may use for one op, as torch.set_num_threads: elementwise ops, copies,
     * fills and reductions above about 64K elements (a threshold the pool raises on machines where waking a
     * worker is slow: {@link dev.torchlet.backend.cpu.CpuBackend#parallelGrainScale()}), and bmm (the
     * matrices of the batch, each one single-threaded OpenBLAS call), split their work over a pool of n
     * threads (the calling thread and n - 1 workers). The default is the number of CPUs the process may run
     * on (affinity mask, cgroup quota). Results are bit for bit the same for every n: reductions add fixed
     * chunks and combine them in order. A single matrix product runs on OpenBLAS's own threads, which this
     * leaves alone; see {@link #useDeterministicAlgorithms(boolean)} for what its bits depend on.
     *
     * @param n the number of threads, at least 1
     * @throws IllegalArgumentException when n &lt; 1
     */
    public static void setNumThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("set_num_threads expects a positive integer, got " + n);
        CpuBackend.INSTANCE.setNumThreads(n);
    }

    /**
     * The threads the native CPU kernels use for one op (torch.get_num_threads).
     * @return the number of threads
     */
    public static int getNumThreads() { return CpuBackend.INSTANCE.getNumThreads(); }

    /**
     * PyTorch's {@code torch.use_deterministic_algorithms(mode)} on the CPU backend. Off by default, where
     * every CPU op but one is deterministic already: the same program with the same seeds gives the same
     * bits on every run and for every {@link #setNumThreads} count (elementwise ops compute each element on
     * its own, reductions and softmax add in a fixed order, bmm runs each matrix on one thread, random ops
     * draw from their generator in a fixed order). The exception is a single float matrix product
     * (matmul, mm, Linear, and their gradients): it is one OpenBLAS call on OpenBLAS's own threads, and
     * OpenBLAS's last bits depend on its thread count ({@code OPENBLAS_NUM_THREADS}, by default the CPU
     * count), so two machines, or two settings of that variable, may differ in the last bits. With mode on,
     * such a product is cut into blocks of rows or columns by its shapes alone, each one single-threaded
     * OpenBLAS call, spread over {@link #setNumThreads} threads: its bits depend on the shapes (and the
     * CPU's OpenBLAS kernel) only, at some cost in speed for mid-sized products. The setting is
     * process-wide, as in PyTorch.
     *
     * @param mode whether to use only deterministic algorithms
     */
    public static void useDeterministicAlgorithms(boolean mode) { CpuBackend.INSTANCE.setDeterministic(mode); }

    /**
     * PyTorch's {@code torch.are_deterministic_algorithms_enabled()}: see
     * {@link #useDeterministicAlgorithms(boolean)}.
     * @return whether deterministic mode is on
     */
    public static boolean areDeterministicAlgorithmsEnabled() { return CpuBackend.INSTANCE.isDeterministic(); }

    /**
     * Native bytes in use above which an allocation first asks the JVM to collect unreachable tensors
     * (default 1 GiB, or {@code -Dtorchlet.gcThresholdBytes}). Programs that close or scope their tensors
     * never reach it. It also bounds the bytes of freed blocks kept for reuse ({@link #emptyCache()}): what
     * a collection frees, a loop asks for again before the next one, and reused memory is not faulted in
     * again (3 ms of a 15 ms MLP training step when half of it went back to the system).
     * @param bytes the threshold in bytes
     */
    public static void setGcThreshold(long bytes) { CpuBackend.INSTANCE.allocator().setGcThreshold(bytes); }

    /**
     * How tensors print, as torch.set_printoptions: digits after the point (4), element count above which
     * tensors are summarized with "..." (1000), items kept at each edge when summarized (3), line width
     * (80), and scientific notation forced on or off (null: PyTorch's automatic choice).
     * @param precision digits after the decimal point
     * @param threshold element count above which tensors are summarized
     * @param edgeItems items kept at each edge of a summarized dim
     * @param lineWidth characters per line
     * @param sciMode true or false to force scientific notation on or off, null for automatic
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
     * @param stateDict the tensors (or nested state) to save
     * @param path the file path
     */
    public static void save(Map<String, ?> stateDict, Path path) { save(stateDict, path, Map.of("format", "pt")); }

    /**
     * {@link #save(Map, Path)} with exactly the given metadata (strings to strings; empty writes no
     * {@code __metadata__}), as {@code save_file(tensors, path, metadata)}.
     * @param stateDict the tensors (or nested state) to save
     * @param path the file path
     * @param metadata the {@code __metadata__} entries
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
     * @param path the file path
     * @return the tensors by name
     */
    public static Map<String, Tensor> load(Path path) { return Safetensors.load(path, true); }

    /**
     * {@link #load(Path)}; with mmap false, every tensor is copied once (natively, not through the heap)
     * into storage of its own, and the file is not used after this returns.
     * @param mmap whether the tensors map the file rather than copy it
     * @param path the file path
     * @return the tensors by name
     */
    public static Map<String, Tensor> load(Path path, boolean mmap) { return Safetensors.load(path, mmap); }

    /**
     * What {@link #save} stored, nested as it was: {@code optimizer.loadStateDict(Torch.loadDict(path))}.
     * Maps come back as LinkedHashMaps, lists as ArrayLists, integers as Long, floating values as Double,
     * byte[] as byte[]; a file without torchlet's structure (a plain state dict, or a file from Python)
     * gives its tensors by name.
     *
     * @throws SafetensorsException as {@link #load(Path)} does, or for a structure that is not valid
     * @param path the file path
     * @return the nested state
     */
    public static Map<String, Object> loadDict(Path path) { return Safetensors.loadDict(path); }

    /**
     * The {@code __metadata__} of the safetensors file at path (empty when it has none), as Python's
     * {@code safe_open(path, "pt").metadata()}; reads and checks only the header.
     * @param path the file path
     * @return the metadata entries
     */
    public static Map<String, String> loadMetadata(Path path) { return Safetensors.metadata(path); }

    // -------------------------------------------------------------------------------------------- creation

    /**
     * A 1-D float32 tensor, like {@code torch.tensor([2.5, 4.0])}.
     * @param values the elements
     * @return a new tensor
     */
    public static Tensor tensor(float... values) { return fromArray(DType.FLOAT32, new long[] {values.length}, values); }

    /**
     * A 1-D float32 tensor (Python floats become the default dtype); see {@link #tensor(double[], DType)}.
     * @param values the elements
     * @return a new tensor
     */
    public static Tensor tensor(double... values) { return tensor(values, DType.FLOAT32); }

    /**
     * A 1-D tensor of the given dtype, like {@code torch.tensor([1.0, 2.0], dtype=dtype)}.
     * @param values the elements
     * @param dtype the element type
     * @return a new tensor
     */
    public static Tensor tensor(double[] values, DType dtype) {
        return convert(fromArray(DType.FLOAT64, new long[] {values.length}, values), dtype);
    }

    /**
     * A 1-D int64 tensor, like {@code torch.tensor([1, 2, 3])}.
     * @param values the elements
     * @return a new tensor
     */
    public static Tensor tensor(long... values) { return fromArray(DType.INT64, new long[] {values.length}, values); }

    /**
     * A 1-D bool tensor, like {@code torch.tensor([True, False])}.
     * @param values the elements
     * @return a new tensor
     */
    public static Tensor tensor(boolean... values) { return fromArray(DType.BOOL, new long[] {values.length}, values); }

    /**
     * A 2-D float32 tensor from rows, like {@code torch.tensor([[1.0, 2.0], [3.0, 4.0]])}.
     * @param rows the rows, all of the same length
     * @return a new tensor
     */
    public static Tensor tensor(float[][] rows) {
        long[] shape = matrixShape(rows);
        return fromArray(DType.FLOAT32, shape, flatten(rows, new float[elements(shape)], (int) shape[1]));
    }

    /**
     * A 2-D float32 tensor from rows of doubles.
     * @param rows the rows, all of the same length
     * @return a new tensor
     */
    public static Tensor tensor(double[][] rows) { return tensor(rows, DType.FLOAT32); }

    /**
     * A 2-D tensor of the given dtype from rows of doubles.
     * @param rows the rows, all of the same length
     * @param dtype the element type
     * @return a new tensor
     */
    public static Tensor tensor(double[][] rows, DType dtype) {
        long[] shape = matrixShape(rows);
        return convert(fromArray(DType.FLOAT64, shape, flatten(rows, new double[elements(shape)], (int) shape[1])), dtype);
    }

    /**
     * A 2-D int64 tensor from rows, like {@code torch.tensor([[1, 2], [3, 4]])}.
     * @param rows the rows, all of the same length
     * @return a new tensor
     */
    public static Tensor tensor(long[][] rows) {
        long[] shape = matrixShape(rows);
        return fromArray(DType.INT64, shape, flatten(rows, new long[elements(shape)], (int) shape[1]));
    }

    /**
     * A 0-dim float32 tensor, like {@code torch.tensor(3.5)}.
     * @param value the value
     * @return a new tensor
     */
    public static Tensor scalarTensor(double value) { return scalarTensor(value, DType.FLOAT32); }

    /**
     * A 0-dim int64 tensor, like {@code torch.tensor(3)}.
     * @param value the value
     * @return a new tensor
     */
    public static Tensor scalarTensor(long value) { return fromArray(DType.INT64, new long[0], new long[] {value}); }

    /**
     * A 0-dim tensor of the given dtype, like {@code torch.tensor(3.5, dtype=dtype)}.
     * @param dtype the element type
     * @param value the value
     * @return a new tensor
     */
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

    /**
     * Uninitialized float32 memory of the given shape.
     * @param shape the sizes of the dims
     * @return a new tensor
     */
    public static Tensor empty(long... shape) { return empty(shape, DType.FLOAT32); }

    /**
     * Uninitialized memory of the given shape and dtype, PyTorch's {@code torch.empty(shape, dtype=dtype)}.
     * @param shape the sizes of the dims
     * @param dtype the element type
     * @return a new tensor
     */
    public static Tensor empty(long[] shape, DType dtype) { return Tensor.empty(cpuBackend, dtype, shape); }

    /**
     * Uninitialized memory of the given dtype on device, PyTorch's {@code torch.empty(shape, dtype=dtype,
     * device=device)}.
     * @param shape the sizes of the dims
     * @param dtype the element type
     * @param device the device
     * @return a new tensor
     */
    public static Tensor empty(long[] shape, DType dtype, Device device) {
        return Tensor.empty(backendFor(device), dtype, shape);
    }

    /**
     * A float32 tensor of zeros, PyTorch's {@code torch.zeros(*shape)}.
     * @param shape the sizes of the dims
     * @return a new tensor
     */
    public static Tensor zeros(long... shape) { return zeros(shape, DType.FLOAT32); }

    /**
     * A tensor of zeros of the given dtype, PyTorch's {@code torch.zeros(shape, dtype=dtype)}.
     * @param shape the sizes of the dims
     * @param dtype the element type
     * @return a new tensor
     */
    public static Tensor zeros(long[] shape, DType dtype) { return full(shape, 0, dtype); }

    /**
     * Zeros of the given dtype on device, PyTorch's {@code torch.zeros(shape, dtype=dtype, device=device)}.
     * @param shape the sizes of the dims
     * @param dtype the element type
     * @param device the device
     * @return a new tensor
     */
    public static Tensor zeros(long[] shape, DType dtype, Device device) { return full(shape, 0, dtype, device); }

    /**
     * A float32 tensor of ones, PyTorch's {@code torch.ones(*shape)}.
     * @param shape the sizes of the dims
     * @return a new tensor
     */
    public static Tensor ones(long... shape) { return ones(shape, DType.FLOAT32); }

    /**
     * A tensor of ones of the given dtype, PyTorch's {@code torch.ones(shape, dtype=dtype)}.
     * @param shape the sizes of the dims
     * @param dtype the element type
     * @return a new tensor
     */
    public static Tensor ones(long[] shape, DType dtype) { return full(shape, 1, dtype); }

    /**
     * Ones of the given dtype on device, PyTorch's {@code torch.ones(shape, dtype=dtype, device=device)}.
     * @param shape the sizes of the dims
     * @param dtype the element type
     * @param device the device
     * @return a new tensor
     */
    public static Tensor ones(long[] shape, DType dtype, Device device) { return full(shape, 1, dtype, device); }

    /**
     * A float32 tensor filled with value.
     * @param value the fill value
     * @param shape the sizes of the dims
     * @return a new tensor
     */
    public static Tensor full(long[] shape, double value) { return full(shape, value, DType.FLOAT32); }

    /**
     * An int64 tensor filled with value, as {@code torch.full(shape, 3)} is.
     * @param value the fill value
     * @param shape the sizes of the dims
     * @return a new tensor
     */
    public static Tensor full(long[] shape, long value) { return full(shape, value, DType.INT64); }

    /**
     * A tensor filled with value, PyTorch's {@code torch.full(shape, value, dtype=dtype)}.
     * @param shape the sizes of the dims
     * @param dtype the element type
     * @param value the fill value
     * @return a new tensor
     */
    public static Tensor full(long[] shape, double value, DType dtype) {
        Tensor t = empty(shape, dtype);
        return t.fill_(value);
    }

    /**
     * A tensor of the given dtype on device filled with value, PyTorch's {@code torch.full(shape, value,
     * dtype=dtype, device=device)}.
     * @param shape the sizes of the dims
     * @param value the fill value
     * @param dtype the element type
     * @param device the device
     * @return a new tensor
     */
    public static Tensor full(long[] shape, double value, DType dtype, Device device) {
        return empty(shape, dtype, device).fill_(value);
    }

    /**
     * Zeros of t's shape, dtype and device, PyTorch's {@code torch.zeros_like}.
     * @param t the tensor whose shape, dtype and device are used
     * @return a new tensor
     */
    public static Tensor zerosLike(Tensor t) { return zeros(t.shape().toArray(), t.dtype(), t.device()); }

    /**
     * Ones of t's shape, dtype and device, PyTorch's {@code torch.ones_like}.
     * @param t the tensor whose shape, dtype and device are used
     * @return a new tensor
     */
    public static Tensor onesLike(Tensor t) { return ones(t.shape().toArray(), t.dtype(), t.device()); }

    /**
     * Uninitialized memory of t's shape, dtype and device, PyTorch's {@code torch.empty_like}.
     * @param t the tensor whose shape, dtype and device are used
     * @return a new tensor
     */
    public static Tensor emptyLike(Tensor t) { return empty(t.shape().toArray(), t.dtype(), t.device()); }

    /**
     * int64 values 0, 1, ..., end-1.
     * @param end the end value (exclusive)
     * @return a new tensor
     */
    public static Tensor arange(long end) { return arange(0, end, 1); }

    /**
     * int64 values start, start+1, ..., end-1, PyTorch's {@code torch.arange(start, end)}.
     * @param start the first value
     * @param end the end value (exclusive)
     * @return a new tensor
     */
    public static Tensor arange(long start, long end) { return arange(start, end, 1); }

    /**
     * int64 values start, start+step, ... below end, PyTorch's {@code torch.arange(start, end, step)}.
     * @param start the first value
     * @param end the end value (exclusive)
     * @param step the spacing between values
     * @return a new tensor
     */
    public static Tensor arange(long start, long end, long step) { return arange(start, end, step, DType.INT64); }

    /**
     * float32 values start, start+step, ... below end.
     * @param start the first value
     * @param end the end value (exclusive)
     * @param step the spacing between values
     * @return a new tensor
     */
    public static Tensor arange(double start, double end, double step) { return arange(start, end, step, DType.FLOAT32); }

    /**
     * Values start, start+step, ... below end in the given dtype, PyTorch's {@code torch.arange(..., dtype=dtype)}.
     * @param start the first value
     * @param end the end value (exclusive)
     * @param step the spacing between values
     * @param dtype the element type
     * @return a new tensor
     */
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
     * @param start the first value
     * @param end the last value
     * @param steps the number of values
     * @return a new tensor
     */
    public static Tensor linspace(double start, double end, long steps) { return linspace(start, end, steps, DType.FLOAT32); }

    /**
     * {@link #linspace(double, double, long)} in the given dtype.
     * @param dtype the element type
     * @param start the first value
     * @param end the last value
     * @param steps the number of values
     * @return a new tensor
     */
    public static Tensor linspace(double start, double end, long steps, DType dtype) {
        if (steps < 0) throw new IllegalArgumentException("number of steps must be non-negative");
        if (dtype == DType.BOOL) throw new IllegalArgumentException("\"linspace_cpu\" not implemented for 'Bool'");
        Tensor t = empty(new long[] {steps}, dtype);
        t.backend().linspace(t.data(), start, end);
        return t;
    }

    /**
     * The n x n float32 identity matrix, PyTorch's {@code torch.eye(n)}.
     * @param n the number of rows
     * @return a new tensor
     */
    public static Tensor eye(long n) { return eye(n, n, DType.FLOAT32); }

    /**
     * An n x m float32 matrix with ones on the diagonal, PyTorch's {@code torch.eye(n, m)}.
     * @param n the number of rows
     * @param m the number of columns
     * @return a new tensor
     */
    public static Tensor eye(long n, long m) { return eye(n, m, DType.FLOAT32); }

    /**
     * An n x m matrix of the given dtype with ones on the diagonal.
     * @param n the number of rows
     * @param m the number of columns
     * @param dtype the element type
     * @return a new tensor
     */
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

    /**
     * Seeds the default generator (PyTorch's CPU stream: the same seed gives the same values); returns it.
     * @param seed the seed
     * @return the default generator
     */
    public static Generator manualSeed(long seed) { return Generator.defaultGenerator().manualSeed(seed); }

    /**
     * The seed the default generator was last seeded with, PyTorch's {@code torch.initial_seed()}.
     * @return the seed
     */
    public static long initialSeed() { return Generator.defaultGenerator().initialSeed(); }

    /**
     * Seeds the default generator non-deterministically; returns the seed.
     * @return the seed used
     */
    public static long seed() { return Generator.defaultGenerator().seed(); }

    /**
     * Uniform float32 values in [0, 1).
     * @param shape the sizes of the dims
     * @return a new tensor
     */
    public static Tensor rand(long... shape) { return rand(shape, DType.FLOAT32); }

    /**
     * Uniform values in [0, 1) of the given dtype, PyTorch's {@code torch.rand(shape, dtype=dtype)}.
     * @param shape the sizes of the dims
     * @param dtype the element type
     * @return a new tensor
     */
    public static Tensor rand(long[] shape, DType dtype) { return rand(shape, dtype, Generator.defaultGenerator()); }

    /**
     * Uniform values in [0, 1) drawn from generator, PyTorch's {@code torch.rand(shape, generator=g)}.
     * @param shape the sizes of the dims
     * @param dtype the element type
     * @param generator the random generator to draw from
     * @return a new tensor
     */
    public static Tensor rand(long[] shape, DType dtype, Generator generator) {
        return empty(shape, dtype).uniform_(0, 1, generator);
    }

    /**
     * Uniform values in [0, 1) on device, PyTorch's {@code torch.rand(shape, dtype=dtype, device=device)}. The
     * values come from the default (CPU) generator, the same as {@code rand(shape, dtype).to(device)}.
     * @param shape the sizes of the dims
     * @param dtype the element type
     * @param device the device
     * @return a new tensor
     */
    public static Tensor rand(long[] shape, DType dtype, Device device) {
        return empty(shape, dtype, device).uniform_(0, 1, Generator.defaultGenerator());
    }

    /**
     * Standard normal float32 values.
     * @param shape the sizes of the dims
     * @return a new tensor
     */
    public static Tensor randn(long... shape) { return randn(shape, DType.FLOAT32); }

    /**
     * Standard normal values of the given dtype, PyTorch's {@code torch.randn(shape, dtype=dtype)}.
     * @param shape the sizes of the dims
     * @param dtype the element type
     * @return a new tensor
     */
    public static Tensor randn(long[] shape, DType dtype) { return randn(shape, dtype, Generator.defaultGenerator()); }

    /**
     * Standard normal values drawn from generator, PyTorch's {@code torch.randn(shape, generator=g)}.
     * @param shape the sizes of the dims
     * @param dtype the element type
     * @param generator the random generator to draw from
     * @return a new tensor
     */
    public static Tensor randn(long[] shape, DType dtype, Generator generator) {
        return empty(shape, dtype).normal_(0, 1, generator);
    }

    /**
     * Standard normal values on device, PyTorch's {@code torch.randn(shape, dtype=dtype, device=device)}. The
     * values come from the default (CPU) generator, the same as {@code randn(shape, dtype).to(device)}.
     * @param shape the sizes of the dims
     * @param dtype the element type
     * @param device the device
     * @return a new tensor
     */
    public static Tensor randn(long[] shape, DType dtype, Device device) {
        return empty(shape, dtype, device).normal_(0, 1, Generator.defaultGenerator());
    }

    /**
     * int64 values uniform in [low, high).
     * @param low the lowest value
     * @param high one above the highest value
     * @param shape the sizes of the dims
     * @return a new tensor
     */
    public static Tensor randint(long low, long high, long... shape) {
        return randint(low, high, shape, Generator.defaultGenerator());
    }

    /**
     * int64 values uniform in [low, high) drawn from generator, PyTorch's {@code torch.randint(..., generator=g)}.
     * @param shape the sizes of the dims
     * @param generator the random generator to draw from
     * @param low the lowest value
     * @param high one above the highest value
     * @return a new tensor
     */
    public static Tensor randint(long low, long high, long[] shape, Generator generator) {
        int n = Math.toIntExact(Strided.numel(Shapes.checkedSizes(shape)));
        return fromArray(DType.INT64, shape, RandomOps.randint(generator, n, low, high));
    }

    /**
     * A random permutation of 0 .. n-1 (int64).
     * @param n the number of elements
     * @return a new tensor
     */
    public static Tensor randperm(long n) { return randperm(n, Generator.defaultGenerator()); }

    /**
     * A random permutation of 0 .. n-1 drawn from generator, PyTorch's {@code torch.randperm(n, generator=g)}.
     * @param generator the random generator to draw from
     * @param n the number of elements
     * @return a new tensor
     */
    public static Tensor randperm(long n, Generator generator) {
        if (n < 0) throw new IllegalArgumentException("n must be non-negative, got" + n);
        return fromArray(DType.INT64, new long[] {n}, RandomOps.randperm(generator, Math.toIntExact(n)));
    }

    // --------------------------------------------------------------------------------- functions of tensors

    /**
     * PyTorch's {@code torch.matmul(a, b)}; see {@link Tensor#matmul}.
     * @param a the left operand
     * @param b the right operand
     * @return the product
     */
    public static Tensor matmul(Tensor a, Tensor b) { return a.matmul(b); }

    /**
     * PyTorch's {@code torch.mm(a, b)}: the product of two matrices.
     * @param a the left operand
     * @param b the right operand
     * @return the product
     */
    public static Tensor mm(Tensor a, Tensor b) { return a.mm(b); }

    /**
     * PyTorch's {@code torch.bmm(a, b)}: batched matrix product.
     * @param a the left operand
     * @param b the right operand
     * @return the product
     */
    public static Tensor bmm(Tensor a, Tensor b) { return a.bmm(b); }

    /**
     * base ** exponent for a scalar base, like {@code torch.pow(2, x)}.
     * @param base the scalar base
     * @param exponent the exponents
     * @return a new tensor
     */
    public static Tensor pow(double base, Tensor exponent) { return exponent.rpow(base); }

    /**
     * Concatenation along dim, PyTorch's {@code torch.cat(tensors, dim)}.
     * @param tensors the tensors, with equal shapes except along dim
     * @param dim the dimension
     * @return a new tensor
     */
    public static Tensor cat(List<Tensor> tensors, int dim) { return Joins.cat(tensors, dim); }

    /**
     * Concatenation along dim, PyTorch's {@code torch.cat(tensors, dim)}.
     * @param dim the dimension
     * @param tensors the tensors, with equal shapes except along dim
     * @return a new tensor
     */
    public static Tensor cat(int dim, Tensor... tensors) { return cat(Arrays.asList(tensors), dim); }

    /**
     * Concatenation along dim 0.
     * @param tensors the tensors, with equal shapes except along dim
     * @return a new tensor
     */
    public static Tensor cat(Tensor... tensors) { return cat(Arrays.asList(tensors), 0); }

    /**
     * Stacks along a new dim, PyTorch's {@code torch.stack(tensors, dim)}.
     * @param tensors the tensors, all of one shape
     * @param dim where the new dim goes
     * @return a new tensor
     */
    public static Tensor stack(List<Tensor> tensors, int dim) { return Joins.stack(tensors, dim); }

    /**
     * Stacks along a new dim 0.
     * @param tensors the tensors, all of one shape
     * @return a new tensor
     */
    public static Tensor stack(Tensor... tensors) { return stack(Arrays.asList(tensors), 0); }

    /**
     * Stacks rows: 1-D tensors become rows of a matrix, like {@code torch.vstack}.
     * @param tensors the tensors, with equal shapes except along dim
     * @return a new tensor
     */
    public static Tensor vstack(Tensor... tensors) { return Joins.vstack(Arrays.asList(tensors)); }

    /**
     * {@link #vstack(Tensor...)} for a list.
     * @param tensors the tensors, with equal shapes except along dim
     * @return a new tensor
     */
    public static Tensor vstack(List<Tensor> tensors) { return Joins.vstack(tensors); }

    /**
     * Concatenates columns (1-D tensors end to end), like {@code torch.hstack}.
     * @param tensors the tensors, with equal shapes except along dim
     * @return a new tensor
     */
    public static Tensor hstack(Tensor... tensors) { return Joins.hstack(Arrays.asList(tensors)); }

    /**
     * {@link #hstack(Tensor...)} for a list.
     * @param tensors the tensors, with equal shapes except along dim
     * @return a new tensor
     */
    public static Tensor hstack(List<Tensor> tensors) { return Joins.hstack(tensors); }

    /**
     * PyTorch's {@code torch.where(condition, x, y)}; see {@link Tensor#where}.
     * @param condition a bool tensor choosing x where true
     * @param x the values where condition is true
     * @param y the values where condition is false
     * @return a new tensor
     */
    public static Tensor where(Tensor condition, Tensor x, Tensor y) { return Tensor.where(condition, x, y); }

    // --------------------------------------------------------------------------------------------- autograd

    /**
     * Turns history recording off on this thread until the returned guard closes (try-with-resources).
     * @return the guard restoring the previous mode
     */
    public static GradMode noGrad() { return new GradMode(false); }

    /**
     * Turns history recording on on this thread until the returned guard closes.
     * @return the guard restoring the previous mode
     */
    public static GradMode enableGrad() { return new GradMode(true); }

    /**
     * Whether ops record history on this thread, PyTorch's {@code torch.is_grad_enabled()}.
     * @return whether grad mode is on
     */
    public static boolean isGradEnabled() { return GradMode.isEnabled(); }

    /**
     * Turns history recording on or off on this thread, PyTorch's {@code torch.set_grad_enabled(enabled)}.
     * @param enabled the new mode
     */
    public static void setGradEnabled(boolean enabled) { GradMode.setEnabled(enabled); }

    /**
     * Turns autograd's anomaly detection on or off, PyTorch's {@code torch.autograd.set_detect_anomaly(mode)}:
     * while it is on, ops record where they were called, and backward raises
     * {@code Function 'SqrtBackward0' returned nan values in its 0th output.} at the first node whose
     * gradient holds a NaN, with the forward call (the op and the code that called it) as the exception's
     * cause; see {@link AnomalyMode}. Like PyTorch's, it works both as a call, which leaves the mode set,
     * and with try-with-resources, which gives the previous mode back at the end of the block. Process-wide;
     * slow (a stack trace per op): for debugging.
     *
     * @param mode whether to detect anomalies
     * @return the guard restoring the previous mode
     */
    public static AnomalyMode detectAnomaly(boolean mode) { return new AnomalyMode(mode); }

    /**
     * {@code detectAnomaly(true)}, PyTorch's {@code torch.autograd.detect_anomaly()}, for try-with-resources.
     * @return the guard restoring the previous mode
     */
    public static AnomalyMode detectAnomaly() { return new AnomalyMode(true); }

    /**
     * Whether anomaly detection is on, PyTorch's {@code torch.is_anomaly_enabled()}.
     * @return whether it is on
     */
    public static boolean isAnomalyEnabled() { return AnomalyMode.isEnabled(); }

    /**
     * torch.autograd.gradcheck with its defaults (eps 1e-6, atol 1e-5, rtol 1e-3): true when the analytic
     * gradient of fn matches finite differences for every input that requires grad; otherwise raises with
     * both Jacobians. Inputs should be float64 leaves.
     * @param fn the function of the inputs
     * @param inputs the double-precision inputs that require grad
     * @return whether the gradients match
     */
    public static boolean gradcheck(Function<Tensor[], Tensor> fn, Tensor... inputs) {
        return GradCheck.check(fn, inputs, 1e-6, 1e-5, 1e-3);
    }

    /**
     * {@link #gradcheck(Function, Tensor...)} with the given tolerances.
     * @param fn the function of the inputs
     * @param inputs the double-precision inputs that require grad
     * @param eps the finite-difference step
     * @param atol the absolute tolerance
     * @param rtol the relative tolerance
     * @return whether the gradients match
     */
    public static boolean gradcheck(Function<Tensor[], Tensor> fn, Tensor[] inputs, double eps, double atol, double rtol) {
        return GradCheck.check(fn, inputs, eps, atol, rtol);
    }

    // ------------------------------------------------------------------------------ nn functions (see nn.F)

    /**
     * Softmax over dim, PyTorch's {@code torch.softmax(x, dim)}.
     * @param x the input
     * @param dim the dimension
     * @return a new tensor
     */
    public static Tensor softmax(Tensor x, int dim) { return x.softmax(dim); }

    /**
     * Log-softmax over dim, PyTorch's {@code torch.log_softmax(x, dim)}.
     * @param x the input
     * @param dim the dimension
     * @return a new tensor
     */
    public static Tensor logSoftmax(Tensor x, int dim) { return x.logSoftmax(dim); }

    /**
     * x @ w^T + bias (bias may be null), PyTorch's F.linear.
     * @param w the weight, of shape (out, in)
     * @param bias the bias, of shape (out), or null
     * @param x the input
     * @return a new tensor
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor bias) { return Losses.linear(x, w, bias); }

    /**
     * Mean squared error, PyTorch's {@code F.mse_loss(input, target, reduction=...)}.
     * @param input the prediction
     * @param target the target, of input's shape
     * @param reduction how the elementwise losses are reduced
     * @return the loss
     */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        return Losses.mse(input, target, reduction);
    }

    /**
     * Mean absolute error, PyTorch's {@code F.l1_loss(input, target, reduction=...)}.
     * @param input the prediction
     * @param target the target, of input's shape
     * @param reduction how the elementwise losses are reduced
     * @return the loss
     */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        return Losses.l1(input, target, reduction);
    }

    /**
     * PyTorch's F.cross_entropy with class-index (int64) or class-probability targets.
     * @param input the logits, of shape (N, C) or (C)
     * @param target class indices (int64) or class probabilities
     * @param ignoreIndex a class index whose targets count for nothing
     * @param labelSmoothing the label smoothing in [0, 1]
     * @param reduction how the elementwise losses are reduced
     * @return the loss
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, long ignoreIndex, double labelSmoothing,
                                      Reduction reduction) {
        return Losses.crossEntropy(input, target, ignoreIndex, labelSmoothing, reduction);
    }

    /**
     * Binary cross-entropy on logits, PyTorch's {@code F.binary_cross_entropy_with_logits}.
     * @param reduction how the elementwise losses are reduced
     * @param input the logits
     * @param target the targets in [0, 1]
     * @return the loss
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Reduction reduction) {
        return Losses.bceWithLogits(input, target, reduction);
    }

    // ------------------------------------------------------------------------- fused optimizer updates

    /**
     * One SGD update of param in place, in one native call (PyTorch's torch.optim.SGD formula; see
     * Backend.sgdStep). momentumBuffer is null when momentum is 0; firstStep fills it from the gradient.
     * @param dampening the dampening of the momentum
     * @param nesterov whether to use Nesterov momentum
     * @param firstStep whether this is the first update of the buffer
     * @param param the parameter, updated in place
     * @param grad its gradient
     * @param momentumBuffer the momentum buffer, or null
     * @param lr the learning rate
     * @param momentum the momentum factor
     * @param weightDecay the L2 penalty (decoupled for AdamW)
     */
    public static void sgdStep_(Tensor param, Tensor grad, Tensor momentumBuffer, double lr, double momentum,
                                double dampening, double weightDecay, boolean nesterov, boolean firstStep) {
        checkOptimizerOperands(param, grad, momentumBuffer);
        param.backend().sgdStep(param.data(), grad.data(), dataOrNull(momentumBuffer), lr, momentum, dampening,
                weightDecay, nesterov, firstStep);
        param.data().storage.bumpVersion();
    }

    /**
     * One RMSprop update in place (gradAvg only when centered, momentumBuffer only with momentum).
     * @param squareAvg the running average of squared gradients
     * @param gradAvg the running average of gradients, or null
     * @param alpha the smoothing constant
     * @param momentum the momentum factor (0 for none)
     * @param param the parameter, updated in place
     * @param grad its gradient
     * @param momentumBuffer the momentum buffer, or null
     * @param lr the learning rate
     * @param eps the term added to the denominator for stability
     * @param weightDecay the L2 penalty (decoupled for AdamW)
     */
    public static void rmspropStep_(Tensor param, Tensor grad, Tensor squareAvg, Tensor gradAvg, Tensor momentumBuffer,
                                    double lr, double alpha, double eps, double weightDecay, double momentum) {
        checkOptimizerOperands(param, grad, squareAvg, gradAvg, momentumBuffer);
        param.backend().rmspropStep(param.data(), grad.data(), squareAvg.data(), dataOrNull(gradAvg),
                dataOrNull(momentumBuffer), lr, alpha, eps, weightDecay, momentum);
        param.data().storage.bumpVersion();
    }

    /**
     * One Adam (decoupled = false) or AdamW update in place; step counts from 1; maxExpAvgSq only with amsgrad.
     * @param expAvg the first moment
     * @param expAvgSq the second moment
     * @param maxExpAvgSq the running maximum of the second moment, or null
     * @param step the step number, from 1
     * @param beta1 the decay of the first moment
     * @param beta2 the decay of the second moment
     * @param decoupled false for Adam, true for AdamW's decoupled weight decay
     * @param param the parameter, updated in place
     * @param grad its gradient
     * @param lr the learning rate
     * @param eps the term added to the denominator for stability
     * @param weightDecay the L2 penalty (decoupled for AdamW)
     */
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

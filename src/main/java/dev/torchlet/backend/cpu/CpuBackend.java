package dev.torchlet.backend.cpu;

import static dev.torchlet.backend.NativeLayout.lastDim;
import static dev.torchlet.backend.NativeLayout.rows;
import static dev.torchlet.backend.NativeLayout.vectorStride;

import dev.torchlet.DType;
import dev.torchlet.Device;
import dev.torchlet.backend.Backend;
import dev.torchlet.backend.BinaryOp;
import dev.torchlet.backend.GradOp;
import dev.torchlet.backend.MemoryStats;
import dev.torchlet.backend.NativeAllocator;
import dev.torchlet.backend.NativeLayout;
import dev.torchlet.backend.NativeStorage;
import dev.torchlet.backend.ReduceOp;
import dev.torchlet.backend.Storage;
import dev.torchlet.backend.Strided;
import dev.torchlet.backend.UnaryOp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.javacpp.Pointer;
import sun.misc.Unsafe;

/**
 * The native CPU backend: one JNI call per op into libtorchlet (C++ kernels, OpenBLAS gemm). Layouts go
 * over as a packed long[] (see torchlet.h), or as null when every operand is contiguous.
 */
public final class CpuBackend implements Backend {
    /** The one CPU backend with native (OpenBLAS and C++) kernels. */
    public static final CpuBackend INSTANCE = new CpuBackend();

    private static final Unsafe UNSAFE = unsafe();

    // Small freed blocks are also kept on the Java side (32 MiB at most), except in the sanitizer build, where
    // every block must go back through tl_free to be poisoned.
    private final NativeAllocator allocator = new NativeAllocator("CPU", new NativeAllocator.RawMemory() {
        @Override public long allocate(long nbytes) { return NativeCpu.tl_alloc(nbytes); }

        @Override public void free(long address, long nbytes) { NativeCpu.tl_free(address, nbytes); }

        @Override public void emptyCache() { NativeCpu.tl_empty_cache(); }

        @Override public void setCacheLimit(long bytes) { NativeCpu.tl_set_cache_limit(bytes); }

        @Override public long cachedBytes() { return NativeCpu.tl_cached_bytes(); }
    }, NativeCpu.tl_sanitized() != 0 ? 0 : 32L << 20);

    private CpuBackend() {
        // -Dtorchlet.parallelGrainScale=N fixes the factor on the kernels' thresholds for going multi-threaded
        // (the tests use 1, so that mid-sized tensors take the multi-threaded paths); unset, the pool measures
        // it from how long a sleeping worker takes to wake (parallel.cpp).
        NativeCpu.tl_set_parallel_grain_scale(Integer.getInteger("torchlet.parallelGrainScale", 0));
    }

    /**
     * The allocator of the CPU's native memory.
     * @return the allocator
     */
    public NativeAllocator allocator() { return allocator; }

    /**
     * Sets the native kernels' intra-op threads: see Torch.setNumThreads.
     * @param n the number of threads, at least 1
     */
    public void setNumThreads(int n) { NativeCpu.tl_set_num_threads(n); }

    /**
     * The native kernels' intra-op threads.
     * @return the number of threads one op may use
     */
    public int getNumThreads() { return NativeCpu.tl_get_num_threads(); }

    /**
     * The factor on the kernels' size thresholds for going multi-threaded: measured on this machine (1 where
     * waking a worker thread takes a few microseconds, up to 64 where it takes far longer) unless fixed.
     * @return the factor, a power of 2 when measured
     */
    public int parallelGrainScale() { return NativeCpu.tl_get_parallel_grain_scale(); }

    /**
     * Fixes the factor of {@link #parallelGrainScale()} (1: the kernels' own thresholds), or with 0 goes back
     * to the measured one. The system property {@code torchlet.parallelGrainScale} sets it at start-up.
     * @param scale the factor, or 0 to measure
     */
    public void setParallelGrainScale(int scale) { NativeCpu.tl_set_parallel_grain_scale(scale); }

    /**
     * Turns the native kernels' deterministic mode on or off: see Torch.useDeterministicAlgorithms.
     * @param on whether to use only deterministic algorithms
     */
    public void setDeterministic(boolean on) { NativeCpu.tl_set_deterministic(on ? 1 : 0); }

    /**
     * Whether the native kernels' deterministic mode is on.
     * @return whether only deterministic algorithms are used
     */
    public boolean isDeterministic() { return NativeCpu.tl_get_deterministic() != 0; }

    @Override public String name() { return "cpu"; }

    @Override public Device device() { return Device.CPU; }

    @Override public Storage allocate(DType dtype, long numel) {
        return allocator.allocate(this, dtype.byteSize(numel));
    }

    @Override public void fill(Strided out, double value) {
        NativeCpu.tl_fill(out.dtype.ordinal(), address(out), out.numel(), NativeLayout.elementwise(out), value);
        Reference.reachabilityFence(out);
    }

    @Override public void copy(Strided src, Strided dst) {
        sameShape("copy", dst.shape, src);
        NativeCpu.tl_copy(src.dtype.ordinal(), dst.dtype.ordinal(), address(src), address(dst), dst.numel(),
                NativeLayout.elementwise(src, dst));
        fence(src, dst, null);
    }

    @Override public void binary(BinaryOp op, Strided a, Strided b, Strided out) {
        sameShape("binary", out.shape, a, b);
        sameDtype("binary", a.dtype, b);
        sameDtype("binary", op.isComparison() ? DType.BOOL : a.dtype, out);
        NativeCpu.tl_binary(op.ordinal(), a.dtype.ordinal(), address(a), address(b), address(out), out.numel(),
                NativeLayout.elementwise(a, b, out));
        fence(a, b, out);
    }

    @Override public void binaryScalar(BinaryOp op, Strided a, double s, boolean scalarFirst, Strided out) {
        sameShape("binaryScalar", out.shape, a);
        sameDtype("binaryScalar", op.isComparison() ? DType.BOOL : a.dtype, out);
        NativeCpu.tl_binary_scalar(op.ordinal(), a.dtype.ordinal(), address(a), s, scalarFirst ? 1 : 0,
                address(out), out.numel(), NativeLayout.elementwise(a, out));
        fence(a, out, null);
    }

    @Override public void unary(UnaryOp op, Strided a, Strided out) {
        sameShape("unary", out.shape, a);
        sameDtype("unary", a.dtype, out);
        NativeCpu.tl_unary(op.ordinal(), a.dtype.ordinal(), address(a), address(out), out.numel(),
                NativeLayout.elementwise(a, out));
        fence(a, out, null);
    }

    @Override public void reduce(ReduceOp op, Strided in, int nReduced, Strided out, Strided indices) {
        if (nReduced < 0 || nReduced > in.dim()) {
            throw new IllegalArgumentException("reduce: " + nReduced + " reduced dims of a " + in.dim() + "-d input");
        }
        int nKeep = in.dim() - nReduced;
        long[] kept = Arrays.copyOf(in.shape, nKeep);
        boolean argOnly = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
        if (argOnly ? indices == null : out == null) throw new IllegalArgumentException("reduce: " + op + " without its output");
        sameShape("reduce", kept, out, indices);
        if (out != null) sameDtype("reduce", op.resultType(in.dtype), out);
        sameDtype("reduce", DType.INT64, indices);
        if (op.selects() && Strided.numel(kept) > 0 && Strided.numel(in.shape) == 0) {
            throw new IllegalArgumentException("reduce: " + op.torchName + " of an empty reduced space");
        }
        NativeCpu.tl_reduce(op.ordinal(), in.dtype.ordinal(), address(in), addressOrZero(out), addressOrZero(indices),
                NativeLayout.reduce(in, nReduced, out, indices));
        fence(in, out, indices);
    }

    @Override public void matmul(Strided a, Strided b, Strided out) {
        if (a.dim() != 3 || b.dim() != 3) throw mismatch("matmul", "3-d operands", a.dim() != 3 ? a : b);
        sameShape("matmul", new long[] {a.shape[0], a.shape[2], b.shape[2]}, b);
        sameShape("matmul", new long[] {a.shape[0], a.shape[1], b.shape[2]}, out);
        sameDtype("matmul", a.dtype, b, out);
        if (a.dtype == DType.BOOL) throw mismatch("matmul", "float32, float64 or int64 operands", a);
        NativeCpu.tl_matmul(a.dtype.ordinal(), address(a), address(b), address(out), NativeLayout.matmul(a, b, out));
        fence(a, b, out);
    }

    @Override public void sort(Strided in, boolean descending, Strided values, Strided indices) {
        sameShape("sort", in.shape, values, indices);
        sameDtype("sort", in.dtype, values);
        sameDtype("sort", DType.INT64, indices);
        contiguous("sort", in, values, indices);
        long len = in.shape[in.dim() - 1];
        long rows = len == 0 ? 0 : in.numel() / len;
        NativeCpu.tl_sort(in.dtype.ordinal(), address(in), address(values), address(indices), rows, len,
                descending ? 1 : 0);
        fence(in, values, indices);
    }

    @Override public void arange(Strided out, double start, double step) {
        contiguous("arange", out);
        NativeCpu.tl_arange(out.dtype.ordinal(), address(out), out.numel(), start, step);
        Reference.reachabilityFence(out);
    }

    @Override public void linspace(Strided out, double start, double end) {
        contiguous("linspace", out);
        NativeCpu.tl_linspace(out.dtype.ordinal(), address(out), out.numel(), start, end);
        Reference.reachabilityFence(out);
    }

    @Override public void where(Strided cond, Strided a, Strided b, Strided out) {
        sameShape("where", out.shape, cond, a, b);
        sameDtype("where", DType.BOOL, cond);
        sameDtype("where", out.dtype, a, b);
        NativeCpu.tl_where(out.dtype.ordinal(), address(cond), address(a), address(b), address(out), out.numel(),
                NativeLayout.elementwise(cond, a, b, out));
        fence(cond, a, b);
        Reference.reachabilityFence(out);
    }

    @Override public long scatter(Strided src, Strided index, Strided out) {
        if (src.dim() != 2) throw mismatch("scatter", "a [rows, m] source", src);
        sameShape("scatter", src.shape, index);
        if (out.dim() != 2 || out.shape[0] != src.shape[0]) throw mismatch("scatter", "a [rows, n] output", out);
        sameDtype("scatter", src.dtype, out);
        sameDtype("scatter", DType.INT64, index);
        contiguous("scatter", src, index, out);
        long bad = NativeCpu.tl_scatter_rows(out.dtype.ordinal(), address(src), address(index), address(out),
                src.shape[0], src.shape[1], out.shape[1]);
        fence(src, index, out);
        return bad;
    }

    @Override public void grad(GradOp op, Strided a, Strided b, Strided g, double s, Strided out) {
        sameShape("grad", out.shape, a, b, g);
        floatDtype("grad", out, a, b, g);
        NativeCpu.tl_grad(op.ordinal(), out.dtype.ordinal(), address(a), address(b), address(g), s, address(out),
                out.numel(), NativeLayout.elementwise(a, b, g, out));
        fence(a, b, g);
        Reference.reachabilityFence(out);
    }

    @Override public void softmax(Strided in, boolean log, Strided out) {
        sameShape("softmax", in.shape, out);
        floatDtype("softmax", in, out);
        contiguous("softmax", in, out);
        long len = lastDim(in);
        NativeCpu.tl_softmax(in.dtype.ordinal(), address(in), address(out), rows(in, len), len, log ? 1 : 0);
        fence(in, out, null);
    }

    @Override public void softmaxBackward(Strided g, Strided y, boolean log, Strided gradIn) {
        sameShape("softmaxBackward", g.shape, y, gradIn);
        floatDtype("softmaxBackward", g, y, gradIn);
        contiguous("softmaxBackward", g, y, gradIn);
        long len = lastDim(g);
        NativeCpu.tl_softmax_backward(g.dtype.ordinal(), address(g), address(y), address(gradIn), rows(g, len), len,
                log ? 1 : 0);
        fence(g, y, gradIn);
    }

    @Override public long crossEntropy(Strided logits, Strided target, long ignoreIndex, double labelSmoothing,
                                       Strided losses) {
        checkCrossEntropy("crossEntropy", logits, target, losses);
        contiguous("crossEntropy", losses);
        long bad = NativeCpu.tl_cross_entropy(logits.dtype.ordinal(), address(logits), address(target),
                vectorStride(target), logits.shape[0], logits.shape[1], ignoreIndex, labelSmoothing, address(losses));
        fence(logits, target, losses);
        return bad;
    }

    @Override public long crossEntropyBackward(Strided logits, Strided target, Strided g, long ignoreIndex,
                                               double labelSmoothing, Strided gradLogits) {
        checkCrossEntropy("crossEntropyBackward", logits, target, g);
        sameShape("crossEntropyBackward", logits.shape, gradLogits);
        sameDtype("crossEntropyBackward", logits.dtype, gradLogits);
        contiguous("crossEntropyBackward", gradLogits);
        long bad = NativeCpu.tl_cross_entropy_backward(logits.dtype.ordinal(), address(logits), address(target),
                vectorStride(target), address(g), vectorStride(g), logits.shape[0], logits.shape[1], ignoreIndex,
                labelSmoothing, address(gradLogits));
        fence(logits, target, g);
        Reference.reachabilityFence(gradLogits);
        return bad;
    }

    @Override public void sgdStep(Strided param, Strided grad, Strided momentumBuffer, double lr, double momentum,
                                  double dampening, double weightDecay, boolean nesterov, boolean firstStep) {
        checkOptimizer("sgdStep", param, grad, momentumBuffer);
        NativeCpu.tl_sgd_step(param.dtype.ordinal(), address(param), address(grad), addressOrZero(momentumBuffer),
                param.numel(), NativeLayout.elementwise(param, grad, momentumBuffer), lr, momentum, dampening, weightDecay,
                nesterov ? 1 : 0, firstStep ? 1 : 0);
        fence(param, grad, momentumBuffer);
    }

    @Override public void rmspropStep(Strided param, Strided grad, Strided squareAvg, Strided gradAvg,
                                      Strided momentumBuffer, double lr, double alpha, double eps, double weightDecay,
                                      double momentum) {
        checkOptimizer("rmspropStep", param, grad, squareAvg, gradAvg, momentumBuffer);
        NativeCpu.tl_rmsprop_step(param.dtype.ordinal(), address(param), address(grad), address(squareAvg),
                addressOrZero(gradAvg), addressOrZero(momentumBuffer), param.numel(),
                NativeLayout.elementwise(param, grad, squareAvg, gradAvg, momentumBuffer), lr, alpha, eps, weightDecay,
                momentum);
        fence(param, grad, squareAvg);
        fence(gradAvg, momentumBuffer, null);
    }

    @Override public void adamStep(Strided param, Strided grad, Strided expAvg, Strided expAvgSq, Strided maxExpAvgSq,
                                   long step, double lr, double beta1, double beta2, double eps, double weightDecay,
                                   boolean decoupled) {
        checkOptimizer("adamStep", param, grad, expAvg, expAvgSq, maxExpAvgSq);
        NativeCpu.tl_adam_step(param.dtype.ordinal(), address(param), address(grad), address(expAvg),
                address(expAvgSq), addressOrZero(maxExpAvgSq), param.numel(),
                NativeLayout.elementwise(param, grad, expAvg, expAvgSq, maxExpAvgSq), step, lr, beta1, beta2, eps,
                weightDecay, decoupled ? 1 : 0);
        fence(param, grad, expAvg);
        fence(expAvgSq, maxExpAvgSq, null);
    }

    /** logits [N, C] contiguous float; int64 target [N] and perRow [N] of the logits' dtype, any strides. */
    private static void checkCrossEntropy(String kernel, Strided logits, Strided target, Strided perRow) {
        if (logits.dim() != 2) throw mismatch(kernel, "[N, C] logits", logits);
        long[] n = {logits.shape[0]};
        sameShape(kernel, n, target, perRow);
        sameDtype(kernel, DType.INT64, target);
        floatDtype(kernel, logits, perRow);
        contiguous(kernel, logits);
    }

    private static void checkOptimizer(String kernel, Strided param, Strided... state) {
        sameShape(kernel, param.shape, state);
        floatDtype(kernel, param, state);
    }

    private static long addressOrZero(Strided s) { return s == null ? 0 : address(s); }

    @Override public void write(Strided dst, Object array) {
        contiguous("write", dst);
        if (array == null || array.getClass() != arrayClass(dst.dtype)
                || java.lang.reflect.Array.getLength(array) != dst.numel()) {
            throw mismatch("write", dst.numel() + " elements in a " + arrayClass(dst.dtype).getSimpleName()
                    + ", not " + (array == null ? "null" : java.lang.reflect.Array.getLength(array) + " in a "
                    + array.getClass().getSimpleName()) + ", into", dst);
        }
        UNSAFE.copyMemory(array, arrayBaseOffset(dst.dtype), null, address(dst), dst.numel() * dst.dtype.itemSize());
        Reference.reachabilityFence(dst);
    }

    @Override public Object read(Strided src) {
        contiguous("read", src);
        int n = Math.toIntExact(src.numel());
        Object array;
        switch (src.dtype) {
            case FLOAT32: array = new float[n]; break;
            case FLOAT64: array = new double[n]; break;
            case INT64: array = new long[n]; break;
            default: array = new boolean[n]; break;
        }
        UNSAFE.copyMemory(null, address(src), array, arrayBaseOffset(src.dtype), (long) n * src.dtype.itemSize());
        Reference.reachabilityFence(src);
        return array;
    }

    @Override public MemoryStats memoryStats() { return allocator.stats(); }

    // --------------------------------------------------------------------------------------------- files

    /**
     * Storage over nbytes of the file at path from byte offset, memory-mapped copy-on-write: nothing is
     * copied (pages are read from the file when first touched, and shared with the page cache), in-place
     * writes stay private to this process and never reach the file, and the mapping is removed when the
     * storage is freed (its last tensor closed, or found unreachable). The caller validated the file at
     * fileSize bytes; a file that has another size by now is refused.
     *
     * @param path the file
     * @param offset the byte offset of the region in the file
     * @param nbytes the length of the region in bytes
     * @param fileSize the file's size in bytes, checked against the region
     * @return storage over the region
     * @throws UncheckedIOException when the file cannot be opened or mapped, or changed size
     */
    public NativeStorage mapFile(Path path, long offset, long nbytes, long fileSize) {
        if (offset < 0 || nbytes <= 0 || offset > fileSize - nbytes) {
            throw new IllegalArgumentException("cannot memory-map " + nbytes + " bytes at offset " + offset + " of "
                    + path + ": the region is empty or not inside the file's " + fileSize + " bytes");
        }
        long address = map(path, offset, nbytes, fileSize);
        return allocator.adopt(this, address, nbytes, () -> NativeCpu.tl_unmap(address, nbytes));
    }

    /** A mapping as {@link #mapFile} makes (arguments checked there); returns the address of byte offset. */
    private static long map(Path path, long offset, long nbytes, long fileSize) {
        byte[] name = (path.toAbsolutePath().toString() + "\0").getBytes(fileNameCharset());
        long address = NativeCpu.tl_map_file(name, offset, nbytes, fileSize);
        if (address < 0) {
            int errno = (int) -address;
            String why = errno == ESTALE ? "the file changed size since its header was read (expected " + fileSize
                    + " bytes)" : NativeCpu.tl_strerror(errno);
            throw new UncheckedIOException(new IOException("cannot memory-map " + nbytes + " bytes at offset " + offset
                    + " of " + path + ": " + why));
        }
        return address;
    }

    /**
     * Fills the contiguous dst from dst.numel() raw little-endian elements at byte offset of region (any byte
     * alignment), of the file element type raw (TlRawType in torchlet.h: F64, F32, F16, BF16, I64, I32, I16,
     * I8, U8, U16, U32, BOOL): float16/bfloat16 widen exactly to float32, the narrower integers to int64, bool
     * bytes become 0 or 1.
     * @param raw the file element type's code
     * @param region the storage holding the raw elements (a {@link #mapFile} region)
     * @param offset the byte offset of the first raw element in region
     * @param dst the contiguous destination, of raw's dtype (float32 for the 16-bit floats, int64 for integers)
     * @throws IllegalArgumentException when dst has another dtype or is not contiguous, or the raw elements
     *     reach outside region
     */
    public void decode(int raw, Storage region, long offset, Strided dst) {
        if (raw < 0 || raw >= RAW_TARGETS.length || dst.dtype != RAW_TARGETS[raw]) {
            throw mismatch("decode", "dtype " + (raw >= 0 && raw < RAW_TARGETS.length ? RAW_TARGETS[raw]
                    : "of a raw type (code " + raw + " is none)"), dst);
        }
        contiguous("decode", dst);
        long bytes = dst.numel() * RAW_BYTES[raw]; // no overflow: dst.numel() elements of >= 1 byte exist
        if (offset < 0 || offset > region.nbytes() - bytes) {
            throw new IllegalArgumentException("native decode: " + bytes + " bytes at offset " + offset
                    + " reach outside their region of " + region.nbytes() + " bytes");
        }
        NativeCpu.tl_decode(raw, address(region) + offset, dst.dtype.ordinal(), address(dst), dst.numel());
        Reference.reachabilityFence(region);
        Reference.reachabilityFence(dst);
    }

    /** The dtype and the size in bytes of each raw element type of tl_decode, by its code (TlRawType). */
    private static final DType[] RAW_TARGETS = {DType.FLOAT64, DType.FLOAT32, DType.FLOAT32, DType.FLOAT32,
        DType.INT64, DType.INT64, DType.INT64, DType.INT64, DType.INT64, DType.INT64, DType.INT64, DType.BOOL};
    private static final int[] RAW_BYTES = {8, 4, 2, 2, 8, 4, 2, 1, 1, 2, 4, 1};

    /**
     * Writes the bytes of the contiguous src to channel through bounce, a direct (native, not heap) buffer
     * that this method fills chunk by chunk: no Java array of the tensor's size is ever made.
     * @param channel the channel written to
     * @param src the contiguous source
     * @param bounce the direct buffer used for the copy
     * @throws IOException when writing to the channel fails
     */
    public void writeTo(WritableByteChannel channel, Strided src, ByteBuffer bounce) throws IOException {
        contiguous("writeTo", src);
        long bounceAddress = new Pointer(bounce.clear()).address(); // the buffer's first byte
        long at = address(src);
        long left = src.numel() * src.dtype.itemSize();
        while (left > 0) {
            int n = (int) Math.min(left, bounce.capacity());
            UNSAFE.copyMemory(null, at, null, bounceAddress, n);
            bounce.clear().limit(n);
            while (bounce.hasRemaining()) channel.write(bounce);
            at += n;
            left -= n;
        }
        Reference.reachabilityFence(src);
        Reference.reachabilityFence(bounce);
    }

    /** Linux's ESTALE: what tl_map_file returns when the file's size is not the expected one. */
    private static final int ESTALE = 116;

    /** How the JDK encodes file names for the OS (sun.jnu.encoding), so the native open sees the same name. */
    private static Charset fileNameCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /**
     * Keeps the operands' storages reachable until the native call returned: otherwise the JIT may consider
     * them dead once their addresses are read, and the collector could free the memory mid-kernel.
     */
    private static void fence(Strided a, Strided b, Strided c) {
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
        Reference.reachabilityFence(c);
    }

    private static long address(Strided s) { return address(s.storage) + s.offset * s.dtype.itemSize(); }

    /**
     * The address of storage's first byte. Refuses storage that is not this backend's or is already freed (a
     * closed tensor's): the one check that no operand of a native call points at memory given back.
     */
    private static long address(Storage storage) {
        if (storage.backend() != INSTANCE) {
            throw new IllegalArgumentException("Expected all tensors to be on the same device: the native cpu backend "
                    + "got an operand of the " + storage.backend().name() + " backend");
        }
        if (storage.isFreed()) {
            throw new IllegalStateException("a native call got storage that was already freed (its tensors were "
                    + "closed)");
        }
        return ((NativeStorage) storage).address();
    }

    // ------------------------------------------------------------------------- checks before native calls
    // The kernels trust their arguments (torchlet.h): every count, size and stride they use comes from these
    // operands, so each call first checks that the operands agree in shape, dtype and layout. Each Strided
    // already lies inside its storage (its constructor checks) and address() refuses freed storage. The ops of
    // dev.torchlet never fail these checks: a failure is a caller breaking the Backend contract.

    /** Every non-null operand has exactly these sizes. */
    private static void sameShape(String kernel, long[] shape, Strided... operands) {
        for (Strided s : operands) {
            if (s != null && s.shape != shape && !Arrays.equals(s.shape, shape)) {
                throw mismatch(kernel, "shape " + Arrays.toString(shape), s);
            }
        }
    }

    /** Every non-null operand has this dtype. */
    private static void sameDtype(String kernel, DType dtype, Strided... operands) {
        for (Strided s : operands) if (s != null && s.dtype != dtype) throw mismatch(kernel, "dtype " + dtype, s);
    }

    /** first is float32 or float64, and every other non-null operand has its dtype. */
    private static void floatDtype(String kernel, Strided first, Strided... others) {
        if (!first.dtype.isFloatingPoint()) throw mismatch(kernel, "a float32 or float64 operand", first);
        sameDtype(kernel, first.dtype, others);
    }

    /** The kernel reads or writes numel() consecutive elements of each non-null operand. */
    private static void contiguous(String kernel, Strided... operands) {
        for (Strided s : operands) if (s != null && !s.isContiguous()) throw mismatch(kernel, "a contiguous operand", s);
    }

    private static IllegalArgumentException mismatch(String kernel, String expected, Strided got) {
        return new IllegalArgumentException("native " + kernel + ": expected " + expected + ", got an operand of shape "
                + Arrays.toString(got.shape) + ", strides " + Arrays.toString(got.strides) + " and dtype " + got.dtype);
    }

    private static Class<?> arrayClass(DType dtype) {
        switch (dtype) {
            case FLOAT32: return float[].class;
            case FLOAT64: return double[].class;
            case INT64: return long[].class;
            default: return boolean[].class;
        }
    }

    private static long arrayBaseOffset(DType dtype) {
        switch (dtype) {
            case FLOAT32: return Unsafe.ARRAY_FLOAT_BASE_OFFSET;
            case FLOAT64: return Unsafe.ARRAY_DOUBLE_BASE_OFFSET;
            case INT64: return Unsafe.ARRAY_LONG_BASE_OFFSET;
            default: return Unsafe.ARRAY_BOOLEAN_BASE_OFFSET;
        }
    }

    private static Unsafe unsafe() {
        try {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}

package dev.torchlet.backend.cpu;

import static dev.torchlet.backend.NativeLayout.address;
import static dev.torchlet.backend.NativeLayout.addressOrZero;
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

    private final NativeAllocator allocator = new NativeAllocator("CPU", new NativeAllocator.RawMemory() {
        @Override public long allocate(long nbytes) { return NativeCpu.tl_alloc(nbytes); }

        @Override public void free(long address, long nbytes) { NativeCpu.tl_free(address, nbytes); }

        @Override public void emptyCache() { NativeCpu.tl_empty_cache(); }

        @Override public long cachedBytes() { return NativeCpu.tl_cached_bytes(); }
    });

    private CpuBackend() {}

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
        NativeCpu.tl_copy(src.dtype.ordinal(), dst.dtype.ordinal(), address(src), address(dst), dst.numel(),
                NativeLayout.elementwise(src, dst));
        fence(src, dst, null);
    }

    @Override public void binary(BinaryOp op, Strided a, Strided b, Strided out) {
        NativeCpu.tl_binary(op.ordinal(), a.dtype.ordinal(), address(a), address(b), address(out), out.numel(),
                NativeLayout.elementwise(a, b, out));
        fence(a, b, out);
    }

    @Override public void binaryScalar(BinaryOp op, Strided a, double s, boolean scalarFirst, Strided out) {
        NativeCpu.tl_binary_scalar(op.ordinal(), a.dtype.ordinal(), address(a), s, scalarFirst ? 1 : 0,
                address(out), out.numel(), NativeLayout.elementwise(a, out));
        fence(a, out, null);
    }

    @Override public void unary(UnaryOp op, Strided a, Strided out) {
        NativeCpu.tl_unary(op.ordinal(), a.dtype.ordinal(), address(a), address(out), out.numel(),
                NativeLayout.elementwise(a, out));
        fence(a, out, null);
    }

    @Override public void reduce(ReduceOp op, Strided in, int nReduced, Strided out, Strided indices) {
        NativeCpu.tl_reduce(op.ordinal(), in.dtype.ordinal(), address(in), addressOrZero(out), addressOrZero(indices),
                NativeLayout.reduce(in, nReduced, out, indices));
        fence(in, out, indices);
    }

    @Override public void matmul(Strided a, Strided b, Strided out) {
        NativeCpu.tl_matmul(a.dtype.ordinal(), address(a), address(b), address(out), NativeLayout.matmul(a, b, out));
        fence(a, b, out);
    }

    @Override public void sort(Strided in, boolean descending, Strided values, Strided indices) {
        long len = in.shape[in.dim() - 1];
        long rows = len == 0 ? 0 : in.numel() / len;
        NativeCpu.tl_sort(in.dtype.ordinal(), address(in), address(values), address(indices), rows, len,
                descending ? 1 : 0);
        fence(in, values, indices);
    }

    @Override public void arange(Strided out, double start, double step) {
        NativeCpu.tl_arange(out.dtype.ordinal(), address(out), out.numel(), start, step);
        Reference.reachabilityFence(out);
    }

    @Override public void linspace(Strided out, double start, double end) {
        NativeCpu.tl_linspace(out.dtype.ordinal(), address(out), out.numel(), start, end);
        Reference.reachabilityFence(out);
    }

    @Override public void where(Strided cond, Strided a, Strided b, Strided out) {
        NativeCpu.tl_where(out.dtype.ordinal(), address(cond), address(a), address(b), address(out), out.numel(),
                NativeLayout.elementwise(cond, a, b, out));
        fence(cond, a, b);
        Reference.reachabilityFence(out);
    }

    @Override public void scatter(Strided src, Strided index, Strided out) {
        long m = lastDim(src), n = lastDim(out);
        NativeCpu.tl_scatter_rows(out.dtype.ordinal(), address(src), address(index), address(out), rows(src, m), m, n);
        fence(src, index, out);
    }

    @Override public void grad(GradOp op, Strided a, Strided b, Strided g, double s, Strided out) {
        NativeCpu.tl_grad(op.ordinal(), out.dtype.ordinal(), address(a), address(b), address(g), s, address(out),
                out.numel(), NativeLayout.elementwise(a, b, g, out));
        fence(a, b, g);
        Reference.reachabilityFence(out);
    }

    @Override public void softmax(Strided in, boolean log, Strided out) {
        long len = lastDim(in);
        NativeCpu.tl_softmax(in.dtype.ordinal(), address(in), address(out), rows(in, len), len, log ? 1 : 0);
        fence(in, out, null);
    }

    @Override public void softmaxBackward(Strided g, Strided y, boolean log, Strided gradIn) {
        long len = lastDim(g);
        NativeCpu.tl_softmax_backward(g.dtype.ordinal(), address(g), address(y), address(gradIn), rows(g, len), len,
                log ? 1 : 0);
        fence(g, y, gradIn);
    }

    @Override public long crossEntropy(Strided logits, Strided target, long ignoreIndex, double labelSmoothing,
                                       Strided losses) {
        long bad = NativeCpu.tl_cross_entropy(logits.dtype.ordinal(), address(logits), address(target),
                vectorStride(target), logits.shape[0], logits.shape[1], ignoreIndex, labelSmoothing, address(losses));
        fence(logits, target, losses);
        return bad;
    }

    @Override public void crossEntropyBackward(Strided logits, Strided target, Strided g, long ignoreIndex,
                                               double labelSmoothing, Strided gradLogits) {
        NativeCpu.tl_cross_entropy_backward(logits.dtype.ordinal(), address(logits), address(target),
                vectorStride(target), address(g), vectorStride(g), logits.shape[0], logits.shape[1], ignoreIndex,
                labelSmoothing, address(gradLogits));
        fence(logits, target, g);
        Reference.reachabilityFence(gradLogits);
    }

    @Override public void sgdStep(Strided param, Strided grad, Strided momentumBuffer, double lr, double momentum,
                                  double dampening, double weightDecay, boolean nesterov, boolean firstStep) {
        NativeCpu.tl_sgd_step(param.dtype.ordinal(), address(param), address(grad), addressOrZero(momentumBuffer),
                param.numel(), NativeLayout.elementwise(param, grad, momentumBuffer), lr, momentum, dampening, weightDecay,
                nesterov ? 1 : 0, firstStep ? 1 : 0);
        fence(param, grad, momentumBuffer);
    }

    @Override public void rmspropStep(Strided param, Strided grad, Strided squareAvg, Strided gradAvg,
                                      Strided momentumBuffer, double lr, double alpha, double eps, double weightDecay,
                                      double momentum) {
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
        NativeCpu.tl_adam_step(param.dtype.ordinal(), address(param), address(grad), address(expAvg),
                address(expAvgSq), addressOrZero(maxExpAvgSq), param.numel(),
                NativeLayout.elementwise(param, grad, expAvg, expAvgSq, maxExpAvgSq), step, lr, beta1, beta2, eps,
                weightDecay, decoupled ? 1 : 0);
        fence(param, grad, expAvg);
        fence(expAvgSq, maxExpAvgSq, null);
    }

    @Override public void write(Strided dst, Object array) {
        UNSAFE.copyMemory(array, arrayBaseOffset(dst.dtype), null, address(dst), dst.numel() * dst.dtype.itemSize());
        Reference.reachabilityFence(dst);
    }

    @Override public Object read(Strided src) {
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
        long address = map(path, offset, nbytes, fileSize);
        return allocator.adopt(this, address, nbytes, () -> NativeCpu.tl_unmap(address, nbytes));
    }

    /**
     * A mapping as {@link #mapFile} makes, owned by the caller, who must give it back with {@link #unmap};
     * returns the address of byte offset.
     * @param path the file
     * @param offset the byte offset of the region in the file
     * @param nbytes the length of the region in bytes
     * @param fileSize the file's size in bytes, checked against the region
     * @return the address of byte offset
     */
    public long map(Path path, long offset, long nbytes, long fileSize) {
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
     * Gives back a mapping of nbytes that {@link #map} returned at address.
     * @param address the address {@link #map} returned
     * @param nbytes the length given to {@link #map}
     */
    public void unmap(long address, long nbytes) { NativeCpu.tl_unmap(address, nbytes); }

    /**
     * Fills the contiguous dst from dst.numel() raw little-endian elements at src (any byte alignment), of
     * the file element type raw (see TlRawType in torchlet.h): float16/bfloat16 widen exactly to float32,
     * the narrower integers to int64, bool bytes become 0 or 1.
     * @param raw the file element type
     * @param src the address of the first raw element
     * @param dst the contiguous destination
     */
    public void decode(int raw, long src, Strided dst) {
        NativeCpu.tl_decode(raw, src, dst.dtype.ordinal(), address(dst), dst.numel());
        Reference.reachabilityFence(dst);
    }

    /**
     * Writes the bytes of the contiguous src to channel through bounce, a direct (native, not heap) buffer
     * that this method fills chunk by chunk: no Java array of the tensor's size is ever made.
     * @param channel the channel written to
     * @param src the contiguous source
     * @param bounce the direct buffer used for the copy
     * @throws IOException when writing to the channel fails
     */
    public void writeTo(WritableByteChannel channel, Strided src, ByteBuffer bounce) throws IOException {
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

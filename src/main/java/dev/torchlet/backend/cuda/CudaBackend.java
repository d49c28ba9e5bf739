package dev.torchlet.backend.cuda;

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
import dev.torchlet.backend.ReduceOp;
import dev.torchlet.backend.Storage;
import dev.torchlet.backend.Strided;
import dev.torchlet.backend.UnaryOp;
import dev.torchlet.backend.cpu.CpuBackend;
import java.lang.ref.Reference;

/**
 * The CUDA backend of one device: one JNI call per op into libtorchlet_cuda, which enqueues the kernel on the
 * device's stream and returns; copies to the host wait for the stream. Device memory comes from a caching
 * allocator (see torchlet_cuda.h) under the same {@link NativeAllocator} ownership as CPU memory: freed when
 * the last tensor is closed or found unreachable, and the pools given back by {@link #emptyCache()}.
 *
 * <p>Nothing here touches CUDA until {@link #of(int)} (or another static method) is first called: only then is
 * libtorchlet_cuda loaded ({@link CudaRuntime}).
 */
public final class CudaBackend implements Backend {
    private final int index;
    private final Device device;
    private final NativeAllocator allocator;

    private CudaBackend(int index) {
        this.index = index;
        this.device = Device.cuda(index);
        this.allocator = new NativeAllocator("CUDA", new NativeAllocator.RawMemory() {
            @Override public long allocate(long nbytes) { return NativeCuda.tlc_alloc(index, nbytes); }

            @Override public void free(long address, long nbytes) { NativeCuda.tlc_free(index, address, nbytes); }

            @Override public void emptyCache() { NativeCuda.tlc_empty_cache(index); }

            // the pool keeps every freed block, as PyTorch's CUDA caching allocator does
            @Override public void setCacheLimit(long bytes) {}

            @Override public long cachedBytes() { return NativeCuda.tlc_cached_bytes(index); }
        }, 0); // no Java-side cache of small blocks until measured on a GPU
    }

    /**
     * The backend of CUDA device index, PyTorch's {@code torch.device("cuda", index)}; loads and initializes
     * CUDA on first use.
     * @param index the device ordinal
     * @return the device's backend
     * @throws IllegalStateException when CUDA cannot be used (no library, driver, GPU or cuBLAS), naming why
     * @throws IllegalArgumentException when there is no device index
     */
    public static CudaBackend of(int index) { return CudaRuntime.backend(index, CudaBackend::new); }

    /**
     * The allocator of this device's memory.
     * @return the allocator
     */
    public NativeAllocator allocator() { return allocator; }

    /**
     * Bytes of device memory held from cudaMalloc: blocks in use (rounded to their size class) plus the
     * pooled ones, PyTorch's {@code torch.cuda.memory_reserved}.
     * @return the reserved bytes
     */
    public long memoryReserved() { return NativeCuda.tlc_reserved_bytes(index); }

    /** Gives the pooled (freed) blocks of this device back to CUDA, PyTorch's {@code torch.cuda.empty_cache}. */
    public void emptyCache() {
        allocator.freeUnreachable();
        allocator.emptyCache();
    }

    /** Waits until every op enqueued on this device has finished, PyTorch's {@code torch.cuda.synchronize}. */
    public void synchronize() { check(NativeCuda.tlc_synchronize(index)); }

    @Override public String name() { return "cuda"; }

    @Override public Device device() { return device; }

    @Override public Storage allocate(DType dtype, long numel) { return allocator.allocate(this, dtype.byteSize(numel)); }

    @Override public void fill(Strided out, double value) {
        check(NativeCuda.tlc_fill(index, out.dtype.ordinal(), address(out), out.numel(), NativeLayout.elementwise(out),
                value));
        Reference.reachabilityFence(out);
    }

    @Override public void copy(Strided src, Strided dst) {
        check(NativeCuda.tlc_copy(index, src.dtype.ordinal(), dst.dtype.ordinal(), address(src), address(dst),
                dst.numel(), NativeLayout.elementwise(src, dst)));
        fence(src, dst, null);
    }

    @Override public void binary(BinaryOp op, Strided a, Strided b, Strided out) {
        check(NativeCuda.tlc_binary(index, op.ordinal(), a.dtype.ordinal(), address(a), address(b), address(out),
                out.numel(), NativeLayout.elementwise(a, b, out)));
        fence(a, b, out);
    }

    @Override public void binaryScalar(BinaryOp op, Strided a, double s, boolean scalarFirst, Strided out) {
        check(NativeCuda.tlc_binary_scalar(index, op.ordinal(), a.dtype.ordinal(), address(a), s, scalarFirst ? 1 : 0,
                address(out), out.numel(), NativeLayout.elementwise(a, out)));
        fence(a, out, null);
    }

    @Override public void unary(UnaryOp op, Strided a, Strided out) {
        check(NativeCuda.tlc_unary(index, op.ordinal(), a.dtype.ordinal(), address(a), address(out), out.numel(),
                NativeLayout.elementwise(a, out)));
        fence(a, out, null);
    }

    @Override public void reduce(ReduceOp op, Strided in, int nReduced, Strided out, Strided indices) {
        check(NativeCuda.tlc_reduce(index, op.ordinal(), in.dtype.ordinal(), address(in), addressOrZero(out),
                addressOrZero(indices), NativeLayout.reduce(in, nReduced, out, indices)));
        fence(in, out, indices);
    }

    @Override public void matmul(Strided a, Strided b, Strided out) {
        check(NativeCuda.tlc_matmul(index, a.dtype.ordinal(), address(a), address(b), address(out),
                NativeLayout.matmul(a, b, out)));
        fence(a, b, out);
    }

    @Override public void sort(Strided in, boolean descending, Strided values, Strided indices) {
        long len = lastDim(in);
        check(NativeCuda.tlc_sort(index, in.dtype.ordinal(), address(in), address(values), addressOrZero(indices),
                rows(in, len), len, descending ? 1 : 0));
        fence(in, values, indices);
    }

    @Override public void arange(Strided out, double start, double step) {
        check(NativeCuda.tlc_arange(index, out.dtype.ordinal(), address(out), out.numel(), start, step));
        Reference.reachabilityFence(out);
    }

    @Override public void linspace(Strided out, double start, double end) {
        check(NativeCuda.tlc_linspace(index, out.dtype.ordinal(), address(out), out.numel(), start, end));
        Reference.reachabilityFence(out);
    }

    @Override public void where(Strided cond, Strided a, Strided b, Strided out) {
        check(NativeCuda.tlc_where(index, out.dtype.ordinal(), address(cond), address(a), address(b), address(out),
                out.numel(), NativeLayout.elementwise(cond, a, b, out)));
        fence(cond, a, b);
        Reference.reachabilityFence(out);
    }

    /** Indices outside [0, n) are skipped by the kernel, not yet reported as on the CPU: always returns -1. */
    @Override public long scatter(Strided src, Strided index, Strided out) {
        long m = lastDim(src), n = lastDim(out);
        check(NativeCuda.tlc_scatter_rows(this.index, out.dtype.ordinal(), address(src), address(index), address(out),
                rows(src, m), m, n));
        fence(src, index, out);
        return -1;
    }

    @Override public void grad(GradOp op, Strided a, Strided b, Strided g, double s, Strided out) {
        check(NativeCuda.tlc_grad(index, op.ordinal(), out.dtype.ordinal(), address(a), address(b), address(g), s,
                address(out), out.numel(), NativeLayout.elementwise(a, b, g, out)));
        fence(a, b, g);
        Reference.reachabilityFence(out);
    }

    @Override public void softmax(Strided in, boolean log, Strided out) {
        long len = lastDim(in);
        check(NativeCuda.tlc_softmax(index, in.dtype.ordinal(), address(in), address(out), rows(in, len), len,
                log ? 1 : 0));
        fence(in, out, null);
    }

    @Override public void softmaxBackward(Strided g, Strided y, boolean log, Strided gradIn) {
        long len = lastDim(g);
        check(NativeCuda.tlc_softmax_backward(index, g.dtype.ordinal(), address(g), address(y), address(gradIn),
                rows(g, len), len, log ? 1 : 0));
        fence(g, y, gradIn);
    }

    @Override public long crossEntropy(Strided logits, Strided target, long ignoreIndex, double labelSmoothing,
                                       Strided losses) {
        long[] bad = {-1};
        check(NativeCuda.tlc_cross_entropy(index, logits.dtype.ordinal(), address(logits), address(target),
                vectorStride(target), logits.shape[0], logits.shape[1], ignoreIndex, labelSmoothing, address(losses),
                bad));
        fence(logits, target, losses);
        return bad[0];
    }

    /** The forward pass checked the targets; a bad one only misses its class here (no access outside logits). */
    @Override public long crossEntropyBackward(Strided logits, Strided target, Strided g, long ignoreIndex,
                                               double labelSmoothing, Strided gradLogits) {
        check(NativeCuda.tlc_cross_entropy_backward(index, logits.dtype.ordinal(), address(logits), address(target),
                vectorStride(target), address(g), vectorStride(g), logits.shape[0], logits.shape[1], ignoreIndex,
                labelSmoothing, address(gradLogits)));
        fence(logits, target, g);
        Reference.reachabilityFence(gradLogits);
        return -1;
    }

    @Override public void sgdStep(Strided param, Strided grad, Strided momentumBuffer, double lr, double momentum,
                                  double dampening, double weightDecay, boolean nesterov, boolean firstStep) {
        check(NativeCuda.tlc_sgd_step(index, param.dtype.ordinal(), address(param), address(grad),
                addressOrZero(momentumBuffer), param.numel(), NativeLayout.elementwise(param, grad, momentumBuffer), lr,
                momentum, dampening, weightDecay, nesterov ? 1 : 0, firstStep ? 1 : 0));
        fence(param, grad, momentumBuffer);
    }

    @Override public void rmspropStep(Strided param, Strided grad, Strided squareAvg, Strided gradAvg,
                                      Strided momentumBuffer, double lr, double alpha, double eps, double weightDecay,
                                      double momentum) {
        check(NativeCuda.tlc_rmsprop_step(index, param.dtype.ordinal(), address(param), address(grad),
                address(squareAvg), addressOrZero(gradAvg), addressOrZero(momentumBuffer), param.numel(),
                NativeLayout.elementwise(param, grad, squareAvg, gradAvg, momentumBuffer), lr, alpha, eps, weightDecay,
                momentum));
        fence(param, grad, squareAvg);
        fence(gradAvg, momentumBuffer, null);
    }

    @Override public void adamStep(Strided param, Strided grad, Strided expAvg, Strided expAvgSq, Strided maxExpAvgSq,
                                   long step, double lr, double beta1, double beta2, double eps, double weightDecay,
                                   boolean decoupled) {
        check(NativeCuda.tlc_adam_step(index, param.dtype.ordinal(), address(param), address(grad), address(expAvg),
                address(expAvgSq), addressOrZero(maxExpAvgSq), param.numel(),
                NativeLayout.elementwise(param, grad, expAvg, expAvgSq, maxExpAvgSq), step, lr, beta1, beta2, eps,
                weightDecay, decoupled ? 1 : 0));
        fence(param, grad, expAvg);
        fence(expAvgSq, maxExpAvgSq, null);
    }

    /** Through a host buffer from the CPU backend's pool: the Java array is copied there, then to the device. */
    @Override public void write(Strided dst, Object array) {
        Strided host = hostBuffer(dst);
        try {
            CpuBackend.INSTANCE.write(host, array);
            check(NativeCuda.tlc_memcpy_h2d(index, address(dst), address(host), dst.numel() * dst.dtype.itemSize()));
        } finally {
            host.storage.release();
        }
        Reference.reachabilityFence(dst);
    }

    /** Waits for the device's stream, then copies through a host buffer from the CPU backend's pool. */
    @Override public Object read(Strided src) {
        Strided host = hostBuffer(src);
        try {
            check(NativeCuda.tlc_memcpy_d2h(index, address(host), address(src), src.numel() * src.dtype.itemSize()));
            return CpuBackend.INSTANCE.read(host);
        } finally {
            host.storage.release();
            Reference.reachabilityFence(src);
        }
    }

    /** Contiguous host memory for like's elements, with one reference (the caller releases it). */
    private static Strided hostBuffer(Strided like) {
        Storage storage = CpuBackend.INSTANCE.allocate(like.dtype, like.numel());
        storage.retain();
        return new Strided(storage, like.dtype, 0, like.shape, Strided.contiguousStrides(like.shape));
    }

    @Override public MemoryStats memoryStats() { return allocator.stats(); }

    @Override public String toString() { return "CudaBackend(" + device + ")"; }

    /** Throws for a nonzero code of libtorchlet_cuda: out of memory as OutOfMemoryError, the rest as CUDA errors. */
    private void check(int code) {
        if (code == 0) return;
        String what = NativeCuda.tlc_error_string(code);
        if (code == CUDA_ERROR_MEMORY_ALLOCATION) {
            throw new OutOfMemoryError("torchlet: CUDA out of memory on " + device + " (" + what + ") with "
                    + allocator.bytesInUse() + " bytes in use");
        }
        throw new IllegalStateException("CUDA error: " + what);
    }

    /** cudaErrorMemoryAllocation. */
    private static final int CUDA_ERROR_MEMORY_ALLOCATION = 2;

    /** Keeps the operands' storages reachable until the native call returned (see CpuBackend). */
    private static void fence(Strided a, Strided b, Strided c) {
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
        Reference.reachabilityFence(c);
    }
}

package dev.torchlet;

import dev.torchlet.backend.cuda.CudaBackend;
import dev.torchlet.backend.cuda.CudaRuntime;

/**
 * PyTorch's {@code torch.cuda} module: {@link Torch#cuda()} returns the one instance.
 *
 * <p>CUDA is initialized lazily, on the first call that needs it: a CPU-only program never loads the CUDA
 * library. {@link #isAvailable()} and {@link #deviceCount()} never throw; using a CUDA device where CUDA cannot
 * run (torchlet's CUDA library missing, no driver, no GPU, no cuBLAS) raises an IllegalStateException naming
 * the reason.
 *
 * <p>Ops on CUDA tensors are enqueued on the device's stream and return at once; reading values on the host
 * ({@code item()}, {@code toFloatArray()}, printing, {@code to(Device.CPU)}) waits for them. Random numbers
 * for CUDA tensors come from the CPU generator and are copied to the device, so {@code Torch.randn(shape,
 * dtype, Device.cuda(0))} equals {@code Torch.randn(shape, dtype).to(Device.cuda(0))} under the same seed
 * (PyTorch's CUDA generator, Philox, draws a different stream).
 */
public final class Cuda {
    static final Cuda INSTANCE = new Cuda();

    private Cuda() {}

    /**
     * Whether CUDA can be used: torchlet's CUDA library, an NVIDIA driver, at least one GPU and cuBLAS are
     * present. PyTorch's {@code torch.cuda.is_available()}; never throws.
     * @return whether CUDA devices can be used
     */
    public boolean isAvailable() { return CudaRuntime.isAvailable(); }

    /**
     * The number of CUDA devices, 0 without a library, driver or GPU (PyTorch's {@code device_count()}).
     * @return the device count
     */
    public int deviceCount() { return CudaRuntime.deviceCount(); }

    /**
     * The name of device index, PyTorch's {@code torch.cuda.get_device_name(index)}.
     * @param index the device ordinal
     * @return the name, such as "NVIDIA H100 80GB HBM3"
     */
    public String getDeviceName(int index) { return CudaRuntime.deviceName(index); }

    /** Waits for every op enqueued on device 0, PyTorch's {@code torch.cuda.synchronize()}. */
    public void synchronize() { synchronize(0); }

    /**
     * Waits for every op enqueued on device index, PyTorch's {@code torch.cuda.synchronize(index)}.
     * @param index the device ordinal
     */
    public void synchronize(int index) { CudaBackend.of(index).synchronize(); }

    /**
     * Bytes of device 0 held by live tensors, PyTorch's {@code torch.cuda.memory_allocated()} (torchlet counts the
     * bytes tensors asked for; PyTorch counts them rounded up to its block sizes). 0 before CUDA is used.
     * @return the bytes in use
     */
    public long memoryAllocated() { return memoryAllocated(0); }

    /**
     * Bytes of device index held by live tensors, see {@link #memoryAllocated()}.
     * @param index the device ordinal
     * @return the bytes in use
     */
    public long memoryAllocated(int index) {
        return inUse(index) ? CudaBackend.of(index).allocator().bytesInUse() : 0;
    }

    /**
     * Bytes of device 0 held by the caching allocator (blocks in use plus pooled ones), PyTorch's
     * {@code torch.cuda.memory_reserved()}. 0 before CUDA is used.
     * @return the reserved bytes
     */
    public long memoryReserved() { return memoryReserved(0); }

    /**
     * Bytes of device index held by the caching allocator, see {@link #memoryReserved()}.
     * @param index the device ordinal
     * @return the reserved bytes
     */
    public long memoryReserved(int index) { return inUse(index) ? CudaBackend.of(index).memoryReserved() : 0; }

    /**
     * Gives the blocks the caching allocator pools for reuse back to CUDA on every device in use, PyTorch's
     * {@code torch.cuda.empty_cache()}. Does nothing before CUDA is used.
     */
    public void emptyCache() {
        if (!CudaRuntime.isInitialized()) return;
        for (CudaBackend b : CudaRuntime.backendsInUse()) b.emptyCache();
    }

    /**
     * {@code torch.backends.cuda.matmul.allow_tf32 = allow}: whether float32 matrix products may run on TF32
     * tensor cores (faster, with 10-bit mantissa inputs). Off by default, as in PyTorch since 1.12.
     * @param allow whether TF32 may be used
     */
    public void setMatmulAllowTf32(boolean allow) { CudaRuntime.setAllowTf32(allow); }

    /**
     * {@code torch.backends.cuda.matmul.allow_tf32}, see {@link #setMatmulAllowTf32}.
     * @return whether float32 products may use TF32
     */
    public boolean matmulAllowTf32() { return CudaRuntime.allowTf32(); }

    /** Whether device index has a backend already (so asking for its counters initializes nothing). */
    private static boolean inUse(int index) {
        if (!CudaRuntime.isInitialized()) return false;
        for (CudaBackend b : CudaRuntime.backendsInUse()) if (b.device().index() == index) return true;
        return false;
    }
}

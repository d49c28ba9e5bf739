package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.torchlet.backend.Backend;
import dev.torchlet.backend.Storage;
import dev.torchlet.backend.cuda.CudaRuntime;
import dev.torchlet.nn.Linear;
import dev.torchlet.nn.Module;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * torch.cuda and devices: what runs everywhere (availability, the reason CUDA cannot run on this machine, the
 * device-mixing message), and, on a machine with a GPU, transfers, printing and memory accounting. The op
 * suites on CUDA are CudaAccuracyTest and GradcheckTest's CUDA cases.
 */
class CudaTest {
    static final Device CUDA = Device.cuda(0);

    /** Whether this build put the CUDA natives on the class path (only where nvcc was present). */
    static boolean cudaNativesBuilt() {
        return CudaTest.class.getResource("/dev/torchlet/backend/cuda/linux-x86_64/libtorchlet_cuda.so") != null;
    }

    /** For assumeTrue: why the GPU tests of a class are skipped. */
    static String skipReason() { return "no usable CUDA device: " + CudaRuntime.unavailableReason(); }

    @Test void availabilityIsAnsweredWithoutThrowing() {
        boolean available = Torch.cuda().isAvailable();
        String reason = CudaRuntime.unavailableReason();
        assertEquals(available, reason == null, String.valueOf(reason));
        if (!available) {
            assertTrue(reason.startsWith("Torch not compiled with CUDA enabled") || reason.startsWith("Found no NVIDIA driver")
                    || reason.startsWith("No CUDA GPUs are available") || reason.startsWith("cuBLAS could not be loaded")
                    || reason.startsWith("CUDA cannot be initialized"), reason);
            assertEquals(0, Torch.cuda().memoryAllocated());
            assertEquals(0, Torch.cuda().memoryReserved());
            Torch.cuda().emptyCache(); // nothing to give back, and no exception
        } else {
            assertTrue(Torch.cuda().deviceCount() > 0);
        }
    }

    /** Where this build has the CUDA library and the machine has no NVIDIA device, the library still loads (static
     *  cudart) and the reason is the missing driver or GPU; without the library, it is the missing library. */
    @Test void theReasonMatchesThisBuildAndMachine() {
        boolean nvidiaDevice = Files.exists(Path.of("/dev/nvidia0")) || Files.exists(Path.of("/dev/nvidiactl"));
        assumeFalse(nvidiaDevice, "this machine has an NVIDIA device node");
        String reason = CudaRuntime.unavailableReason();
        if (cudaNativesBuilt()) {
            assertTrue(reason.startsWith("Found no NVIDIA driver") || reason.startsWith("No CUDA GPUs are available"), reason);
        } else {
            assertTrue(reason.startsWith("Torch not compiled with CUDA enabled: torchlet's CUDA library is not on the "
                    + "class path (add dev.torchlet:torchlet with the linux-x86_64-gpu classifier"), reason);
        }
        assertEquals(0, Torch.cuda().deviceCount());
    }

    @Test void withoutCudaEveryFirstUseNamesTheReason() {
        assumeFalse(Torch.cuda().isAvailable(), "a CUDA GPU is present");
        String reason = CudaRuntime.unavailableReason();
        List<Executable> uses = List.of(
                () -> Torch.zeros(new long[] {2}, DType.FLOAT32, CUDA),
                () -> Torch.randn(new long[] {2}, DType.FLOAT32, CUDA),
                () -> Torch.ones(2).to(CUDA),
                () -> Torch.ones(2).cuda(),
                () -> Torch.cuda().synchronize(),
                () -> Torch.cuda().getDeviceName(0),
                () -> new Linear(2, 3).to(CUDA));
        for (Executable use : uses) assertEquals(reason, assertThrows(IllegalStateException.class, use).getMessage());
        Torch.cuda().setMatmulAllowTf32(true); // a setting, usable without a GPU
        assertTrue(Torch.cuda().matmulAllowTf32());
        Torch.cuda().setMatmulAllowTf32(false);
        assertFalse(Torch.cuda().matmulAllowTf32());
    }

    /** A backend that claims to be cuda:0 and can only allocate: the device check runs before any kernel. */
    static Backend fakeCuda() {
        Backend[] self = new Backend[1];
        self[0] = (Backend) Proxy.newProxyInstance(CudaTest.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "device": return CUDA;
                        case "name": return "cuda";
                        case "allocate":
                            return new Storage(self[0], ((DType) args[0]).byteSize((Long) args[1])) {
                                @Override protected void free() {}
                            };
                        case "hashCode": return System.identityHashCode(proxy);
                        case "equals": return proxy == args[0];
                        default: throw new UnsupportedOperationException(method.getName());
                    }
                });
        return self[0];
    }

    @Test void mixingDevicesRaisesPyTorchsMessage() {
        Tensor gpu = Tensor.empty(fakeCuda(), DType.FLOAT32, new long[] {3});
        Tensor cpu = Torch.ones(3);
        BadInputTest.raises(IllegalArgumentException.class,
                "Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!",
                () -> gpu.add(cpu));
        BadInputTest.raises(IllegalArgumentException.class,
                "Expected all tensors to be on the same device, but found at least two devices, cpu and cuda:0!",
                () -> cpu.mul(gpu));
        BadInputTest.raises(IllegalArgumentException.class,
                "Expected all tensors to be on the same device, but found at least two devices, cpu and cuda:0!",
                () -> Torch.ones(2, 3).matmul(gpu));
        assertEquals(CUDA, gpu.device());
    }

    // ------------------------------------------------------------------------------ with a GPU only

    @Test void transfersRoundTripEveryDtype() {
        assumeTrue(Torch.cuda().isAvailable(), CudaTest::skipReason);
        Tensor f = Torch.tensor(1.5f, -2f, 3.25f);
        assertArrayEquals(f.toFloatArray(), f.to(CUDA).toFloatArray());
        assertEquals(CUDA, f.to(CUDA).device());
        assertEquals(Device.CPU, f.to(CUDA).cpu().device());
        Tensor d = Torch.tensor(new double[] {1e-300, 2.5}, DType.FLOAT64);
        assertArrayEquals(d.toDoubleArray(), d.cuda().toDoubleArray());
        Tensor l = Torch.tensor(1L << 62, -3L);
        assertArrayEquals(l.toLongArray(), l.cuda().cpu().toLongArray());
        Tensor b = Torch.tensor(true, false, true);
        assertArrayEquals(b.toBooleanArray(), b.cuda().toBooleanArray());
        Tensor t = Torch.arange(12).reshape(3, 4).t(); // non-contiguous source
        assertArrayEquals(t.contiguous().toLongArray(), t.to(CUDA).toLongArray());
    }

    @Test void printingShowsTheDevice() {
        assumeTrue(Torch.cuda().isAvailable(), CudaTest::skipReason);
        assertEquals("tensor([1., 2.], device='cuda:0')", Torch.tensor(1f, 2f).cuda().toString());
        assertEquals("tensor(3, device='cuda:0')", Torch.scalarTensor(3L).cuda().toString());
    }

    @Test void gradientsFlowBackThroughTransfers() {
        assumeTrue(Torch.cuda().isAvailable(), CudaTest::skipReason);
        Tensor x = Torch.tensor(1f, 2f, 3f).requiresGrad_(true);
        Tensor y = x.to(CUDA).mul(x.to(CUDA)).sum();
        y.backward();
        assertEquals(Device.CPU, x.grad().device());
        assertArrayEquals(new float[] {2, 4, 6}, x.grad().toFloatArray());
    }

    @Test void memoryIsCountedReusedAndGivenBack() {
        assumeTrue(Torch.cuda().isAvailable(), CudaTest::skipReason);
        Torch.cuda().emptyCache();
        long before = Torch.cuda().memoryAllocated();
        Tensor t = Torch.zeros(new long[] {1 << 20}, DType.FLOAT32, CUDA);
        assertEquals(before + (4L << 20), Torch.cuda().memoryAllocated());
        long reserved = Torch.cuda().memoryReserved();
        assertTrue(reserved >= 4L << 20);
        t.close();
        assertEquals(before, Torch.cuda().memoryAllocated());
        assertEquals(reserved, Torch.cuda().memoryReserved(), "the freed block stays pooled");
        Tensor again = Torch.zeros(new long[] {1 << 20}, DType.FLOAT32, CUDA);
        assertEquals(reserved, Torch.cuda().memoryReserved(), "the pooled block is reused, not cudaMalloc'd");
        again.close();
        Torch.cuda().emptyCache();
        assertTrue(Torch.cuda().memoryReserved() < reserved);
    }

    @Test void aModuleMovesAndTrainsOnTheGpu() {
        assumeTrue(Torch.cuda().isAvailable(), CudaTest::skipReason);
        Torch.manualSeed(0);
        Module cpuNet = new Linear(4, 2);
        Torch.manualSeed(0);
        Module gpuNet = new Linear(4, 2).to(CUDA);
        Tensor x = Torch.randn(8, 4), y = Torch.randn(8, 2);
        Tensor lossCpu = cpuNet.forward(x).sub(y).pow(2).mean();
        Tensor lossGpu = gpuNet.forward(x.cuda()).sub(y.cuda()).pow(2).mean();
        assertEquals(lossCpu.item(), lossGpu.item(), 1e-5);
        lossGpu.backward();
        for (Tensor p : gpuNet.parameters()) assertEquals(CUDA, p.grad().device());
    }

    @Test void anInvalidOrdinalIsRefused() {
        assumeTrue(Torch.cuda().isAvailable(), CudaTest::skipReason);
        int n = Torch.cuda().deviceCount();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Torch.ones(1).to(Device.cuda(n)));
        assertTrue(e.getMessage().startsWith("CUDA error: invalid device ordinal"), e.getMessage());
    }
}

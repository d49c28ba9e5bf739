package dev.torchlet.backend.cuda;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * CUDA's state in this process: whether it can be used and why not, the device count, and the backend of
 * each device. Everything is found out once, on the first call of any method (which loads
 * libtorchlet_cuda), never at class load: a CPU-only program never gets here.
 *
 * <p>cuBLAS is looked for, in this order: the file named by {@code -Dtorchlet.cublas}; {@code libcublas.so.13}
 * and {@code .12} by the dynamic linker's own search (LD_LIBRARY_PATH, the ld.so cache); then in
 * {@code $CUDA_HOME/lib64}, {@code $CUDA_PATH/lib64}, {@code /usr/local/cuda*}{@code /lib64} and
 * {@code /usr/lib/x86_64-linux-gnu}; then in pip's {@code site-packages/nvidia/cublas/lib} of
 * {@code $VIRTUAL_ENV}, {@code $CONDA_PREFIX}, {@code ~/.local}, {@code /usr/local}, {@code /usr} and
 * {@code /opt/*}{@code /.venv} (the nvidia-cublas wheel).
 */
public final class CudaRuntime {
    private static final String[] CUBLAS_NAMES = {"libcublas.so.13", "libcublas.so.12"};

    /** The outcome of initialization: the usable device count, or why CUDA cannot be used. */
    private record State(int deviceCount, String unavailable) {}

    private static volatile State state;
    private static CudaBackend[] backends = new CudaBackend[0];
    private static boolean allowTf32;

    private CudaRuntime() {}

    private static State state() {
        State s = state;
        if (s == null) {
            synchronized (CudaRuntime.class) {
                if (state == null) state = initialize();
                s = state;
            }
        }
        return s;
    }

    private static State initialize() {
        try {
            Class.forName(NativeCuda.class.getName(), true, CudaRuntime.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return new State(0, "Torch not compiled with CUDA enabled: torchlet's CUDA library is not on the class path "
                    + "(add dev.torchlet:torchlet with the linux-x86_64-gpu classifier, or build torchlet where nvcc is "
                    + "installed). Cause: " + rootMessage(e));
        }
        int count = NativeCuda.tlc_device_count();
        if (count < 0) {
            int code = -count;
            String why;
            switch (code) {
                case CUDA_ERROR_INSUFFICIENT_DRIVER:
                    why = "Found no NVIDIA driver on your system (or one older than CUDA 13 needs). Please check that "
                            + "you have an NVIDIA GPU and installed a driver from "
                            + "http://www.nvidia.com/Download/index.aspx";
                    break;
                case CUDA_ERROR_NO_DEVICE:
                    why = "No CUDA GPUs are available";
                    break;
                default:
                    why = "CUDA cannot be initialized: " + NativeCuda.tlc_error_string(code) + " (CUDA error " + code + ")";
            }
            return new State(0, why);
        }
        if (count == 0) return new State(0, "No CUDA GPUs are available");
        String cublas = loadCublas();
        if (cublas != null) return new State(count, cublas);
        return new State(count, null);
    }

    /** null once cuBLAS is loaded, else why not (every place looked at). */
    private static String loadCublas() {
        List<String> tried = new ArrayList<>();
        String explicit = System.getProperty("torchlet.cublas");
        List<String> candidates = explicit != null ? List.of(explicit) : cublasCandidates();
        for (String candidate : candidates) {
            if (NativeCuda.tlc_cublas_load(candidate) == 0) return null;
            tried.add(candidate + " (" + NativeCuda.tlc_cublas_load_error() + ")");
        }
        return "cuBLAS could not be loaded (torchlet runs matmul through it): install the CUDA toolkit's cuBLAS "
                + "or pip's nvidia-cublas, put its lib folder on LD_LIBRARY_PATH, or name the file with "
                + "-Dtorchlet.cublas=/path/to/libcublas.so.13. Tried: " + String.join("; ", tried);
    }

    private static List<String> cublasCandidates() {
        Set<String> out = new LinkedHashSet<>();
        for (String name : CUBLAS_NAMES) out.add(name);
        List<Path> dirs = new ArrayList<>();
        for (String env : new String[] {"CUDA_HOME", "CUDA_PATH"}) {
            String v = System.getenv(env);
            if (v != null && !v.isEmpty()) dirs.add(Path.of(v, "lib64"));
        }
        dirs.add(Path.of("/usr/local/cuda/lib64"));
        dirs.addAll(glob(Path.of("/usr/local"), "cuda-*", "lib64"));
        dirs.add(Path.of("/usr/lib/x86_64-linux-gnu"));
        List<Path> prefixes = new ArrayList<>();
        for (String env : new String[] {"VIRTUAL_ENV", "CONDA_PREFIX"}) {
            String v = System.getenv(env);
            if (v != null && !v.isEmpty()) prefixes.add(Path.of(v));
        }
        prefixes.add(Path.of(System.getProperty("user.home"), ".local"));
        prefixes.add(Path.of("/usr/local"));
        prefixes.add(Path.of("/usr"));
        prefixes.addAll(glob(Path.of("/opt"), "*", ".venv"));
        for (Path prefix : prefixes) {
            for (Path lib : glob(prefix.resolve("lib"), "python3*", "")) {
                for (String packages : new String[] {"site-packages", "dist-packages"}) {
                    dirs.add(lib.resolve(packages).resolve("nvidia/cublas/lib"));
                }
            }
        }
        for (Path dir : dirs) {
            for (String name : CUBLAS_NAMES) {
                Path file = dir.resolve(name);
                if (Files.isRegularFile(file)) out.add(file.toString());
            }
        }
        return new ArrayList<>(out);
    }

    /** parent/match/child for every entry of parent matching the glob. */
    private static List<Path> glob(Path parent, String pattern, String child) {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(parent)) return found;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, pattern)) {
            for (Path p : entries) {
                Path candidate = child.isEmpty() ? p : p.resolve(child);
                if (Files.isDirectory(candidate)) found.add(candidate);
            }
        } catch (IOException | SecurityException e) {
            // unreadable folder: nothing there to find
        }
        found.sort(null);
        return found;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /**
     * Whether CUDA can be used: the library loads, a driver and at least one GPU are present, and cuBLAS was
     * found. Never throws.
     * @return whether CUDA devices can be used
     */
    public static boolean isAvailable() { return state().unavailable == null; }

    /**
     * Why CUDA cannot be used, or null when it can.
     * @return the reason, or null
     */
    public static String unavailableReason() { return state().unavailable; }

    /**
     * The number of CUDA devices (0 when there is no library, driver or GPU).
     * @return the device count
     */
    public static int deviceCount() { return state().deviceCount; }

    /**
     * Whether CUDA was initialized (some CUDA call was made), PyTorch's {@code torch.cuda.is_initialized}.
     * @return whether CUDA was initialized
     */
    public static boolean isInitialized() { return state != null; }

    /**
     * The backends created so far (one per device used).
     * @return the device backends in use
     */
    public static synchronized List<CudaBackend> backendsInUse() {
        List<CudaBackend> out = new ArrayList<>();
        for (CudaBackend b : backends) if (b != null) out.add(b);
        return out;
    }

    /**
     * torch.backends.cuda.matmul.allow_tf32: whether float32 matrix products may use TF32 tensor cores (10-bit
     * mantissa inputs). Off by default, as in PyTorch: float32 products are computed in float32.
     * @param allow whether TF32 may be used
     */
    public static synchronized void setAllowTf32(boolean allow) {
        allowTf32 = allow;
        if (isInitialized() && isAvailable()) NativeCuda.tlc_set_allow_tf32(allow ? 1 : 0);
    }

    /**
     * The TF32 setting, see {@link #setAllowTf32}.
     * @return whether float32 products may use TF32
     */
    public static synchronized boolean allowTf32() { return allowTf32; }

    /**
     * The name of device index, such as "NVIDIA H100 80GB HBM3".
     * @param index the device ordinal
     * @return the device's name
     */
    public static String deviceName(int index) {
        backend(index, null);
        return NativeCuda.tlc_device_name(index);
    }

    static synchronized CudaBackend backend(int index, IntFunction<CudaBackend> make) {
        State s = state();
        if (s.unavailable != null) throw new IllegalStateException(s.unavailable);
        if (index < 0 || index >= s.deviceCount) {
            throw new IllegalArgumentException("CUDA error: invalid device ordinal (device " + index + " of "
                    + s.deviceCount + " CUDA devices)");
        }
        if (make == null) return null;
        if (backends.length < s.deviceCount) {
            backends = java.util.Arrays.copyOf(backends, s.deviceCount);
            NativeCuda.tlc_set_allow_tf32(allowTf32 ? 1 : 0);
        }
        if (backends[index] == null) backends[index] = make.apply(index);
        return backends[index];
    }

    /** cudaErrorInsufficientDriver: no driver, or one older than the runtime. */
    private static final int CUDA_ERROR_INSUFFICIENT_DRIVER = 35;
    /** cudaErrorNoDevice. */
    private static final int CUDA_ERROR_NO_DEVICE = 100;
}

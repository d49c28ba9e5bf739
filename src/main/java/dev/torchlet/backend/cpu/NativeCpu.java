package dev.torchlet.backend.cpu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Properties;

/**
 * The JNI binding of src/main/cpp/torchlet.h, generated and compiled by the JavaCPP Maven plugin. Every
 * address is a plain long: no JavaCPP Pointer (and its per-allocation GC bookkeeping) on the op path.
 * See torchlet.h for the meaning of each argument; only {@link CpuBackend} calls these.
 */
@Properties(inherit = dev.torchlet.presets.torchlet.class)
final class NativeCpu {
    /** The only platform torchlet ships natives for. */
    static final String PLATFORM = "linux-x86_64";
    /** The /proc/cpuinfo flags of x86-64-v2, the baseline the natives are compiled for (CMakeLists.txt). */
    static final List<String> X86_64_V2 = List.of("cx16", "lahf_lm", "popcnt", "pni", "sse4_1", "sse4_2", "ssse3");
    private static final String FALLBACK =
            " Or run on the pure-Java backend (slower) with -Dtorchlet.backend=reference.";

    static {
        // Checked before loading: a library for another platform fails with a cryptic linker message, and one
        // compiled for instructions this CPU lacks loads fine and then dies of SIGILL in the first kernel.
        String unsupported = unsupportedHost(Loader.getPlatform(), cpuFlags());
        if (unsupported != null) throw new UnsatisfiedLinkError("torchlet: " + unsupported + "." + FALLBACK);
        try {
            Loader.load();
        } catch (UnsatisfiedLinkError e) {
            String missing = String.valueOf(e.getMessage()).contains("openblas")
                    ? "OpenBLAS's native library (org.bytedeco:openblas with the " + PLATFORM + " classifier)"
                    : "torchlet's native library (dev.torchlet:torchlet with the " + PLATFORM + " classifier)";
            UnsatisfiedLinkError clear = new UnsatisfiedLinkError("torchlet: cannot load " + missing + ". Put "
                    + "dev.torchlet:torchlet-platform on the classpath: it brings both." + FALLBACK + " Cause: "
                    + e.getMessage());
            clear.initCause(e);
            throw clear;
        }
    }

    /**
     * Why this host cannot run the native library, or null when it can.
     * @param platform JavaCPP's name of this platform, such as linux-x86_64
     * @param cpuFlags the CPU's feature flags as /proc/cpuinfo lists them; empty when unknown (not judged)
     */
    static String unsupportedHost(String platform, Set<String> cpuFlags) {
        if (!platform.equals(PLATFORM)) {
            return "the native library is built for " + PLATFORM + " only, and this is " + platform + " ("
                    + System.getProperty("os.name") + ", " + System.getProperty("os.arch") + ")";
        }
        if (cpuFlags.isEmpty()) return null;
        List<String> lacking = X86_64_V2.stream().filter(f -> !cpuFlags.contains(f)).collect(Collectors.toList());
        return lacking.isEmpty() ? null : "this CPU lacks " + String.join(", ", lacking) + ", which the native "
                + "library needs (it is compiled for x86-64-v2: SSE3, SSSE3, SSE4.1, SSE4.2, POPCNT, CMPXCHG16B, "
                + "LAHF; every x86-64 CPU since about 2009 has them)";
    }

    /** The flags of the first processor in /proc/cpuinfo; empty where there is no such file. */
    static Set<String> cpuFlags() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> Arrays.stream(l.substring(l.indexOf(':') + 1).trim().split("\\s+"))
                            .collect(Collectors.toSet()))
                    .orElse(Set.of());
        } catch (IOException | UncheckedIOException e) {
            return Set.of();
        }
    }

    private NativeCpu() {}

    static native @Cast("int64_t") long tl_alloc(@Cast("int64_t") long nbytes);

    static native void tl_free(@Cast("int64_t") long addr, @Cast("int64_t") long nbytes);

    static native void tl_empty_cache();

    static native void tl_set_cache_limit(@Cast("int64_t") long bytes);

    static native @Cast("int64_t") long tl_cached_bytes();

    static native int tl_sanitized();

    static native void tl_set_num_threads(int n);

    static native int tl_get_num_threads();

    static native void tl_set_parallel_grain_scale(int scale);

    static native int tl_get_parallel_grain_scale();

    static native void tl_set_deterministic(int on);

    static native int tl_get_deterministic();

    static native void tl_fill(int dt, @Cast("int64_t") long out, @Cast("int64_t") long n,
                               @Cast("const int64_t*") long[] meta, double value);

    static native void tl_copy(int srcDt, int dstDt, @Cast("int64_t") long src, @Cast("int64_t") long dst,
                               @Cast("int64_t") long n, @Cast("const int64_t*") long[] meta);

    static native void tl_binary(int op, int dt, @Cast("int64_t") long a, @Cast("int64_t") long b,
                                 @Cast("int64_t") long out, @Cast("int64_t") long n,
                                 @Cast("const int64_t*") long[] meta);

    static native void tl_binary_scalar(int op, int dt, @Cast("int64_t") long a, double s, int scalarFirst,
                                        @Cast("int64_t") long out, @Cast("int64_t") long n,
                                        @Cast("const int64_t*") long[] meta);

    static native void tl_unary(int op, int dt, @Cast("int64_t") long a, @Cast("int64_t") long out,
                                @Cast("int64_t") long n, @Cast("const int64_t*") long[] meta);

    static native void tl_reduce(int op, int dt, @Cast("int64_t") long in, @Cast("int64_t") long out,
                                 @Cast("int64_t") long outIdx, @Cast("const int64_t*") long[] meta);

    static native void tl_matmul(int dt, @Cast("int64_t") long a, @Cast("int64_t") long b,
                                 @Cast("int64_t") long out, @Cast("const int64_t*") long[] meta);

    static native void tl_sort(int dt, @Cast("int64_t") long in, @Cast("int64_t") long values,
                               @Cast("int64_t") long indices, @Cast("int64_t") long rows,
                               @Cast("int64_t") long len, int descending);

    static native void tl_arange(int dt, @Cast("int64_t") long out, @Cast("int64_t") long n, double start,
                                 double step);

    static native void tl_linspace(int dt, @Cast("int64_t") long out, @Cast("int64_t") long n, double start,
                                   double end);

    static native void tl_grad(int op, int dt, @Cast("int64_t") long a, @Cast("int64_t") long b,
                               @Cast("int64_t") long g, double s, @Cast("int64_t") long out,
                               @Cast("int64_t") long n, @Cast("const int64_t*") long[] meta);

    static native void tl_softmax(int dt, @Cast("int64_t") long in, @Cast("int64_t") long out,
                                  @Cast("int64_t") long rows, @Cast("int64_t") long len, int log);

    static native void tl_softmax_backward(int dt, @Cast("int64_t") long g, @Cast("int64_t") long y,
                                           @Cast("int64_t") long gradIn, @Cast("int64_t") long rows,
                                           @Cast("int64_t") long len, int log);

    static native @Cast("int64_t") long tl_cross_entropy(int dt, @Cast("int64_t") long logits,
                                                         @Cast("int64_t") long target,
                                                         @Cast("int64_t") long targetStride,
                                                         @Cast("int64_t") long rows, @Cast("int64_t") long classes,
                                                         @Cast("int64_t") long ignoreIndex, double labelSmoothing,
                                                         @Cast("int64_t") long losses);

    static native @Cast("int64_t") long tl_cross_entropy_backward(int dt, @Cast("int64_t") long logits, @Cast("int64_t") long target,
                                                 @Cast("int64_t") long targetStride, @Cast("int64_t") long g,
                                                 @Cast("int64_t") long gStride, @Cast("int64_t") long rows,
                                                 @Cast("int64_t") long classes, @Cast("int64_t") long ignoreIndex,
                                                 double labelSmoothing, @Cast("int64_t") long gradLogits);

    static native void tl_sgd_step(int dt, @Cast("int64_t") long param, @Cast("int64_t") long grad,
                                   @Cast("int64_t") long buf, @Cast("int64_t") long n,
                                   @Cast("const int64_t*") long[] meta, double lr, double momentum, double dampening,
                                   double weightDecay, int nesterov, int firstStep);

    static native void tl_rmsprop_step(int dt, @Cast("int64_t") long param, @Cast("int64_t") long grad,
                                       @Cast("int64_t") long squareAvg, @Cast("int64_t") long gradAvg,
                                       @Cast("int64_t") long buf, @Cast("int64_t") long n,
                                       @Cast("const int64_t*") long[] meta, double lr, double alpha, double eps,
                                       double weightDecay, double momentum);

    static native void tl_adam_step(int dt, @Cast("int64_t") long param, @Cast("int64_t") long grad,
                                    @Cast("int64_t") long expAvg, @Cast("int64_t") long expAvgSq,
                                    @Cast("int64_t") long maxExpAvgSq, @Cast("int64_t") long n,
                                    @Cast("const int64_t*") long[] meta, @Cast("int64_t") long step, double lr,
                                    double beta1, double beta2, double eps, double weightDecay, int decoupled);

    static native void tl_where(int dt, @Cast("int64_t") long cond, @Cast("int64_t") long a, @Cast("int64_t") long b,
                                @Cast("int64_t") long out, @Cast("int64_t") long n, @Cast("const int64_t*") long[] meta);

    static native @Cast("int64_t") long tl_scatter_rows(int dt, @Cast("int64_t") long src, @Cast("int64_t") long index,
                                       @Cast("int64_t") long out, @Cast("int64_t") long rows, @Cast("int64_t") long m,
                                       @Cast("int64_t") long n);

    /** The C library's log, log1p, sin or cos (fn = {@link Libm}'s codes), see libm.cpp. */
    static native double tl_libm(int fn, double x);

    /** The C library's pow, see libm.cpp. */
    static native double tl_libm_pow(double x, double y);

    static native @Cast("int64_t") long tl_map_file(@Cast("const char*") byte[] path, @Cast("int64_t") long offset,
                                                    @Cast("int64_t") long length, @Cast("int64_t") long expectedSize);

    static native int tl_unmap(@Cast("int64_t") long addr, @Cast("int64_t") long length);

    static native @Cast("const char*") String tl_strerror(int errnum);

    static native void tl_decode(int raw, @Cast("int64_t") long src, int dstDt, @Cast("int64_t") long dst,
                                 @Cast("int64_t") long n);

    static native int tl_mpi_init(@Cast("const char*") String library, int[] rankSize);

    static native @Cast("const char*") String tl_mpi_last_error();

    static native @Cast("int64_t") long tl_mpi_ibarrier();

    static native @Cast("int64_t") long tl_mpi_iallreduce(@Cast("int64_t") long addr, @Cast("int64_t") long count,
                                                          int dt, int op);

    static native @Cast("int64_t") long tl_mpi_ibcast(@Cast("int64_t") long addr, @Cast("int64_t") long count, int dt,
                                                      int root);

    static native @Cast("int64_t") long tl_mpi_iallgather(@Cast("int64_t") long in, @Cast("int64_t") long out,
                                                          @Cast("int64_t") long count, int dt);

    static native @Cast("int64_t") long tl_mpi_ireduce_scatter(@Cast("int64_t") long in, @Cast("int64_t") long out,
                                                               @Cast("int64_t") long count, int dt, int op);

    static native int tl_mpi_test(@Cast("int64_t") long request);

    static native int tl_mpi_wait(@Cast("int64_t") long request, double timeoutSeconds);

    static native void tl_mpi_abort(int code);

    static native int tl_mpi_finalize();
}

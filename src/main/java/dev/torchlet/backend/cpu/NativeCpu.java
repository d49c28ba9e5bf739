package dev.torchlet.backend.cpu;

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
    static {
        try {
            Loader.load();
        } catch (UnsatisfiedLinkError e) {
            UnsatisfiedLinkError clear = new UnsatisfiedLinkError("torchlet: cannot load the native CPU library for "
                    + Loader.getPlatform() + ". Put dev.torchlet:torchlet-platform (or torchlet with the "
                    + "linux-x86_64 classifier) on the classpath, or run on the pure-Java backend with "
                    + "-Dtorchlet.backend=reference. Cause: " + e.getMessage());
            clear.initCause(e);
            throw clear;
        }
    }

    private NativeCpu() {}

    static native @Cast("int64_t") long tl_alloc(@Cast("int64_t") long nbytes);

    static native void tl_free(@Cast("int64_t") long addr, @Cast("int64_t") long nbytes);

    static native void tl_empty_cache();

    static native @Cast("int64_t") long tl_cached_bytes();

    static native void tl_set_num_threads(int n);

    static native int tl_get_num_threads();

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

    static native void tl_cross_entropy_backward(int dt, @Cast("int64_t") long logits, @Cast("int64_t") long target,
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

    static native void tl_scatter_rows(int dt, @Cast("int64_t") long src, @Cast("int64_t") long index,
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
}

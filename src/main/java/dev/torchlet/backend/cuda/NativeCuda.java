package dev.torchlet.backend.cuda;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Properties;

/**
 * The JNI binding of src/main/cuda/torchlet_cuda.h, generated and compiled by the JavaCPP Maven plugin when
 * nvcc is present. Every device address is a plain long, as in the CPU binding. Loaded by the first use of
 * this class, which only {@link CudaBackend} makes, and only once a program asks for a CUDA device: a
 * CPU-only program never loads it. See torchlet_cuda.h for the meaning of each argument; every int result
 * is 0 or an error code for {@link #tlc_error_string}.
 */
@Properties(inherit = dev.torchlet.presets.torchlet_cuda.class)
final class NativeCuda {
    static {
        Loader.load();
    }

    private NativeCuda() {}

    static native int tlc_device_count();

    static native @Cast("const char*") String tlc_error_string(int code);

    static native @Cast("const char*") String tlc_device_name(int dev);

    static native int tlc_synchronize(int dev);

    static native int tlc_memcpy_h2d(int dev, @Cast("int64_t") long dst, @Cast("int64_t") long hostSrc,
                                     @Cast("int64_t") long nbytes);

    static native int tlc_memcpy_d2h(int dev, @Cast("int64_t") long hostDst, @Cast("int64_t") long src,
                                     @Cast("int64_t") long nbytes);

    static native @Cast("int64_t") long tlc_alloc(int dev, @Cast("int64_t") long nbytes);

    static native void tlc_free(int dev, @Cast("int64_t") long addr, @Cast("int64_t") long nbytes);

    static native void tlc_empty_cache(int dev);

    static native @Cast("int64_t") long tlc_cached_bytes(int dev);

    static native @Cast("int64_t") long tlc_reserved_bytes(int dev);

    static native int tlc_fill(int dev, int dt, @Cast("int64_t") long out, @Cast("int64_t") long n,
                               @Cast("const int64_t*") long[] meta, double value);

    static native int tlc_copy(int dev, int srcDt, int dstDt, @Cast("int64_t") long src, @Cast("int64_t") long dst,
                               @Cast("int64_t") long n, @Cast("const int64_t*") long[] meta);

    static native int tlc_binary(int dev, int op, int dt, @Cast("int64_t") long a, @Cast("int64_t") long b,
                                 @Cast("int64_t") long out, @Cast("int64_t") long n, @Cast("const int64_t*") long[] meta);

    static native int tlc_binary_scalar(int dev, int op, int dt, @Cast("int64_t") long a, double s, int scalarFirst,
                                        @Cast("int64_t") long out, @Cast("int64_t") long n,
                                        @Cast("const int64_t*") long[] meta);

    static native int tlc_unary(int dev, int op, int dt, @Cast("int64_t") long a, @Cast("int64_t") long out,
                                @Cast("int64_t") long n, @Cast("const int64_t*") long[] meta);

    static native int tlc_where(int dev, int dt, @Cast("int64_t") long cond, @Cast("int64_t") long a,
                                @Cast("int64_t") long b, @Cast("int64_t") long out, @Cast("int64_t") long n,
                                @Cast("const int64_t*") long[] meta);

    static native int tlc_grad(int dev, int op, int dt, @Cast("int64_t") long a, @Cast("int64_t") long b,
                               @Cast("int64_t") long g, double s, @Cast("int64_t") long out, @Cast("int64_t") long n,
                               @Cast("const int64_t*") long[] meta);

    static native int tlc_scatter_rows(int dev, int dt, @Cast("int64_t") long src, @Cast("int64_t") long index,
                                       @Cast("int64_t") long out, @Cast("int64_t") long rows, @Cast("int64_t") long m,
                                       @Cast("int64_t") long n);

    static native int tlc_arange(int dev, int dt, @Cast("int64_t") long out, @Cast("int64_t") long n, double start,
                                 double step);

    static native int tlc_linspace(int dev, int dt, @Cast("int64_t") long out, @Cast("int64_t") long n, double start,
                                   double end);

    static native int tlc_reduce(int dev, int op, int dt, @Cast("int64_t") long in, @Cast("int64_t") long out,
                                 @Cast("int64_t") long outIdx, @Cast("const int64_t*") long[] meta);

    static native int tlc_softmax(int dev, int dt, @Cast("int64_t") long in, @Cast("int64_t") long out,
                                  @Cast("int64_t") long rows, @Cast("int64_t") long len, int log);

    static native int tlc_softmax_backward(int dev, int dt, @Cast("int64_t") long g, @Cast("int64_t") long y,
                                           @Cast("int64_t") long gradIn, @Cast("int64_t") long rows,
                                           @Cast("int64_t") long len, int log);

    static native int tlc_cross_entropy(int dev, int dt, @Cast("int64_t") long logits, @Cast("int64_t") long target,
                                        @Cast("int64_t") long targetStride, @Cast("int64_t") long rows,
                                        @Cast("int64_t") long classes, @Cast("int64_t") long ignoreIndex,
                                        double labelSmoothing, @Cast("int64_t") long losses,
                                        @Cast("int64_t*") long[] badRow);

    static native int tlc_cross_entropy_backward(int dev, int dt, @Cast("int64_t") long logits,
                                                 @Cast("int64_t") long target, @Cast("int64_t") long targetStride,
                                                 @Cast("int64_t") long g, @Cast("int64_t") long gStride,
                                                 @Cast("int64_t") long rows, @Cast("int64_t") long classes,
                                                 @Cast("int64_t") long ignoreIndex, double labelSmoothing,
                                                 @Cast("int64_t") long gradLogits);

    static native int tlc_sort(int dev, int dt, @Cast("int64_t") long in, @Cast("int64_t") long values,
                               @Cast("int64_t") long indices, @Cast("int64_t") long rows, @Cast("int64_t") long len,
                               int descending);

    static native int tlc_sgd_step(int dev, int dt, @Cast("int64_t") long param, @Cast("int64_t") long grad,
                                   @Cast("int64_t") long buf, @Cast("int64_t") long n,
                                   @Cast("const int64_t*") long[] meta, double lr, double momentum, double dampening,
                                   double weightDecay, int nesterov, int firstStep);

    static native int tlc_rmsprop_step(int dev, int dt, @Cast("int64_t") long param, @Cast("int64_t") long grad,
                                       @Cast("int64_t") long squareAvg, @Cast("int64_t") long gradAvg,
                                       @Cast("int64_t") long buf, @Cast("int64_t") long n,
                                       @Cast("const int64_t*") long[] meta, double lr, double alpha, double eps,
                                       double weightDecay, double momentum);

    static native int tlc_adam_step(int dev, int dt, @Cast("int64_t") long param, @Cast("int64_t") long grad,
                                    @Cast("int64_t") long expAvg, @Cast("int64_t") long expAvgSq,
                                    @Cast("int64_t") long maxExpAvgSq, @Cast("int64_t") long n,
                                    @Cast("const int64_t*") long[] meta, @Cast("int64_t") long step, double lr,
                                    double beta1, double beta2, double eps, double weightDecay, int decoupled);

    static native int tlc_cublas_load(@Cast("const char*") String path);

    static native @Cast("const char*") String tlc_cublas_load_error();

    static native void tlc_set_allow_tf32(int allow);

    static native int tlc_matmul(int dev, int dt, @Cast("int64_t") long a, @Cast("int64_t") long b,
                                 @Cast("int64_t") long out, @Cast("const int64_t*") long[] meta);
}

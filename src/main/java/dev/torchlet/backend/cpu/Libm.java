package dev.torchlet.backend.cpu;

/**
 * The C library's double-precision log, log1p, sin, cos and pow, called through libtorchlet: on Linux, glibc's,
 * the functions PyTorch's CPU random kernels call for float64 normals and Python's math.cos and float {@code **}
 * (the learning-rate schedulers). Java's {@link Math} and
 * {@link StrictMath} round differently from glibc for some arguments (glibc's are not correctly rounded
 * either), so only the C library itself gives PyTorch's bits. When libtorchlet cannot be loaded (no
 * natives for this platform), {@link #NATIVE} is false and these fall back to {@link Math}'s functions.
 */
public final class Libm {
    private Libm() {}

    private static final int LOG = 0, LOG1P = 1, SIN = 2, COS = 3; // TlLibmFn in torchlet.h

    /** Whether these call the C library (libtorchlet loaded), rather than {@link Math}. */
    public static final boolean NATIVE = load();

    private static boolean load() {
        if (Boolean.getBoolean("torchlet.javaLibm")) return false;
        try {
            return NativeCpu.tl_libm(LOG, 1.0) == 0.0;
        } catch (LinkageError e) { // UnsatisfiedLinkError, or NoClassDefFoundError after a failed load
            return false;
        }
    }

    /**
     * The natural logarithm as the C library computes it (Java's {@code Math.log} without the native library).
     * @param x the argument
     * @return log(x)
     */
    public static double log(double x) { return NATIVE ? NativeCpu.tl_libm(LOG, x) : Math.log(x); }

    /**
     * log(1 + x) as the C library computes it.
     * @param x the argument
     * @return log1p(x)
     */
    public static double log1p(double x) { return NATIVE ? NativeCpu.tl_libm(LOG1P, x) : Math.log1p(x); }

    /**
     * The sine as the C library computes it.
     * @param x the argument
     * @return sin(x)
     */
    public static double sin(double x) { return NATIVE ? NativeCpu.tl_libm(SIN, x) : Math.sin(x); }

    /**
     * The cosine as the C library computes it.
     * @param x the argument
     * @return cos(x)
     */
    public static double cos(double x) { return NATIVE ? NativeCpu.tl_libm(COS, x) : Math.cos(x); }

    /**
     * x to the power y as C's {@code pow} rounds it: Python's {@code x ** y} for floats.
     * @param x the base
     * @param y the exponent
     * @return x to the power y
     */
    public static double pow(double x, double y) { return NATIVE ? NativeCpu.tl_libm_pow(x, y) : StrictMath.pow(x, y); }
}

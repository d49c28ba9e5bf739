package dev.torchlet.backend.cpu;

/**
 * The platform C library's {@code cos} and {@code pow} on one double, through libtorchlet: the results
 * Python's {@code math.cos(x)} and {@code x ** y} give on the same machine. Java's {@link Math} and
 * {@link StrictMath} versions are as accurate (within 1 ulp) but round differently now and then, so code
 * that must reproduce PyTorch's floats bit for bit (the learning-rate schedulers) calls these. One JNI
 * call each: for scalars computed once per step, not for elementwise work.
 */
public final class Libm {
    private static final boolean AVAILABLE = load();

    private Libm() {}

    private static boolean load() {
        try {
            NativeCpu.tl_libm_cos(0.0);
            return true;
        } catch (Throwable e) {   // natives absent (ExceptionInInitializerError / UnsatisfiedLinkError)
            return false;
        }
    }

    /**
     * @return whether the native library loaded; when it did not, {@link #cos} and {@link #pow} fall back
     *     to {@link StrictMath}
     */
    public static boolean available() { return AVAILABLE; }

    /**
     * The C library's cos.
     *
     * @param x an angle in radians
     * @return cos(x) as C's {@code cos} rounds it ({@link StrictMath#cos} without the native library)
     */
    public static double cos(double x) { return AVAILABLE ? NativeCpu.tl_libm_cos(x) : StrictMath.cos(x); }

    /**
     * The C library's pow.
     *
     * @param x the base
     * @param y the exponent
     * @return x to the power y as C's {@code pow} rounds it ({@link StrictMath#pow} without the native library)
     */
    public static double pow(double x, double y) { return AVAILABLE ? NativeCpu.tl_libm_pow(x, y) : StrictMath.pow(x, y); }
}

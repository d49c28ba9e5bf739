package dev.torchlet.bench;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * JNI binding of src/main/cpp/stream_add.h (the W5 baseline), generated and compiled by the JavaCPP Maven
 * plugin of this module at process-classes.
 */
@Platform(include = "stream_add.h", compiler = "cpp11")
public final class StreamAdd {
    static {
        Loader.load();
    }

    private StreamAdd() {}

    /** out[i][j] = a[i][j] + b[j] for a [rows, cols] row-major a and out, on {@code threads} threads. */
    public static native void stream_add(FloatPointer a, FloatPointer b, FloatPointer out, @Cast("int64_t") long rows,
                                         @Cast("int64_t") long cols, int threads);
}

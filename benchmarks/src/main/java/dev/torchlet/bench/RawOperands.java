package dev.torchlet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Random;
import org.bytedeco.javacpp.FloatPointer;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A raw baseline's operands in native buffers, and its preallocated output. Built from plain Java arrays
 * ({@link #gaussian}), never from tensors: a baseline's JMH fork never loads torchlet, so that nothing of
 * torchlet (its threads, its allocator, its settings of OpenBLAS) can speed up or slow down a baseline.
 */
final class RawOperands implements AutoCloseable {
    final FloatPointer a, b, c;

    RawOperands(float[] a, float[] b, long outFloats) {
        if (torchletLoaded()) throw new IllegalStateException("a raw baseline's fork has loaded libtorchlet");
        this.a = new FloatPointer(a);
        this.b = new FloatPointer(b);
        this.c = new FloatPointer(outFloats);
    }

    /** n standard normal floats from java.util.Random with this seed: the same inputs for both sides. */
    static float[] gaussian(long n, long seed) {
        Random r = new Random(seed);
        float[] out = new float[Math.toIntExact(n)];
        for (int i = 0; i < out.length; i++) out[i] = (float) r.nextGaussian();
        return out;
    }

    /** Whether libtorchlet is mapped into this process. */
    static boolean torchletLoaded() {
        try {
            return Files.readString(Paths.get("/proc/self/maps")).contains("libtorchlet");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/maps", e);
        }
    }

    /** A JMH state holding one baseline's operands (its subclass's setup makes them), closed at tear-down. */
    abstract static class BaselineState {
        RawOperands p;

        @TearDown
        public void tearDown() { p.close(); }
    }

    @Override
    public void close() {
        a.close();
        b.close();
        c.close();
    }
}

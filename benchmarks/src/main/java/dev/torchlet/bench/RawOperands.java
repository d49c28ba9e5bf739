package dev.torchlet.bench;

import dev.torchlet.Tensor;
import org.bytedeco.javacpp.FloatPointer;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The state of a workload measured against a raw native baseline: torchlet's two operands, the same values
 * in native buffers for the baseline, and the baseline's preallocated output.
 */
abstract class RawOperands {
    Tensor a, b;
    FloatPointer pa, pb, pc;

    /** Takes the operands and copies them for the baseline, with an output buffer of outFloats floats. */
    void operands(Tensor a, Tensor b, long outFloats) {
        this.a = a;
        this.b = b;
        pa = new FloatPointer(a.toFloatArray());
        pb = new FloatPointer(b.toFloatArray());
        pc = new FloatPointer(outFloats);
    }

    @TearDown
    public void tearDown() {
        pa.close();
        pb.close();
        pc.close();
    }
}

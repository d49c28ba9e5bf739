package dev.torchlet.backend.ref;

import dev.torchlet.DType;
import dev.torchlet.backend.Storage;
import java.lang.ref.Cleaner;

/**
 * Reference-backend storage on the Java heap: a double[] for float32/float64 (float32 elements are kept
 * already rounded to float), a long[] for int64 and bool (0 or 1). Indices are element indices.
 */
public final class RefStorage extends Storage {
    /** Float elements; null for int64/bool and once freed. */
    double[] doubles;
    /** Int64 elements, or bool as 0/1; null for floats and once freed. */
    long[] longs;
    /** Gives the bytes back to the backend's count once: on free(), or when the GC collects this storage. */
    private final Cleaner.Cleanable accounting;

    RefStorage(RefBackend backend, DType dtype, int numel) {
        super(backend, dtype.byteSize(numel));
        if (dtype.isFloatingPoint()) doubles = new double[numel];
        else longs = new long[numel];
        accounting = backend.track(this, nbytes());
    }

    @Override protected void free() {
        doubles = null;
        longs = null;
        accounting.clean();
    }
}

package dev.torchlet;

import java.util.Arrays;

/** Shape arithmetic shared by the ops: dim wrapping, broadcasting, view strides, and their error messages. */
final class Shapes {
    private Shapes() {}

    /** "[2, 3]", as PyTorch prints sizes in its messages. */
    static String str(long[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) sb.append(i == 0 ? "" : ", ").append(shape[i]);
        return sb.append(']').toString();
    }

    /** Python-style dim wrapping; a 0-dim tensor accepts -1 and 0, as in PyTorch. */
    static int wrapDim(int dim, int ndim) {
        int range = Math.max(ndim, 1);
        if (dim < -range || dim >= range) {
            throw new IndexOutOfBoundsException("Dimension out of range (expected to be in range of [" + (-range)
                    + ", " + (range - 1) + "], but got " + dim + ")");
        }
        return dim < 0 ? dim + range : dim;
    }

    /** Dim wrapping for size(d)/stride(d), which a 0-dim tensor has none of. */
    static int wrapDimOfSizes(int dim, int ndim) {
        if (ndim == 0) {
            throw new IndexOutOfBoundsException("dimension specified as " + dim + " but tensor has no dimensions");
        }
        return wrapDim(dim, ndim);
    }

    /** Validated sizes of a new tensor: no negative size, numel fits in a long. */
    static long[] checkedSizes(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("Trying to create tensor with negative dimension " + d + ": "
                        + str(shape));
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("Tensor of shape " + str(shape) + " has too many elements");
            }
        }
        return shape.clone();
    }

    /** torch.broadcast_shapes of two shapes. */
    static long[] broadcast(long[] a, long[] b) {
        int n = Math.max(a.length, b.length);
        long[] out = new long[n];
        for (int i = n - 1; i >= 0; i--) {
            int ia = i - n + a.length, ib = i - n + b.length;
            long da = ia >= 0 ? a[ia] : 1, db = ib >= 0 ? b[ib] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("The size of tensor a (" + da + ") must match the size of tensor b ("
                        + db + ") at non-singleton dimension " + i);
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Sizes with one -1 inferred, as view/reshape accept them. */
    static long[] inferSize(long[] shape, long numel) {
        long[] out = shape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("only one dimension can be inferred");
                infer = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException("invalid shape dimension " + out[i]);
            } else {
                known *= out[i];
            }
        }
        if (infer >= 0 && known == 0) {
            throw new IllegalArgumentException("cannot reshape tensor of " + numel + " elements into shape " + str(shape)
                    + " because the unspecified dimension size -1 can be any value and is ambiguous");
        }
        if (infer >= 0 && numel % known == 0) {
            out[infer] = numel / known;
        } else if (infer >= 0 || known != numel) {
            throw new IllegalArgumentException("shape '" + str(shape) + "' is invalid for input of size " + numel);
        }
        return out;
    }

    /**
     * Strides that let a tensor of (oldShape, oldStrides) be viewed as newShape without copying, or null if
     * no such strides exist (PyTorch's at::detail::computeStride).
     */
    static long[] viewStrides(long[] oldShape, long[] oldStrides, long[] newShape) {
        long[] newStrides = new long[newShape.length];
        if (oldShape.length == 0) { // a scalar: every new dim has size 1
            Arrays.fill(newStrides, 1);
            return newStrides;
        }
        if (Arrays.stream(oldShape).anyMatch(d -> d == 0)) {
            return dev.torchlet.backend.Strided.contiguousStrides(newShape);
        }
        int viewD = newShape.length - 1;
        long chunkBase = oldStrides.length == 0 ? 1 : oldStrides[oldStrides.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int tensorD = oldShape.length - 1; tensorD >= 0; tensorD--) {
            tensorNumel *= oldShape[tensorD];
            if (tensorD == 0 || (oldShape[tensorD - 1] != 1 && oldStrides[tensorD - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    newStrides[viewD] = viewNumel * chunkBase;
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (tensorD > 0) {
                    chunkBase = oldStrides[tensorD - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? newStrides : null;
    }
}

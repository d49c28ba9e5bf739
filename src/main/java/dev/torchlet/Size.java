package dev.torchlet;

import java.util.Arrays;

/** A tensor's shape, immutable; prints as {@code torch.Size([3, 1])}. */
public final class Size {
    private final long[] dims;

    Size(long[] dims) { this.dims = dims.clone(); }

    /**
     * A shape with the given sizes, like {@code torch.Size([2, 3])}.
     * @param dims the sizes
     * @return the shape
     */
    public static Size of(long... dims) { return new Size(dims); }

    /**
     * The number of dims, Python's {@code len(size)}.
     * @return the number of dims
     */
    public int length() { return dims.length; }

    /**
     * The size of dimension i; negative i counts from the end as in Python.
     * @param i the dim
     * @return its size
     */
    public long get(int i) { return dims[i < 0 ? i + dims.length : i]; }

    /**
     * The product of the sizes, PyTorch's {@code Size.numel()}.
     * @return the number of elements
     */
    public long numel() {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }

    /**
     * The sizes as an array.
     * @return a new array
     */
    public long[] toArray() { return dims.clone(); }

    @Override public boolean equals(Object o) { return o instanceof Size && Arrays.equals(dims, ((Size) o).dims); }

    @Override public int hashCode() { return Arrays.hashCode(dims); }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder("torch.Size([");
        for (int i = 0; i < dims.length; i++) sb.append(i == 0 ? "" : ", ").append(dims[i]);
        return sb.append("])").toString();
    }
}

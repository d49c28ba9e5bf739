package dev.torchlet;

import java.util.Objects;

/** Where a tensor lives: {@code cpu} or {@code cuda:i}, printed as PyTorch prints torch.device. */
public final class Device {
    public enum Type { CPU, CUDA }

    public static final Device CPU = new Device(Type.CPU, -1);

    private final Type type;
    private final int index;

    private Device(Type type, int index) {
        this.type = type;
        this.index = index;
    }

    public static Device cpu() { return CPU; }

    public static Device cuda(int index) {
        if (index < 0) throw new IllegalArgumentException("Device index must not be negative, got " + index);
        return new Device(Type.CUDA, index);
    }

    public Type type() { return type; }

    /** The device ordinal; -1 for the CPU. */
    public int index() { return index; }

    public boolean isCuda() { return type == Type.CUDA; }

    @Override public boolean equals(Object o) {
        return o instanceof Device && ((Device) o).type == type && ((Device) o).index == index;
    }

    @Override public int hashCode() { return Objects.hash(type, index); }

    @Override public String toString() { return type == Type.CPU ? "cpu" : "cuda:" + index; }
}

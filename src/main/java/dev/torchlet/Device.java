package dev.torchlet;

import java.util.Objects;

/** Where a tensor lives: {@code cpu} or {@code cuda:i}, printed as PyTorch prints torch.device. */
public final class Device {
    /** The kind of device, PyTorch's {@code device.type}. */
    public enum Type {
        /** The host CPU. */
        CPU,
        /** An NVIDIA GPU. */
        CUDA
    }

    /** The CPU, PyTorch's {@code torch.device("cpu")}. */
    public static final Device CPU = new Device(Type.CPU, -1);

    private final Type type;
    private final int index;

    private Device(Type type, int index) {
        this.type = type;
        this.index = index;
    }

    /**
     * The CPU device, PyTorch's {@code torch.device("cpu")}.
     * @return {@link #CPU}
     */
    public static Device cpu() { return CPU; }

    /**
     * The CUDA device with the given ordinal, PyTorch's {@code torch.device("cuda", index)}.
     * @param index the device ordinal, not negative
     * @return the device
     */
    public static Device cuda(int index) {
        if (index < 0) throw new IllegalArgumentException("Device index must not be negative, got " + index);
        return new Device(Type.CUDA, index);
    }

    /**
     * The kind of device, PyTorch's {@code device.type}.
     * @return CPU or CUDA
     */
    public Type type() { return type; }

    /**
     * The device ordinal; -1 for the CPU.
     * @return the ordinal
     */
    public int index() { return index; }

    /**
     * True for a CUDA device.
     * @return whether this is a CUDA device
     */
    public boolean isCuda() { return type == Type.CUDA; }

    @Override public boolean equals(Object o) {
        return o instanceof Device && ((Device) o).type == type && ((Device) o).index == index;
    }

    @Override public int hashCode() { return Objects.hash(type, index); }

    @Override public String toString() { return type == Type.CPU ? "cpu" : "cuda:" + index; }
}

package dev.torchlet.nn;

import dev.torchlet.Tensor;

/** Modules applied in order, each to the previous one's output; registered as "0", "1", ... */
public class Sequential extends Module {
    private int size;

    /**
     * PyTorch's {@code nn.Sequential(*modules)}.
     * @param modules the modules, in order
     */
    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    /**
     * Appends a module; returns this.
     * @param module the module
     * @return this container
     */
    public Sequential add(Module module) {
        register(String.valueOf(size++), module);
        return this;
    }

    /**
     * The module at index, PyTorch's {@code seq[index]}.
     * @param index the position; negative counts from the end
     * @return the module
     * @throws IndexOutOfBoundsException for an index out of range
     */
    public Module get(int index) {
        if (index < -size || index >= size) throw new IndexOutOfBoundsException("index " + index + " is out of range");
        return children().get(index < 0 ? index + size : index);
    }

    /**
     * The number of modules, Python's {@code len(seq)}.
     * @return the number of modules
     */
    public int size() { return size; }

    @Override public Tensor forward(Tensor x) {
        Tensor y = x;
        for (Module m : children()) y = m.forward(y);
        return y;
    }
}

package dev.torchlet.nn;

import dev.torchlet.Tensor;

/** Modules applied in order, each to the previous one's output; registered as "0", "1", ... */
public class Sequential extends Module {
    private int size;

    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    /** Appends a module; returns this. */
    public Sequential add(Module module) {
        register(String.valueOf(size++), module);
        return this;
    }

    public Module get(int index) {
        if (index < -size || index >= size) throw new IndexOutOfBoundsException("index " + index + " is out of range");
        return children().get(index < 0 ? index + size : index);
    }

    public int size() { return size; }

    @Override public Tensor forward(Tensor x) {
        Tensor y = x;
        for (Module m : children()) y = m.forward(y);
        return y;
    }
}

package dev.torchlet;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node of the autograd graph: the backward function of the op that produced a tensor, PyTorch's
 * {@code grad_fn} (its name, such as {@code MulBackward0}, is PyTorch's). It holds, per input of the op, the
 * node that produced that input or the leaf tensor to accumulate into, the tensors the derivative rule
 * saved, and the rule itself (see {@link Derivatives}).
 */
public final class GradFn {
    /** A derivative rule: the gradient for each input of the op (null where not needed) from the output's. */
    interface Rule {
        Tensor[] apply(Tensor grad, GradFn fn);
    }

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final String name;
    /** Creation order: a node's inputs were made before it, so descending order is a topological order. */
    final long sequence = SEQUENCE.getAndIncrement();
    final GradFn[] inputFns;   // the node that made input i, or null
    final Tensor[] inputLeaves; // the leaf input i that requires grad, or null
    final long[][] inputShapes;
    final DType[] inputTypes;
    private Rule rule;
    private Saved[] saved;
    private boolean released;
    Tensor retainsGradOf; // the output tensor, when retainGrad() was called on it
    /** Where the forward op was called, recorded while anomaly detection is on (else null). */
    final AnomalyMode.ForwardCall forwardCall;

    GradFn(String name, Tensor[] inputs, Rule rule, Saved[] saved) {
        this.name = name;
        forwardCall = AnomalyMode.record(name);
        this.rule = rule;
        this.saved = saved;
        int n = inputs.length;
        inputFns = new GradFn[n];
        inputLeaves = new Tensor[n];
        inputShapes = new long[n][];
        inputTypes = new DType[n];
        for (int i = 0; i < n; i++) {
            Tensor t = inputs[i];
            if (t == null || !t.requiresGrad()) continue;
            inputFns[i] = t.gradFn();
            if (inputFns[i] == null) inputLeaves[i] = t;
            inputShapes[i] = t.data().shape;
            inputTypes[i] = t.dtype();
        }
    }

    /**
     * PyTorch's name of this backward function, such as {@code AddmmBackward0}.
     * @return the node's name
     */
    public String name() { return name; }

    /**
     * The backward functions of this op's inputs, in order, as PyTorch's {@code next_functions}: the node of
     * each input that has one, "AccumulateGrad" for a leaf that requires grad, null for an input without grad.
     * @return the names of the input nodes, null entries for inputs without one
     */
    public List<String> nextFunctions() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < inputFns.length; i++) {
            out.add(inputFns[i] != null ? inputFns[i].name : inputLeaves[i] != null ? "AccumulateGrad" : null);
        }
        return out;
    }

    /** True when input i needs a gradient. */
    boolean needsGrad(int i) { return inputShapes[i] != null; }

    Tensor[] apply(Tensor grad) {
        if (released) {
            throw new IllegalStateException("Trying to backward through the graph a second time (or directly access "
                    + "saved tensors after they have already been freed). Saved intermediate values of the graph are "
                    + "freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
                    + "backward through the graph a second time or if you need to access saved tensors after "
                    + "calling backward.");
        }
        return rule.apply(grad, this);
    }

    /**
     * Frees the saved tensors after a backward without retainGraph. A node that saved nothing stays usable,
     * as in PyTorch.
     */
    void release() {
        if (saved.length == 0) return;
        for (Saved s : saved) s.free();
        saved = new Saved[0];
        rule = null;
        released = true;
    }

    @Override public String toString() { return "<" + name + ">"; }

    /**
     * A tensor a rule saved for backward: an alias of its data owned by the node (no scope frees it) and
     * the version its storage had, so that an in-place change before backward raises PyTorch's error.
     */
    static final class Saved {
        private Tensor alias;
        private final int version;
        private final String producer; // the grad_fn name of the saved tensor, or null for a leaf

        Saved(Tensor t) {
            alias = t.alias();
            version = t.data().storage.version();
            producer = t.gradFn() == null ? null : t.gradFn().name();
        }

        Tensor get() {
            int now = alias.data().storage.version();
            if (now != version) {
                throw new IllegalStateException("one of the variables needed for gradient computation has been "
                        + "modified by an inplace operation: [torch." + alias.dtype().scalarTypeName() + "Tensor "
                        + Shapes.str(alias.data().shape) + "]" + (producer == null ? "" : ", which is output 0 of "
                        + producer + ",") + " is at version " + now + "; expected version " + version + " instead. "
                        + (AnomalyMode.isEnabled() ? "Hint: the backtrace further above shows the operation that "
                        + "failed to compute its gradient. The variable in question was changed in there or anywhere "
                        + "later. Good luck!" : "Hint: enable anomaly detection to find the operation that failed to "
                        + "compute its gradient, with torch.autograd.set_detect_anomaly(True)."));
            }
            return alias;
        }

        void free() {
            alias.close();
            alias = null;
        }
    }
}

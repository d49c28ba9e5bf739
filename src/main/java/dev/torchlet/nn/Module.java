package dev.torchlet.nn;

import dev.torchlet.Device;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model or a part of one, PyTorch's nn.Module: it holds parameters and child modules under names, in the
 * order they were registered, and computes {@link #forward}. Subclasses register their parts in field
 * initializers or constructors:
 *
 * <pre>{@code
 * class Poly3 extends Module {
 *     final Parameter a = register("a", new Parameter(Torch.randn()));
 *     final Linear lin = register("lin", new Linear(1, 1));
 *     @Override public Tensor forward(Tensor x) { return lin.forward(x).add(a); }
 * }
 * }</pre>
 *
 * With wildcard imports of both {@code dev.torchlet.nn.*} and {@code java.lang}, {@code Module} is ambiguous
 * (java.lang.Module); import {@code dev.torchlet.nn.Module} explicitly.
 */
public abstract class Module {
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /**
     * The module's computation on one input.
     * @param input the input
     * @return the output
     * @throws UnsupportedOperationException unless a subclass overrides it
     */
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("Module [" + name() + "] is missing the required \"forward\" function");
    }

    /**
     * The module's computation on two inputs (the losses: input and target).
     * @param input the input (a loss's prediction)
     * @param other the second input (a loss's target)
     * @return the output
     * @throws UnsupportedOperationException unless a subclass overrides it
     */
    public Tensor forward(Tensor input, Tensor other) {
        throw new UnsupportedOperationException("Module [" + name() + "] does not take two inputs");
    }

    /**
     * Registers a parameter under name (PyTorch's register_parameter); returns it.
     * @param <P> the parameter's type
     * @param name the attribute name, part of the dotted names in state dicts
     * @param parameter the parameter
     * @return parameter
     */
    protected final <P extends Parameter> P register(String name, P parameter) {
        checkName(name);
        parameters.put(name, parameter);
        return parameter;
    }

    /**
     * Registers a child module under name (PyTorch's add_module); returns it.
     * @param <M> the module's type
     * @param name the attribute name, part of the dotted names in state dicts
     * @param module the child module
     * @return module
     */
    protected final <M extends Module> M register(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name.isEmpty()) throw new IllegalArgumentException("module name can't be empty string \"\"");
        if (name.contains(".")) throw new IllegalArgumentException("module name can't contain \".\", got: " + name);
        if (parameters.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("attribute '" + name + "' already exists");
        }
    }

    /**
     * Every parameter of this module and its descendants, each once, in registration order.
     * @return the parameters
     */
    public List<Parameter> parameters() { return new ArrayList<>(namedParameters().values()); }

    /**
     * The parameters with PyTorch's dotted names ("0.weight", "linear.bias"); a shared one appears once.
     * @return the parameters by dotted name
     */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> out, Set<Parameter> seen) {
        parameters.forEach((name, p) -> {
            if (seen.add(p)) out.put(prefix + name, p);
        });
        children.forEach((name, child) -> child.collect(prefix + name + ".", out, seen));
    }

    /**
     * The direct child modules, in registration order.
     * @return the children
     */
    public List<Module> children() { return new ArrayList<>(children.values()); }

    /**
     * The direct child modules by name, PyTorch's {@code named_children()}.
     * @return an unmodifiable view of the children
     */
    public Map<String, Module> namedChildren() { return Collections.unmodifiableMap(children); }

    /** Clears the gradients of every parameter (set to null, PyTorch 2.x's default set_to_none=True). */
    public void zeroGrad() {
        for (Parameter p : parameters()) p.setGrad(null);
    }

    /**
     * Training mode (the default): Dropout drops. Applies to every descendant; returns this.
     * @return this module
     */
    public Module train() { return train(true); }

    /**
     * Sets training (true) or evaluation mode on this module and every descendant, PyTorch's {@code train(mode)}.
     * @param mode true for training mode
     * @return this module
     */
    public Module train(boolean mode) {
        training = mode;
        for (Module child : children.values()) child.train(mode);
        return this;
    }

    /**
     * Evaluation mode: Dropout passes its input through.
     * @return this module
     */
    public Module eval() { return train(false); }

    /**
     * True in training mode, PyTorch's {@code module.training}.
     * @return whether this module is in training mode
     */
    public boolean isTraining() { return training; }

    /**
     * Moves every parameter to device, in place (the Parameter objects stay the same); returns this.
     * @param device the target device
     * @return this module
     */
    public Module to(Device device) {
        for (Parameter p : parameters()) {
            if (!p.device().equals(device)) p.moveData(p.detach().to(device));
        }
        return this;
    }

    /**
     * The parameters by dotted name, as tensors sharing their data (detached, as PyTorch's state_dict).
     * @return the state dict
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedParameters().forEach((name, p) -> out.put(name, p.detach()));
        return out;
    }

    /**
     * Copies every entry into the parameter of that name; any missing or unexpected key is an error.
     * @param stateDict the tensors by dotted name
     */
    public void loadStateDict(Map<String, Tensor> stateDict) { loadStateDict(stateDict, true); }

    /**
     * Copies the entries into the parameters of the same names (shapes must match). With strict, keys of
     * the module missing from stateDict and keys stateDict has beyond the module's are errors, reported
     * with PyTorch's message.
     * @param stateDict the tensors by dotted name
     * @param strict whether missing and unexpected keys are errors
     */
    public void loadStateDict(Map<String, Tensor> stateDict, boolean strict) {
        Map<String, Parameter> own = namedParameters();
        List<String> errors = new ArrayList<>(), missing = new ArrayList<>(), unexpected = new ArrayList<>();
        for (var e : own.entrySet()) {
            Tensor value = stateDict.get(e.getKey());
            if (value == null) {
                missing.add(e.getKey());
            } else if (!value.shape().equals(e.getValue().shape())) {
                errors.add("size mismatch for " + e.getKey() + ": copying a param with shape " + value.shape()
                        + " from checkpoint, the shape in current model is " + e.getValue().shape() + ".");
            }
        }
        for (String key : stateDict.keySet()) if (!own.containsKey(key)) unexpected.add(key);
        if (strict && !unexpected.isEmpty()) errors.add(0, "Unexpected key(s) in state_dict: " + quoted(unexpected) + ". ");
        if (strict && !missing.isEmpty()) errors.add(0, "Missing key(s) in state_dict: " + quoted(missing) + ". ");
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("Error(s) in loading state_dict for " + name() + ":\n\t"
                    + String.join("\n\t", errors));
        }
        try (var g = Torch.noGrad()) {
            for (var e : own.entrySet()) {
                Tensor value = stateDict.get(e.getKey());
                if (value != null) e.getValue().copy_(value);
            }
        }
    }

    private static String quoted(List<String> keys) {
        List<String> q = new ArrayList<>();
        for (String k : keys) q.add("\"" + k + "\"");
        return String.join(", ", q);
    }

    /**
     * The module's own settings, as PyTorch's extra_repr ("in_features=3, out_features=1, bias=True").
     * @return the settings, or "" for none
     */
    protected String extraRepr() { return ""; }

    /**
     * The class name PyTorch would print.
     * @return the class name
     */
    protected String name() {
        String simple = getClass().getSimpleName();
        return simple.isEmpty() ? "Module" : simple;
    }

    /** The module tree as PyTorch prints it. */
    @Override public String toString() {
        List<String> lines = new ArrayList<>();
        String extra = extraRepr();
        if (!extra.isEmpty()) lines.addAll(List.of(extra.split("\n")));
        children.forEach((name, child) -> lines.add("(" + name + "): " + indent(child.toString())));
        if (lines.isEmpty()) return name() + "()";
        if (children.isEmpty() && lines.size() == 1) return name() + "(" + lines.get(0) + ")";
        return name() + "(\n  " + String.join("\n  ", lines) + "\n)";
    }

    /** Every line after the first indented by two spaces (PyTorch's _addindent). */
    private static String indent(String s) { return s.replace("\n", "\n  "); }
}

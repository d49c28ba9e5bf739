package dev.torchlet.optim;

import dev.torchlet.Scope;
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
 * Updates parameters from their gradients, PyTorch's torch.optim.Optimizer: parameter groups with their
 * own options (lr, ...), per-parameter state, {@link #zeroGrad()}, and a state dict to save and restore.
 * Each {@link #step()} runs one fused native update per parameter tensor.
 */
public abstract class Optimizer {
    /** Parameters that share options; options are by PyTorch's names ("lr", "momentum", "betas"...). */
    public static final class ParamGroup {
        private final List<Tensor> params;
        private final Map<String, Object> options;

        ParamGroup(List<Tensor> params, Map<String, Object> options) {
            this.params = params;
            this.options = options;
        }

        /**
         * The group's parameters, PyTorch's {@code group["params"]}.
         * @return an unmodifiable view of the parameters
         */
        public List<Tensor> params() { return Collections.unmodifiableList(params); }

        /**
         * The group's options by PyTorch's names, mutable as PyTorch's group dict is.
         * @return the options
         */
        public Map<String, Object> options() { return options; }

        /**
         * The group's learning rate, PyTorch's {@code group["lr"]}.
         * @return the learning rate
         */
        public double lr() { return getDouble("lr"); }

        /**
         * Sets the group's learning rate, as assigning {@code group["lr"]} in PyTorch (what schedulers do).
         * @param lr the new learning rate
         */
        public void setLr(double lr) { options.put("lr", lr); }

        /**
         * A numeric option as a double, such as {@code getDouble("momentum")}.
         * @param name the option's PyTorch name
         * @return its value
         */
        public double getDouble(String name) { return ((Number) options.get(name)).doubleValue(); }

        /**
         * A boolean option, such as {@code getBoolean("nesterov")}.
         * @param name the option's PyTorch name
         * @return its value
         */
        public boolean getBoolean(String name) { return (Boolean) options.get(name); }
    }

    private final Map<String, Object> defaults;
    private final List<ParamGroup> groups = new ArrayList<>();
    /** Per-parameter state ("step" as a Long, buffers as tensors the optimizer owns). */
    private final Map<Tensor, Map<String, Object>> state = new IdentityHashMap<>();

    /**
     * An optimizer over params with the given default options, as PyTorch's {@code Optimizer(params, defaults)}.
     * @param params the parameters, the first group
     * @param defaults the default options by PyTorch's names
     */
    protected Optimizer(Iterable<? extends Tensor> params, Map<String, Object> defaults) {
        this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
        addParamGroup(params, Map.of());
    }

    /**
     * Adds parameters with their own options (the others taken from the optimizer's defaults).
     * @param params the group's parameters
     * @param options the group's options, overriding the defaults
     */
    public void addParamGroup(Iterable<? extends Tensor> params, Map<String, Object> options) {
        List<Tensor> list = new ArrayList<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ParamGroup g : groups) seen.addAll(g.params);
        for (Tensor p : params) {
            if (!p.isLeaf()) throw new IllegalArgumentException("can't optimize a non-leaf Tensor");
            if (!seen.add(p)) {
                throw new IllegalArgumentException("some parameters appear in more than one parameter group");
            }
            list.add(p);
        }
        if (list.isEmpty() && groups.isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        Map<String, Object> merged = new LinkedHashMap<>(defaults);
        for (var e : options.entrySet()) {
            if (!defaults.containsKey(e.getKey())) {
                throw new IllegalArgumentException("unknown option '" + e.getKey() + "' for " + getClass().getSimpleName());
            }
            merged.put(e.getKey(), e.getValue());
        }
        groups.add(new ParamGroup(list, merged));
    }

    /**
     * The parameter groups, PyTorch's {@code optimizer.param_groups}.
     * @return an unmodifiable view of the groups
     */
    public List<ParamGroup> paramGroups() { return Collections.unmodifiableList(groups); }

    /** Clears every parameter's gradient (set to null, PyTorch 2.x's default). */
    public void zeroGrad() { zeroGrad(true); }

    /**
     * setToNone false zeroes the gradients in place instead of dropping them.
     * @param setToNone true to drop the gradients (PyTorch's default), false to zero them
     */
    public void zeroGrad(boolean setToNone) {
        try (var g = Torch.noGrad()) {
            for (ParamGroup group : groups) {
                for (Tensor p : group.params) {
                    if (setToNone) p.setGrad(null);
                    else if (p.grad() != null) p.grad().zero_();
                }
            }
        }
    }

    /** Updates every parameter that has a gradient, once. */
    public void step() {
        try (var g = Torch.noGrad()) {
            for (ParamGroup group : groups) {
                for (Tensor p : group.params) {
                    Tensor grad = p.grad();
                    if (grad != null) update(p, grad, state.computeIfAbsent(p, k -> new LinkedHashMap<>()), group);
                }
            }
        }
    }

    /**
     * One update of p in place from grad, with its state (empty on the first step) and its group's options.
     * @param p the parameter
     * @param grad its gradient
     * @param state its state, filled by the subclass
     * @param group its group, for the options
     */
    protected abstract void update(Tensor p, Tensor grad, Map<String, Object> state, ParamGroup group);

    /**
     * A zero tensor like p that belongs to the optimizer state (no scope frees it).
     * @param p the parameter
     * @return a zero tensor of p's shape, dtype and device
     */
    protected static Tensor zerosLike(Tensor p) { return Scope.exempt(Torch.zerosLike(p)); }

    /**
     * The state as PyTorch's state_dict: "state" maps a parameter's index (counted across groups, in order)
     * to its state, and "param_groups" lists each group's options with "params" as those indices. Tensors in
     * it are the optimizer's own; load them into another optimizer with {@link #loadStateDict}.
     * @return the state dict
     */
    public Map<String, Object> stateDict() {
        Map<String, Object> packedState = new LinkedHashMap<>();
        List<Map<String, Object>> packedGroups = new ArrayList<>();
        int index = 0;
        for (ParamGroup group : groups) {
            Map<String, Object> g = new LinkedHashMap<>(group.options);
            List<Integer> ids = new ArrayList<>();
            for (Tensor p : group.params) {
                Map<String, Object> s = state.get(p);
                if (s != null) packedState.put(String.valueOf(index), new LinkedHashMap<>(s));
                ids.add(index++);
            }
            g.put("params", ids);
            packedGroups.add(g);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", packedState);
        out.put("param_groups", packedGroups);
        return out;
    }

    /**
     * Restores options and state saved by {@link #stateDict()} of an optimizer over parameters of the same shapes.
     * @param stateDict the state dict
     */
    @SuppressWarnings("unchecked")
    public void loadStateDict(Map<String, Object> stateDict) {
        List<Map<String, Object>> saved = (List<Map<String, Object>>) stateDict.get("param_groups");
        Map<String, Object> savedState = (Map<String, Object>) stateDict.get("state");
        if (saved == null || savedState == null) {
            throw new IllegalArgumentException("optimizer state dict must have \"state\" and \"param_groups\"");
        }
        if (saved.size() != groups.size()) {
            throw new IllegalArgumentException("loaded state dict has a different number of parameter groups");
        }
        for (int i = 0; i < groups.size(); i++) {
            if (((List<?>) saved.get(i).get("params")).size() != groups.get(i).params.size()) {
                throw new IllegalArgumentException("loaded state dict contains a parameter group that doesn't match "
                        + "the size of optimizer's group");
            }
        }
        state.clear();
        try (var g = Torch.noGrad()) {
            for (int i = 0; i < groups.size(); i++) {
                ParamGroup group = groups.get(i);
                List<?> ids = (List<?>) saved.get(i).get("params");
                for (var e : saved.get(i).entrySet()) if (!e.getKey().equals("params")) group.options.put(e.getKey(), e.getValue());
                for (int k = 0; k < ids.size(); k++) {
                    Map<String, Object> s = (Map<String, Object>) savedState.get(String.valueOf(ids.get(k)));
                    if (s == null) continue;
                    Tensor p = group.params.get(k);
                    Map<String, Object> copy = new LinkedHashMap<>();
                    for (var e : s.entrySet()) {
                        Object v = e.getValue();
                        if (v instanceof Tensor) {
                            Tensor t = (Tensor) v;
                            if (!t.shape().equals(p.shape())) {
                                throw new IllegalArgumentException("state \"" + e.getKey() + "\" of shape " + t.shape()
                                        + " does not match its parameter of shape " + p.shape());
                            }
                            v = zerosLike(p).copy_(t);
                        }
                        copy.put(e.getKey(), v);
                    }
                    state.put(p, copy);
                }
            }
        }
    }

    /**
     * PyTorch's check of a hyper-parameter: value must be >= 0.
     * @param what the option's name, for the message
     * @param value its value
     * @throws IllegalArgumentException for a negative value or NaN
     */
    protected static void checkNonNegative(String what, double value) {
        if (!(value >= 0)) throw new IllegalArgumentException("Invalid " + what + ": " + value);
    }

    /**
     * A mutable options map from alternating names and values, for subclasses' defaults.
     * @param keyValues name, value, name, value, ...
     * @return the options in that order
     */
    protected static Map<String, Object> options(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
        return m;
    }
}

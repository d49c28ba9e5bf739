package dev.torchlet.optim.lr_scheduler;

import dev.torchlet.optim.Optimizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adjusts the learning rate of an optimizer's parameter groups as training goes on, PyTorch's
 * {@code torch.optim.lr_scheduler.LRScheduler}.
 *
 * <p>Construction records each group's starting lr as its {@code "initial_lr"} option (kept if the group
 * already has one) and takes the first step, which sets the lr for epoch 0. Call {@link #step()} once per
 * epoch (or per batch, as the schedule is meant), after {@link Optimizer#step()}:
 * <pre>{@code
 * Optimizer opt = new SGD(model.parameters(), 0.1);
 * LRScheduler sched = new StepLR(opt, 30, 0.1);
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(...);        // opt.step() for each batch
 *     sched.step();
 * }
 * }</pre>
 * The optimizers read their group's lr at every step, so the new lr applies from the next
 * {@code opt.step()}.
 *
 * <p>{@link #step()} uses the chainable form ({@link #getLr()}): each new lr is computed from the group's
 * current lr, so that schedulers can be combined and changes made to the lr from outside carry on. The
 * floats this gives are those of PyTorch, which differ in the last bits from the closed form, used only by
 * the deprecated {@link #step(int)}.
 *
 * <p>Resuming: pass {@code lastEpoch >= 0} to a constructor (every group must then have
 * {@code "initial_lr"}, as an optimizer restored from a state dict has), or construct the scheduler afresh
 * and {@link #loadStateDict} its saved {@link #stateDict()} after the optimizer's. Following PyTorch 2.8
 * and later, the constructor's first step keeps the groups' lrs when resuming (torch 2.7 and before,
 * including 1.13, moved {@link ExponentialLR} and {@link CosineAnnealingLR} one step on there).
 */
public abstract class LRScheduler {
    /** The optimizer whose groups' lrs this scheduler sets. */
    protected final Optimizer optimizer;
    /** Each group's {@code "initial_lr"}, in group order. */
    protected double[] baseLrs;
    /** The epoch of the lrs last set: -1 before the constructor's step, then 0, 1, ... */
    protected int lastEpoch;
    /** How many times {@link #step()} (including the constructor's) ran. */
    protected int stepCount;
    /** True only during the constructor's step. */
    protected boolean isInitial;
    private List<Double> lastLr = List.of();

    /**
     * Attaches to an optimizer and takes the first step.
     *
     * @param optimizer the optimizer whose param groups' "lr" this scheduler sets
     * @param lastEpoch -1 to start (records "initial_lr"), or the index of the last epoch when resuming
     * @throws IllegalArgumentException when resuming and a group has no "initial_lr"
     */
    protected LRScheduler(Optimizer optimizer, int lastEpoch) {
        if (optimizer == null) throw new IllegalArgumentException("null is not an Optimizer");
        this.optimizer = optimizer;
        List<Optimizer.ParamGroup> groups = optimizer.paramGroups();
        if (lastEpoch == -1) {
            for (Optimizer.ParamGroup g : groups) g.options().putIfAbsent("initial_lr", g.lr());
        } else {
            for (int i = 0; i < groups.size(); i++) {
                if (!groups.get(i).options().containsKey("initial_lr")) {
                    throw new IllegalArgumentException("param 'initial_lr' is not specified in param_groups[" + i
                            + "] when resuming an optimizer");
                }
            }
        }
        this.baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) baseLrs[i] = groups.get(i).getDouble("initial_lr");
        this.lastEpoch = lastEpoch;
    }

    /**
     * The constructor's first step; each concrete scheduler calls it at the end of its constructor, once its
     * own fields are set (Java runs a superclass constructor before the subclass's field initializers).
     */
    protected final void initialStep() {
        stepCount = 0;
        isInitial = true;
        try {
            step();
        } finally {
            isInitial = false;
        }
    }

    /** Moves to the next epoch and sets every group's lr for it, by the chainable form {@link #getLr()}. */
    public void step() {
        stepCount++;
        lastEpoch++;
        apply(getLr());
    }

    /**
     * Sets the lrs for the given epoch by the closed form (or by {@link #getLr()} for a scheduler without
     * one), as PyTorch's deprecated {@code step(epoch)} does.
     *
     * @param epoch the epoch whose lrs to set
     * @deprecated as in PyTorch: call {@link #step()} once per epoch instead
     */
    @Deprecated
    public void step(int epoch) {
        stepCount++;
        lastEpoch = epoch;
        double[] lrs = closedFormLr();
        apply(lrs != null ? lrs : getLr());
    }

    private void apply(double[] lrs) {
        List<Optimizer.ParamGroup> groups = optimizer.paramGroups();
        int n = Math.min(groups.size(), lrs.length);
        List<Double> last = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            groups.get(i).setLr(lrs[i]);
            last.add(lrs[i]);
        }
        lastLr = Collections.unmodifiableList(last);
    }

    /**
     * The lr of each group for epoch {@link #lastEpoch}, in chainable form (from the groups' current lrs);
     * called by {@link #step()} after it advanced {@code lastEpoch}.
     *
     * @return one lr per parameter group
     */
    protected abstract double[] getLr();

    /**
     * The lr of each group for epoch {@link #lastEpoch} in closed form (from {@link #baseLrs} alone), or null
     * when the scheduler has none; used by {@link #step(int)}.
     *
     * @return one lr per parameter group, or null
     */
    protected double[] closedFormLr() { return null; }

    /** @return the current lr of each group, in order (the chainable forms start from these) */
    protected final double[] groupLrs() {
        List<Optimizer.ParamGroup> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int i = 0; i < lrs.length; i++) lrs[i] = groups.get(i).lr();
        return lrs;
    }

    /** @return the lrs this scheduler set last, one per parameter group (PyTorch's {@code get_last_lr()}) */
    public List<Double> getLastLr() { return lastLr; }

    /** @return the epoch of the lrs last set: 0 after construction, then one more after each {@link #step()} */
    public int lastEpoch() { return lastEpoch; }

    /** @return each group's "initial_lr" as recorded at construction (PyTorch's {@code base_lrs}) */
    public List<Double> baseLrs() { return toList(baseLrs); }

    /** @return the optimizer this scheduler drives */
    public Optimizer optimizer() { return optimizer; }

    /**
     * The scheduler's state, with PyTorch's keys: "base_lrs" and "_last_lr" (lists of Double), "last_epoch"
     * and "_step_count" (Integer), "_is_initial" and "_get_lr_called_within_step" (Boolean), and each
     * scheduler's own settings ("step_size", "gamma", "T_max", "eta_min", ...). Save it together with the
     * optimizer's state dict: the lrs themselves live there.
     *
     * @return a new mutable map
     */
    public Map<String, Object> stateDict() {
        Map<String, Object> sd = new LinkedHashMap<>();
        saveSettings(sd);
        sd.put("base_lrs", toList(baseLrs));
        sd.put("last_epoch", lastEpoch);
        sd.put("_step_count", stepCount);
        sd.put("_is_initial", false);
        sd.put("_get_lr_called_within_step", false);
        sd.put("_last_lr", new ArrayList<>(lastLr));
        return sd;
    }

    /**
     * Restores a state saved by {@link #stateDict()}; keys it lacks keep their current values, as PyTorch's
     * {@code __dict__.update} does.
     *
     * @param stateDict a map from {@link #stateDict()}
     * @throws IllegalArgumentException when a value has the wrong type
     */
    public void loadStateDict(Map<String, Object> stateDict) {
        try {
            loadSettings(stateDict);
            if (stateDict.containsKey("base_lrs")) baseLrs = toArray((List<?>) stateDict.get("base_lrs"));
            if (stateDict.containsKey("last_epoch")) lastEpoch = ((Number) stateDict.get("last_epoch")).intValue();
            if (stateDict.containsKey("_step_count")) stepCount = ((Number) stateDict.get("_step_count")).intValue();
            if (stateDict.containsKey("_last_lr")) lastLr = toList(toArray((List<?>) stateDict.get("_last_lr")));
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("bad scheduler state dict: " + e.getMessage(), e);
        }
    }

    /**
     * Puts this scheduler's own settings into a state dict.
     *
     * @param sd the state dict being built
     */
    protected void saveSettings(Map<String, Object> sd) {}

    /**
     * Reads this scheduler's own settings back from a state dict (keys absent keep their values).
     *
     * @param sd the state dict being loaded
     */
    protected void loadSettings(Map<String, Object> sd) {}

    /** Reads a number from a state dict if present. */
    static double number(Map<String, Object> sd, String key, double current) {
        Object v = sd.get(key);
        return v == null ? current : ((Number) v).doubleValue();
    }

    private static List<Double> toList(double[] a) {
        List<Double> l = new ArrayList<>(a.length);
        for (double d : a) l.add(d);
        return Collections.unmodifiableList(l);
    }

    private static double[] toArray(List<?> l) {
        double[] a = new double[l.size()];
        for (int i = 0; i < a.length; i++) a[i] = ((Number) l.get(i)).doubleValue();
        return a;
    }
}

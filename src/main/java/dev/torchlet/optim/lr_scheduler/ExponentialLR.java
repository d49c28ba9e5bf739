package dev.torchlet.optim.lr_scheduler;

import dev.torchlet.backend.cpu.Libm;
import dev.torchlet.optim.Optimizer;
import java.util.Map;

/**
 * Multiplies each group's lr by {@code gamma} every epoch, PyTorch's
 * {@code torch.optim.lr_scheduler.ExponentialLR}: lr(epoch) = initial lr * gamma^epoch, computed one
 * multiplication at a time (chainable) as PyTorch does.
 */
public class ExponentialLR extends LRScheduler {
    private double gamma;

    /**
     * ExponentialLR starting now.
     *
     * @param optimizer the optimizer to drive
     * @param gamma the factor applied every epoch
     */
    public ExponentialLR(Optimizer optimizer, double gamma) { this(optimizer, gamma, -1); }

    /**
     * ExponentialLR, resumed after epoch lastEpoch (or starting, with -1). When resuming, the groups' lrs
     * are kept as they are (PyTorch 2.8's behaviour; 1.13 to 2.7 multiplied them by gamma once more here).
     *
     * @param optimizer the optimizer to drive
     * @param gamma the factor applied every epoch
     * @param lastEpoch -1 to start, or the index of the last epoch when resuming
     */
    public ExponentialLR(Optimizer optimizer, double gamma, int lastEpoch) {
        super(optimizer, lastEpoch);
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] getLr() {
        double[] lrs = groupLrs();
        if (isInitial) return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] = lrs[i] * gamma;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = new double[baseLrs.length];
        double factor = Libm.pow(gamma, lastEpoch);
        for (int i = 0; i < lrs.length; i++) lrs[i] = baseLrs[i] * factor;
        return lrs;
    }

    @Override
    protected void saveSettings(Map<String, Object> sd) { sd.put("gamma", gamma); }

    @Override
    protected void loadSettings(Map<String, Object> sd) { gamma = number(sd, "gamma", gamma); }

    /** @return the factor applied every epoch */
    public double gamma() { return gamma; }
}

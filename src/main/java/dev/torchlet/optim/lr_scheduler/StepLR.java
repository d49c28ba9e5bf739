package dev.torchlet.optim.lr_scheduler;

import dev.torchlet.backend.cpu.Libm;
import dev.torchlet.optim.Optimizer;
import java.util.Map;

/**
 * Multiplies each group's lr by {@code gamma} every {@code stepSize} epochs, PyTorch's
 * {@code torch.optim.lr_scheduler.StepLR}: with lr 0.05, stepSize 30 and gamma 0.1 the lr is 0.05 for
 * epochs 0-29, 0.005 for 30-59, 0.0005 for 60-89, ... Chainable: at each multiple of stepSize the current
 * lr is multiplied by gamma, so changes made to it from outside carry on.
 */
public class StepLR extends LRScheduler {
    private int stepSize;
    private double gamma;

    /**
     * StepLR with gamma 0.1, starting now.
     *
     * @param optimizer the optimizer to drive
     * @param stepSize the period of the decay, in epochs
     */
    public StepLR(Optimizer optimizer, int stepSize) { this(optimizer, stepSize, 0.1, -1); }

    /**
     * StepLR starting now.
     *
     * @param optimizer the optimizer to drive
     * @param stepSize the period of the decay, in epochs
     * @param gamma the factor applied every stepSize epochs
     */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) { this(optimizer, stepSize, gamma, -1); }

    /**
     * StepLR, resumed after epoch lastEpoch (or starting, with -1).
     *
     * @param optimizer the optimizer to drive
     * @param stepSize the period of the decay, in epochs (positive)
     * @param gamma the factor applied every stepSize epochs
     * @param lastEpoch -1 to start, or the index of the last epoch when resuming
     */
    public StepLR(Optimizer optimizer, int stepSize, double gamma, int lastEpoch) {
        super(optimizer, lastEpoch);
        if (stepSize <= 0) throw new IllegalArgumentException("step_size must be positive, got " + stepSize);
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] getLr() {
        double[] lrs = groupLrs();
        if (lastEpoch == 0 || lastEpoch % stepSize != 0) return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] = lrs[i] * gamma;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = new double[baseLrs.length];
        double factor = Libm.pow(gamma, Math.floorDiv(lastEpoch, stepSize));
        for (int i = 0; i < lrs.length; i++) lrs[i] = baseLrs[i] * factor;
        return lrs;
    }

    @Override
    protected void saveSettings(Map<String, Object> sd) {
        sd.put("step_size", stepSize);
        sd.put("gamma", gamma);
    }

    @Override
    protected void loadSettings(Map<String, Object> sd) {
        stepSize = (int) number(sd, "step_size", stepSize);
        gamma = number(sd, "gamma", gamma);
    }

    /** @return the period of the decay, in epochs */
    public int stepSize() { return stepSize; }

    /** @return the factor applied every stepSize epochs */
    public double gamma() { return gamma; }
}

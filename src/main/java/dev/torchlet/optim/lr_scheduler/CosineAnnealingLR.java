package dev.torchlet.optim.lr_scheduler;

import dev.torchlet.backend.cpu.Libm;
import dev.torchlet.optim.Optimizer;
import java.util.Map;

/**
 * Anneals each group's lr along a cosine from its initial lr down to {@code etaMin} over {@code tMax}
 * epochs, PyTorch's {@code torch.optim.lr_scheduler.CosineAnnealingLR} (SGDR without restarts):
 * <pre>
 *   closed form:  lr(t) = etaMin + (initial_lr - etaMin) * (1 + cos(pi * t / tMax)) / 2
 *   chainable:    lr(t) = (1 + cos(pi * t / tMax)) / (1 + cos(pi * (t - 1) / tMax)) * (lr(t-1) - etaMin) + etaMin
 * </pre>
 * {@link #step()} uses PyTorch's chainable form, including its special case at
 * {@code (t - 1 - tMax) % (2 tMax) == 0}, where it adds {@code (initial_lr - etaMin) * (1 - cos(pi / tMax)) / 2};
 * past tMax the lr climbs back up the cosine (period 2 tMax), as in PyTorch. Cosines come from the C
 * library ({@link Libm#cos}), as Python's {@code math.cos} does, so the lrs are PyTorch's bit for bit.
 */
public class CosineAnnealingLR extends LRScheduler {
    private int tMax;
    private double etaMin;

    /**
     * CosineAnnealingLR down to 0, starting now.
     *
     * @param optimizer the optimizer to drive
     * @param tMax the number of epochs from the initial lr down to etaMin
     */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) { this(optimizer, tMax, 0.0, -1); }

    /**
     * CosineAnnealingLR starting now.
     *
     * @param optimizer the optimizer to drive
     * @param tMax the number of epochs from the initial lr down to etaMin
     * @param etaMin the lowest lr
     */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) { this(optimizer, tMax, etaMin, -1); }

    /**
     * CosineAnnealingLR, resumed after epoch lastEpoch (or starting, with -1). When resuming, the groups'
     * lrs are kept as they are (PyTorch 2.8's behaviour; 1.13 to 2.7 set them by the closed form here).
     *
     * @param optimizer the optimizer to drive
     * @param tMax the number of epochs from the initial lr down to etaMin (positive)
     * @param etaMin the lowest lr
     * @param lastEpoch -1 to start, or the index of the last epoch when resuming
     */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin, int lastEpoch) {
        super(optimizer, lastEpoch);
        if (tMax <= 0) throw new IllegalArgumentException("T_max must be positive, got " + tMax);
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    @Override
    protected double[] getLr() {
        double[] lrs = groupLrs();
        if (isInitial) return lrs;
        if (stepCount == 1 && lastEpoch > 0) return closedFormLr();
        if (Math.floorMod(lastEpoch - 1 - tMax, 2 * tMax) == 0) {
            for (int i = 0; i < lrs.length; i++) {
                lrs[i] = lrs[i] + (baseLrs[i] - etaMin) * (1 - Libm.cos(Math.PI / tMax)) / 2;
            }
            return lrs;
        }
        double ratio = (1 + Libm.cos(Math.PI * lastEpoch / tMax)) / (1 + Libm.cos(Math.PI * (lastEpoch - 1) / tMax));
        for (int i = 0; i < lrs.length; i++) lrs[i] = ratio * (lrs[i] - etaMin) + etaMin;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = new double[baseLrs.length];
        double c = 1 + Libm.cos(Math.PI * lastEpoch / tMax);
        for (int i = 0; i < lrs.length; i++) lrs[i] = etaMin + (baseLrs[i] - etaMin) * c / 2;
        return lrs;
    }

    @Override
    protected void saveSettings(Map<String, Object> sd) {
        sd.put("T_max", tMax);
        sd.put("eta_min", etaMin);
    }

    @Override
    protected void loadSettings(Map<String, Object> sd) {
        tMax = (int) number(sd, "T_max", tMax);
        etaMin = number(sd, "eta_min", etaMin);
    }

    /** @return the number of epochs from the initial lr down to etaMin */
    public int tMax() { return tMax; }

    /** @return the lowest lr */
    public double etaMin() { return etaMin; }
}

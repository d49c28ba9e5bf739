package dev.torchlet.optim.lr_scheduler;

import dev.torchlet.optim.Optimizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

/**
 * Sets each group's lr to its initial lr times a function of the epoch, PyTorch's
 * {@code torch.optim.lr_scheduler.LambdaLR}:
 * <pre>{@code
 * new LambdaLR(opt, epoch -> Math.min(1.0, (epoch + 1) / 10.0));        // linear warm-up over 10 epochs
 * new LambdaLR(opt, List.of(epoch -> epoch / 30, epoch -> Math.pow(0.95, epoch)));   // one per group
 * }</pre>
 * The lrs are PyTorch's bit for bit when the function computes the same doubles as the Python one: Java's
 * {@code Math.pow} and Python's {@code **} round differently now and then, {@link dev.torchlet.backend.cpu.Libm#pow}
 * rounds as Python does. The functions are not part of {@link #stateDict()} (its "lr_lambdas" holds a null for each, as PyTorch
 * does for plain functions): construct the scheduler with the same functions before loading a state.
 */
public class LambdaLR extends LRScheduler {
    private final List<IntToDoubleFunction> lrLambdas;

    /**
     * LambdaLR with one function for every group, starting now.
     *
     * @param optimizer the optimizer to drive
     * @param lrLambda the factor on the initial lr, given the epoch
     */
    public LambdaLR(Optimizer optimizer, IntToDoubleFunction lrLambda) { this(optimizer, lrLambda, -1); }

    /**
     * LambdaLR with one function for every group, resumed after epoch lastEpoch (or starting, with -1).
     *
     * @param optimizer the optimizer to drive
     * @param lrLambda the factor on the initial lr, given the epoch
     * @param lastEpoch -1 to start, or the index of the last epoch when resuming
     */
    public LambdaLR(Optimizer optimizer, IntToDoubleFunction lrLambda, int lastEpoch) {
        this(optimizer, Collections.nCopies(optimizer.paramGroups().size(), lrLambda), lastEpoch);
    }

    /**
     * LambdaLR with a function per group, starting now.
     *
     * @param optimizer the optimizer to drive
     * @param lrLambdas the factor on each group's initial lr, given the epoch, in group order
     * @throws IllegalArgumentException when there are not as many functions as groups
     */
    public LambdaLR(Optimizer optimizer, List<? extends IntToDoubleFunction> lrLambdas) { this(optimizer, lrLambdas, -1); }

    /**
     * LambdaLR with a function per group, resumed after epoch lastEpoch (or starting, with -1).
     *
     * @param optimizer the optimizer to drive
     * @param lrLambdas the factor on each group's initial lr, given the epoch, in group order
     * @param lastEpoch -1 to start, or the index of the last epoch when resuming
     * @throws IllegalArgumentException when there are not as many functions as groups
     */
    public LambdaLR(Optimizer optimizer, List<? extends IntToDoubleFunction> lrLambdas, int lastEpoch) {
        super(optimizer, lastEpoch);
        if (lrLambdas.size() != optimizer.paramGroups().size()) {
            throw new IllegalArgumentException("Expected " + optimizer.paramGroups().size() + " lr_lambdas, but got "
                    + lrLambdas.size());
        }
        this.lrLambdas = List.copyOf(lrLambdas);
        initialStep();
    }

    @Override
    protected double[] getLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) lrs[i] = baseLrs[i] * lrLambdas.get(i).applyAsDouble(lastEpoch);
        return lrs;
    }

    @Override
    protected void saveSettings(Map<String, Object> sd) {
        sd.put("lr_lambdas", new ArrayList<>(Collections.nCopies(lrLambdas.size(), null)));
    }
}

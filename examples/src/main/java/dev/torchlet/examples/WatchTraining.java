package dev.torchlet.examples;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.nn.Linear;
import dev.torchlet.nn.MSELoss;
import dev.torchlet.nn.Module;
import dev.torchlet.nn.Sequential;
import dev.torchlet.nn.Tanh;
import dev.torchlet.optim.Optimizer;
import dev.torchlet.optim.SGD;
import dev.torchlet.optim.lr_scheduler.CosineAnnealingLR;
import dev.torchlet.optim.lr_scheduler.LRScheduler;
import dev.torchlet.utils.LossChart;
import dev.torchlet.utils.MetricsLog;
import dev.torchlet.utils.Progress;
import java.nio.file.Path;

/**
 * Training you can watch: a small network learns sin(x) on [-pi, pi] in mini-batches, with a cosine
 * learning-rate schedule, a progress bar, a CSV of the loss and lr at every step, and PNG charts of both.
 *
 * <pre>mvn -q -f examples/pom.xml compile exec:java -Ddemo=dev.torchlet.examples.WatchTraining [-Dexec.args=OUT_DIR]</pre>
 * writes OUT_DIR/metrics.csv, OUT_DIR/loss.png and OUT_DIR/lr.png (OUT_DIR defaults to target/watch).
 * {@code -Dtorchlet.progress=false} silences the bar.
 */
public final class WatchTraining {
    private WatchTraining() {}

    /**
     * Trains, logs and draws.
     *
     * @param args an optional output folder
     */
    public static void main(String[] args) {
        Path outDir = Path.of(args.length > 0 ? args[0] : "target/watch");
        int epochs = 20, batch = 50, n = 1000, stepsPerEpoch = n / batch;

        Torch.manualSeed(0);
        Tensor x = Torch.rand(n, 1).mul(2 * Math.PI).sub(Math.PI);     // random order: batches are slices
        Tensor y = x.sin();
        Module model = new Sequential(new Linear(1, 32), new Tanh(), new Linear(32, 1));
        Optimizer opt = new SGD(model.parameters(), 0.1, 0.9);
        LRScheduler sched = new CosineAnnealingLR(opt, epochs * stepsPerEpoch, 1e-3);   // stepped every batch
        MSELoss mse = new MSELoss();

        double last = Double.NaN;
        try (MetricsLog log = MetricsLog.create(outDir.resolve("metrics.csv"), "loss", "lr");
             Progress bar = new Progress(epochs, stepsPerEpoch)) {
            long step = 0;
            for (int epoch = 0; epoch < epochs; epoch++) {
                for (int b = 0; b < stepsPerEpoch; b++) {
                    Tensor xb = x.narrow(0, (long) b * batch, batch), yb = y.narrow(0, (long) b * batch, batch);
                    Tensor loss = mse.forward(model.forward(xb), yb);
                    opt.zeroGrad();
                    loss.backward();
                    opt.step();
                    double lr = sched.getLastLr().get(0);   // the lr this step used
                    sched.step();
                    last = loss.item();
                    log.log(++step, epoch, last, lr);
                    bar.set("lr", lr);
                    bar.step(last);
                }
            }
            new LossChart().title("sin(x) fit: training loss").yLabel("MSE").logY(true).add(log, "loss")
                    .save(outDir.resolve("loss.png"));
            new LossChart().title("CosineAnnealingLR").yLabel("lr").add(log, "lr").save(outDir.resolve("lr.png"));
        }
        System.out.printf("final loss %.5f; wrote %s, %s and %s%n", last, outDir.resolve("metrics.csv"),
                outDir.resolve("loss.png"), outDir.resolve("lr.png"));
    }
}

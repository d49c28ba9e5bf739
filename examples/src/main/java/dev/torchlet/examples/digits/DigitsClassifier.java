package dev.torchlet.examples.digits;

import dev.torchlet.Generator;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.data.DataLoader;
import dev.torchlet.data.Dataset;
import dev.torchlet.data.Digits;
import dev.torchlet.data.Subset;
import dev.torchlet.data.TensorDataset;
import dev.torchlet.nn.CrossEntropyLoss;
import dev.torchlet.nn.Linear;
import dev.torchlet.nn.ReLU;
import dev.torchlet.nn.Sequential;
import dev.torchlet.optim.Adam;
import dev.torchlet.optim.Optimizer;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Classifies the handwritten digits shipped with torchlet ({@link Digits}: 1,797 images of 8×8 pixels):
 * an MLP 64 → 128 → ReLU → 10 trained with {@link CrossEntropyLoss} and Adam on minibatches of 32 from a
 * shuffling {@link DataLoader} (loading two batches ahead on a background thread), on a random 80/20 split
 * ({@link Dataset#randomSplit}), for 30 epochs (learning rate 3e-3, then 3e-4 from epoch 21); it prints the
 * training loss and the held-out accuracy after each epoch.
 *
 * <p>Run it with {@code mvn -q -f examples/pom.xml compile exec:java -Ddemo=dev.torchlet.examples.digits.DigitsClassifier}.
 * It reaches a held-out accuracy of about 0.978 (351 of 359), what a standard MLP reaches on this split:
 * scikit-learn's {@code MLPClassifier()} (100 hidden units, Adam, 500 iterations) gets 0.969 to 0.978,
 * 0.975 on average over ten seeds. The same program in PyTorch, which draws the same random numbers
 * (weights, split, shuffles), prints the same losses and accuracies up to float rounding:
 *
 * <pre>
 * d = load_digits()
 * X = torch.tensor(d.data, dtype=torch.float32) / 16.0
 * y = torch.tensor(d.target)
 * torch.manual_seed(0)
 * train, test = random_split(TensorDataset(X, y), [0.8, 0.2], generator=torch.Generator().manual_seed(0))
 * model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
 * opt = torch.optim.Adam(model.parameters(), lr=3e-3)
 * loss_fn = nn.CrossEntropyLoss()
 * loader = DataLoader(train, batch_size=32, shuffle=True)
 * test_loader = DataLoader(test, batch_size=256)
 * for epoch in range(1, 31):
 *     if epoch == 21:
 *         for group in opt.param_groups: group['lr'] = 3e-4
 *     total = 0.0
 *     for xb, yb in loader:
 *         loss = loss_fn(model(xb), yb)
 *         opt.zero_grad(); loss.backward(); opt.step()
 *         total += loss.item() * len(xb)
 *     correct = 0
 *     with torch.no_grad():
 *         for xb, yb in test_loader:
 *             correct += (model(xb).argmax(1) == yb).sum().item()
 *     print(f"epoch {epoch:2d}  train loss {total / len(train):.4f}  test accuracy {correct / len(test):.4f}")
 * # epoch  1  train loss 1.5088  test accuracy 0.8774
 * # ...
 * # epoch 30  train loss 0.0173  test accuracy 0.9777
 * </pre>
 */
public final class DigitsClassifier {
    private DigitsClassifier() {}

    /** Epochs trained. */
    public static final int EPOCHS = 30;

    /** Trains and prints each epoch's loss and held-out accuracy. */
    public static void main(String[] args) {
        train(System.out);
    }

    /** What a training run reached. */
    public record Result(double[] trainLoss, double[] testAccuracy, int testSize) {
        /** The held-out accuracy after the last epoch. */
        public double finalAccuracy() { return testAccuracy[testAccuracy.length - 1]; }
    }

    /** Trains the classifier, printing one line per epoch to out; returns the losses and accuracies. */
    public static Result train(PrintStream out) {
        Digits digits = Digits.load();
        TensorDataset all = new TensorDataset(digits.data().div(16.0), digits.target());
        Torch.manualSeed(0);
        List<Subset<List<Tensor>>> split = Dataset.randomSplit(all, new double[] {0.8, 0.2}, new Generator().manualSeed(0));
        Subset<List<Tensor>> train = split.get(0), test = split.get(1);

        Sequential model = new Sequential(new Linear(64, 128), new ReLU(), new Linear(128, 10));
        Optimizer optimizer = new Adam(model.parameters(), 3e-3);
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        DataLoader<List<Tensor>> loader = DataLoader.builder(train).batchSize(32).shuffle(true).prefetch(2).build();
        DataLoader<List<Tensor>> testLoader = DataLoader.builder(test).batchSize(256).build();

        double[] losses = new double[EPOCHS], accuracies = new double[EPOCHS];
        for (int epoch = 1; epoch <= EPOCHS; epoch++) {
            if (epoch == 21) {
                for (Optimizer.ParamGroup group : optimizer.paramGroups()) group.setLr(3e-4);
            }
            double total = 0;
            for (List<Tensor> batch : loader) {
                try (var scope = Torch.scope()) {   // frees this step's temporaries at once
                    Tensor x = batch.get(0), y = batch.get(1);
                    Tensor loss = lossFn.forward(model.forward(x), y);
                    optimizer.zeroGrad();
                    loss.backward();
                    optimizer.step();
                    total += loss.item() * x.size(0);
                }
            }
            long correct = 0;
            try (var noGrad = Torch.noGrad()) {
                for (List<Tensor> batch : testLoader) {
                    try (var scope = Torch.scope()) {
                        Tensor predicted = model.forward(batch.get(0)).argmax(1);
                        correct += predicted.eq(batch.get(1)).sum().toLongArray()[0];
                    }
                }
            }
            losses[epoch - 1] = total / train.size();
            accuracies[epoch - 1] = (double) correct / test.size();
            out.println(String.format(Locale.ROOT, "epoch %2d  train loss %.4f  test accuracy %.4f",
                    epoch, losses[epoch - 1], accuracies[epoch - 1]));
        }
        return new Result(losses, accuracies, test.size());
    }
}

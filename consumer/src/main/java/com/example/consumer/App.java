package com.example.consumer;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.Loader;

/**
 * A user's program, built against dev.torchlet:torchlet-platform alone: trains an MLP on the handwritten
 * digits shipped inside the torchlet jar, saves and reloads the weights, and checks the held-out accuracy.
 * Exits 1 when the model did not learn. Last, it lists the native libraries JavaCPP loaded and where from:
 * files it extracted from the jars into its cache, nothing from the system.
 */
public final class App {
    public static void main(String[] args) throws Exception {
        Digits digits = Digits.load();
        TensorDataset all = new TensorDataset(digits.data().div(16.0), digits.target());
        Torch.manualSeed(0);
        List<Subset<List<Tensor>>> split = Dataset.randomSplit(all, new double[] {0.8, 0.2}, new Generator().manualSeed(0));
        DataLoader<List<Tensor>> train = DataLoader.builder(split.get(0)).batchSize(32).shuffle(true).build();
        DataLoader<List<Tensor>> test = DataLoader.builder(split.get(1)).batchSize(256).build();

        Sequential model = new Sequential(new Linear(64, 64), new ReLU(), new Linear(64, 10));
        Optimizer opt = new Adam(model.parameters(), 3e-3);
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        for (int epoch = 1; epoch <= 5; epoch++) {
            double total = 0;
            for (List<Tensor> batch : train) {
                try (var scope = Torch.scope()) {
                    Tensor loss = lossFn.forward(model.forward(batch.get(0)), batch.get(1));
                    opt.zeroGrad();
                    loss.backward();
                    opt.step();
                    total += loss.item() * batch.get(0).size(0);
                }
            }
            System.out.println(String.format(Locale.ROOT, "epoch %d  train loss %.4f", epoch, total / split.get(0).size()));
        }

        Path weights = Files.createTempFile("consumer", ".safetensors");
        Torch.save(model.stateDict(), weights);
        Sequential restored = new Sequential(new Linear(64, 64), new ReLU(), new Linear(64, 10));
        restored.loadStateDict(Torch.load(weights));
        Files.delete(weights);

        long correct = 0;
        try (var noGrad = Torch.noGrad()) {
            for (List<Tensor> batch : test) {
                correct += restored.forward(batch.get(0)).argmax(1).eq(batch.get(1)).sum().toLongArray()[0];
            }
        }
        double accuracy = (double) correct / split.get(1).size();
        System.out.println(String.format(Locale.ROOT, "test accuracy %.4f (%d of %d), weights saved and reloaded",
                accuracy, correct, split.get(1).size()));

        System.out.println("natives loaded by JavaCPP from " + Loader.getCacheDir() + ":");
        for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
            System.out.println("  " + e.getKey() + " -> " + e.getValue());
        }
        if (accuracy < 0.9) {
            System.err.println("the model did not learn: accuracy " + accuracy);
            System.exit(1);
        }
    }
}

package dev.torchlet.examples.seed002;

import dev.torchlet.Generator;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;

/**
 * Seed 002, "Pytorch Random Seed" and "Data" (In [2] - In [5]): the seed, whose generator the cell shows, and
 * the training data, input and output apart.
 */
public final class P01Data {
    public static void main(String[] args) {
        // In [2]: torch.manual_seed(1) (the cell shows the generator it returns; its address varies)
        Generator generator = Setup.seed();
        System.out.println(Setup.ipythonDefaultRepr("torch._C.Generator", generator));

        // In [3]
        Tensor xTrain = Torch.tensor(new float[][] {{1}, {2}, {3}}); // torch.FloatTensor([[1],[2],[3]])
        Tensor yTrain = Torch.tensor(new float[][] {{1}, {2}, {3}});

        // In [4]
        System.out.println(xTrain);
        System.out.println(xTrain.shape());

        // In [5]
        System.out.println(yTrain);
        System.out.println(yTrain.shape());
    }
}

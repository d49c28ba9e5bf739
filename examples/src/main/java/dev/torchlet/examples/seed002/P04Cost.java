package dev.torchlet.examples.seed002;

import dev.torchlet.Tensor;

/** Seed 002, "Cost" (In [9] - In [11]): the mean squared error, step by step. */
public final class P04Cost {
    public static void main(String[] args) {
        Setup.Manual m = Setup.manual(); // the data, W, b and hypothesis of In [3] - In [8], silently
        Tensor hypothesis = m.hypothesis(), yTrain = m.data().yTrain();

        // In [9]
        System.out.println(hypothesis.sub(yTrain));

        // In [10]
        System.out.println(hypothesis.sub(yTrain).pow(2));

        // In [11]
        Tensor cost = hypothesis.sub(yTrain).pow(2).mean(); // torch.mean: 평균으로 계산
        System.out.println(cost);
    }
}

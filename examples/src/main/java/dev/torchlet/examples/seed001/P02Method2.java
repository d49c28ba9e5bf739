package dev.torchlet.examples.seed001;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.nn.Linear;

/**
 * Seed 001, "step1~2 요약", 방법2: the model as {@code torch.nn.Linear(2, 1, bias=False)}, the loss written out.
 */
public final class P02Method2 {
    public static void main(String[] args) {
        Setup.Data d = Setup.data(); // the "Data" cell (seed 202150754), silently
        Tensor X = d.X(), y = d.y();
        Linear net2 = new Linear(2, 1, false);
        net2.weight().setData(Torch.tensor(new float[][] {{-5.0f, 10.0f}})); // net2.weight.data = ...
        Tensor yhat2 = net2.forward(X);
        Tensor loss2 = y.reshape(100, 1).sub(yhat2).pow(2).mean();
        System.out.println(loss2); // loss2
    }
}

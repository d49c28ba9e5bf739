package dev.torchlet.examples.seed001;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.nn.Linear;

/**
 * Seed 001, "step1~2 요약", 방법3: the model as {@code torch.nn.Linear(1, 1, bias=True)} on x, the loss written out. The
 * notebook assigns the bias a [1, 1] tensor ({@code torch.tensor([[-5.0]])}), so the bias is [1, 1] from here on.
 */
public final class P03Method3 {
    public static void main(String[] args) {
        Setup.Data d = Setup.data(); // the "Data" cell (seed 202150754), silently
        Tensor x = d.x(), y = d.y();
        Linear net3 = new Linear(1, 1, true);
        net3.weight().setData(Torch.tensor(new float[][] {{10.0f}}));
        net3.bias().setData(Torch.tensor(new float[][] {{-5.0f}}));
        Tensor yhat3 = net3.forward(x.reshape(100, 1));
        Tensor loss3 = y.reshape(100, 1).sub(yhat3).pow(2).mean();
        System.out.println(loss3); // loss3
    }
}

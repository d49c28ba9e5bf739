package dev.torchlet.examples.seed001;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.nn.Linear;
import dev.torchlet.nn.MSELoss;

/**
 * Seed 001, "step1~2 요약", 방법6: the model as {@code torch.nn.Linear(1, 1, bias=True)} on x (a [1, 1] bias again), the loss
 * as {@code torch.nn.MSELoss()}.
 */
public final class P06Method6 {
    public static void main(String[] args) {
        Setup.Data d = Setup.data(); // the "Data" cell (seed 202150754), silently
        Tensor x = d.x(), y = d.y();
        Linear net6 = new Linear(1, 1, true);
        net6.weight().setData(Torch.tensor(new float[][] {{10.0f}}));
        net6.bias().setData(Torch.tensor(new float[][] {{-5.0f}}));
        Tensor yhat6 = net6.forward(x.reshape(100, 1));
        MSELoss lossfn = new MSELoss(); // made in 방법4
        Tensor loss6 = lossfn.forward(y.reshape(100, 1), yhat6);
        System.out.println(loss6); // loss6
    }
}

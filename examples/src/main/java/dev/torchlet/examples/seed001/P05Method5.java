package dev.torchlet.examples.seed001;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.nn.Linear;
import dev.torchlet.nn.MSELoss;

/**
 * Seed 001, "step1~2 요약", 방법5: the model as {@code torch.nn.Linear(2, 1, bias=False)}, the loss as {@code torch.nn.MSELoss()}.
 */
public final class P05Method5 {
    public static void main(String[] args) {
        Setup.Data d = Setup.data(); // the "Data" cell (seed 202150754), silently
        Tensor X = d.X(), y = d.y();
        Linear net5 = new Linear(2, 1, false);
        net5.weight().setData(Torch.tensor(new float[][] {{-5.0f, 10.0f}}));
        Tensor yhat5 = net5.forward(X);
        MSELoss lossfn = new MSELoss(); // made in 방법4 (the notebook comments out its own "lossfn=...")
        Tensor loss5 = lossfn.forward(y.reshape(100, 1), yhat5);
        System.out.println(loss5); // loss5
    }
}

package dev.torchlet.examples.seed001;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.nn.MSELoss;

/**
 * Seed 001, "step1~2 요약", 방법4: the model written out, the loss as {@code torch.nn.MSELoss()}.
 */
public final class P04Method4 {
    public static void main(String[] args) {
        Setup.Data d = Setup.data(); // the "Data" cell (seed 202150754), silently
        Tensor X = d.X(), y = d.y();
        Tensor what4 = Torch.tensor(-5.0f, 10.0f).requiresGrad_();
        Tensor yhat4 = X.matmul(what4);
        MSELoss lossfn = new MSELoss();
        Tensor loss4 = lossfn.forward(y, yhat4);
        System.out.println(loss4); // loss4
    }
}

package dev.torchlet.examples.seed000;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.nn.Linear;
import dev.torchlet.nn.MSELoss;

/**
 * Seed 000's last part: two regressors, y_i = 2.5 + 4 x_{1i} - 2 x_{2i} + e_i, with its own seed, a
 * Linear(3, 1) without bias and MSELoss.
 *
 * <p>The last loss differs from the notebook's: it printed 24.9339, which is this yhat against the first
 * part's y (the notebook's y had not been redrawn when the loss cell ran); in order, y is this part's y and
 * the loss is 14.1640. Both losses broadcast y [100] against yhat [100, 1] (MSELoss warns on stderr).
 */
public final class P07MultipleRegression {
    public static void main(String[] args) {
        Torch.manualSeed(202150754);
        long n = 100;
        Tensor ones = Torch.ones(n);
        Tensor x1 = Torch.randn(n).sort().values();
        Tensor x2 = Torch.randn(n).sort().values();
        Tensor X = Torch.vstack(ones, x1, x2).t();
        Tensor W = Torch.tensor(2.5f, 4.0f, -2.0f);
        Tensor eps = Torch.randn(n).mul(0.5);
        Tensor y = X.matmul(W).add(eps);
        Tensor ytrue = X.matmul(W);

        Linear net = new Linear(3, 1, false);
        System.out.println(net.weight().detach());       // net.weight.data
        net.weight().setData(Torch.tensor(new float[][] {{2.5f, 5.0f, -2.0f}}));
        System.out.println(net.weight().detach());       // net.weight.data
        System.out.println(net.forward(X));              // net(X)
        Tensor yhat = net.forward(X);

        MSELoss lossfn = new MSELoss();
        Tensor loss = lossfn.forward(y, yhat);           // loss=lossfn(y,yhat): [100] against [100, 1]
        System.out.println(loss);
    }
}

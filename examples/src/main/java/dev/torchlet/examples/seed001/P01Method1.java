package dev.torchlet.examples.seed001;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;

/**
 * Seed 001, "step1~2 요약", 방법1: the model written out ({@code X@What1}) and the loss written out (the mean of squares).
 */
public final class P01Method1 {
    public static void main(String[] args) {
        Setup.Data d = Setup.data(); // the "Data" cell (seed 202150754), silently
        Tensor X = d.X(), y = d.y();
        Tensor what1 = Torch.tensor(-5.0f, 10.0f).requiresGrad_();
        Tensor yhat1 = X.matmul(what1);
        Tensor loss1 = y.sub(yhat1).pow(2).mean();
        System.out.println(loss1); // loss1
    }
}

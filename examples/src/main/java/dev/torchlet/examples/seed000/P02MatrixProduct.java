package dev.torchlet.examples.seed000;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;

/** Seed 000, step 1 (yhat), "방법1: 직접선언_직접 곱하는 것": yhat = X @ What with What declared by hand. */
public final class P02MatrixProduct {
    public static void main(String[] args) {
        Data d = Data.regression();
        Tensor what = Torch.tensor(-5.0f, 10.0f).requiresGrad_();
        Tensor yhat1 = d.X.matmul(what);
        System.out.println(yhat1);                       // yhat1
    }
}

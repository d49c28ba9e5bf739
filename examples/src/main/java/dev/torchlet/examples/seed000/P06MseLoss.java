package dev.torchlet.examples.seed000;

import dev.torchlet.Tensor;
import dev.torchlet.nn.MSELoss;

/**
 * Seed 000, step 2, "방법2: torch.nn.MSELoss()를 사용하여 손실함수를 정의하는 방법". The notebook's
 * {@code torch.nn.MSELoss??} (IPython's source listing) is help, not program output: skipped.
 */
public final class P06MseLoss {
    public static void main(String[] args) {
        Data d = Data.regression();
        Tensor yhat1 = d.yhat1();
        Tensor yhat2 = d.yhat2();

        MSELoss lossfn = new MSELoss();
        Tensor loss = lossfn.forward(d.y, yhat1);        // lossfn(y,yhat1)
        System.out.println(loss);
        loss = lossfn.forward(d.y.reshape(100, 1), yhat2); // lossfn(y.reshape(100,1),yhat2)
        System.out.println(loss);
    }
}

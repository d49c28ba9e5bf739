package dev.torchlet.examples.seed000;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.nn.Linear;

/**
 * Seed 000, step 1, "방법2: torch.nn.Linear() 사용": a Linear(2, 1) without bias on X = [1, x]; the column of
 * ones plays the bias. Its initial weight is the generator's next draw after the data (seeded, so fixed).
 * The notebook's {@code torch.nn.Linear??} (IPython's source listing) is help, not program output: skipped.
 */
public final class P03LinearNoBias {
    public static void main(String[] args) {
        Data d = Data.regression();
        Linear net = new Linear(2, 1, false);
        System.out.println(net.weight().detach());       // net.weight.data
        net.weight().setData(Torch.tensor(new float[][] {{-5.0f, 10.0f}}));
        System.out.println(net.weight().detach());       // net.weight.data
        System.out.println(net.forward(d.X));            // net(X)
        Tensor yhat2 = net.forward(d.X);
    }
}

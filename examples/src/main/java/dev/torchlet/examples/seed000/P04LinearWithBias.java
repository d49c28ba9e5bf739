package dev.torchlet.examples.seed000;

import dev.torchlet.Torch;
import dev.torchlet.nn.Linear;

/**
 * Seed 000, step 1, "방법3: torch.nn.Linear()사용, bias=True": a Linear(1, 1) with bias on x itself. Its
 * initial weight follows method 2's layer on the generator, so method 2's layer is made first, silently.
 */
public final class P04LinearWithBias {
    public static void main(String[] args) {
        Data d = Data.regression();
        d.yhat2();                                       // method 2's Linear(2, 1) draws first
        Linear net = new Linear(1, 1, true);
        System.out.println(net.weight().detach());       // net.weight.data
        net.weight().setData(Torch.tensor(new float[][] {{10.0f}}));
        net.bias().setData(Torch.tensor(-5.0f));
        System.out.println(Data.tuple(net.weight(), net.bias())); // net.weight,net.bias
        System.out.println(net.forward(d.x.reshape(100, 1)));     // net(x.reshape(100,1))
    }
}

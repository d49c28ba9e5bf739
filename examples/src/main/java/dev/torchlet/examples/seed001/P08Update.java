package dev.torchlet.examples.seed001;

import dev.torchlet.Tensor;
import dev.torchlet.nn.Linear;
import dev.torchlet.optim.SGD;

/**
 * Seed 001, "step4: update": one gradient step of size 0.1 for each of the six ways, by hand
 * ({@code What.data = What.data - lr*What.grad.data}) for 방법1 and 방법4, with {@code torch.optim.SGD} for the
 * nn.Linear ones. {@code t.data} is {@code t.detach()} here (the same values, no autograd), and assigning it is
 * {@code t.setData(...)}.
 */
public final class P08Update {
    public static void main(String[] args) {
        Setup.Methods m = Setup.derived(); // the data, step1~2 and step3, silently

        Tensor what1 = m.what1();
        System.out.println(what1.detach()); // What1.data ## update 전
        double lr = 0.1; // learning rate
        what1.setData(what1.detach().sub(what1.grad().detach().mul(lr))); // What1.data = What1.data - lr*What1.grad.data
        System.out.println(what1); // What1

        Linear net2 = m.net2();
        System.out.println(net2.weight().detach()); // net2.weight.data
        SGD optmz2 = new SGD(net2.parameters(), 0.1);
        System.out.println(Setup.list(net2.parameters())); // list(net2.parameters())
        optmz2.step(); // update
        System.out.println(net2.weight().detach()); // net2.weight.data ## update 후

        Linear net3 = m.net3();
        System.out.println(Setup.tuple(net3.bias().detach(), net3.weight().detach())); // net3.bias.data,net3.weight.data
        SGD optmz3 = new SGD(net3.parameters(), 0.1);
        optmz3.step();
        System.out.println(Setup.tuple(net3.bias().detach(), net3.weight().detach()));
        System.out.println(Setup.list(net3.parameters())); // list(net3.parameters())

        Tensor what4 = m.what4();
        System.out.println(what4.detach()); // What4.data ## update 전
        lr = 0.1;
        what4.setData(what4.detach().sub(what4.grad().detach().mul(lr))); // What4.data = What4.data - lr*What4.grad.data
        System.out.println(what4); // What4

        Linear net5 = m.net5();
        System.out.println(net5.weight().detach()); // net5.weight.data
        SGD optmz5 = new SGD(net5.parameters(), 0.1);
        optmz5.step(); // update
        System.out.println(net5.weight().detach()); // net5.weight.data ## update 후

        Linear net6 = m.net6();
        System.out.println(Setup.tuple(net6.bias().detach(), net6.weight().detach())); // net6.bias.data,net6.weight.data
        SGD optmz6 = new SGD(net6.parameters(), 0.1);
        optmz6.step();
        System.out.println(Setup.tuple(net6.bias().detach(), net6.weight().detach()));
    }
}

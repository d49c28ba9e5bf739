package dev.torchlet.examples.seed001;

/**
 * Seed 001, "step3: derivation": each of the six losses of 방법1 ... 방법6 is differentiated, and each cell shows
 * the gradients ({@code What1.grad.data}, {@code net2.weight.grad}, {@code (net3.bias.grad, net3.weight.grad)},
 * ...). {@code .data} of a gradient shows the same as the gradient.
 */
public final class P07Derivation {
    public static void main(String[] args) {
        Setup.Methods m = Setup.methods(); // the data and the six cells of step1~2, silently

        m.loss1().backward();
        System.out.println(m.what1().grad()); // What1.grad.data

        m.loss2().backward();
        System.out.println(m.net2().weight().grad()); // net2.weight.grad

        m.loss3().backward();
        System.out.println(Setup.tuple(m.net3().bias().grad(), m.net3().weight().grad())); // net3.bias.grad,net3.weight.grad

        m.loss4().backward();
        System.out.println(m.what4().grad()); // What4.grad.data

        m.loss5().backward();
        System.out.println(m.net5().weight().grad()); // net5.weight.grad

        m.loss6().backward();
        System.out.println(Setup.tuple(m.net6().bias().grad(), m.net6().weight().grad())); // net6.bias.grad,net6.weight.grad
    }
}

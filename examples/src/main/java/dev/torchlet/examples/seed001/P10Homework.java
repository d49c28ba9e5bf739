package dev.torchlet.examples.seed001;

import dev.torchlet.Tensor;
import dev.torchlet.nn.Linear;
import dev.torchlet.nn.MSELoss;
import dev.torchlet.optim.SGD;

/**
 * Seed 001, "숙제" (homework): the training loop of P09Training without {@code optmz.zero_grad()}, so each step
 * uses the sum of all gradients so far. That sum makes the weights circle around the least-squares fit instead
 * of settling on it (the error obeys s(t+1) = (2 - lr h) s(t) - s(t-1), whose roots lie on the unit circle for
 * 0 < lr h < 4), so where they are after 100 epochs depends on where they started: the next draws of the
 * notebook's stream, after the four nn.Linear of step1~2 and the one of P09Training.
 */
public final class P10Homework {
    public static void main(String[] args) {
        Setup.Data d = Setup.derived().data(); // the data and steps 1 to 3, silently
        new Linear(2, 1, false); // P09Training's net: only its draws from the stream matter here
        Tensor X = d.X(), y = d.y();

        Linear net = new Linear(2, 1, false); // 모형정의
        SGD optmz = new SGD(net.parameters(), 0.1);
        MSELoss mseloss = new MSELoss();
        for (int epoc = 0; epoc < 100; epoc++) {
            // step1: yhat
            Tensor yhat = net.forward(X); // yhat 계산
            // step2: loss
            Tensor loss = mseloss.forward(y.reshape(100, 1), yhat);
            // step3: derivation
            loss.backward();
            // step4: update
            optmz.step();
        }
        System.out.println(Setup.list(net.parameters())); // list(net.parameters())
    }
}

package dev.torchlet.examples.seed001;

import dev.torchlet.Tensor;
import dev.torchlet.nn.Linear;
import dev.torchlet.nn.MSELoss;
import dev.torchlet.optim.SGD;

/**
 * Seed 001, "step1~4를 반복하면된다": 100 epochs of yhat, loss, backward, SGD step (lr 0.1) and zero_grad on
 * {@code torch.nn.Linear(2, 1, bias=False)}, then the learned weights. The net's initial weights are the next
 * draws of the notebook's stream, after the four nn.Linear of step1~2; 100 steps bring it to the least-squares
 * fit, whatever it started from.
 */
public final class P09Training {
    public static void main(String[] args) {
        Setup.Data d = Setup.derived().data(); // the data and steps 1 to 3, silently (step4 draws nothing)
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
            optmz.zeroGrad(); // 누적되는 기울기값 방지
        }
        System.out.println(Setup.list(net.parameters())); // list(net.parameters())
    }
}

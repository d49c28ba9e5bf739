package dev.torchlet.examples.seed002;

import dev.torchlet.PyFormat;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.optim.Optimizer;
import dev.torchlet.optim.SGD;
import java.util.List;

/**
 * Seed 002, "Training with Full Code" and "tensor.item()" (In [16] - In [17]): 1000 epochs of SGD (lr 0.01) on
 * W, b from zeros, a log line every 100 epochs, then W and W.item().
 */
public final class P06TrainingFullCode {
    public static void main(String[] args) {
        // In [16]
        // 데이터
        Tensor xTrain = Torch.tensor(new float[][] {{1}, {2}, {3}});
        Tensor yTrain = Torch.tensor(new float[][] {{1}, {2}, {3}});
        // 모델 초기화
        Tensor W = Torch.zeros(1).requiresGrad_();
        Tensor b = Torch.zeros(1).requiresGrad_();
        // Optimizer 설정
        Optimizer optimizer = new SGD(List.of(W, b), 0.01);

        int nbEpochs = 1000;
        for (int epoch = 0; epoch < nbEpochs + 1; epoch++) {
            // H(x) 계산
            Tensor hypothesis = xTrain.mul(W).add(b);
            // cost 계산
            Tensor cost = hypothesis.sub(yTrain).pow(2).mean();
            // cost로 H(x) 개선
            optimizer.zeroGrad();
            cost.backward();
            optimizer.step();
            // 100번마다 로그 출력
            if (epoch % 100 == 0) {
                // 'Epoch {:4d}/{} W: {:.3f} Cost: {:.6f}'.format(epoch, nb_epochs, W.item(), b.item(), cost.item()):
                // four fields for five values, so "Cost:" shows b.item() and cost.item() goes unused
                System.out.println("Epoch " + String.format("%4d", epoch) + "/" + nbEpochs + " W: "
                        + PyFormat.fixed(W.item(), 3) + " Cost: " + PyFormat.fixed(b.item(), 6));
            }
        }

        // In [17]
        System.out.println(W);
        System.out.println(PyFormat.repr(W.item()));
    }
}

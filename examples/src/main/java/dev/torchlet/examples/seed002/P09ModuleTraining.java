package dev.torchlet.examples.seed002;

import dev.torchlet.PyFormat;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.nn.F;
import dev.torchlet.nn.Parameter;
import dev.torchlet.optim.Optimizer;
import dev.torchlet.optim.SGD;
import java.util.List;

/**
 * Seed 002, the nn.Module part's "Training with Full Code" (In [27]): a second LinearRegressionModel, whose
 * initial weight and bias are the draws after the first model's, trained 1000 epochs with SGD (lr 0.01).
 */
public final class P09ModuleTraining {
    public static void main(String[] args) {
        Setup.moduleStepped(); // In [2] - In [26], silently: the first model drew its weights from the stream

        // In [27]
        // 데이터
        Tensor xTrain = Torch.tensor(new float[][] {{1}, {2}, {3}});
        Tensor yTrain = Torch.tensor(new float[][] {{1}, {2}, {3}});
        // 모델 초기화
        LinearRegressionModel model = new LinearRegressionModel();
        // optimizer 설정
        Optimizer optimizer = new SGD(model.parameters(), 0.01);

        int nbEpochs = 1000;
        for (int epoch = 0; epoch < nbEpochs + 1; epoch++) {
            // H(x) 계산
            Tensor prediction = model.forward(xTrain);
            // Cost 계산
            Tensor cost = F.mseLoss(prediction, yTrain);
            // cost로 H(x) 개선
            optimizer.zeroGrad();
            cost.backward();
            optimizer.step();
            // 100번마다 로그 출력
            if (epoch % 100 == 0) {
                List<Parameter> params = model.parameters();
                double W = params.get(0).item();
                double b = params.get(1).item();
                System.out.println("Epoch " + String.format("%4d", epoch) + "/" + nbEpochs + " W: "
                        + PyFormat.fixed(W, 3) + ", b: " + PyFormat.fixed(b, 3) + " Cost: "
                        + PyFormat.fixed(cost.item(), 6));
            }
        }
    }
}

package dev.torchlet.examples.seed003;

import dev.torchlet.PyFormat;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.nn.Flatten;
import dev.torchlet.nn.Linear;
import dev.torchlet.nn.MSELoss;
import dev.torchlet.nn.Reduction;
import dev.torchlet.nn.Sequential;
import dev.torchlet.optim.Optimizer;
import dev.torchlet.optim.RMSprop;

/**
 * Seed 003, In [8] ("optim에서 제공하는 최적화 함수를 사용해 모델 최적화"): the nn model of In [7], updated by
 * {@code torch.optim.RMSprop(model.parameters(), lr=1e-3)}. The Linear layer's weights are drawn without a
 * seed, as in the notebook.
 */
public final class P05OptimRmsprop {
    public static void main(String[] args) {
        // 입력값과 출력값을 갖는 텐서들을 생성합니다.
        Tensor x = Torch.linspace(-Math.PI, Math.PI, 2000);
        Tensor y = x.sin();

        // 입력 텐서 (x, x^2, x^3)를 준비합니다.
        Tensor p = Torch.tensor(1, 2, 3);
        Tensor xx = x.unsqueeze(-1).pow(p);

        // nn 패키지를 사용하여 모델과 손실 함수를 정의합니다.
        Sequential model = new Sequential(
                new Linear(3, 1),
                new Flatten(0, 1));
        MSELoss lossFn = new MSELoss(Reduction.SUM);

        // optim 패키지를 사용하여 모델의 가중치를 갱신할 optimizer를 정의합니다 (RMSprop).
        double learningRate = 1e-3;
        Optimizer optimizer = new RMSprop(model.parameters(), learningRate);
        for (int t = 0; t < 2000; t++) {
            // 순전파 단계: 모델에 x를 전달하여 예측값 y를 계산합니다.
            Tensor yPred = model.forward(xx);

            // 손실을 계산하고 출력합니다.
            Tensor loss = lossFn.forward(yPred, y);
            if (t % 100 == 99) System.out.println(t + " " + PyFormat.repr(loss.item()));

            // 역전파 단계 전에 변화도를 0으로 만듭니다 (.backward()는 변화도를 누적하기 때문입니다).
            optimizer.zeroGrad();

            // 역전파 단계: 모델의 매개변수들에 대한 손실의 변화도를 계산합니다.
            loss.backward();

            // optimizer의 step 함수를 호출하면 매개변수가 갱신됩니다.
            optimizer.step();
        }

        Linear linearLayer = (Linear) model.get(0);
        System.out.println("Result: y = " + PyFormat.repr(linearLayer.bias().item()) + " + "
                + PyFormat.repr(linearLayer.weight().select(1, 0).item()) + " x + "
                + PyFormat.repr(linearLayer.weight().select(1, 1).item()) + " x^2 + "
                + PyFormat.repr(linearLayer.weight().select(1, 2).item()) + " x^3");
    }
}

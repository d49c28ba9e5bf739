package dev.torchlet.examples.seed003;

import dev.torchlet.PyFormat;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.nn.Flatten;
import dev.torchlet.nn.Linear;
import dev.torchlet.nn.MSELoss;
import dev.torchlet.nn.Parameter;
import dev.torchlet.nn.Reduction;
import dev.torchlet.nn.Sequential;

/**
 * Seed 003, In [7] ("nn module을 사용해 구현"): the cubic as {@code Sequential(Linear(3, 1), Flatten(0, 1))}
 * on the features (x, x^2, x^3), {@code MSELoss(reduction='sum')}, and the update by hand under no_grad.
 * The Linear layer's weights are drawn without a seed, as in the notebook.
 */
public final class P04NnSequential {
    public static void main(String[] args) {
        Tensor x = Torch.linspace(-Math.PI, Math.PI, 2000);
        Tensor y = x.sin();

        // (x, x^2, x^3)를 위한 텐서: x.unsqueeze(-1) [2000, 1] ** p [3] broadcasts to [2000, 3]
        Tensor p = Torch.tensor(1, 2, 3);
        Tensor xx = x.unsqueeze(-1).pow(p);

        Sequential model = new Sequential(
                new Linear(3, 1),
                new Flatten(0, 1));

        MSELoss lossFn = new MSELoss(Reduction.SUM);

        lossFn = new MSELoss(Reduction.SUM);   // the notebook defines it twice

        double learningRate = 1e-6;
        for (int t = 0; t < 2000; t++) {
            Tensor yPred = model.forward(xx);
            Tensor loss = lossFn.forward(yPred, y);
            if (t % 100 == 99) System.out.println(t + " " + PyFormat.repr(loss.item()));

            model.zeroGrad(); // 가중치 초기화
            loss.backward(); // 가중치 변화도 연산

            // 가중치 갱신
            try (var noGrad = Torch.noGrad()) {
                for (Parameter param : model.parameters()) param.sub_(param.grad().mul(learningRate));
            }
        }

        Linear linearLayer = (Linear) model.get(0);
        System.out.println("Result: y = " + PyFormat.repr(linearLayer.bias().item()) + " + "
                + PyFormat.repr(linearLayer.weight().select(1, 0).item()) + " x + "
                + PyFormat.repr(linearLayer.weight().select(1, 1).item()) + " x^2 + "
                + PyFormat.repr(linearLayer.weight().select(1, 2).item()) + " x^3");
    }
}

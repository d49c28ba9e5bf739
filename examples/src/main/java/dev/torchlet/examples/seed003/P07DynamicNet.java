package dev.torchlet.examples.seed003;

import dev.torchlet.PyFormat;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.nn.MSELoss;
import dev.torchlet.nn.Module;
import dev.torchlet.nn.Parameter;
import dev.torchlet.nn.Reduction;
import dev.torchlet.optim.Optimizer;
import dev.torchlet.optim.SGD;
import java.util.Random;

/**
 * Seed 003, In [14] ("control flow + weight sharing"): a module whose forward adds a random number of terms,
 * e x^4 and e x^5, with one shared parameter e (a Python loop, {@code range(4, random.randint(4, 6))}),
 * trained 30,000 steps by {@code SGD(lr=1e-8, momentum=0.9)} on the summed squared error.
 *
 * <p>Python's {@code random} module, unseeded in the notebook, is a {@link java.util.Random} seeded from
 * the clock here; {@code random.randint(4, 6)} (both ends included) is {@code 4 + random.nextInt(3)}.
 */
public final class P07DynamicNet {
    /** Python's random module. */
    static final Random random = new Random();

    static final class DynamicNet extends Module {
        final Parameter a = register("a", new Parameter(Torch.randn()));
        final Parameter b = register("b", new Parameter(Torch.randn()));
        final Parameter c = register("c", new Parameter(Torch.randn()));
        final Parameter d = register("d", new Parameter(Torch.randn()));
        final Parameter e = register("e", new Parameter(Torch.randn()));

        @Override public Tensor forward(Tensor x) {
            Tensor y = a.add(b.mul(x)).add(c.mul(x.pow(2))).add(d.mul(x.pow(3)));

            int end = 4 + random.nextInt(3);   // random.randint(4, 6)
            for (int exp = 4; exp < end; exp++) {
                y = y.add(e.mul(x.pow(exp)));
            }

            return y;
        }

        /** Like any class, a module can have methods of its own. */
        String string() {
            return "y = " + PyFormat.repr(a.item()) + " + " + PyFormat.repr(b.item()) + " x + "
                    + PyFormat.repr(c.item()) + " x^2 + " + PyFormat.repr(d.item()) + " x^3 + "
                    + PyFormat.repr(e.item()) + " x^4 ? + " + PyFormat.repr(e.item()) + " x^5 ?";
        }
    }

    public static void main(String[] args) {
        // 입력값과 출력값을 갖는 텐서들을 생성합니다.
        Tensor x = Torch.linspace(-Math.PI, Math.PI, 2000);
        Tensor y = x.sin();

        // 위에서 정의한 클래스로 모델을 생성합니다.
        DynamicNet model = new DynamicNet();

        // 순수한 SGD로는 학습이 어려우므로 모멘텀(momentum)을 사용합니다.
        MSELoss criterion = new MSELoss(Reduction.SUM);
        Optimizer optimizer = new SGD(model.parameters(), 1e-8, 0.9);
        for (int t = 0; t < 30000; t++) {
            // 순전파 단계: 모델에 x를 전달하여 예측값 y를 계산합니다.
            Tensor yPred = model.forward(x);

            // 손실을 계산하고 출력합니다.
            Tensor loss = criterion.forward(yPred, y);
            if (t % 2000 == 1999) System.out.println(t + " " + PyFormat.repr(loss.item()));

            // 변화도를 0으로 만들고, 역전파 단계를 수행하고, 가중치를 갱신합니다.
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
        }

        System.out.println("Result: " + model.string());
    }
}

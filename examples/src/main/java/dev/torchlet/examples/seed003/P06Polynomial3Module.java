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

/**
 * Seed 003, In [11] ("사용자 정의 nn.Module"): the cubic as a custom module with four scalar parameters,
 * {@code MSELoss(reduction='sum')} and {@code SGD(lr=1e-6)}.
 *
 * <p>The notebook's forward has a slip, kept here: its last term is {@code self.d*c**3}, where {@code c} is
 * not {@code self.c} but the notebook's global {@code c}, the weight In [4] trained (a 0-d tensor still
 * alive in the kernel). So the model is a + b x + c x^2 plus a constant of about -3e-8 d: no cubic term,
 * and the loss settles near 395 instead of 9, with d left where randn put it. The port re-creates that
 * {@code c} from the value In [4] printed, -0.0031907076481729746 (a float32, so exactly the notebook's);
 * In [4]'s c also required grad, which only made the notebook's backward fill its .grad, unread.
 */
public final class P06Polynomial3Module {
    /** The notebook's global c at In [11]: In [4]'s trained weight, as In [4] printed it. */
    static final Tensor c = Torch.scalarTensor(-0.0031907076481729746);

    static final class Polynomial3 extends Module {
        final Parameter a = register("a", new Parameter(Torch.randn()));
        final Parameter b = register("b", new Parameter(Torch.randn()));
        final Parameter c = register("c", new Parameter(Torch.randn()));
        final Parameter d = register("d", new Parameter(Torch.randn()));

        @Override public Tensor forward(Tensor x) {
            // self.a + self.b*x + self.c*x**2 + self.d*c**3, the last c being the global one (the slip)
            return a.add(b.mul(x)).add(c.mul(x.pow(2))).add(d.mul(P06Polynomial3Module.c.pow(3)));
        }

        String string() {
            return "y = " + PyFormat.repr(a.item()) + " + " + PyFormat.repr(b.item()) + " x + "
                    + PyFormat.repr(c.item()) + " x^2 + " + PyFormat.repr(d.item()) + " x^3";
        }
    }

    public static void main(String[] args) {
        Tensor x = Torch.linspace(-Math.PI, Math.PI, 2000);
        Tensor y = x.sin();

        // 위에서 정의한 클래스로 모델을 생성합니다.
        Polynomial3 model = new Polynomial3();
        MSELoss criterion = new MSELoss(Reduction.SUM);
        Optimizer optimizer = new SGD(model.parameters(), 1e-6);

        for (int t = 0; t < 2000; t++) {
            Tensor yPred = model.forward(x);
            Tensor loss = criterion.forward(yPred, y);

            if (t % 100 == 99) System.out.println(t + " " + PyFormat.repr(loss.item()));

            // 역전파
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step(); // 가중치 업데이터
        }

        System.out.println("Result:" + model.string());
    }
}

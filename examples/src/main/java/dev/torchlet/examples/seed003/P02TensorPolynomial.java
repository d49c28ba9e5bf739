package dev.torchlet.examples.seed003;

import dev.torchlet.DType;
import dev.torchlet.Device;
import dev.torchlet.PyFormat;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;

/**
 * Seed 003, In [3] ("using Tensor"): the numpy program with float32 tensors, gradients still by hand; the
 * loss is printed every 100 steps and the result once at the end.
 *
 * <p>The notebook ran it on {@code torch.device("cuda:5")}; torchlet computes on the CPU here, so the port
 * names {@code Device.CPU} (the weights are drawn without a seed either way, so no printed value could
 * depend on the device).
 */
public final class P02TensorPolynomial {
    public static void main(String[] args) {
        DType dtype = DType.FLOAT32;
        Device device = Device.CPU;   // the notebook: torch.device("cuda:5")

        // 무작위로 입력과 출력 데이터를 생성합니다
        Tensor x = Torch.linspace(-Math.PI, Math.PI, 2000, dtype).to(device);
        Tensor y = x.sin();

        // 무작위로 가중치를 초기화합니다
        Tensor a = Torch.randn(new long[0], dtype).to(device);
        Tensor b = Torch.randn(new long[0], dtype).to(device);
        Tensor c = Torch.randn(new long[0], dtype).to(device);
        Tensor d = Torch.randn(new long[0], dtype).to(device);

        double learningRate = 1e-6;
        for (int t = 0; t < 2000; t++) {
            // 순전파 단계: 예측값 y를 계산합니다
            Tensor yPred = a.add(b.mul(x)).add(c.mul(x.pow(2))).add(d.mul(x.pow(3)));

            // 손실(loss)을 계산하고 출력합니다
            double loss = yPred.sub(y).pow(2).sum().item();
            if (t % 100 == 99) System.out.println(t + " " + PyFormat.repr(loss));

            // 손실에 따른 a, b, c, d의 변화도(gradient)를 계산하고 역전파합니다.
            Tensor gradYPred = yPred.sub(y).mul(2.0);
            Tensor gradA = gradYPred.sum();
            Tensor gradB = gradYPred.mul(x).sum();
            Tensor gradC = gradYPred.mul(x.pow(2)).sum();
            Tensor gradD = gradYPred.mul(x.pow(3)).sum();

            // 가중치를 갱신합니다.
            a.sub_(gradA.mul(learningRate));
            b.sub_(gradB.mul(learningRate));
            c.sub_(gradC.mul(learningRate));
            d.sub_(gradD.mul(learningRate));
        }

        System.out.println("Result: y = " + PyFormat.repr(a.item()) + " + " + PyFormat.repr(b.item()) + " x + "
                + PyFormat.repr(c.item()) + " x^2 + " + PyFormat.repr(d.item()) + " x^3");
    }
}

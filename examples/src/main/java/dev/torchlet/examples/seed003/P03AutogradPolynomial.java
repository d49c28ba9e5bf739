package dev.torchlet.examples.seed003;

import dev.torchlet.DType;
import dev.torchlet.Device;
import dev.torchlet.PyFormat;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;

/**
 * Seed 003, In [4] ("역전파를 직접 구현하지 않고 autograd를 이용해 자동화"): the same fit with autograd: the
 * weights require grad, {@code loss.backward()} computes their gradients, and the update runs under
 * {@code torch.no_grad()}, then clears each gradient ({@code a.grad = None} is {@code a.setGrad(null)}).
 */
public final class P03AutogradPolynomial {
    public static void main(String[] args) {
        DType dtype = DType.FLOAT32;
        Device device = Device.CPU;
        // device = torch.device("cuda:0") # GPU에서 실행하려면 이 주석을 제거하세요

        // 입력값과 출력값을 갖는 텐서들을 생성합니다 (requires_grad=False가 기본값).
        Tensor x = Torch.linspace(-Math.PI, Math.PI, 2000, dtype).to(device);
        Tensor y = x.sin();

        // 가중치를 갖는 임의의 텐서를 생성합니다: y = a + b x + c x^2 + d x^3
        Tensor a = Torch.randn(new long[0], dtype).to(device).requiresGrad_(true);
        Tensor b = Torch.randn(new long[0], dtype).to(device).requiresGrad_(true);
        Tensor c = Torch.randn(new long[0], dtype).to(device).requiresGrad_(true);
        Tensor d = Torch.randn(new long[0], dtype).to(device).requiresGrad_(true);

        double learningRate = 1e-6;
        for (int t = 0; t < 2000; t++) {
            // 순전파 단계: 텐서들 간의 연산을 사용하여 예측값 y를 계산합니다.
            Tensor yPred = a.add(b.mul(x)).add(c.mul(x.pow(2))).add(d.mul(x.pow(3)));

            // 손실(loss)을 계산하고 출력합니다; loss.item()은 손실의 스칼라 값입니다.
            Tensor loss = yPred.sub(y).pow(2).sum();
            if (t % 100 == 99) System.out.println(t + " " + PyFormat.repr(loss.item()));

            // autograd 를 사용하여 역전파 단계를 계산합니다.
            loss.backward();

            // 경사하강법(gradient descent)을 사용하여 가중치를 직접 갱신합니다.
            try (var noGrad = Torch.noGrad()) {
                a.sub_(a.grad().mul(learningRate));
                b.sub_(b.grad().mul(learningRate));
                c.sub_(c.grad().mul(learningRate));
                d.sub_(d.grad().mul(learningRate));

                // 가중치 갱신 후에는 변화도를 직접 0으로 만듭니다.
                a.setGrad(null);
                b.setGrad(null);
                c.setGrad(null);
                d.setGrad(null);
            }
        }

        System.out.println("Result: y = " + PyFormat.repr(a.item()) + " + " + PyFormat.repr(b.item()) + " x + "
                + PyFormat.repr(c.item()) + " x^2 + " + PyFormat.repr(d.item()) + " x^3");
    }
}

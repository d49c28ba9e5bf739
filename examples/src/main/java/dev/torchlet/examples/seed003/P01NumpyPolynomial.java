package dev.torchlet.examples.seed003;

import dev.torchlet.PyFormat;
import dev.torchlet.Tensor;

/**
 * Seed 003, In [2] ("3차 다항식을 사용하여 y=sin(x)에 근사하기", using numpy): fits y = a + b x + c x^2 + d x^3
 * to sin(x) on 2000 points of [-pi, pi] by gradient descent with hand-written gradients.
 *
 * <p>numpy's float64 arrays are float64 tensors here, and the numpy calls whose arithmetic differs from
 * torch's are in {@link Np}, computed as numpy does; {@code np.random.randn()} draws from torchlet's default
 * generator, unseeded as in the notebook. a, b, c, d are doubles (numpy float64 scalars in the notebook) and
 * print as Python prints them ({@link PyFormat#repr}). The notebook's {@code print} of
 * the result is indented into the loop, so it prints after every step: 2000 "Result" lines, among them the
 * 20 loss lines of steps 99, 199, ..., 1999. This port keeps that.
 */
public final class P01NumpyPolynomial {
    public static void main(String[] args) {
        Tensor x = Np.linspace(-Math.PI, Math.PI, 2000);
        Tensor y = x.sin();   // np.sin

        // 가중치 초기화 (no seed, as in the notebook)
        double a = Np.randn();
        double b = Np.randn();
        double c = Np.randn();
        double d = Np.randn();

        fit(x, y, a, b, c, d, 2000);
    }

    /** The notebook's loop from the weights a, b, c, d: the loss every 100 steps, the result after every step. */
    static void fit(Tensor x, Tensor y, double a, double b, double c, double d, int steps) {
        double learningRate = 1e-6;
        for (int t = 0; t < steps; t++) {
            // 순전파 단계: y = a + b x + c x^2 + d x^3
            Tensor yPred = x.mul(b).add(a).add(Np.power(x, 2).mul(c)).add(Np.power(x, 3).mul(d));

            // 손실(loss)을 계산하고 출력합니다
            double loss = Np.sum(Np.square(yPred.sub(y)));   // np.square(y_pred - y).sum()
            if (t % 100 == 99) System.out.println(t + " " + PyFormat.repr(loss));

            // 손실에 따른 a, b, c, d의 변화도(gradient)
            Tensor gradYPred = yPred.sub(y).mul(2.0);   // loss 함수의 미분
            double gradA = Np.sum(gradYPred);
            double gradB = Np.sum(gradYPred.mul(x));
            double gradC = Np.sum(gradYPred.mul(Np.power(x, 2)));
            double gradD = Np.sum(gradYPred.mul(Np.power(x, 3)));

            // 가중치를 갱신합니다.
            a -= learningRate * gradA;
            b -= learningRate * gradB;
            c -= learningRate * gradC;
            d -= learningRate * gradD;

            // indented into the loop in the notebook: printed after every step
            System.out.println("Result: y = " + PyFormat.repr(a) + " + " + PyFormat.repr(b) + " x + "
                    + PyFormat.repr(c) + " x^2 + " + PyFormat.repr(d) + " x^3");
        }
    }
}

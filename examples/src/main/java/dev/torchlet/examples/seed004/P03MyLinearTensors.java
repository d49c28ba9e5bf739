package dev.torchlet.examples.seed004;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.nn.Module;

/**
 * Seed 004, "torch.nn.Module 클래스 상속 받기", In [9] to In [11]: a linear layer as an nn.Module subclass whose
 * weights are plain tensors (so not registered as parameters), called as {@code linear(x)} and as
 * {@code linear.forward(x)}; Java has no {@code __call__}, so both are {@code forward}.
 *
 * <p>x is the zero [4, 3] batch of In [6] (re-created here). The notebook's W and b are
 * {@code torch.FloatTensor(input_dim, output_dim)} and {@code FloatTensor(output_dim)}, uninitialized: with
 * x zero, y is b on every row, and the notebook printed the memory it got, [2.3425e+18, 2.1328e-42]. This
 * port writes {@code Torch.zeros}, so its y is zero and does not depend on the allocator.
 */
public final class P03MyLinearTensors {
    /** nn.Module을 상속받아 만든 사용자 정의 선형 계층. */
    static final class MyLinear extends Module {
        final int inputDim;
        final int outputDim;
        final Tensor W;
        final Tensor b;

        MyLinear(int inputDim, int outputDim) {   // 입력 차원, 출력 차원 정의 + 가중치/편향 초기화
            this.inputDim = inputDim;             // 입력 벡터 차원(특징 개수)
            this.outputDim = outputDim;           // 출력 벡터 차원

            // torch.FloatTensor(input_dim, output_dim), torch.FloatTensor(output_dim): uninitialized there
            this.W = Torch.zeros(inputDim, outputDim);   // 가중치 행렬
            this.b = Torch.zeros(outputDim);             // 편향 행렬
        }

        MyLinear() { this(3, 2); }

        @Override public Tensor forward(Tensor x) {   // 입력 x에 대해 선형 변환 y = xW + b 수행(순전파)
            // |x|=(batch_size,input_dim)
            Tensor y = Torch.matmul(x, W).add(b);
            return y;
        }
    }

    public static void main(String[] args) {
        Tensor x = Torch.zeros(4, 3);   // In [6]'s x

        // In [10]
        MyLinear linear = new MyLinear(3, 2);   // 변수 이름을 함수처럼 사용: linear(x)
        Tensor y = linear.forward(x);
        System.out.println(y);

        // In [11]
        y = linear.forward(x);

        System.out.println(y);
    }
}

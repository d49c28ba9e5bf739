package dev.torchlet.examples.seed004;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.nn.Module;
import dev.torchlet.nn.Parameter;

/**
 * Seed 004, "올바른 방법: nn.Parameter 활용", In [12] to In [14]: the module's weights wrapped in
 * {@code nn.Parameter}, so they are registered, show up in {@code parameters()}, and y records its graph
 * ({@code grad_fn=<AddBackward0>}).
 *
 * <p>As in In [9], the notebook's W and b are uninitialized {@code FloatTensor}s: its run printed W as zeros
 * and b as [2.3425e+18, 0.0000e+00] (so y too). This port writes {@code Torch.zeros}: W prints as in the
 * notebook, b and y print zeros. x is In [6]'s zero batch, re-created.
 */
public final class P04MyLinearParameters {
    static final class MyLinear extends Module {
        final int inputDim;
        final int outputDim;
        final Parameter W;
        final Parameter b;

        MyLinear(int inputDim, int outputDim) {
            this.inputDim = inputDim;
            this.outputDim = outputDim;

            // model.parameters()에 자동 등록되어 옵티마이저가 업데이트함
            // (torch.FloatTensor(...): uninitialized there, zeros here)
            this.W = register("W", new Parameter(Torch.zeros(inputDim, outputDim)));
            this.b = register("b", new Parameter(Torch.zeros(outputDim)));
        }

        MyLinear() { this(3, 2); }

        @Override public Tensor forward(Tensor x) {
            // |x| = (batch_size,input_dim)
            // |W| = (input_dim, output_dim)
            Tensor y = Torch.matmul(x, W).add(b);   // 브로드캐스팅으로 편향 추가
            // |y| = (batch_size, output_dim)
            return y;
        }
    }

    public static void main(String[] args) {
        Tensor x = Torch.zeros(4, 3);   // In [6]'s x

        // In [13]
        MyLinear linear = new MyLinear(3, 2);
        Tensor y = linear.forward(x);
        System.out.println(y);

        // In [14]
        for (Parameter p : linear.parameters()) {
            System.out.println(p);
        }
    }
}

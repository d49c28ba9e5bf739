package dev.torchlet.examples.seed004;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.nn.Linear;
import dev.torchlet.nn.Module;

/**
 * Seed 004, In [15] and In [16]: the module built on {@code nn.Linear}, applied to a random batch
 * ({@code torch.randn(4, 3)}: batch_size = 4, input_dim = 3). Nothing is seeded, as in the notebook: the
 * Linear layer's initial weights and x come from the default generator, so the printed values differ from
 * the notebook's; their shape and {@code grad_fn=<AddmmBackward0>} do not.
 */
public final class P05MyLinearNnLinear {
    static final class MyLinear extends Module {
        final int inputDim;
        final int outputDim;
        final Linear linear;

        MyLinear(int inputDim, int outputDim) {
            this.inputDim = inputDim;
            this.outputDim = outputDim;

            this.linear = register("linear", new Linear(inputDim, outputDim));
        }

        MyLinear() { this(3, 2); }

        @Override public Tensor forward(Tensor x) {
            // |x|=(batch_size,input_dim)
            Tensor y = linear.forward(x);
            return y;
        }
    }

    public static void main(String[] args) {
        // In [16]
        MyLinear linear = new MyLinear(3, 2);
        Tensor x = Torch.randn(4, 3);   // batch_size = 4, input_dim = 3
        Tensor y = linear.forward(x);
        System.out.println(y);
    }
}

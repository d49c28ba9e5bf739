package dev.torchlet.examples;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;

/**
 * Seed notebook 004 ("행렬 곱": matrix products, a linear layer by hand, MSE by hand), cells In [1] to
 * In [8] and In [17] to In [18], ported line for line. Each printed line is what PyTorch printed in the
 * notebook. The cells that need nn.Module, nn.Parameter, randn or torch.nn.functional come with later
 * torchlet issues (autograd/nn and random streams).
 *
 * <p>One deliberate difference: the notebook builds tensors with {@code torch.FloatTensor(4, 3)}, which is
 * uninitialized memory that happened to print zeros there. This port writes {@code Torch.zeros(4, 3)} so
 * that its output does not depend on what the allocator returns.
 */
public final class Seed004MatrixProducts {
    public static void main(String[] args) {
        // In [1]
        Tensor x = Torch.tensor(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        Tensor y = Torch.tensor(new float[][] {{1, 2}, {1, 2}});
        System.out.println(x.size() + " " + y.size());
        System.out.println();

        // In [2]: z=torch.matmul(x,y); x.size(), x   (IPython shows the tuple)
        Tensor z = Torch.matmul(x, y);
        System.out.println(tuple(x.size(), x));
        System.out.println();

        // In [3]: bmm of two uninitialized batches; only the size is shown
        x = Torch.empty(3, 3, 2);
        y = Torch.empty(3, 2, 3);
        z = Torch.bmm(x, y);
        System.out.println(z.size());
        System.out.println();

        // In [4] - In [8]: a linear layer as a function
        Tensor w = Torch.tensor(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        Tensor b = Torch.tensor(2f, 2f);
        x = Torch.zeros(4, 3);
        System.out.println(x);
        System.out.println();
        y = linear(x, w, b);
        System.out.println(y.size());
        System.out.println();
        System.out.println(y);
        System.out.println();

        // In [17] - In [18]: mean squared error by hand
        x = Torch.tensor(new float[][] {{1, 1}, {2, 2}});
        Tensor xHat = Torch.tensor(new float[][] {{0, 0}, {0, 0}});
        System.out.println(mse(xHat, x));
    }

    static Tensor linear(Tensor x, Tensor w, Tensor b) {
        return Torch.matmul(x, w).add(b);
    }

    static Tensor mse(Tensor xHat, Tensor x) {
        return x.sub(xHat).pow(2).mean();
    }

    /** How IPython displays a 2-tuple whose repr spans lines. */
    static String tuple(Object first, Object second) {
        return "(" + first + ",\n " + second.toString().replace("\n", "\n ") + ")";
    }
}

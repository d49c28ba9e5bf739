package dev.torchlet.examples.seed004;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;

/**
 * Seed 004, "선형 계층", In [4] to In [8]: a linear layer as a function, y = x W + b, on a batch of four.
 *
 * <p>In [6] makes x with {@code torch.FloatTensor(4, 3)}, uninitialized memory, and the notebook notes "무조건
 * 0은 아님" (not always zero); that run printed zeros. This port writes {@code Torch.zeros(4, 3)}, so that
 * what it prints does not depend on what the allocator hands back.
 */
public final class P02LinearFunction {
    public static void main(String[] args) {
        // In [4]
        Tensor W = Torch.tensor(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        Tensor b = Torch.tensor(2f, 2f);

        // In [6]
        Tensor x = Torch.zeros(4, 3);   // torch.FloatTensor(4,3): uninitialized, zeros in the notebook's run
        System.out.println(x);

        // In [7]
        Tensor y = linear(x, W, b);
        System.out.println(y.size());

        // In [8]
        System.out.println(y);
    }

    /** In [5]: 선형 계층 함수. */
    static Tensor linear(Tensor x, Tensor W, Tensor b) {
        Tensor y = Torch.matmul(x, W).add(b);

        return y;
    }
}

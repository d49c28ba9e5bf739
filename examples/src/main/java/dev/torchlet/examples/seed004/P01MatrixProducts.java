package dev.torchlet.examples.seed004;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;

/**
 * Seed 004, "행렬 곱 실습", In [1] to In [3]: {@code matmul} of two matrices and {@code bmm} of two batches.
 *
 * <p>In [3] multiplies two uninitialized batches, {@code torch.FloatTensor(3, 3, 2)} and
 * {@code FloatTensor(3, 2, 3)}, and shows only the product's size: {@code Torch.empty} here too.
 */
public final class P01MatrixProducts {
    public static void main(String[] args) {
        // In [1]
        Tensor x = Torch.tensor(new float[][] {
                {1, 2},
                {3, 4},
                {5, 6}});
        Tensor y = Torch.tensor(new float[][] {
                {1, 2},
                {1, 2}});
        System.out.println(x.size() + " " + y.size());

        // In [2]: z=torch.matmul(x,y); x.size(), x   (IPython shows the tuple)
        Tensor z = Torch.matmul(x, y);
        System.out.println(tuple(x.size(), x));

        // In [3]: bmm of a batch of 3 [3, 2] matrices by a batch of 3 [2, 3] matrices; z.size()
        x = Torch.empty(3, 3, 2);
        y = Torch.empty(3, 2, 3);
        z = Torch.bmm(x, y);
        System.out.println(z.size());
    }

    /** How IPython displays a 2-tuple: "(first,\n second)", each line of second's repr indented by one space. */
    static String tuple(Object first, Object second) {
        return "(" + first + ",\n " + second.toString().replace("\n", "\n ") + ")";
    }
}

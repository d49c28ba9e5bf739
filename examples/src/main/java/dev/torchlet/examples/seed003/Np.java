package dev.torchlet.examples.seed003;

import dev.torchlet.DType;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;

/**
 * The numpy calls of In [2], on float64 tensors, computed the way numpy computes them, so that the port's
 * float64 arithmetic is numpy's to the last bit (with these, the port replays the notebook's printed steps
 * exactly; see Seed003OutputTest). Three differ from the torch functions of the same name:
 * <ul>
 *   <li>{@code np.linspace} is start + i * step with the last point set to stop; torch.linspace (and
 *       {@link Torch#linspace}) counts the upper half back from the end;
 *   <li>{@code x ** 3} is libm's pow; torch's pow by the scalar 3 is x * x * x (both give x * x for 2);
 *   <li>{@code arr.sum()} is numpy's pairwise summation (blocks of up to 128 in eight partial sums, halved
 *       above that); torchlet's sum runs four partial sums in double.
 * </ul>
 * {@code np.random.randn()} draws a float64 from torchlet's default generator (numpy's generator is its own,
 * and the notebook seeds neither).
 */
final class Np {
    private Np() {}

    /** np.linspace(start, stop, num). */
    static Tensor linspace(double start, double stop, int num) {
        double step = (stop - start) / (num - 1);
        double[] y = new double[num];
        for (int i = 0; i < num; i++) y[i] = i * step + start;
        y[num - 1] = stop;
        return Torch.tensor(y, DType.FLOAT64);
    }

    /** x ** p: x * x for p = 2 (numpy's fast path), libm's pow otherwise (torch's pow by a tensor exponent). */
    static Tensor power(Tensor x, double p) {
        return p == 2 ? x.mul(x) : x.pow(Torch.scalarTensor(p, DType.FLOAT64));
    }

    /** np.square(x). */
    static Tensor square(Tensor x) { return x.mul(x); }

    /** arr.sum() of a 1-d float64 array, by numpy's pairwise summation. */
    static double sum(Tensor arr) {
        double[] a = arr.toDoubleArray();
        return pairwiseSum(a, 0, a.length);
    }

    /** numpy's DOUBLE_pairwise_sum (loops_utils.h.src). */
    private static double pairwiseSum(double[] a, int from, int n) {
        if (n < 8) {
            double res = -0.0;
            for (int i = 0; i < n; i++) res += a[from + i];
            return res;
        }
        if (n <= 128) {
            double[] r = new double[8];
            System.arraycopy(a, from, r, 0, 8);
            int i = 8;
            for (; i < n - n % 8; i += 8) {
                for (int j = 0; j < 8; j++) r[j] += a[from + i + j];
            }
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) res += a[from + i];
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return pairwiseSum(a, from, n2) + pairwiseSum(a, from + n2, n - n2);
    }

    /** np.random.randn(): one float64 standard normal. */
    static double randn() { return Torch.randn(new long[0], DType.FLOAT64).item(); }
}

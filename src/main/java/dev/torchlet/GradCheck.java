package dev.torchlet;

import java.util.function.Function;

/**
 * torch.autograd.gradcheck: compares the analytic gradient of fn (one backward per output element) with
 * central finite differences, for every input that requires grad. Inputs should be float64.
 */
final class GradCheck {
    private GradCheck() {}

    static boolean check(Function<Tensor[], Tensor> fn, Tensor[] inputs, double eps, double atol, double rtol) {
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].requiresGrad() && inputs[i].dtype() != DType.FLOAT64) {
                Warnings.once("gradcheckDouble", "UserWarning: Input #" + i + " requires gradient and is not a double "
                        + "precision floating point or complex. This check will likely fail if all the inputs are not "
                        + "of double precision floating point or complex.");
            }
        }
        try (Scope scope = new Scope()) {
            // every analytic Jacobian first: the finite differences write into the inputs, which would
            // (rightly) invalidate the tensors the graph saved
            Tensor out = fn.apply(inputs);
            int outN = Math.toIntExact(out.numel());
            double[][][] analytical = new double[inputs.length][][];
            for (int i = 0; i < inputs.length; i++) {
                if (inputs[i].requiresGrad()) analytical[i] = analytical(out, inputs[i], Math.toIntExact(inputs[i].numel()), outN);
            }
            for (int i = 0; i < inputs.length; i++) {
                if (analytical[i] == null) continue;
                int inN = analytical[i].length;
                double[][] numerical = numerical(fn, inputs, inputs[i], inN, outN, eps);
                for (int k = 0; k < inN; k++) {
                    for (int j = 0; j < outN; j++) {
                        double a = analytical[i][k][j], n = numerical[k][j];
                        if (!(Math.abs(a - n) <= atol + rtol * Math.abs(n))) {
                            throw new IllegalStateException("Jacobian mismatch for output 0 with respect to input " + i
                                    + ",\nnumerical:" + matrix(numerical) + "\nanalytical:" + matrix(analytical[i]) + "\n");
                        }
                    }
                }
            }
        }
        return true;
    }

    /** d out[j] / d x[k] by central differences, x changed in place one element at a time and restored. */
    private static double[][] numerical(Function<Tensor[], Tensor> fn, Tensor[] inputs, Tensor x, int inN, int outN,
                                        double eps) {
        double[][] jac = new double[inN][outN];
        try (GradMode off = new GradMode(false)) {
            for (int k = 0; k < inN; k++) {
                try (Scope scope = new Scope()) {
                    Tensor element = elementView(x.detach(), k);
                    double original = element.item();
                    element.fill_(original + eps);
                    double[] plus = fn.apply(inputs).toDoubleArray();
                    element.fill_(original - eps);
                    double[] minus = fn.apply(inputs).toDoubleArray();
                    element.fill_(original);
                    for (int j = 0; j < outN; j++) jac[k][j] = (plus[j] - minus[j]) / (2 * eps);
                }
            }
        }
        return jac;
    }

    /** d out[j] / d x[k] by one backward pass per output element with a one-hot output gradient. */
    private static double[][] analytical(Tensor out, Tensor x, int inN, int outN) {
        double[][] jac = new double[inN][outN];
        if (!x.isLeaf()) x.retainGrad();
        for (int j = 0; j < outN; j++) {
            try (Scope scope = new Scope()) {
                Tensor oneHot = out.detach().zerosOfShape(out.shape().toArray());
                elementView(oneHot, j).fill_(1);
                x.setGradField(null);
                out.backward(oneHot, true);
                Tensor g = x.gradField();
                double[] column = g == null ? new double[inN] : g.toDoubleArray();
                for (int k = 0; k < inN; k++) jac[k][j] = column[k];
            }
        }
        x.setGradField(null);
        return jac;
    }

    /** The 0-dim view of element k (row-major) of t, writable in place. */
    private static Tensor elementView(Tensor t, int k) {
        Tensor v = t;
        long rest = k;
        long[] shape = t.shape().toArray();
        long[] index = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = rest % shape[d];
            rest /= shape[d];
        }
        for (long i : index) v = v.select(0, i);
        return v;
    }

    private static String matrix(double[][] m) {
        StringBuilder sb = new StringBuilder();
        for (double[] row : m) sb.append("\n").append(java.util.Arrays.toString(row));
        return sb.toString();
    }
}

package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchlet.nn.F;
import dev.torchlet.nn.Reduction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * torch.autograd.gradcheck over every differentiable op: the analytic Jacobian (one backward per output
 * element) against central finite differences in float64, with broadcasting, 0-d operands and
 * non-contiguous views among the inputs. Every case runs on the native backend; a subset runs on the
 * reference backend too. The negative tests show that gradcheck rejects wrong gradients, so a wrong
 * derivative rule in any of these cases would fail it.
 */
class GradcheckTest {
    private static final DType F64 = DType.FLOAT64;

    /** A gradcheck case: inputs made from a seeded Random (on the current backend), and the function. */
    static final class Case {
        final String name;
        final Function<Random, Tensor[]> inputs;
        final Function<Tensor[], Tensor> fn;
        final double eps, atol, rtol;

        Case(String name, Function<Random, Tensor[]> inputs, Function<Tensor[], Tensor> fn, double eps, double atol,
             double rtol) {
            this.name = name;
            this.inputs = inputs;
            this.fn = fn;
            this.eps = eps;
            this.atol = atol;
            this.rtol = rtol;
        }

        @Override public String toString() { return name; }

        void run() { run(null); }

        /** The case with its inputs moved to device (null: where they were made). */
        void run(Device device) {
            Random random = new Random(name.hashCode() * 31L + 20240611L);
            Tensor[] in = inputs.apply(random);
            if (device != null) {
                for (int i = 0; i < in.length; i++) in[i] = in[i].detach().to(device).requiresGrad_(in[i].requiresGrad());
            }
            // torch.autograd.gradcheck's defaults unless the case needs others (see the float32 round trip)
            assertTrue(Torch.gradcheck(fn, in, eps, atol, rtol), name);
        }
    }

    private static final List<Case> CASES = new ArrayList<>();

    private static void add(String name, Function<Random, Tensor[]> inputs, Function<Tensor[], Tensor> fn) {
        CASES.add(new Case(name, inputs, fn, 1e-6, 1e-5, 1e-3));
    }

    // ------------------------------------------------------------------------------------- input makers

    /** A float64 leaf that requires grad, values uniform in [lo, hi). */
    static Tensor uniform(Random r, double lo, double hi, long... shape) {
        return constant(r, lo, hi, shape).requiresGrad_();
    }

    /** Values in [-1, 1) kept at least 0.05 away from 0 (for abs, relu, division), random sign. */
    static Tensor awayFromZero(Random r, long... shape) {
        int n = numel(shape);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (0.05 + 0.95 * r.nextDouble()) * (r.nextBoolean() ? 1 : -1);
        return Torch.tensor(v, F64).reshape(shape).requiresGrad_();
    }

    static Tensor leaf(Random r, long... shape) { return uniform(r, -1, 1, shape); }

    /** Positive values in [0.5, 2). */
    static Tensor pos(Random r, long... shape) { return uniform(r, 0.5, 2, shape); }

    /** A float64 tensor without grad. */
    static Tensor constant(Random r, double lo, double hi, long... shape) {
        int n = numel(shape);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = lo + (hi - lo) * r.nextDouble();
        return Torch.tensor(v, F64).reshape(shape);
    }

    static int numel(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return Math.toIntExact(n);
    }

    static Tensor fromValues(long[] shape, double... v) { return Torch.tensor(v, F64).reshape(shape).requiresGrad_(); }

    static Tensor scalar(Random r) { return Torch.scalarTensor(-1 + 2 * r.nextDouble(), F64).requiresGrad_(); }

    static long[] s(long... shape) { return shape; }

    static Tensor[] in(Tensor... t) { return t; }

    // ------------------------------------------------------------------------------------------- cases

    static {
        // ---- binary arithmetic, tensor-tensor, with broadcasting and 0-d operands
        add("add", r -> in(leaf(r, 3, 4), leaf(r, 3, 4)), x -> x[0].add(x[1]));
        add("add broadcast [3,1]+[4]", r -> in(leaf(r, 3, 1), leaf(r, 4)), x -> x[0].add(x[1]));
        add("add [2,3]+0-d", r -> in(leaf(r, 2, 3), scalar(r)), x -> x[0].add(x[1]));
        add("sub", r -> in(leaf(r, 3, 4), leaf(r, 3, 4)), x -> x[0].sub(x[1]));
        add("sub broadcast [4]-[3,1]", r -> in(leaf(r, 4), leaf(r, 3, 1)), x -> x[0].sub(x[1]));
        add("sub 0-d-[2,3]", r -> in(scalar(r), leaf(r, 2, 3)), x -> x[0].sub(x[1]));
        add("mul", r -> in(leaf(r, 3, 4), leaf(r, 3, 4)), x -> x[0].mul(x[1]));
        add("mul broadcast [3,1]*[4]", r -> in(leaf(r, 3, 1), leaf(r, 4)), x -> x[0].mul(x[1]));
        add("mul [2,3]*0-d", r -> in(leaf(r, 2, 3), scalar(r)), x -> x[0].mul(x[1]));
        add("mul self", r -> in(leaf(r, 5)), x -> x[0].mul(x[0]));
        add("mul transposed view", r -> in(leaf(r, 4, 3), leaf(r, 3, 4)), x -> x[0].t().mul(x[1]));
        add("div", r -> in(leaf(r, 3, 4), awayFromZero(r, 3, 4)), x -> x[0].div(x[1]));
        add("div broadcast [3,1]/[4]", r -> in(leaf(r, 3, 1), pos(r, 4)), x -> x[0].div(x[1]));
        add("div [2,3]/0-d", r -> in(leaf(r, 2, 3), Torch.scalarTensor(1.3, F64).requiresGrad_()),
                x -> x[0].div(x[1]));
        add("pow tensor-tensor", r -> in(pos(r, 3, 4), uniform(r, -2, 2, 3, 4)), x -> x[0].pow(x[1]));
        add("pow broadcast [3,1]**[4]", r -> in(pos(r, 3, 1), uniform(r, -2, 2, 4)), x -> x[0].pow(x[1]));
        add("pow [2,3]**0-d", r -> in(pos(r, 2, 3), Torch.scalarTensor(1.7, F64).requiresGrad_()),
                x -> x[0].pow(x[1]));
        add("pow base grad only (constant exponent)", r -> in(leaf(r, 2, 3)),
                x -> x[0].pow(Torch.tensor(new double[] {1, 2, 3}, F64)));
        add("maximum", GradcheckTest::distinctPair, x -> x[0].maximum(x[1]));
        add("maximum broadcast", r -> in(fromValues(s(3, 1), -0.5, 0.1, 0.7), fromValues(s(4), -0.8, -0.2, 0.4, 0.9)),
                x -> x[0].maximum(x[1]));
        add("minimum", GradcheckTest::distinctPair, x -> x[0].minimum(x[1]));
        add("minimum broadcast", r -> in(fromValues(s(3, 1), -0.5, 0.1, 0.7), fromValues(s(4), -0.8, -0.2, 0.4, 0.9)),
                x -> x[0].minimum(x[1]));

        // ---- with a scalar operand
        add("add scalar", r -> in(leaf(r, 2, 3)), x -> x[0].add(1.5));
        add("add long scalar", r -> in(leaf(r, 2, 3)), x -> x[0].add(2L));
        add("sub scalar", r -> in(leaf(r, 2, 3)), x -> x[0].sub(0.25));
        add("rsub", r -> in(leaf(r, 2, 3)), x -> x[0].rsub(3.0));
        add("mul scalar", r -> in(leaf(r, 2, 3)), x -> x[0].mul(-2.5));
        add("mul long scalar", r -> in(leaf(r, 2, 3)), x -> x[0].mul(3L));
        add("div scalar", r -> in(leaf(r, 2, 3)), x -> x[0].div(0.7));
        add("div long scalar", r -> in(leaf(r, 2, 3)), x -> x[0].div(4L));
        add("pow scalar 2", r -> in(leaf(r, 2, 3)), x -> x[0].pow(2));
        add("pow scalar 3 (long)", r -> in(leaf(r, 2, 3)), x -> x[0].pow(3L));
        add("pow scalar 0.5", r -> in(pos(r, 2, 3)), x -> x[0].pow(0.5));
        add("pow scalar -1.5", r -> in(pos(r, 2, 3)), x -> x[0].pow(-1.5));
        add("pow scalar 0", r -> in(leaf(r, 2, 3)), x -> x[0].pow(0.0));
        add("Torch.pow(scalar, t)", r -> in(leaf(r, 2, 3)), x -> Torch.pow(2.5, x[0]));
        add("Torch.pow(0.5, t)", r -> in(leaf(r, 2, 3)), x -> Torch.pow(0.5, x[0]));

        // ---- unary
        add("neg", r -> in(leaf(r, 2, 3)), x -> x[0].neg());
        add("abs", r -> in(awayFromZero(r, 2, 3)), x -> x[0].abs());
        add("exp", r -> in(leaf(r, 2, 3)), x -> x[0].exp());
        add("log", r -> in(pos(r, 2, 3)), x -> x[0].log());
        add("sqrt", r -> in(pos(r, 2, 3)), x -> x[0].sqrt());
        add("sin", r -> in(uniform(r, -3, 3, 2, 3)), x -> x[0].sin());
        add("cos", r -> in(uniform(r, -3, 3, 2, 3)), x -> x[0].cos());
        add("tanh", r -> in(uniform(r, -2, 2, 2, 3)), x -> x[0].tanh());
        add("sigmoid", r -> in(uniform(r, -3, 3, 2, 3)), x -> x[0].sigmoid());
        add("relu", r -> in(awayFromZero(r, 3, 4)), x -> x[0].relu());
        add("F.relu", r -> in(awayFromZero(r, 3, 4)), x -> F.relu(x[0]));
        add("exp of transposed", r -> in(leaf(r, 3, 4)), x -> x[0].t().exp());
        add("log of narrowed", r -> in(pos(r, 3, 5)), x -> x[0].narrow(1, 1, 3).log());
        add("tanh of transposed 3-D", r -> in(leaf(r, 2, 3, 4)), x -> x[0].transpose(0, 2).tanh());
        add("unary on 0-d", r -> in(scalar(r)), x -> x[0].sin().mul(x[0].exp()));

        // ---- reductions
        add("sum()", r -> in(leaf(r, 3, 4)), x -> x[0].sum());
        add("sum() of transposed", r -> in(leaf(r, 3, 4)), x -> x[0].t().mul(x[0].t()).sum());
        add("sum(0)", r -> in(leaf(r, 3, 4)), x -> x[0].sum(0));
        add("sum(1, keepdim)", r -> in(leaf(r, 3, 4)), x -> x[0].sum(1, true));
        add("sum(-1) 3-D", r -> in(leaf(r, 2, 3, 4)), x -> x[0].sum(-1, false));
        add("sum(int[]{0,2})", r -> in(leaf(r, 2, 3, 4)), x -> x[0].sum(new int[] {0, 2}, false));
        add("sum(int[]{0,2}, keepdim)", r -> in(leaf(r, 2, 3, 4)), x -> x[0].sum(new int[] {0, 2}, true));
        add("sum(dim) of narrowed", r -> in(leaf(r, 4, 5)), x -> x[0].narrow(0, 1, 2).sum(1));
        add("mean()", r -> in(leaf(r, 3, 4)), x -> x[0].mean());
        add("mean(0)", r -> in(leaf(r, 3, 4)), x -> x[0].mean(0));
        add("mean(1, keepdim)", r -> in(leaf(r, 3, 4)), x -> x[0].mean(1, true));
        add("mean(int[]{0,2})", r -> in(leaf(r, 2, 3, 4)), x -> x[0].mean(new int[] {0, 2}, false));
        add("mean(int[]{1,2}, keepdim)", r -> in(leaf(r, 2, 3, 4)), x -> x[0].mean(new int[] {1, 2}, true));
        add("prod()", r -> in(uniform(r, 0.5, 1.5, 2, 3)), x -> x[0].prod());
        add("prod() negative values", r -> in(awayFromZero(r, 2, 3)), x -> x[0].prod());
        add("prod() one zero", r -> in(fromValues(s(2, 3), 0.7, -1.2, 0.0, 1.5, 0.9, -0.8)), x -> x[0].prod());
        add("prod() two zeros", r -> in(fromValues(s(2, 3), 0.7, 0.0, 1.3, 1.5, 0.0, -0.8)), x -> x[0].prod());
        add("prod(0)", r -> in(uniform(r, 0.5, 1.5, 3, 4)), x -> x[0].prod(0));
        add("prod(1, keepdim)", r -> in(uniform(r, 0.5, 1.5, 3, 4)), x -> x[0].prod(1, true));
        add("prod(1) rows with no, one and two zeros", r -> in(fromValues(s(3, 4),
                0.7, -1.2, 1.1, 1.5,
                0.9, 0.0, -0.8, 1.3,
                0.0, 1.4, 0.0, -0.6)), x -> x[0].prod(1));
        add("prod(0) columns with zeros", r -> in(fromValues(s(3, 3),
                0.0, 1.1, 0.0,
                0.9, 1.2, 0.0,
                -0.6, 0.8, 1.4)), x -> x[0].prod(0));
        add("max()", r -> in(leaf(r, 3, 4)), x -> x[0].max());
        add("min()", r -> in(leaf(r, 3, 4)), x -> x[0].min());
        add("max() of transposed", r -> in(leaf(r, 3, 4)), x -> x[0].t().mul(2).max());
        add("max(0) values", r -> in(leaf(r, 3, 4)), x -> x[0].max(0).values());
        add("max(1, keepdim) values", r -> in(leaf(r, 3, 4)), x -> x[0].max(1, true).values());
        add("min(1) values", r -> in(leaf(r, 3, 4)), x -> x[0].min(1).values());
        add("min(0, keepdim) values", r -> in(leaf(r, 3, 4)), x -> x[0].min(0, true).values());
        add("max(1) values 3-D", r -> in(leaf(r, 2, 3, 4)), x -> x[0].max(1).values());
        add("max(0) values of transposed", r -> in(leaf(r, 3, 4)), x -> x[0].t().max(0).values());
        add("sort values", r -> in(leaf(r, 6)), x -> x[0].sort().values());
        add("sort values dim 0", r -> in(leaf(r, 4, 3)), x -> x[0].sort(0, false).values());
        add("sort values descending dim 1", r -> in(leaf(r, 3, 4)), x -> x[0].sort(1, true).values());
        add("sort values of transposed 3-D", r -> in(leaf(r, 2, 3, 4)), x -> x[0].transpose(1, 2).sort(1, false).values());

        // ---- matrix products
        add("matmul 1-D.1-D", r -> in(leaf(r, 4), leaf(r, 4)), x -> x[0].matmul(x[1]));
        add("matmul 2-D.1-D", r -> in(leaf(r, 3, 4), leaf(r, 4)), x -> x[0].matmul(x[1]));
        add("matmul 1-D.2-D", r -> in(leaf(r, 3), leaf(r, 3, 4)), x -> x[0].matmul(x[1]));
        add("matmul 2-D.2-D", r -> in(leaf(r, 2, 3), leaf(r, 3, 4)), x -> x[0].matmul(x[1]));
        add("matmul 3-D.3-D", r -> in(leaf(r, 2, 3, 4), leaf(r, 2, 4, 2)), x -> x[0].matmul(x[1]));
        add("matmul 3-D.2-D", r -> in(leaf(r, 2, 3, 4), leaf(r, 4, 2)), x -> x[0].matmul(x[1]));
        add("matmul 2-D.3-D", r -> in(leaf(r, 3, 4), leaf(r, 2, 4, 2)), x -> x[0].matmul(x[1]));
        add("matmul 3-D.1-D", r -> in(leaf(r, 2, 3, 4), leaf(r, 4)), x -> x[0].matmul(x[1]));
        add("matmul 1-D.3-D", r -> in(leaf(r, 3), leaf(r, 2, 3, 4)), x -> x[0].matmul(x[1]));
        add("matmul broadcast [2,1,3,4]@[3,4,5]", r -> in(leaf(r, 2, 1, 3, 4), leaf(r, 3, 4, 5)),
                x -> x[0].matmul(x[1]));
        add("matmul broadcast [2,3,4]@[1,4,2]", r -> in(leaf(r, 2, 3, 4), leaf(r, 1, 4, 2)), x -> x[0].matmul(x[1]));
        add("matmul transposed operands", r -> in(leaf(r, 3, 2), leaf(r, 4, 3)), x -> x[0].t().matmul(x[1].t()));
        add("matmul 3-D(non-contiguous).2-D", r -> in(leaf(r, 3, 2, 4), leaf(r, 4, 2)),
                x -> x[0].transpose(0, 1).matmul(x[1]));
        add("matmul same input twice", r -> in(leaf(r, 3, 3)), x -> x[0].matmul(x[0]));
        add("mm", r -> in(leaf(r, 2, 3), leaf(r, 3, 4)), x -> x[0].mm(x[1]));
        add("Torch.mm transposed", r -> in(leaf(r, 3, 2), leaf(r, 3, 4)), x -> Torch.mm(x[0].t(), x[1]));
        add("bmm", r -> in(leaf(r, 2, 3, 4), leaf(r, 2, 4, 2)), x -> x[0].bmm(x[1]));
        add("Torch.bmm permuted", r -> in(leaf(r, 3, 2, 4), leaf(r, 2, 4, 2)),
                x -> Torch.bmm(x[0].permute(1, 0, 2), x[1]));

        // ---- views and copies
        add("view", r -> in(leaf(r, 3, 4)), x -> x[0].view(2, 6));
        add("view -1", r -> in(leaf(r, 2, 3, 2)), x -> x[0].view(-1).mul(x[0].view(-1)));
        add("reshape (view)", r -> in(leaf(r, 3, 4)), x -> x[0].reshape(4, 3));
        add("reshape of transposed (copy)", r -> in(leaf(r, 3, 4)), x -> x[0].t().reshape(-1));
        add("reshape of transposed (copy) then op", r -> in(leaf(r, 3, 4), leaf(r, 2, 6)),
                x -> x[0].t().reshape(2, 6).mul(x[1]));
        add("flatten", r -> in(leaf(r, 2, 3, 2)), x -> x[0].flatten());
        add("flatten(1, 2) of permuted", r -> in(leaf(r, 2, 3, 2)), x -> x[0].permute(2, 0, 1).flatten(1, 2));
        add("t", r -> in(leaf(r, 3, 4)), x -> x[0].t());
        add("t of 1-D", r -> in(leaf(r, 4)), x -> x[0].t().mul(2));
        add("transpose", r -> in(leaf(r, 2, 3, 4)), x -> x[0].transpose(0, 2));
        add("transpose negative dims", r -> in(leaf(r, 2, 3, 4)), x -> x[0].transpose(-1, -2).mul(x[0].transpose(-1, -2)));
        add("permute", r -> in(leaf(r, 2, 3, 4)), x -> x[0].permute(1, 2, 0));
        add("permute then permute", r -> in(leaf(r, 2, 3, 4)), x -> x[0].permute(2, 0, 1).permute(0, 2, 1));
        add("unsqueeze(0)", r -> in(leaf(r, 3, 4)), x -> x[0].unsqueeze(0));
        add("unsqueeze(-1)", r -> in(leaf(r, 3, 4)), x -> x[0].unsqueeze(-1).mul(x[0].unsqueeze(1)));
        add("squeeze()", r -> in(leaf(r, 3, 1, 4, 1)), x -> x[0].squeeze());
        add("squeeze(1)", r -> in(leaf(r, 3, 1, 4)), x -> x[0].squeeze(1));
        add("squeeze(0) no-op", r -> in(leaf(r, 3, 4)), x -> x[0].squeeze(0));
        add("select", r -> in(leaf(r, 3, 4)), x -> x[0].select(1, 2));
        add("select negative index", r -> in(leaf(r, 3, 4)), x -> x[0].select(0, -1));
        add("select then select", r -> in(leaf(r, 2, 3, 4)), x -> x[0].select(2, 1).select(0, 1));
        add("narrow", r -> in(leaf(r, 3, 5)), x -> x[0].narrow(1, 1, 3));
        add("narrow dim 0 twice overlapping", r -> in(leaf(r, 5, 2)),
                x -> x[0].narrow(0, 0, 3).add(x[0].narrow(0, 2, 3)));
        add("expand", r -> in(leaf(r, 3, 1)), x -> x[0].expand(3, 4));
        add("expand new leading dims", r -> in(leaf(r, 4)), x -> x[0].expand(2, 3, 4));
        add("expand then mul", r -> in(leaf(r, 1, 4), leaf(r, 3, 4)), x -> x[0].expand(3, -1).mul(x[1]));
        add("contiguous of transposed", r -> in(leaf(r, 3, 4)), x -> x[0].t().contiguous());
        add("contiguous no-op", r -> in(leaf(r, 3, 4)), x -> x[0].contiguous().mul(3));
        add("clone", r -> in(leaf(r, 3, 4)), x -> x[0].clone());
        add("clone of narrowed", r -> in(leaf(r, 3, 4)), x -> x[0].narrow(1, 1, 2).clone());
        // float32 holds ~7 digits, so the default step 1e-6 would measure rounding noise: a 1e-3 step
        // makes that noise ~1e-4 relative and the cast's Jacobian is exactly the identity.
        CASES.add(new Case("to(float32).to(float64) round trip", r -> in(leaf(r, 3, 4)),
                x -> x[0].to(DType.FLOAT32).to(F64).mul(2), 1e-3, 1e-4, 1e-3));
        add("to(float64) no-op", r -> in(leaf(r, 3, 4)), x -> x[0].to(F64).mul(x[0]));

        // ---- joins and where
        add("cat dim 0", r -> in(leaf(r, 2, 3), leaf(r, 1, 3)), x -> Torch.cat(x[0], x[1]));
        add("cat dim 1 with transposed", r -> in(leaf(r, 2, 3), leaf(r, 4, 2)), x -> Torch.cat(1, x[0], x[1].t()));
        add("cat list, three inputs", r -> in(leaf(r, 2), leaf(r, 3), leaf(r, 1)),
                x -> Torch.cat(Arrays.asList(x[0], x[1], x[2]), 0));
        add("cat same input twice", r -> in(leaf(r, 2, 2)), x -> Torch.cat(0, x[0], x[0].mul(x[0])));
        add("stack dim 0", r -> in(leaf(r, 2, 3), leaf(r, 2, 3)), x -> Torch.stack(x[0], x[1]));
        add("stack dim 1", r -> in(leaf(r, 2, 3), leaf(r, 2, 3), leaf(r, 2, 3)),
                x -> Torch.stack(Arrays.asList(x[0], x[1], x[2]), 1));
        add("stack dim -1", r -> in(leaf(r, 3), leaf(r, 3)), x -> Torch.stack(Arrays.asList(x[0], x[1]), -1));
        add("vstack 1-D", r -> in(leaf(r, 4), leaf(r, 4)), x -> Torch.vstack(x[0], x[1]));
        add("vstack 2-D", r -> in(leaf(r, 2, 3), leaf(r, 1, 3)), x -> Torch.vstack(x[0], x[1]));
        add("hstack 1-D", r -> in(leaf(r, 2), leaf(r, 3)), x -> Torch.hstack(x[0], x[1]));
        add("hstack 2-D", r -> in(leaf(r, 2, 3), leaf(r, 2, 1)), x -> Torch.hstack(x[0], x[1]));
        add("where", r -> in(leaf(r, 3, 4), leaf(r, 3, 4)),
                x -> Torch.where(x[0].detach().gt(x[1].detach()), x[0], x[1]));
        add("where broadcast cond [3,1], x [3,4], y [4]", r -> in(leaf(r, 3, 4), leaf(r, 4)),
                x -> Torch.where(Torch.tensor(true, false, true).reshape(3, 1), x[0], x[1]));
        add("where y 0-d", r -> in(leaf(r, 2, 3), scalar(r)),
                x -> Torch.where(Torch.tensor(true, false, false, true, true, false).reshape(2, 3), x[0], x[1]));

        // ---- softmax and log-softmax over each dim
        for (int d = 0; d < 3; d++) {
            int dim = d;
            add("softmax dim " + d, r -> in(uniform(r, -2, 2, 2, 3, 4)), x -> x[0].softmax(dim));
            add("logSoftmax dim " + d, r -> in(uniform(r, -2, 2, 2, 3, 4)), x -> x[0].logSoftmax(dim));
        }
        add("softmax dim -1", r -> in(uniform(r, -2, 2, 3, 4)), x -> Torch.softmax(x[0], -1));
        add("logSoftmax dim -1", r -> in(uniform(r, -2, 2, 3, 4)), x -> Torch.logSoftmax(x[0], -1));
        add("softmax of transposed", r -> in(uniform(r, -2, 2, 3, 4)), x -> F.softmax(x[0].t(), 1));
        add("logSoftmax of transposed", r -> in(uniform(r, -2, 2, 3, 4)), x -> F.logSoftmax(x[0].t(), 0));
        add("softmax 1-D", r -> in(uniform(r, -2, 2, 5)), x -> x[0].softmax(0));

        // ---- linear
        add("linear 2-D with bias", r -> in(leaf(r, 4, 3), leaf(r, 2, 3), leaf(r, 2)),
                x -> Torch.linear(x[0], x[1], x[2]));
        add("linear 2-D without bias", r -> in(leaf(r, 4, 3), leaf(r, 2, 3)), x -> Torch.linear(x[0], x[1], null));
        add("linear 3-D with bias", r -> in(leaf(r, 2, 4, 3), leaf(r, 2, 3), leaf(r, 2)),
                x -> F.linear(x[0], x[1], x[2]));
        add("linear 3-D without bias", r -> in(leaf(r, 2, 4, 3), leaf(r, 2, 3)), x -> F.linear(x[0], x[1], null));
        add("linear 1-D input", r -> in(leaf(r, 3), leaf(r, 2, 3), leaf(r, 2)), x -> F.linear(x[0], x[1], x[2]));
        add("linear transposed input and weight", r -> in(leaf(r, 3, 4), leaf(r, 3, 2), leaf(r, 2)),
                x -> F.linear(x[0].t(), x[1].t(), x[2]));

        // ---- elementwise losses, each reduction, with respect to input and target
        for (Reduction red : Reduction.values()) {
            add("mseLoss " + red, r -> in(leaf(r, 3, 4), leaf(r, 3, 4)), x -> F.mseLoss(x[0], x[1], red));
            add("l1Loss " + red, r -> in(leaf(r, 3, 4), leaf(r, 3, 4)), x -> F.l1Loss(x[0], x[1], red));
            add("binaryCrossEntropyWithLogits " + red, r -> in(uniform(r, -3, 3, 3, 4), uniform(r, 0, 1, 3, 4)),
                    x -> F.binaryCrossEntropyWithLogits(x[0], x[1], red));
        }
        add("mseLoss of transposed input", r -> in(leaf(r, 4, 3), leaf(r, 3, 4)),
                x -> F.mseLoss(x[0].t(), x[1], Reduction.MEAN));
        add("mseLoss broadcast target", r -> in(leaf(r, 3, 4), leaf(r, 4)), x -> F.mseLoss(x[0], x[1], Reduction.SUM));
        add("bceWithLogits large logits", r -> in(uniform(r, -30, 30, 2, 3), uniform(r, 0, 1, 2, 3)),
                x -> F.binaryCrossEntropyWithLogits(x[0], x[1], Reduction.SUM));
        add("bceWithLogits of narrowed", r -> in(uniform(r, -3, 3, 3, 5), uniform(r, 0, 1, 3, 2)),
                x -> F.binaryCrossEntropyWithLogits(x[0].narrow(1, 2, 2), x[1], Reduction.MEAN));

        // ---- cross entropy with class indices
        for (Reduction red : Reduction.values()) {
            add("crossEntropy int64 " + red, r -> in(uniform(r, -2, 2, 4, 5)),
                    x -> F.crossEntropy(x[0], Torch.tensor(1L, 0L, 4L, 2L), -100, 0.0, red));
            add("crossEntropy ignoreIndex hit " + red, r -> in(uniform(r, -2, 2, 4, 5)),
                    x -> F.crossEntropy(x[0], Torch.tensor(1L, 3L, 4L, 3L), 3, 0.0, red));
            add("crossEntropy labelSmoothing 0.1 " + red, r -> in(uniform(r, -2, 2, 4, 5)),
                    x -> F.crossEntropy(x[0], Torch.tensor(1L, 0L, 4L, 2L), -100, 0.1, red));
            add("crossEntropy [N,C,d] " + red, r -> in(uniform(r, -2, 2, 2, 3, 4)),
                    x -> F.crossEntropy(x[0], Torch.tensor(new long[][] {{0, 2, 1, 1}, {2, 0, 0, 1}}), -100, 0.0, red));
            add("crossEntropy probability targets " + red, r -> in(uniform(r, -2, 2, 3, 4), pos(r, 3, 4)),
                    x -> F.crossEntropy(x[0], x[1].div(x[1].sum(1, true)), -100, 0.0, red));
        }
        add("crossEntropy default (mean)", r -> in(uniform(r, -2, 2, 3, 4)),
                x -> F.crossEntropy(x[0], Torch.tensor(3L, 0L, 1L)));
        add("crossEntropy ignoreIndex -100 hit", r -> in(uniform(r, -2, 2, 3, 4)),
                x -> F.crossEntropy(x[0], Torch.tensor(3L, -100L, 1L)));
        add("crossEntropy ignoreIndex and labelSmoothing", r -> in(uniform(r, -2, 2, 4, 5)),
                x -> F.crossEntropy(x[0], Torch.tensor(1L, 3L, 4L, 0L), 3, 0.1, Reduction.MEAN));
        add("crossEntropy unbatched [C]", r -> in(uniform(r, -2, 2, 5)),
                x -> F.crossEntropy(x[0], Torch.scalarTensor(2L), -100, 0.0, Reduction.MEAN));
        add("crossEntropy unbatched [C] smoothing", r -> in(uniform(r, -2, 2, 5)),
                x -> F.crossEntropy(x[0], Torch.scalarTensor(4L), -100, 0.1, Reduction.SUM));
        add("crossEntropy [N,C,d] smoothing mean", r -> in(uniform(r, -2, 2, 2, 3, 4)),
                x -> F.crossEntropy(x[0], Torch.tensor(new long[][] {{0, 2, 1, 1}, {2, 0, 0, 1}}), -100, 0.1,
                        Reduction.MEAN));
        add("crossEntropy of transposed logits", r -> in(uniform(r, -2, 2, 5, 3)),
                x -> F.crossEntropy(x[0].t(), Torch.tensor(4L, 0L, 2L)));
        add("crossEntropy probability targets smoothing", r -> in(uniform(r, -2, 2, 3, 4), pos(r, 3, 4)),
                x -> F.crossEntropy(x[0], x[1].div(x[1].sum(1, true)), -100, 0.1, Reduction.MEAN));
        add("crossEntropy probability targets unbatched", r -> in(uniform(r, -2, 2, 4), pos(r, 4)),
                x -> F.crossEntropy(x[0], x[1].div(x[1].sum()), -100, 0.0, Reduction.MEAN));
        add("crossEntropy probability targets [N,C,d]", r -> in(uniform(r, -2, 2, 2, 3, 2), pos(r, 2, 3, 2)),
                x -> F.crossEntropy(x[0], x[1].div(x[1].sum(1, true)), -100, 0.0, Reduction.MEAN));

        // ---- compositions: several ops in one graph, shared inputs, broadcast and views mixed
        add("composite mlp", r -> in(leaf(r, 4, 3), leaf(r, 5, 3), leaf(r, 5), leaf(r, 2, 5)),
                x -> F.crossEntropy(F.linear(F.linear(x[0], x[1], x[2]).tanh(), x[3], null),
                        Torch.tensor(0L, 1L, 1L, 0L)));
        add("composite regression", r -> in(leaf(r, 6, 2), leaf(r, 2), scalar(r)),
                x -> x[0].matmul(x[1]).add(x[2]).sub(x[0].select(1, 0).sin()).pow(2).mean());
    }

    /** Two [3, 4] leaves whose elements differ by at least 0.1 (no ties for maximum/minimum). */
    static Tensor[] distinctPair(Random r) {
        double[] a = new double[12], b = new double[12];
        for (int i = 0; i < 12; i++) {
            a[i] = -1 + 2 * r.nextDouble();
            b[i] = a[i] + (0.1 + 0.9 * r.nextDouble()) * (r.nextBoolean() ? 1 : -1);
        }
        return in(Torch.tensor(a, F64).reshape(3, 4).requiresGrad_(), Torch.tensor(b, F64).reshape(3, 4).requiresGrad_());
    }

    static Stream<Case> cases() { return CASES.stream(); }

    /** The cases that also run on the reference backend: one or more of each kind of op. */
    private static final Set<String> REFERENCE_SUBSET = Set.of(
            "add broadcast [3,1]+[4]", "mul [2,3]*0-d", "div", "pow tensor-tensor", "maximum", "minimum broadcast",
            "rsub", "Torch.pow(scalar, t)", "pow scalar -1.5", "abs", "exp", "log", "sqrt", "sin", "cos", "tanh",
            "sigmoid", "relu", "log of narrowed",
            "sum(int[]{0,2})", "mean(1, keepdim)", "prod(1) rows with no, one and two zeros", "prod() one zero",
            "max()", "min(1) values", "sort values dim 0",
            "matmul 1-D.1-D", "matmul 2-D.1-D", "matmul 1-D.2-D", "matmul 3-D.2-D", "matmul broadcast [2,1,3,4]@[3,4,5]",
            "bmm", "reshape of transposed (copy)", "permute", "select", "narrow", "expand",
            "to(float32).to(float64) round trip", "cat dim 1 with transposed", "stack dim 1", "where broadcast cond [3,1], x [3,4], y [4]",
            "softmax dim 1", "logSoftmax dim 0", "linear 2-D with bias", "linear 3-D with bias",
            "mseLoss MEAN", "l1Loss SUM", "binaryCrossEntropyWithLogits NONE",
            "crossEntropy labelSmoothing 0.1 MEAN", "crossEntropy ignoreIndex hit SUM", "crossEntropy [N,C,d] NONE",
            "crossEntropy unbatched [C]", "crossEntropy probability targets MEAN", "composite mlp");

    static Stream<Case> referenceCases() { return CASES.stream().filter(c -> REFERENCE_SUBSET.contains(c.name)); }

    @ParameterizedTest(name = "native: {0}") @MethodSource("cases")
    void gradcheckNative(Case c) {
        assertEquals("native", Torch.cpuBackend());
        c.run();
    }

    @ParameterizedTest(name = "cuda: {0}") @MethodSource("cases")
    void gradcheckCuda(Case c) {
        org.junit.jupiter.api.Assumptions.assumeTrue(Torch.cuda().isAvailable(), CudaTest::skipReason);
        c.run(Device.cuda(0));
    }

    @ParameterizedTest(name = "reference: {0}") @MethodSource("referenceCases")
    void gradcheckReference(Case c) {
        String before = Torch.cpuBackend();
        Torch.setCpuBackend("reference");
        try {
            c.run();
        } finally {
            Torch.setCpuBackend(before);
        }
    }

    @Test void everyReferenceCaseExists() {
        assertEquals(REFERENCE_SUBSET.size(), referenceCases().count(), "a name in REFERENCE_SUBSET matches no case");
        assertEquals(CASES.size(), CASES.stream().map(c -> c.name).distinct().count(), "case names must be unique");
    }

    // ------------------------------------------------------------------------------- negative tests

    /** x * detach(x): the analytic gradient is x, the numerical one 2x, so gradcheck must raise. */
    @Test void rejectsDetachInTheMiddle() {
        Tensor x = leaf(new Random(7), 2, 3);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Torch.gradcheck(t -> t[0].mul(t[0].detach()), x));
        assertTrue(e.getMessage().startsWith("Jacobian mismatch for output 0 with respect to input 0"), e.getMessage());
        // a detached branch that adds a constant is harmless: its Jacobian is zero both ways
        assertTrue(Torch.gradcheck(t -> t[0].mul(t[0]).add(Torch.onesLike(t[0]).mul(3)), x));
    }

    /** A function whose whole result is detached in the middle has a zero analytic Jacobian. */
    @Test void rejectsDetachedChain() {
        Tensor x = leaf(new Random(8), 3), w = leaf(new Random(9), 3);
        assertThrows(IllegalStateException.class, () -> Torch.gradcheck(t -> t[0].exp().detach().mul(t[1]), x, w));
    }

    /** sin with a derivative rule recorded by hand: the right rule passes, a 1% error or a wrong sign fails. */
    @Test void rejectsWrongCustomRule() {
        Tensor x = uniform(new Random(10), -2, 2, 2, 3);
        assertTrue(Torch.gradcheck(t -> sinWithRule(t[0], 1.0), x));
        assertThrows(IllegalStateException.class, () -> Torch.gradcheck(t -> sinWithRule(t[0], 1.01), x));
        assertThrows(IllegalStateException.class, () -> Torch.gradcheck(t -> sinWithRule(t[0], -1.0), x));
    }

    /** A rule that sends the gradient to the wrong element (transposed) is rejected too. */
    @Test void rejectsMisroutedGradient() {
        Tensor x = leaf(new Random(11), 2, 2);
        Function<Tensor[], Tensor> transposedRule = t -> {
            Tensor out;
            try (var off = Torch.noGrad()) {
                out = t[0].mul(2);
            }
            return Derivatives.record(out, "WrongBackward", (g, fn) -> new Tensor[] {g.t().mul(2)}, new Tensor[] {t[0]});
        };
        assertThrows(IllegalStateException.class, () -> Torch.gradcheck(transposedRule, x));
    }

    /** sin(x) computed without history, then recorded with the rule g * cos(x) * factor. */
    private static Tensor sinWithRule(Tensor x, double factor) {
        Tensor out;
        try (var off = Torch.noGrad()) {
            out = x.sin();
        }
        Tensor saved = x.detach();
        return Derivatives.record(out, "SinBackward0", (g, fn) -> new Tensor[] {g.mul(saved.cos()).mul(factor)},
                new Tensor[] {x});
    }
}

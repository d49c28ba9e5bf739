package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.torchlet.nn.F;
import dev.torchlet.nn.Reduction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input gets a Java exception with PyTorch's wording and the shapes involved, never a crash. */
class BadInputTest {
    static void raises(Class<? extends Throwable> type, String message, Executable call) {
        assertEquals(message, assertThrows(type, call).getMessage());
    }

    static final Class<IllegalArgumentException> ARG = IllegalArgumentException.class;
    static final Class<IndexOutOfBoundsException> INDEX = IndexOutOfBoundsException.class;

    @Test void broadcastMismatch() {
        raises(ARG, "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1",
                () -> Torch.ones(2, 3).add(Torch.ones(4)));
    }

    @Test void matmulInnerDimensionMismatch() {
        raises(ARG, "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", () -> Torch.ones(2, 3).matmul(Torch.ones(4, 5)));
        raises(ARG, "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", () -> Torch.ones(2, 3).mm(Torch.ones(4, 5)));
    }

    @Test void matmulVectorMismatches() {
        raises(ARG, "inconsistent tensor size, expected tensor [3] and src [4] to have the same number of elements, "
                + "but got 3 and 4 elements respectively", () -> Torch.ones(3).matmul(Torch.ones(4)));
        raises(ARG, "size mismatch, got input (2), mat (2x3), vec (4)", () -> Torch.ones(2, 3).matmul(Torch.ones(4)));
        raises(ARG, "both arguments to matmul need to be at least 1D, but they are 0D and 1D",
                () -> Torch.scalarTensor(1.0).matmul(Torch.ones(4)));
    }

    @Test void bmmMismatch() {
        raises(ARG, "Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 4].",
                () -> Torch.ones(2, 2, 3).bmm(Torch.ones(2, 4, 5)));
        raises(ARG, "batch1 must be a 3D tensor", () -> Torch.ones(2, 3).bmm(Torch.ones(2, 3, 4)));
    }

    @Test void matmulDtypeMismatch() {
        raises(ARG, "expected m1 and m2 to have the same dtype, but got: float != double",
                () -> Torch.ones(2, 3).matmul(Torch.ones(new long[] {3, 2}, DType.FLOAT64)));
        raises(ARG, "\"addmm_impl_cpu_\" not implemented for 'Bool'",
                () -> Torch.ones(new long[] {2, 2}, DType.BOOL).matmul(Torch.ones(new long[] {2, 2}, DType.BOOL)));
    }

    @Test void dimOutOfRange() {
        raises(INDEX, "Dimension out of range (expected to be in range of [-2, 1], but got 2)", () -> Torch.ones(2, 3).sum(2));
        raises(INDEX, "Dimension out of range (expected to be in range of [-3, 2], but got -4)",
                () -> Torch.ones(2, 3).unsqueeze(-4));
        raises(INDEX, "dimension specified as 0 but tensor has no dimensions", () -> Torch.scalarTensor(1.0).size(0));
    }

    @Test void nonContiguousView() {
        raises(ARG, "view size is not compatible with input tensor's size and stride (at least one dimension spans "
                + "across two contiguous subspaces). Use .reshape(...) instead.", () -> Torch.ones(2, 3).t().view(6));
    }

    @Test void invalidViewShape() {
        raises(ARG, "shape '[4, 2]' is invalid for input of size 6", () -> Torch.ones(2, 3).view(4, 2));
        raises(ARG, "only one dimension can be inferred", () -> Torch.ones(2, 3).view(-1, -1));
    }

    @Test void meanOfIntegers() {
        raises(ARG, "mean(): could not infer output dtype. Input dtype must be either a floating point or complex "
                + "dtype. Got: Long", () -> Torch.arange(5).mean());
    }

    @Test void boolSubtractionAndNegation() {
        Tensor b = Torch.tensor(true, false);
        raises(ARG, "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
                + "`logical_xor()` operator instead.", () -> b.sub(b));
        raises(ARG, "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, "
                + "use the `~` or `logical_not()` operator instead.", b::neg);
    }

    @Test void inPlaceBroadcastAndCast() {
        raises(ARG, "output with shape [3] doesn't match the broadcast shape [2, 3]", () -> Torch.ones(3).add_(Torch.ones(2, 3)));
        raises(ARG, "result type Float can't be cast to the desired output type Long", () -> Torch.arange(3).mul_(0.5));
        raises(ARG, "unsupported operation: more than one element of the written-to tensor refers to a single memory "
                + "location. Please clone() the tensor before performing the operation.",
                () -> Torch.ones(3).expand(2, 3).add_(1.0));
    }

    @Test void crossEntropyOfIntegerLogits() { // the native kernel would read the int64 or bool data as floats
        raises(ARG, "\"log_softmax_lastdim_kernel_impl\" not implemented for 'Long'",
                () -> F.crossEntropy(Torch.tensor(new long[][] {{1, 2}}), Torch.tensor(0L)));
        raises(ARG, "\"log_softmax_lastdim_kernel_impl\" not implemented for 'Bool'",
                () -> F.crossEntropy(Torch.tensor(true, false), Torch.scalarTensor(1L)));
    }

    @Test void mseLossOfIntegers() { // as PyTorch, whatever the reduction; one float operand is enough
        for (Reduction r : Reduction.values()) {
            raises(ARG, "\"mse_cpu\" not implemented for 'Long'", () -> F.mseLoss(Torch.tensor(1L, 2L), Torch.tensor(3L, 1L), r));
            raises(ARG, "\"mse_cpu\" not implemented for 'Bool'", () -> F.mseLoss(Torch.tensor(true), Torch.tensor(false), r));
        }
        assertEquals(0.625, F.mseLoss(Torch.tensor(1L, 2L), Torch.tensor(0.5f, 1f)).item());
    }

    @Test void integerNegativePower() {
        raises(ARG, "Integers to negative integer powers are not allowed.", () -> Torch.arange(3).pow(-1));
    }

    @Test void itemOfManyElements() {
        raises(ARG, "a Tensor with 2 elements cannot be converted to Scalar", () -> Torch.ones(2).item());
    }

    @Test void negativeSizes() {
        raises(ARG, "Trying to create tensor with negative dimension -1: [2, -1]", () -> Torch.zeros(2, -1));
    }

    @Test void tensorTooLargeForMemory() {
        raises(ARG, "a tensor of 4611686018427387904 torch.float32 elements does not fit in memory",
                () -> Torch.zeros(1L << 62));
    }

    @Test void selectAndNarrowOutOfRange() {
        raises(INDEX, "select(): index 5 out of range for tensor of size [3, 4] at dimension 0", () -> Torch.ones(3, 4).select(0, 5));
        raises(ARG, "start (3) + length (2) exceeds dimension size (4).", () -> Torch.ones(3, 4).narrow(1, 3, 2));
    }

    @Test void expandMismatch() {
        raises(ARG, "The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 1."
                + "  Target sizes: [2, 4].  Tensor sizes: [2, 3]", () -> Torch.ones(2, 3).expand(2, 4));
        raises(ARG, "expand(FloatTensor{[2, 3]}, size=[3]): the number of sizes provided (1) must be greater or equal "
                + "to the number of dimensions in the tensor (2)", () -> Torch.ones(2, 3).expand(3));
    }

    @Test void permuteMismatch() {
        raises(ARG, "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the "
                + "desired ordering of dimensions i.e. input.dim() = 2 is not equal to len(dims) = 1",
                () -> Torch.ones(2, 3).permute(0));
        raises(ARG, "permute(): duplicate dims are not allowed.", () -> Torch.ones(2, 3).permute(1, 1));
        raises(ARG, "t() expects a tensor with <= 2 dimensions, but self is 3D", () -> Torch.ones(2, 3, 4).t());
    }

    @Test void catAndStackMismatch() {
        raises(ARG, "Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor "
                + "number 1 in the list.", () -> Torch.cat(Torch.ones(2, 3), Torch.ones(2, 4)));
        raises(ARG, "stack expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1",
                () -> Torch.stack(Torch.ones(2), Torch.ones(3)));
        raises(ARG, "zero-dimensional tensor (at position 0) cannot be concatenated",
                () -> Torch.cat(Torch.scalarTensor(1.0), Torch.scalarTensor(2.0)));
        raises(ARG, "torch.cat(): expected a non-empty list of Tensors", () -> Torch.cat());
    }

    @Test void emptyReductions() {
        raises(ARG, "max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim "
                + "with the 'dim' argument.", () -> Torch.zeros(0).max());
        raises(ARG, "max(): Expected reduction dim 0 to have non-zero size.", () -> Torch.zeros(0, 3).max(0));
        raises(ARG, "argmax(): Expected reduction dim to be specified for input.numel() == 0.", () -> Torch.zeros(0).argmax());
    }

    @Test void raggedArray() {
        raises(ARG, "expected sequence of length 2 at dim 1 (got 3)", () -> Torch.tensor(new float[][] {{1, 2}, {1, 2, 3}}));
    }

    @Test void badRanges() {
        raises(ARG, "step must be nonzero", () -> Torch.arange(0.0, 1.0, 0.0));
        raises(ARG, "upper bound and larger bound inconsistent with step sign", () -> Torch.arange(0.0, 1.0, -1.0));
        raises(ARG, "\"linspace_cpu\" not implemented for 'Bool'", () -> Torch.linspace(0, 1, 3, DType.BOOL));
    }

    @Test void cudaWithoutCuda() {
        org.junit.jupiter.api.Assumptions.assumeFalse(Torch.cuda().isAvailable(), "a CUDA GPU is present");
        // the reason depends on the machine (CudaTest checks it): no CUDA library, no driver, no GPU or no cuBLAS
        raises(IllegalStateException.class, dev.torchlet.backend.cuda.CudaRuntime.unavailableReason(),
                () -> Torch.ones(2).to(Device.cuda(0)));
    }
}

package dev.torchlet;

import static dev.torchlet.BadInputTest.ARG;
import static dev.torchlet.BadInputTest.INDEX;
import static dev.torchlet.BadInputTest.raises;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.torchlet.backend.BinaryOp;
import dev.torchlet.backend.ReduceOp;
import dev.torchlet.backend.Strided;
import dev.torchlet.backend.cpu.CpuBackend;
import dev.torchlet.nn.F;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What reaches a native call is checked in Java first: views past their storage, negative strides, sizes
 * whose counts overflow, partially overlapping in-place writes, closed tensors and operands that disagree with
 * each other all raise a Java exception with a clear message (PyTorch's where PyTorch has one), never a crash.
 * The index values inside tensors (scatter indices, class targets) are checked by the kernels, which report
 * the first bad one instead of touching memory.
 */
class NativeBoundaryTest {
    @AfterEach void nativeBackend() { Torch.setCpuBackend("native"); }

    // ------------------------------------------------------------------------------------------- as_strided

    @ParameterizedTest @ValueSource(strings = {"native", "reference"})
    void asStridedViewsAnyPartOfTheStorage(String backend) {
        Torch.setCpuBackend(backend);
        Tensor x = Torch.arange(0.0, 6.0, 1.0); // storage [0, 1, 2, 3, 4, 5]
        assertArrayEquals(new float[] {1, 3, 2, 4}, x.asStrided(new long[] {2, 2}, new long[] {1, 2}, 1).toFloatArray());
        Tensor tail = x.narrow(0, 4, 2); // storage offset 4: the two-argument form starts there
        assertArrayEquals(new float[] {4, 5}, tail.asStrided(new long[] {2}, new long[] {1}).toFloatArray());
        assertArrayEquals(new float[] {0, 2, 4}, tail.asStrided(new long[] {3}, new long[] {2}, 0).toFloatArray());
        Tensor window = x.asStrided(new long[] {2}, new long[] {1}, 2);
        window.fill_(9); // a view: writes reach the base
        assertArrayEquals(new float[] {0, 1, 9, 9, 4, 5}, x.toFloatArray());
        assertEquals(0, x.asStrided(new long[] {0, 5}, new long[] {1, 1}, 6).numel()); // empty: any offset in range
    }

    @ParameterizedTest @ValueSource(strings = {"native", "reference"})
    void asStridedRefusesWhatPyTorchRefuses(String backend) {
        Torch.setCpuBackend(backend);
        Tensor x = Torch.zeros(6); // float32: a storage of 24 bytes
        raises(ARG, "setStorage: sizes [2, 3], strides [3, 1], storage offset 1, and itemsize 4 requiring a storage "
                + "size of 28 are out of bounds for storage of size 24",
                () -> x.asStrided(new long[] {2, 3}, new long[] {3, 1}, 1));
        raises(ARG, "setStorage: sizes [7], strides [1], storage offset 0, and itemsize 4 requiring a storage size of "
                + "28 are out of bounds for storage of size 24", () -> x.asStrided(new long[] {7}, new long[] {1}));
        raises(ARG, "as_strided: Negative strides are not supported at the moment, got strides: [-1]",
                () -> x.asStrided(new long[] {3}, new long[] {-1}, 5));
        raises(ARG, "mismatch in length of strides and shape", () -> x.asStrided(new long[] {2, 3}, new long[] {1}));
        raises(ARG, "Tensor: invalid storage offset -1", () -> x.asStrided(new long[] {2}, new long[] {1}, -1));
        raises(ARG, "Trying to create tensor with negative dimension -2: [-2]",
                () -> x.asStrided(new long[] {-2}, new long[] {1}));
        raises(ARG, "Storage size calculation overflowed with sizes=[4, 2] and strides=[4611686018427387904, 1]",
                () -> x.asStrided(new long[] {4, 2}, new long[] {1L << 62, 1}, 0));
        // a view of a view: bounds are the storage's, not the view's
        Tensor part = x.narrow(0, 1, 2);
        assertEquals(6, part.asStrided(new long[] {6}, new long[] {1}, 0).numel());
        raises(ARG, "setStorage: sizes [6], strides [1], storage offset 1, and itemsize 4 requiring a storage size of "
                + "28 are out of bounds for storage of size 24", () -> part.asStrided(new long[] {6}, new long[] {1}));
    }

    @Test void asStridedGradientScattersIntoTheInputsGeometry() {
        // overlapping windows [[x0, x1], [x1, x2], [x2, x3]]: x1 and x2 collect the gradient of two elements each
        Tensor x = Torch.arange(0.0, 4.0, 1.0).requiresGrad_(true);
        Tensor w = Torch.tensor(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        Tensor y = x.asStrided(new long[] {3, 2}, new long[] {1, 1}, 0);
        assertEquals("AsStridedBackward0", y.gradFn().name());
        y.mul(w).sum().backward();
        assertArrayEquals(new float[] {1, 2 + 3, 4 + 5, 6}, x.grad().toFloatArray());

        // an input that repeats its elements (expand): each repeat gets an equal share, PyTorch's rule
        Tensor v = Torch.tensor(1f, 2f, 3f, 4f).requiresGrad_(true);
        v.expand(2, 4).asStrided(new long[] {4}, new long[] {1}, 0).mul(Torch.tensor(1f, 10f, 100f, 1000f)).sum()
                .backward();
        assertArrayEquals(new float[] {1, 10, 100, 1000}, v.grad().toFloatArray()); // 2 shares of g/2 each

        // elements of the storage outside the input get no gradient, elements of the input outside the view zero
        Tensor base = Torch.zeros(6);
        Tensor mid = base.narrow(0, 2, 2).requiresGrad_(true); // storage elements 2, 3
        mid.asStrided(new long[] {3}, new long[] {1}, 1).sum().backward(); // storage elements 1, 2, 3
        assertArrayEquals(new float[] {1, 1}, mid.grad().toFloatArray());
        Tensor leaf = Torch.zeros(4).requiresGrad_(true);
        leaf.asStrided(new long[] {2}, new long[] {2}, 1).sum().backward(); // elements 1 and 3
        assertArrayEquals(new float[] {0, 1, 0, 1}, leaf.grad().toFloatArray());
    }

    // ------------------------------------------------------------------------------------ views past bounds

    @ParameterizedTest @ValueSource(strings = {"native", "reference"})
    void viewsPastTheirBoundsRaise(String backend) {
        Torch.setCpuBackend(backend);
        Tensor x = Torch.zeros(2, 3);
        raises(INDEX, "select(): index 3 out of range for tensor of size [2, 3] at dimension 1", () -> x.select(1, 3));
        raises(INDEX, "select(): index -3 out of range for tensor of size [2, 3] at dimension 0", () -> x.select(0, -3));
        raises(ARG, "start (2) + length (2) exceeds dimension size (3).", () -> x.narrow(1, 2, 2));
        raises(INDEX, "start out of range (expected to be in range of [-3, 3], but got 4)", () -> x.narrow(1, 4, 0));
        raises(ARG, "narrow(): length must be non-negative.", () -> x.narrow(1, 0, -1));
        raises(ARG, "shape '[7]' is invalid for input of size 6", () -> x.view(7));
        raises(ARG, "The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 1.  "
                + "Target sizes: [2, 4].  Tensor sizes: [2, 3]", () -> x.expand(2, 4));
        // sizes whose element count overflows int64: refused before any kernel could count them
        Tensor one = Torch.scalarTensor(1.0);
        raises(ARG, "numel: integer multiplication overflow: sizes [4294967296, 4294967296]",
                () -> one.expand(1L << 32, 1L << 32));
        raises(ARG, "Tensor of shape [4294967296, 4294967296] has too many elements",
                () -> Torch.zeros(1L << 32, 1L << 32));
    }

    // ------------------------------------------------------------------------------ overlapping in-place

    @ParameterizedTest @ValueSource(strings = {"native", "reference"})
    void partiallyOverlappingInPlaceWritesRaise(String backend) {
        Torch.setCpuBackend(backend);
        String message = "unsupported operation: some elements of the input tensor and the written-to tensor refer to "
                + "a single memory location. Please clone() the tensor before performing the operation.";
        Tensor a = Torch.arange(0.0, 5.0, 1.0);
        raises(ARG, message, () -> a.narrow(0, 1, 4).add_(a.narrow(0, 0, 4)));
        raises(ARG, message, () -> a.narrow(0, 1, 4).copy_(a.narrow(0, 0, 4)));
        Tensor m = Torch.arange(0.0, 4.0, 1.0).reshape(2, 2);
        raises(ARG, message, () -> m.mul_(m.t())); // the same memory, another order
        assertArrayEquals(new float[] {0, 1, 2, 3, 4}, a.toFloatArray(), "nothing was written");
        a.add_(a); // the same elements: fine, as in PyTorch
        a.narrow(0, 0, 2).sub_(a.narrow(0, 3, 2)); // disjoint parts of one storage: fine
        assertArrayEquals(new float[] {-6, -6, 4, 6, 8}, a.toFloatArray());
        Tensor b = Torch.ones(3, 3);
        b.add_(b.select(0, 0).expand(3, 3)); // a repeating input PyTorch cannot judge: read from a copy
        assertArrayEquals(new float[] {2, 2, 2, 2, 2, 2, 2, 2, 2}, b.toFloatArray());
        raises(ARG, "unsupported operation: more than one element of the written-to tensor refers to a single memory "
                + "location. Please clone() the tensor before performing the operation.",
                () -> Torch.ones(3).expand(2, 3).add_(1.0));
    }

    // ------------------------------------------------------------------- index values inside tensors

    @ParameterizedTest @ValueSource(strings = {"native", "reference"})
    void indexValuesOutOfRangeRaise(String backend) {
        Torch.setCpuBackend(backend);
        Tensor src = Torch.tensor(1f, 2f), index = Torch.tensor(0, 5);
        raises(INDEX, "index 5 is out of bounds for dimension 0 with size 3",
                () -> Tensor.scatterAlongDim(src, index, 0, new long[] {3}));
        raises(INDEX, "index -1 is out of bounds for dimension 1 with size 2",
                () -> Tensor.scatterAlongDim(src.reshape(1, 2), Torch.tensor(1, -1).reshape(1, 2), 1, new long[] {1, 2}));
        assertArrayEquals(new float[] {2, 0, 1}, Tensor.scatterAlongDim(src, Torch.tensor(2, 0), 0, new long[] {3})
                .toFloatArray());
        Tensor logits = Torch.zeros(2, 3), target = Torch.tensor(1, 7);
        raises(INDEX, "Target 7 is out of bounds.", () -> F.crossEntropy(logits, target));
        raises(INDEX, "Target 7 is out of bounds.",
                () -> Tensor.crossEntropyBackward(logits, target, Torch.ones(2), -100, 0.0));
        raises(INDEX, "Target -2 is out of bounds.",
                () -> Tensor.crossEntropyBackward(logits, Torch.tensor(-2, 0), Torch.ones(2), -100, 0.0));
    }

    // -------------------------------------------------------- the native backend's own checks of its operands

    @Test void nativeCallsRefuseOperandsThatDisagree() {
        CpuBackend cpu = CpuBackend.INSTANCE;
        Strided three = Torch.zeros(3).data(), four = Torch.zeros(4).data(), longs = Torch.tensor(1, 2, 3).data();
        Strided strided = Torch.zeros(3, 2).select(1, 0).data(); // non-contiguous, 3 elements
        assertMessage("native binary: expected shape [3], got an operand of shape [4], strides [1] and dtype torch.float32",
                () -> cpu.binary(BinaryOp.ADD, three, four, three));
        assertMessage("native binary: expected dtype torch.float32, got an operand of shape [3], strides [1] and dtype torch.int64",
                () -> cpu.binary(BinaryOp.ADD, three, longs, three));
        assertMessage("native binary: expected dtype torch.bool, got an operand of shape [3], strides [1] and dtype torch.float32",
                () -> cpu.binary(BinaryOp.LT, three, three, three));
        assertMessage("native copy: expected shape [3], got an operand of shape [4], strides [1] and dtype torch.float32",
                () -> cpu.copy(four, three));
        assertMessage("native arange: expected a contiguous operand, got an operand of shape [3], strides [2] and dtype torch."
                + "float32", () -> cpu.arange(strided, 0, 1));
        assertMessage("native matmul: expected shape [1, 3, 4], got an operand of shape [1, 2, 4], strides [8, 4, 1] and "
                + "dtype torch.float32", () -> cpu.matmul(Torch.zeros(1, 2, 3).data(), Torch.zeros(1, 2, 4).data(),
                        Torch.zeros(1, 2, 4).data()));
        assertMessage("native reduce: expected shape [2], got an operand of shape [3], strides [1] and dtype torch.float32",
                () -> cpu.reduce(ReduceOp.SUM, Torch.zeros(2, 5).data(), 1, three, null));
        assertMessage("native sort: expected dtype torch.int64, got an operand of shape [3], strides [1] and dtype torch.float32",
                () -> cpu.sort(three, false, three, three));
        assertMessage("native write: expected 3 elements in a float[], not 4 in a float[], into, got an operand of shape "
                + "[3], strides [1] and dtype torch.float32", () -> cpu.write(three, new float[4]));
        assertMessage("native crossEntropy: expected shape [2], got an operand of shape [3], strides [1] and dtype torch.int64",
                () -> cpu.crossEntropy(Torch.zeros(2, 3).data(), longs, -100, 0, Torch.zeros(2).data()));
        // the kernels report bad index values instead of using them
        assertEquals(1, cpu.scatter(Torch.zeros(1, 2).data(), Torch.tensor(0, 3).reshape(1, 2).data(),
                Torch.zeros(1, 3).data()));
        assertEquals(0, cpu.crossEntropyBackward(Torch.zeros(2, 3).data(), Torch.tensor(3, 0).data(),
                Torch.ones(2).data(), -100, 0, Torch.zeros(2, 3).data()));
    }

    @Test void nativeCallsRefuseFreedStorage() {
        Tensor t = Torch.zeros(3);
        Strided kept = t.data(); // what a backend would be handed, kept past close()
        t.close();
        raises(IllegalStateException.class, "a native call got storage that was already freed (its tensors were closed)",
                () -> CpuBackend.INSTANCE.fill(kept, 1));
    }

    private static void assertMessage(String message, org.junit.jupiter.api.function.Executable call) {
        raises(ARG, message, call);
    }

    // ------------------------------------------------------------------------------------ closed tensors

    /** Methods that read no data and so work on a closed tensor too (flags and the autograd graph's links). */
    private static final Set<String> WITHOUT_DATA = Set.of("isClosed", "close", "toString", "requiresGrad", "isLeaf",
            "gradFn", "grad", "retainsGrad", "setGrad", "registerPostAccumulateGradHook", "equals", "hashCode");

    @ParameterizedTest @ValueSource(strings = {"native", "reference"})
    void everyMethodOfAClosedTensorRaises(String backend) throws Exception {
        Torch.setCpuBackend(backend);
        checkEveryMethodRaises(() -> {
            Tensor t = Torch.ones(2, 2);
            t.close();
            return t;
        });
        checkEveryMethodRaises(() -> { // a view, closed after its base: the storage is gone
            Tensor base = Torch.ones(4);
            Tensor view = base.view(2, 2);
            base.close();
            view.close();
            return view;
        });
    }

    @Test void aViewKeepsItsStorageAfterItsBaseIsClosed() {
        Tensor base = Torch.arange(0.0, 4.0, 1.0);
        Tensor view = base.view(2, 2).t();
        base.close();
        assertArrayEquals(new float[] {0, 2, 1, 3}, view.contiguous().toFloatArray());
        raises(IllegalStateException.class, "Tensor of shape [4] and dtype torch.float32 was used after close()",
                () -> base.view(2, 2));
    }

    private static void checkEveryMethodRaises(Supplier<Tensor> closed) throws Exception {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Method m : Tensor.class.getMethods()) {
            if (m.getDeclaringClass() != Tensor.class || WITHOUT_DATA.contains(m.getName())) continue;
            boolean isStatic = Modifier.isStatic(m.getModifiers());
            Class<?>[] types = m.getParameterTypes();
            // an instance method on the closed tensor; and every method with the closed tensor as each Tensor argument
            List<Integer> closedAt = new ArrayList<>();
            if (!isStatic) closedAt.add(-1);
            for (int i = 0; i < types.length; i++) if (types[i] == Tensor.class) closedAt.add(i);
            for (int at : closedAt) {
                Object[] args = new Object[types.length];
                for (int i = 0; i < types.length; i++) args[i] = i == at ? closed.get() : argument(types[i]);
                Object receiver = isStatic ? null : at == -1 ? closed.get() : Torch.ones(2, 2);
                checked++;
                try {
                    m.invoke(receiver, args);
                    wrong.add(m + (at == -1 ? "" : " (closed argument " + at + ")") + ": no exception");
                } catch (InvocationTargetException e) {
                    if (!(e.getCause() instanceof IllegalStateException)) {
                        wrong.add(m + (at == -1 ? "" : " (closed argument " + at + ")") + ": " + e.getCause());
                    }
                }
            }
        }
        assertTrue(checked > 150, "only " + checked + " calls checked");
        if (!wrong.isEmpty()) fail(wrong.size() + " calls did not raise IllegalStateException:\n" + String.join("\n", wrong));
    }

    /** A plausible argument of a type (what it is does not matter: a closed tensor must raise first). */
    private static Object argument(Class<?> type) {
        if (type == int.class) return 0;
        if (type == long.class) return 1L;
        if (type == double.class) return 1.0;
        if (type == boolean.class) return false;
        if (type == long[].class) return new long[] {2, 2};
        if (type == int[].class) return new int[] {0, 1};
        if (type == Tensor.class) return Torch.ones(2, 2);
        if (type == DType.class) return DType.FLOAT32;
        if (type == Device.class) return Device.CPU;
        if (type == Generator.class) return new Generator();
        throw new AssertionError("no argument for " + type);
    }
}

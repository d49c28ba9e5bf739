package dev.torchlet.examples.seed004;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchlet.Generator;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.examples.NotebookOutputTest;
import dev.torchlet.nn.Parameter;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 004's ports against the notebook's printed output. Where the notebook printed uninitialized memory
 * (MyLinear's {@code torch.FloatTensor} weights), the ports use zeros; the tests below put the notebook's
 * memory back into those weights and get the notebook's very lines. In [16] draws without a seed: its test
 * checks what the module computes from its draws.
 */
class Seed004OutputTest extends NotebookOutputTest {
    Seed004OutputTest() { super(Seed004.NOTEBOOK); }

    /** As in a fresh kernel (the notebook never seeds): reproducible runs of In [16]'s draws. */
    @BeforeEach void freshGenerator() { Torch.manualSeed(Generator.DEFAULT_SEED); }

    /** In [10] and [11] with b holding what the notebook's uninitialized b held. */
    @Test void myLinearTensorsPrintTheNotebooksMemory() {
        P03MyLinearTensors.MyLinear linear = new P03MyLinearTensors.MyLinear(3, 2);
        linear.b.copy_(Torch.tensor(2.3425e18f, 2.1328e-42f));
        assertEquals("""
                tensor([[2.3425e+18, 2.1328e-42],
                        [2.3425e+18, 2.1328e-42],
                        [2.3425e+18, 2.1328e-42],
                        [2.3425e+18, 2.1328e-42]])""", linear.forward(Torch.zeros(4, 3)).toString());
        // plain tensors are not registered: the reason for In [12]'s nn.Parameter
        assertTrue(linear.parameters().isEmpty());
    }

    /** In [13] and [14] with b holding what the notebook's uninitialized b held (its W held zeros). */
    @Test void myLinearParametersPrintTheNotebooksMemory() {
        P04MyLinearParameters.MyLinear linear = new P04MyLinearParameters.MyLinear(3, 2);
        try (var noGrad = Torch.noGrad()) {
            linear.b.copy_(Torch.tensor(2.3425e18f, 0f));
        }
        assertEquals("""
                tensor([[2.3425e+18, 0.0000e+00],
                        [2.3425e+18, 0.0000e+00],
                        [2.3425e+18, 0.0000e+00],
                        [2.3425e+18, 0.0000e+00]], grad_fn=<AddBackward0>)""",
                linear.forward(Torch.zeros(4, 3)).toString());
        List<Parameter> parameters = linear.parameters();
        assertEquals(2, parameters.size());
        assertEquals("""
                Parameter containing:
                tensor([[0., 0.],
                        [0., 0.],
                        [0., 0.]], requires_grad=True)""", parameters.get(0).toString());
        assertEquals("""
                Parameter containing:
                tensor([2.3425e+18, 0.0000e+00], requires_grad=True)""", parameters.get(1).toString());
    }

    /** In [16]: whatever the draws, y = x W^T + b with nn.Linear's [2, 3] weight and [2] bias, through addmm. */
    @Test void myLinearNnLinearComputesXWtPlusB() {
        P05MyLinearNnLinear.MyLinear linear = new P05MyLinearNnLinear.MyLinear(3, 2);
        assertEquals(List.of("linear.weight", "linear.bias"), List.copyOf(linear.namedParameters().keySet()));
        Tensor w = linear.linear.weight().detach();
        Tensor b = linear.linear.bias().detach();
        assertArrayEquals(new long[] {2, 3}, w.shape().toArray());
        assertArrayEquals(new long[] {2}, b.shape().toArray());
        Tensor x = Torch.randn(4, 3);
        Tensor y = linear.forward(x);
        assertEquals("AddmmBackward0", y.gradFn().name());
        float[] got = y.detach().toFloatArray();
        float[] xs = x.toFloatArray(), ws = w.toFloatArray(), bs = b.toFloatArray();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 2; j++) {
                double want = bs[j];
                for (int k = 0; k < 3; k++) want += (double) xs[3 * i + k] * ws[3 * j + k];
                assertEquals(want, got[2 * i + j], 1e-6, "y[" + i + ", " + j + "]");
            }
        }
        // nn.Linear's init: weight and bias uniform in +-1/sqrt(in_features)
        for (float v : ws) assertTrue(Math.abs(v) <= 1 / Math.sqrt(3));
        for (float v : bs) assertTrue(Math.abs(v) <= 1 / Math.sqrt(3));
    }
}

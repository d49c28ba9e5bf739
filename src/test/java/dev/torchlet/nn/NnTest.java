package dev.torchlet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchlet.DType;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.optim.SGD;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Modules, their names, state dicts and printing, and the losses against hand-derived values. */
class NnTest {
    static final class Poly3 extends Module {
        final Parameter a = register("a", new Parameter(Torch.zeros()));
        final Linear lin = register("lin", new Linear(1, 1));

        @Override public Tensor forward(Tensor x) { return lin.forward(x).add(a); }
    }

    @Test void dottedNamesAndTreePrinting() {
        Sequential net = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 1, false), new Flatten(0, 1));
        assertEquals(List.of("0.weight", "0.bias", "2.weight"), new ArrayList<>(net.namedParameters().keySet()));
        assertEquals("Sequential(\n"
                + "  (0): Linear(in_features=3, out_features=4, bias=True)\n"
                + "  (1): ReLU()\n"
                + "  (2): Linear(in_features=4, out_features=1, bias=False)\n"
                + "  (3): Flatten(start_dim=0, end_dim=1)\n"
                + ")", net.toString());
        Poly3 p = new Poly3();
        assertEquals(List.of("a", "lin.weight", "lin.bias"), new ArrayList<>(p.namedParameters().keySet()));
        assertEquals("Poly3(\n  (lin): Linear(in_features=1, out_features=1, bias=True)\n)", p.toString());
        assertEquals("Dropout(p=0.5, inplace=False)", new Dropout().toString());
        assertEquals("Parameter containing:\ntensor(0., requires_grad=True)", p.a.toString());
    }

    /** Strings printed by torch 1.13 for the same program (torch.manual_seed(0), then these modules in order). */
    @Test void nestedModulesAndParametersPrintAsPyTorch() {
        Torch.manualSeed(0);
        Sequential net = new Sequential(new Linear(3, 4), new ReLU(),
                new Sequential(new Linear(4, 2, false), new Tanh(), new Sigmoid()), new Dropout(0.25), new Identity(),
                new Flatten(0, 1));
        assertEquals("Sequential(\n"
                + "  (0): Linear(in_features=3, out_features=4, bias=True)\n"
                + "  (1): ReLU()\n"
                + "  (2): Sequential(\n"
                + "    (0): Linear(in_features=4, out_features=2, bias=False)\n"
                + "    (1): Tanh()\n"
                + "    (2): Sigmoid()\n"
                + "  )\n"
                + "  (3): Dropout(p=0.25, inplace=False)\n"
                + "  (4): Identity()\n"
                + "  (5): Flatten(start_dim=0, end_dim=1)\n"
                + ")", net.toString());
        assertEquals("MSELoss() L1Loss() CrossEntropyLoss() BCEWithLogitsLoss() Flatten(start_dim=1, end_dim=-1) "
                + "Dropout(p=1e-05, inplace=False)", String.join(" ", new MSELoss(Reduction.SUM).toString(),
                new L1Loss().toString(), new CrossEntropyLoss().toString(), new BCEWithLogitsLoss().toString(),
                new Flatten().toString(), new Dropout(1e-5).toString()));
        assertEquals("Sequential()", new Sequential().toString());
        assertEquals("Parameter containing:\ntensor([[-0.1140,  0.0748],\n        [ 0.6403, -0.6560]], requires_grad=True)",
                new Linear(2, 2).weight().toString());
        assertEquals("Parameter containing:\ntensor([-0.4940, -0.6622], requires_grad=True)",
                new Linear(2, 2).bias().toString());
    }

    @Test void sharedModulesAreListedOnce() {
        Linear shared = new Linear(2, 2);
        Sequential net = new Sequential(shared, new Tanh(), shared);
        assertEquals(2, net.parameters().size());
    }

    @Test void linearInitBoundsAndForward() {
        Linear lin = new Linear(16, 8);
        double bound = 1 / Math.sqrt(16); // kaiming_uniform(a = sqrt 5) and the bias share this bound
        for (float w : lin.weight().toFloatArray()) assertTrue(Math.abs(w) <= bound);
        for (float b : lin.bias().toFloatArray()) assertTrue(Math.abs(b) <= bound);
        Tensor x = Torch.ones(2, 16);
        float[] out = lin.forward(x).toFloatArray(), w = lin.weight().toFloatArray(), b = lin.bias().toFloatArray();
        for (int o = 0; o < 8; o++) {
            double expected = b[o];
            for (int i = 0; i < 16; i++) expected += w[o * 16 + i];
            assertEquals(expected, out[o], 1e-5);
        }
        assertEquals("AddmmBackward0", lin.forward(x).gradFn().name());
    }

    @Test void stateDictRoundTripAndPyTorchErrors() {
        Sequential a = new Sequential(new Linear(3, 2)), b = new Sequential(new Linear(3, 2));
        b.loadStateDict(a.stateDict());
        assertArrayEquals(a.parameters().get(0).toFloatArray(), b.parameters().get(0).toFloatArray());
        Map<String, Tensor> bad = new LinkedHashMap<>(a.stateDict());
        bad.remove("0.bias");
        bad.put("0.weight", Torch.zeros(4, 3));
        bad.put("extra", Torch.zeros(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(bad));
        assertEquals("Error(s) in loading state_dict for Sequential:\n"
                + "\tMissing key(s) in state_dict: \"0.bias\". \n"
                + "\tUnexpected key(s) in state_dict: \"extra\". \n"
                + "\tsize mismatch for 0.weight: copying a param with shape torch.Size([4, 3]) from checkpoint, the "
                + "shape in current model is torch.Size([2, 3]).", e.getMessage());
    }

    /** Seed 001 assigns {@code net3.bias.data = torch.tensor([[-5.0]])}: the bias becomes [1, 1] and stays the module's. */
    @Test void assigningDataKeepsTheParameterAndMayChangeItsShape() {
        Linear net = new Linear(1, 1);
        Parameter bias = net.bias();
        net.weight().setData(Torch.tensor(new float[][] {{10}}));
        bias.setData(Torch.tensor(new float[][] {{-5}}));
        assertSame(bias, net.parameters().get(1));
        assertEquals("Parameter containing:\ntensor([[-5.]], requires_grad=True)", bias.toString());
        Tensor out = net.forward(Torch.tensor(new float[][] {{1}, {2}}));
        assertEquals("tensor([[ 5.],\n        [15.]], grad_fn=<AddmmBackward0>)", out.toString());
        out.sum().backward();
        assertEquals("tensor([[2.]])", bias.grad().toString());
        assertEquals("tensor([[3.]])", net.weight().grad().toString());
        new SGD(net.parameters(), 0.5).step();
        assertEquals("tensor([[-6.]])", bias.detach().toString());
        assertEquals("tensor([[8.5000]])", net.weight().detach().toString());
        Tensor w = Torch.zeros(2).requiresGrad_();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.setData(Torch.tensor(1, 2)));
        assertEquals("data set to a tensor that requires gradients must be floating point or complex dtype",
                e.getMessage());
    }

    @Test void zeroGradSetsNoneAndTrainEvalPropagate() {
        Sequential net = new Sequential(new Linear(2, 1), new Dropout(0.3));
        net.forward(Torch.ones(4, 2)).sum().backward();
        net.zeroGrad();
        assertNull(net.parameters().get(0).grad());
        net.eval();
        assertTrue(!net.get(1).isTraining());
        Tensor x = Torch.ones(5);
        assertArrayEquals(x.toFloatArray(), net.get(1).forward(x).toFloatArray());
    }

    @Test void dropoutZeroesAndScales() {
        Torch.manualSeed(0);
        float[] y = new Dropout(0.25).forward(Torch.ones(10000)).toFloatArray();
        int zeros = 0;
        for (float v : y) {
            if (v == 0) zeros++;
            else assertEquals(1 / 0.75, v, 1e-6);
        }
        assertEquals(2500, zeros, 200); // binomial(10000, 0.25): sd 43
    }

    @Test void lossesOnHandDerivedValues() {
        Tensor logits = Torch.tensor(new float[][] {{0, 0}, {0, Float.parseFloat("0.6931472")}});
        Tensor target = Torch.tensor(0L, 1L);
        // ln 2 for the first row, -ln(2/3) for the second
        assertEquals((Math.log(2) + Math.log(1.5)) / 2, new CrossEntropyLoss().forward(logits, target).item(), 1e-6);
        assertEquals(Math.log(1.5), new CrossEntropyLoss(0, 0.0, Reduction.MEAN).forward(logits, target).item(), 1e-6);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> F.crossEntropy(logits, Torch.tensor(0L, 2L)));
        assertEquals("Target 2 is out of bounds.", e.getMessage());
        Tensor a = Torch.tensor(1f, 2f, 4f), b = Torch.tensor(0f, 0f, 1f);
        assertEquals((1 + 4 + 9) / 3.0, new MSELoss().forward(a, b).item(), 1e-6);
        assertEquals(6, new L1Loss(Reduction.SUM).forward(a, b).item(), 1e-6);
        // log(1 + e^-x) for y = 1, x = 0: ln 2
        assertEquals(Math.log(2), F.binaryCrossEntropyWithLogits(Torch.zeros(1), Torch.ones(1)).item(), 1e-6);
        Tensor sm = F.softmax(Torch.tensor(new double[] {0, Math.log(3)}, DType.FLOAT64), 0);
        assertArrayEquals(new double[] {0.25, 0.75}, sm.toDoubleArray(), 1e-12);
    }

    /** Seed 000: mse_loss of [100, 1] predictions against a [100] target warns once and broadcasts to [100, 100]. */
    @Test void mseBroadcastWarnsAndComputesPyTorchsNumber() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        Tensor pred = Torch.arange(0.0, 3.0, 1.0).reshape(3, 1), target = Torch.tensor(0f, 1f, 2f);
        double loss;
        try {
            loss = F.mseLoss(pred, target).item();
            F.mseLoss(pred, target);
        } finally {
            System.setErr(err);
        }
        assertEquals("UserWarning: Using a target size (torch.Size([3])) that is different to the input size "
                + "(torch.Size([3, 1])). This will likely lead to incorrect results due to broadcasting. Please ensure "
                + "they have the same size.\n", captured.toString());
        assertEquals(12.0 / 9, loss, 1e-6); // mean over the 3x3 broadcast of (i - j)^2
    }
}

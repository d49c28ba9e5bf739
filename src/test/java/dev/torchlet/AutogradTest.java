package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Autograd's bookkeeping and PyTorch's rules and messages around it; gradients are hand-derived. */
class AutogradTest {
    private static Tensor leaf(float... v) { return Torch.tensor(v).requiresGrad_(); }

    @Test void gradientsAccumulateIntoLeaves() {
        Tensor w = leaf(1, 2, 3);
        w.mul(w).sum().backward();                       // d/dw sum(w^2) = 2w
        assertArrayEquals(new float[] {2, 4, 6}, w.grad().toFloatArray());
        w.mul(3.0).sum().backward();                     // + 3
        assertArrayEquals(new float[] {5, 7, 9}, w.grad().toFloatArray());
        assertTrue(w.isLeaf());
        assertNull(w.gradFn());
    }

    /**
     * The engine takes a gradient it made instead of copying it, but never one that another leaf, a retained
     * gradient, a pending node or the caller also holds: every leaf's grad is its own tensor.
     */
    @Test void leafGradientsNeverShareStorage() {
        Tensor s = Torch.tensor(3f, 4f), t = Torch.tensor(10f, 20f);
        // AddBackward0 passes the gradient MulBackward0 made to both leaves
        Tensor a = Torch.tensor(1f, 2f).requiresGrad_(), b = Torch.tensor(3f, 4f).requiresGrad_();
        a.add(b).mul(s).sum().backward();
        a.grad().add_(10);
        assertArrayEquals(new float[] {3, 4}, b.grad().toFloatArray());
        // x's first gradient is also pending for h's node, and x gets a second one before that node runs
        Tensor c = Torch.tensor(1f, 2f).requiresGrad_(), x = Torch.tensor(5f, 6f).requiresGrad_();
        Tensor h = c.mul(2);
        Tensor q = x.mul(t);
        h.add(x).mul(s).add(q).sum().backward();
        assertArrayEquals(new float[] {6, 8}, c.grad().toFloatArray());
        assertArrayEquals(new float[] {13, 24}, x.grad().toFloatArray());
        // the caller keeps its gradient tensor
        Tensor e = Torch.tensor(1f, 2f).requiresGrad_();
        Tensor seed = Torch.tensor(7f, 8f);
        e.mul(1).backward(seed);
        e.grad().add_(1);
        assertArrayEquals(new float[] {7, 8}, seed.toFloatArray());
        // a gradient the rule made for one leaf only is taken, and right
        Tensor f = Torch.tensor(1f, 2f).requiresGrad_();
        f.mul(s).sum().backward();
        assertArrayEquals(new float[] {3, 4}, f.grad().toFloatArray());
        assertArrayEquals(new float[] {3, 4}, s.toFloatArray());
    }

    @Test void broadcastGradientsAreSummedBackToTheInputShape() {
        Tensor a = Torch.ones(3, 1).requiresGrad_(), b = leaf(1, 2, 3, 4);
        a.add(b).mul(b).sum().backward();                // out[i,j] = (a_i + b_j) b_j
        assertArrayEquals(new long[] {3, 1}, a.grad().shape().toArray());
        assertArrayEquals(new float[] {10, 10, 10}, a.grad().toFloatArray()); // sum_j b_j
        assertArrayEquals(new float[] {9, 15, 21, 27}, b.grad().toFloatArray()); // sum_i (a_i + 2 b_j)
    }

    @Test void gradFnNamesAndPrinting() {
        Tensor x = Torch.tensor(new float[][] {{1, 2}, {3, 4}}).requiresGrad_();
        assertEquals("tensor([[1., 2.],\n        [3., 4.]], requires_grad=True)", x.toString());
        assertEquals("AddBackward0", x.add(1.0).gradFn().name());
        assertEquals("MulBackward0", x.mul(x).gradFn().name());
        assertEquals("MmBackward0", x.mm(x).gradFn().name());
        assertEquals("PowBackward0", x.pow(2).gradFn().name());
        assertEquals("SumBackward0", x.sum().gradFn().name());
        assertEquals("MeanBackward1", x.mean(0, false).gradFn().name());
        assertEquals("TBackward0", x.t().gradFn().name());
        assertEquals("tensor(10., grad_fn=<SumBackward0>)", x.sum().toString());
        assertEquals(List.of("AccumulateGrad", "AccumulateGrad"), x.mul(x).gradFn().nextFunctions());
    }

    @Test void noGradAndEnableGrad() {
        Tensor w = leaf(1, 2);
        try (var g = Torch.noGrad()) {
            Tensor y = w.mul(2.0);
            assertFalse(y.requiresGrad());
            try (var e = Torch.enableGrad()) {
                assertTrue(w.mul(2.0).requiresGrad());
            }
            assertFalse(Torch.isGradEnabled());
        }
        assertTrue(Torch.isGradEnabled());
        assertFalse(w.detach().requiresGrad());
    }

    /** PyTorch's {@code w.data = ...}: new values (and shape), the same leaf, gradient kept, nothing recorded. */
    @Test void setDataReplacesTheDataOfALeaf() {
        Tensor w = leaf(-5, 10);
        w.mul(w).sum().backward();                       // grad 2w = [-10, 20]
        w.setData(w.detach().sub(w.grad().mul(0.5)));    // What.data = What.data - alpha * What.grad.data
        assertEquals("tensor([0., 0.], requires_grad=True)", w.toString());
        assertTrue(w.isLeaf());
        assertArrayEquals(new float[] {-10, 20}, w.grad().toFloatArray());
        w.setData(Torch.tensor(new float[][] {{2.5f, 5f, -2f}}));
        assertEquals("tensor([[ 2.5000,  5.0000, -2.0000]], requires_grad=True)", w.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.setData(Torch.tensor(1, 2)));
        assertEquals("data set to a tensor that requires gradients must be floating point or complex dtype", e.getMessage());
        Tensor plain = Torch.zeros(2);
        plain.setData(Torch.tensor(1, 2));               // without requires_grad any dtype goes
        assertEquals("tensor([1, 2])", plain.toString());
    }

    @Test void secondBackwardThroughAFreedGraphRaises() {
        Tensor w = leaf(1, 2);
        Tensor y = w.mul(w).sum();
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().startsWith("Trying to backward through the graph a second time"), e.getMessage());
        Tensor z = w.mul(w).sum();
        z.backward(null, true);
        z.backward();                                    // retained once: a second pass works
        assertArrayEquals(new float[] {6, 12}, w.grad().toFloatArray()); // 2w from each of the three passes
    }

    @Test void inPlaceOnALeafThatRequiresGradRaises() {
        Tensor w = leaf(1, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.add_(1.0));
        assertEquals("a leaf Variable that requires grad is being used in an in-place operation.", e.getMessage());
        try (var g = Torch.noGrad()) {
            w.add_(1.0);                                 // allowed without grad mode
        }
        assertArrayEquals(new float[] {2, 3}, w.toFloatArray());
    }

    @Test void modifiedSavedTensorRaisesWithVersions() {
        Tensor w = leaf(1, 2, 3);
        Tensor e = w.exp();
        Tensor y = e.sum().add(e.mul(e).sum());
        e.add_(1.0);                                     // ExpBackward0 and MulBackward0 saved e
        IllegalStateException ex = assertThrows(IllegalStateException.class, y::backward);
        assertEquals("one of the variables needed for gradient computation has been modified by an inplace operation: "
                + "[torch.FloatTensor [3]], which is output 0 of ExpBackward0, is at version 1; expected version 0 "
                + "instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, "
                + "with torch.autograd.set_detect_anomaly(True).", ex.getMessage());
        assertEquals(1, e.version());
    }

    @Test void inPlaceOnANonLeafRecordsHistory() {
        Tensor w = leaf(1, 2, 3);
        Tensor y = w.mul(2.0);
        y.mul_(w);                                       // y = 2 w * w
        assertEquals("MulBackward0", y.gradFn().name());
        y.sum().backward();
        assertArrayEquals(new float[] {4, 8, 12}, w.grad().toFloatArray());
    }

    @Test void inPlaceOnAViewOfALeafThatRequiresGradRaises() {
        Tensor w = leaf(1, 2, 3, 4);
        for (Tensor view : List.of(w.narrow(0, 0, 2), w.view(2, 2), w.select(0, 1), w.t())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> view.mul_(3.0));
            assertEquals("a view of a leaf Variable that requires grad is being used in an in-place operation.",
                    e.getMessage());
        }
        assertThrows(IllegalStateException.class, () -> w.view(2, 2).select(1, 0).copy_(Torch.tensor(5f, 6f)));
        assertArrayEquals(new float[] {1, 2, 3, 4}, w.toFloatArray()); // untouched
        w.detach().narrow(0, 0, 1).fill_(7);              // detach() shares the data, not the history
        assertArrayEquals(new float[] {7, 2, 3, 4}, w.toFloatArray());
    }

    /** A detached tensor shares the data, not the history: it keeps no node (and no saved tensor) alive. */
    @Test void detachKeepsNoGraphAlive() throws InterruptedException {
        Tensor x = leaf(1, 2, 3);
        Tensor[] y = {x.exp()};                          // ExpBackward0 saves its output
        java.lang.ref.WeakReference<GradFn> node = new java.lang.ref.WeakReference<>(y[0].gradFn());
        Tensor d = y[0].detach();
        y[0] = null;
        for (int i = 0; i < 50 && node.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(node.get(), "the detached tensor still reaches ExpBackward0");
        assertFalse(d.requiresGrad());
    }

    /** In-place writes through views of a non-leaf: the base's history records them (torch 1.13's values). */
    @Test void inPlaceThroughAViewRewritesTheBasesHistory() {
        Tensor x = leaf(1, 2, 3, 4), y = x.mul(1.0);
        y.narrow(0, 0, 2).mul_(3.0);
        assertEquals("CopySlices", y.gradFn().name());
        y.sum().backward();
        assertArrayEquals(new float[] {3, 3, 1, 1}, x.grad().toFloatArray());
        // a view made before its base was written takes its history from the base's
        Tensor x2 = leaf(1, 2, 3, 4), y2 = x2.mul(1.0), v = y2.select(0, 1);
        y2.mul_(2.0);
        assertEquals("AsStridedBackward0", v.gradFn().name());
        v.backward();
        assertArrayEquals(new float[] {0, 2, 0, 0}, x2.grad().toFloatArray());
        // overlapping views written one after the other
        Tensor x3 = leaf(1, 2, 3, 4), y3 = x3.mul(1.0);
        y3.narrow(0, 0, 3).mul_(2.0);
        y3.narrow(0, 1, 3).mul_(3.0);
        y3.pow(2).sum().backward();
        assertArrayEquals(new float[] {8, 144, 216, 72}, x3.grad().toFloatArray());
        // a plain tensor written with a tensor that requires grad (copy_ and add_ through views)
        Tensor w = leaf(5, 6), z = Torch.zeros(4);
        z.narrow(0, 1, 2).add_(w);
        z.view(2, 2).select(1, 0).copy_(w);              // elements 0 and 2
        z.mul(z).sum().backward();                       // z = [w0, w0, w1, 0]: the copy replaced the add's w1
        assertArrayEquals(new float[] {20, 12}, w.grad().toFloatArray());
    }

    @Test void backwardRules() {
        Tensor x = Torch.tensor(1f, 2f).mul(1.0).requiresGrad_(false);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.sum().backward());
        assertEquals("element 0 of tensors does not require grad and does not have a grad_fn", e.getMessage());
        Tensor w = leaf(1, 2);
        IllegalStateException nonScalar = assertThrows(IllegalStateException.class, () -> w.mul(2.0).backward());
        assertEquals("grad can be implicitly created only for scalar outputs", nonScalar.getMessage());
        w.mul(2.0).backward(Torch.tensor(1f, 10f));
        assertArrayEquals(new float[] {2, 20}, w.grad().toFloatArray());
        IllegalArgumentException item = assertThrows(IllegalArgumentException.class, w::item);
        assertEquals("a Tensor with 2 elements cannot be converted to Scalar", item.getMessage());
        IllegalStateException ints = assertThrows(IllegalStateException.class, () -> Torch.tensor(1L, 2L).requiresGrad_());
        assertEquals("only Tensors of floating point and complex dtype can require gradients", ints.getMessage());
    }

    @Test void retainGradFillsANonLeaf() {
        Tensor w = leaf(1, 2);
        Tensor h = w.mul(3.0).retainGrad();
        h.mul(h).sum().backward();                       // d/dh h^2 = 2h = 6w
        assertArrayEquals(new float[] {6, 12}, h.grad().toFloatArray());
        assertArrayEquals(new float[] {18, 36}, w.grad().toFloatArray());
    }

    @Test void viewsAndSelectionsRouteGradients() {
        Tensor w = Torch.arange(0.0, 6.0, 1.0).requiresGrad_();
        Tensor m = w.view(2, 3);
        m.t().select(0, 1).mul(m.narrow(1, 2, 1).squeeze(1)).sum().backward(); // m[:,1] * m[:,2]
        assertArrayEquals(new float[] {0, 2, 1, 0, 5, 4}, w.grad().toFloatArray());
        Tensor v = leaf(3, 1, 2);
        v.sort().values().mul(Torch.tensor(1f, 10f, 100f)).sum().backward(); // sorted: 1 (i1), 2 (i2), 3 (i0)
        assertArrayEquals(new float[] {100, 1, 10}, v.grad().toFloatArray());
        Tensor u = Torch.tensor(new float[][] {{1, 5}, {7, 2}}).requiresGrad_();
        u.max(1).values().sum().backward();
        assertArrayEquals(new float[] {0, 1, 1, 0}, u.grad().toFloatArray());
    }

    @Test void gradcheckAcceptsARightGradientAndRejectsAWrongOne() {
        Tensor x = Torch.tensor(new double[] {0.3, -1.2, 2.0}, DType.FLOAT64).requiresGrad_();
        assertTrue(Torch.gradcheck(in -> in[0].mul(in[0]).sin().sum(), x));
        // detach() hides x from the graph: the analytic gradient is 0, the numerical one is not
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Torch.gradcheck(in -> in[0].mul(in[0].detach()).sum(), x));
        assertTrue(e.getMessage().startsWith("Jacobian mismatch for output 0 with respect to input 0"), e.getMessage());
    }
}

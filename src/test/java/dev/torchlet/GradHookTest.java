package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Post-accumulate-grad hooks (PyTorch's register_post_accumulate_grad_hook) and data_ptr. */
public class GradHookTest {
    /** w is used twice: the hook runs once per backward, after both gradients are summed into w.grad. */
    @Test
    void runsOncePerBackwardWithTheSummedGradient() {
        Tensor w = Torch.tensor(2f, 3f).requiresGrad_(true);
        Tensor other = Torch.tensor(1f).requiresGrad_(true);
        List<float[]> seen = new ArrayList<>();
        w.registerPostAccumulateGradHook(t -> seen.add(t.grad().toFloatArray()));
        // d/dw of sum(w * w) + sum(w * 5) * other = 2w + 5
        w.mul(w).sum().add(w.mul(5).sum().mul(other)).backward();
        assertEquals(1, seen.size());
        assertArrayEquals(new float[] {9f, 11f}, seen.get(0));
        // a second backward accumulates: the hook sees 2 * (2w + 5)
        w.mul(w).sum().add(w.mul(5).sum().mul(other)).backward();
        assertEquals(2, seen.size());
        assertArrayEquals(new float[] {18f, 22f}, seen.get(1));
    }

    @Test
    void removedHooksStopAndLeavesOnlyAreHooked() {
        Tensor w = Torch.tensor(1f, 1f).requiresGrad_(true);
        int[] calls = {0};
        RemovableHandle handle = w.registerPostAccumulateGradHook(t -> calls[0]++);
        w.sum().backward();
        handle.remove();
        handle.remove(); // twice: nothing
        w.sum().backward();
        assertEquals(1, calls[0]);
        // a leaf that is the root of backward
        Tensor s = Torch.tensor(4f).requiresGrad_(true);
        s.registerPostAccumulateGradHook(t -> calls[0] += 10);
        s.backward();
        assertEquals(11, calls[0]);
        assertEquals("cannot register a hook on a tensor that doesn't require gradient",
                assertThrows(IllegalStateException.class, () -> Torch.ones(2).registerPostAccumulateGradHook(t -> { }))
                        .getMessage());
        assertEquals("post accumulate grad hooks cannot be registered on non-leaf tensors",
                assertThrows(IllegalStateException.class, () -> w.mul(2).registerPostAccumulateGradHook(t -> { }))
                        .getMessage());
    }

    /** data_ptr of a view is its storage's address plus its offset in bytes. */
    @Test
    void dataPtrOfAViewIsOffsetByItsStorageOffset() {
        Tensor base = Torch.zeros(new long[] {10}, DType.FLOAT64);
        Tensor view = base.narrow(0, 3, 4);
        assertEquals(base.dataPtr() + 3 * 8, view.dataPtr());
    }
}

package dev.torchlet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.torchlet.DType;
import dev.torchlet.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shipped digits dataset equals scikit-learn's load_digits(). Expected values from scikit-learn 1.2.1:
 * <pre>
 * d = load_digits(); d.data.shape   # (1797, 64)
 * np.bincount(d.target)             # [178 182 177 183 181 182 181 179 174 180]
 * d.data.sum()                      # 561718.0
 * (d.target * np.arange(1797)).sum()  # 7264791
 * d.data[0].reshape(8, 8)[1]        # [ 0.  0. 13. 15. 10. 15.  5.  0.]
 * </pre>
 */
class DigitsTest {
    @Test void loadsScikitLearnsDigits() {
        Digits digits = Digits.load();
        Tensor x = digits.data(), y = digits.target();
        assertEquals("torch.Size([1797, 64])", x.shape().toString());
        assertEquals(DType.FLOAT32, x.dtype());
        assertEquals(DType.INT64, y.dtype());
        assertEquals(561718.0, x.to(DType.FLOAT64).sum().item());
        long[] labels = y.toLongArray();
        long[] counts = new long[10];
        long weighted = 0;
        for (int i = 0; i < labels.length; i++) {
            counts[(int) labels[i]]++;
            weighted += labels[i] * i;
        }
        assertArrayEquals(new long[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, counts);
        assertEquals(7264791, weighted);
        assertEquals(0, labels[0]);
        assertArrayEquals(new float[] {0, 0, 13, 15, 10, 15, 5, 0}, digits.images().select(0, 0).select(0, 1).toFloatArray());
        assertEquals(16.0, x.max().item());
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, digits.targetNames().toLongArray());
        List<Tensor> sample = digits.toDataset().get(1796);
        assertEquals(64, sample.get(0).numel());
        assertNotNull(Digits.class.getResource("digits-LICENSE.txt"));
    }
}

package dev.torchlet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchlet.DType;
import dev.torchlet.Generator;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Datasets, samplers, random splits and the default collate. The golden index orders were printed by torch
 * 1.13 (Debian's python3-torch) running tools/golden/data.py; each test quotes the Python of its case.
 */
class DatasetTest {
    /** The indices 0..n-1 as samples, PyTorch's range(n) used as a dataset. */
    static Dataset<Integer> range(int n) {
        return new Dataset<>() {
            @Override public Integer get(int index) {
                if (index < 0 || index >= n) throw new IndexOutOfBoundsException("range object index out of range");
                return index;
            }

            @Override public int size() { return n; }
        };
    }

    private static List<int[]> indices(List<? extends Subset<?>> splits) {
        List<int[]> out = new ArrayList<>();
        for (Subset<?> s : splits) out.add(s.indices());
        return out;
    }

    private static void assertSplits(List<? extends Subset<?>> splits, int[]... expected) {
        List<int[]> actual = indices(splits);
        assertEquals(expected.length, actual.size());
        for (int i = 0; i < expected.length; i++) assertArrayEquals(expected[i], actual.get(i), "split " + i);
    }

    /**
     * <pre>
     * random_split(range(10), [3, 7], generator=torch.Generator().manual_seed(42))
     *     # [[2, 6, 1], [8, 4, 5, 0, 9, 3, 7]]
     * random_split(range(30), [0.3, 0.3, 0.4], generator=torch.Generator().manual_seed(42))
     *     # [[12, 0, 6, 25, 8, 15, 10, 18, 16], [23, 28, 26, 20, 7, 21, 22, 29, 13],
     *     #  [14, 2, 4, 1, 9, 11, 17, 19, 27, 5, 24, 3]]
     * random_split(range(11), [0.5, 0.5], generator=torch.Generator().manual_seed(0))
     *     # [[10, 0, 4, 3, 5, 8], [2, 1, 9, 7, 6]]
     * random_split(range(10), [0.25, 0.25, 0.25, 0.25], generator=torch.Generator().manual_seed(0))
     *     # [[4, 1, 7], [5, 3, 9], [0, 8], [6, 2]]
     * torch.manual_seed(3); random_split(range(8), [5, 3])   # [[2, 4, 3, 5, 1], [0, 6, 7]]
     * torch.randint(0, 1000, (3,)).tolist()                   # [525, 981, 739]
     * </pre>
     */
    @Test void randomSplitMatchesPyTorch() {
        assertSplits(Dataset.randomSplit(range(10), new int[] {3, 7}, new Generator().manualSeed(42)),
                new int[] {2, 6, 1}, new int[] {8, 4, 5, 0, 9, 3, 7});
        assertSplits(Dataset.randomSplit(range(30), new double[] {0.3, 0.3, 0.4}, new Generator().manualSeed(42)),
                new int[] {12, 0, 6, 25, 8, 15, 10, 18, 16}, new int[] {23, 28, 26, 20, 7, 21, 22, 29, 13},
                new int[] {14, 2, 4, 1, 9, 11, 17, 19, 27, 5, 24, 3});
        assertSplits(Dataset.randomSplit(range(11), new double[] {0.5, 0.5}, new Generator().manualSeed(0)),
                new int[] {10, 0, 4, 3, 5, 8}, new int[] {2, 1, 9, 7, 6});
        assertSplits(Dataset.randomSplit(range(10), new double[] {0.25, 0.25, 0.25, 0.25}, new Generator().manualSeed(0)),
                new int[] {4, 1, 7}, new int[] {5, 3, 9}, new int[] {0, 8}, new int[] {6, 2});
        Torch.manualSeed(3);
        assertSplits(Dataset.randomSplit(range(8), 5, 3), new int[] {2, 4, 3, 5, 1}, new int[] {0, 6, 7});
        assertArrayEquals(new long[] {525, 981, 739}, Torch.randint(0, 1000, 3).toLongArray());
    }

    @Test void randomSplitSubsetsReadTheDataset() {
        List<Subset<Integer>> parts = Dataset.randomSplit(range(10), new int[] {3, 7}, new Generator().manualSeed(42));
        Subset<Integer> first = parts.get(0);
        assertEquals(3, first.size());
        assertEquals(6, first.get(1));
        assertEquals(10, first.dataset().size());
        assertEquals("Subset([2, 6, 1])", first.toString());
        assertEquals("Sum of input lengths does not equal the length of the input dataset!",
                assertThrows(IllegalArgumentException.class, () -> Dataset.randomSplit(range(10), 3, 6)).getMessage());
        assertEquals("Fraction at index 0 is not between 0 and 1", assertThrows(IllegalArgumentException.class,
                () -> Dataset.randomSplit(range(10), new double[] {1.5, -0.5}, new Generator())).getMessage());
        // lengths summing to 1 are fractions, as in PyTorch: random_split(range(4), [0, 1]) gives [[], 4 indices]
        List<Subset<Integer>> all = Dataset.randomSplit(range(4), new int[] {0, 1}, new Generator());
        assertEquals(0, all.get(0).size());
        assertEquals(4, all.get(1).size());
    }

    @Test void tensorDatasetRowsAreViews() {
        Tensor x = Torch.arange(0.0, 12.0, 1.0).view(4, 3);
        Tensor y = Torch.tensor(7, 8, 9, 10);
        TensorDataset ds = new TensorDataset(x, y);
        assertEquals(4, ds.size());
        assertEquals(List.of(x, y), ds.tensors());
        List<Tensor> row = ds.get(2);
        assertArrayEquals(new float[] {6, 7, 8}, row.get(0).toFloatArray());
        assertEquals(0, row.get(1).dim());
        assertEquals(9, row.get(1).toLongArray()[0]);
        assertThrows(IndexOutOfBoundsException.class, () -> ds.get(4));
        assertEquals("Size mismatch between tensors",
                assertThrows(IllegalArgumentException.class, () -> new TensorDataset(x, Torch.zeros(3))).getMessage());
    }

    @Test void defaultCollate() {
        // tensors are stacked; lists collate element by element
        List<List<Tensor>> samples = List.of(List.of(Torch.tensor(1f, 2f), Torch.scalarTensor(3L)),
                List.of(Torch.tensor(4f, 5f), Torch.scalarTensor(6L)));
        @SuppressWarnings("unchecked")
        List<Tensor> batch = (List<Tensor>) Collate.defaultCollate(samples);
        assertEquals("torch.Size([2, 2])", batch.get(0).shape().toString());
        assertArrayEquals(new float[] {1, 2, 4, 5}, batch.get(0).toFloatArray());
        assertArrayEquals(new long[] {3, 6}, batch.get(1).toLongArray());
        // numbers: Python floats give float64, ints int64, bools bool
        assertEquals(DType.FLOAT64, ((Tensor) Collate.defaultCollate(List.of(0.5, 1.5))).dtype());
        assertEquals(DType.FLOAT32, ((Tensor) Collate.defaultCollate(List.of(0.5f, 1.5f))).dtype());
        assertArrayEquals(new long[] {0, 100}, ((Tensor) Collate.defaultCollate(List.of(0, 100))).toLongArray());
        assertEquals(DType.BOOL, ((Tensor) Collate.defaultCollate(List.of(true, false))).dtype());
        // default_collate([{'A': 0, 'B': 1}, {'A': 100, 'B': 100}]) == {'A': tensor([0, 100]), 'B': tensor([1, 100])}
        Map<String, Integer> a = new LinkedHashMap<>(), b = new LinkedHashMap<>();
        a.put("A", 0);
        a.put("B", 1);
        b.put("A", 100);
        b.put("B", 100);
        Map<?, ?> m = (Map<?, ?>) Collate.defaultCollate(List.of(a, b));
        assertEquals(List.of("A", "B"), new ArrayList<>(m.keySet()));
        assertArrayEquals(new long[] {1, 100}, ((Tensor) m.get("B")).toLongArray());
        // strings stay; arrays of tensors give arrays
        assertEquals(List.of("a", "b"), Collate.defaultCollate(List.of("a", "b")));
        Object arrays = Collate.defaultCollate(List.of(new Tensor[] {Torch.ones(2)}, new Tensor[] {Torch.zeros(2)}));
        assertTrue(arrays instanceof Tensor[]);
        assertArrayEquals(new float[] {1, 1, 0, 0}, ((Tensor[]) arrays)[0].toFloatArray());
        assertEquals("each element in list of batch should be of equal size", assertThrows(IllegalArgumentException.class,
                () -> Collate.defaultCollate(List.of(List.of(1, 2), List.of(3)))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Collate.defaultCollate(List.of(new Object())));
        assertThrows(IllegalArgumentException.class, () -> Collate.defaultCollate(List.of(Torch.ones(2), Torch.ones(3))));
    }

    private static List<Integer> all(Iterable<Integer> it) {
        List<Integer> out = new ArrayList<>();
        for (int i : it) out.add(i);
        return out;
    }

    /**
     * <pre>
     * g = torch.Generator().manual_seed(3)
     * list(RandomSampler(range(7), replacement=True, num_samples=40, generator=g))
     *     # [5, 3, 3, 4, 0, 6, 2, 4, 5, 0, 6, 6, 0, 6, 6, 2, 6, 5, 6, 5, 6, 6, 5, 0, 2, 2, 4, 5, 5, 2, 4, 1,
     *     #  2, 5, 3, 5, 6, 2, 4, 4]
     * g = torch.Generator().manual_seed(3)
     * list(RandomSampler(range(4), num_samples=10, generator=g))   # [2, 3, 1, 0, 3, 2, 1, 0, 0, 3]
     * </pre>
     */
    @Test void samplers() {
        assertEquals(List.of(5, 3, 3, 4, 0, 6, 2, 4, 5, 0, 6, 6, 0, 6, 6, 2, 6, 5, 6, 5, 6, 6, 5, 0, 2, 2, 4, 5, 5, 2, 4, 1,
                2, 5, 3, 5, 6, 2, 4, 4), all(new RandomSampler(range(7), true, 40, new Generator().manualSeed(3))));
        RandomSampler cut = new RandomSampler(range(4), false, 10, new Generator().manualSeed(3));
        assertEquals(10, cut.size());
        assertEquals(List.of(2, 3, 1, 0, 3, 2, 1, 0, 0, 3), all(cut));
        assertEquals(List.of(0, 1, 2), all(new SequentialSampler(range(3))));
        assertEquals("num_samples should be a positive integer value, but got num_samples=0",
                assertThrows(IllegalArgumentException.class, () -> new RandomSampler(range(0))).getMessage());
        // list(BatchSampler(SequentialSampler(range(10)), batch_size=3, drop_last=False)) == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
        BatchSampler kept = new BatchSampler(new SequentialSampler(range(10)), 3, false);
        Iterator<int[]> it = kept.iterator();
        assertArrayEquals(new int[] {0, 1, 2}, it.next());
        it.next();
        it.next();
        assertArrayEquals(new int[] {9}, it.next());
        assertFalse(it.hasNext());
        assertEquals(4, kept.size());
        BatchSampler dropped = new BatchSampler(new SequentialSampler(range(10)), 3, true);
        int count = 0;
        for (int[] batch : dropped) count += batch.length;
        assertEquals(9, count);
        assertEquals(3, dropped.size());
    }
}

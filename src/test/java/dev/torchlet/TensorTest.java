package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Semantics of the tensor core against hand-derived values. */
class TensorTest {
    @Test void creationDtypesAndShapes() {
        assertEquals(DType.FLOAT32, Torch.tensor(2.5f, 4f).dtype());
        assertEquals(DType.FLOAT32, Torch.tensor(2.5, 4.0).dtype());
        assertEquals(DType.INT64, Torch.tensor(1, 2, 3).dtype());
        assertEquals(DType.BOOL, Torch.tensor(true).dtype());
        assertEquals(DType.INT64, Torch.arange(5).dtype());
        assertEquals(DType.FLOAT32, Torch.arange(0.0, 1.0, 0.25).dtype());
        assertEquals(DType.INT64, Torch.full(new long[] {2}, 3L).dtype());
        assertEquals(0, Torch.scalarTensor(3.5).dim());
        assertEquals("torch.Size([3, 1])", Torch.zeros(3, 1).shape().toString());
        assertEquals(Size.of(2, 3), Torch.tensor(new double[][] {{1, 2, 3}, {4, 5, 6}}).shape());
        assertArrayEquals(new long[] {0, 1, 2, 3, 4}, Torch.arange(5).toLongArray());
        assertArrayEquals(new float[] {0f, 0.25f, 0.5f, 0.75f}, Torch.arange(0.0, 1.0, 0.25).toFloatArray());
        assertArrayEquals(new long[] {5, 3, 1}, Torch.arange(5, 0, -2).toLongArray());
        assertArrayEquals(new float[] {0f, 0.25f, 0.5f, 0.75f, 1f}, Torch.linspace(0, 1, 5).toFloatArray());
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0}, Torch.eye(2, 3).toFloatArray());
        assertArrayEquals(new double[] {7, 7}, Torch.full(new long[] {2}, 7.0, DType.FLOAT64).toDoubleArray());
        assertEquals(Size.of(0, 3), Torch.empty(0, 3).shape());
        Tensor like = Torch.onesLike(Torch.zeros(new long[] {2, 2}, DType.INT64));
        assertEquals(DType.INT64, like.dtype());
        assertArrayEquals(new long[] {1, 1, 1, 1}, like.toLongArray());
    }

    @Test void typePromotion() {
        Tensor f32 = Torch.ones(2), f64 = Torch.ones(new long[] {2}, DType.FLOAT64), i64 = Torch.tensor(1, 2);
        assertEquals(DType.FLOAT64, f32.add(f64).dtype());
        assertEquals(DType.FLOAT32, i64.add(f32).dtype());
        assertEquals(DType.FLOAT32, f32.mul(0.1).dtype());
        assertEquals(DType.FLOAT64, f64.mul(0.1).dtype());
        assertEquals(DType.INT64, i64.add(1).dtype());
        assertEquals(DType.FLOAT32, i64.add(0.5).dtype());
        assertEquals(DType.FLOAT32, i64.div(i64).dtype());
        assertEquals(DType.INT64, Torch.tensor(true, false).add(1).dtype());
        assertEquals(DType.BOOL, f32.lt(f64).dtype());
        // a float32 tensor times a double scalar multiplies by the scalar rounded to float, as PyTorch does
        assertEquals((float) (3f * (float) 0.1), Torch.tensor(3f).mul(0.1).toFloatArray()[0]);
    }

    @Test void viewsShareStorage() {
        Tensor base = Torch.zeros(2, 3);
        base.t().select(0, 1).fill_(5); // column 1
        assertArrayEquals(new float[] {0, 5, 0, 0, 5, 0}, base.toFloatArray());
        base.view(6).narrow(0, 4, 2).add_(1.0);
        assertArrayEquals(new float[] {0, 5, 0, 0, 6, 1}, base.toFloatArray());
        base.unsqueeze(0).squeeze().flatten().copy_(Torch.arange(0.0, 6.0, 1.0));
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, base.toFloatArray());
        Tensor permuted = Torch.arange(24).view(2, 3, 4).permute(2, 0, 1);
        assertEquals(Size.of(4, 2, 3), permuted.shape());
        assertArrayEquals(new long[] {1, 12, 4}, permuted.stride());
        assertEquals(13, (long) permuted.select(0, 1).select(0, 1).select(0, 0).item());
        Tensor expanded = Torch.tensor(1f, 2f).unsqueeze(1).expand(2, 3);
        assertArrayEquals(new long[] {1, 0}, expanded.stride());
        assertArrayEquals(new float[] {1, 1, 1, 2, 2, 2}, expanded.contiguous().toFloatArray());
        Tensor x = Torch.ones(4);
        assertSame(x, x.contiguous());
    }

    @Test void reshapeCopiesOnlyWhenItMust() {
        Tensor a = Torch.arange(6).view(2, 3);
        Tensor r = a.reshape(3, 2);
        r.fill_(0);
        assertArrayEquals(new long[] {0, 0, 0, 0, 0, 0}, a.toLongArray()); // a view: writes show through
        Tensor b = Torch.arange(6).view(2, 3);
        Tensor c = b.t().reshape(6);
        assertArrayEquals(new long[] {0, 3, 1, 4, 2, 5}, c.toLongArray());
        c.fill_(9);
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, b.toLongArray()); // a copy: b untouched
    }

    @Test void broadcastingArithmetic() {
        Tensor col = Torch.tensor(new float[][] {{1}, {2}}), row = Torch.tensor(10f, 20f, 30f);
        assertArrayEquals(new float[] {11, 21, 31, 12, 22, 32}, col.add(row).toFloatArray());
        assertArrayEquals(new float[] {1, 4, 9}, Torch.tensor(1f, 2f, 3f).pow(2).toFloatArray());
        assertArrayEquals(new float[] {0.5f, 2f, 4.5f},
                Torch.tensor(1f, 2f, 3f).pow(Torch.tensor(2f)).mul(0.5).toFloatArray());
        assertArrayEquals(new float[] {2f, 0f}, Torch.tensor(2f, 4f).rsub(4).toFloatArray());
        assertArrayEquals(new float[] {8f, 0.5f}, Torch.pow(2, Torch.tensor(3f, -1f)).toFloatArray());
        assertArrayEquals(new float[] {0.5f, 1.5f}, Torch.tensor(1, 3).div(2).toFloatArray());
        assertArrayEquals(new boolean[] {false, true, false}, Torch.tensor(1f, 2f, 3f).eq(2).toBooleanArray());
        assertArrayEquals(new float[] {0, 0, 3}, Torch.tensor(-1f, 0f, 3f).relu().toFloatArray());
        Tensor nan = Torch.tensor(Float.NaN, 1f);
        assertEquals(Float.NaN, nan.maximum(Torch.tensor(5f, 5f)).toFloatArray()[0]);
    }

    @Test void reductions() {
        Tensor m = Torch.tensor(new float[][] {{1, 5, 3}, {4, 2, 6}});
        assertEquals(21.0, m.sum().item());
        assertArrayEquals(new float[] {5, 7, 9}, m.sum(0).toFloatArray());
        assertEquals(Size.of(2, 1), m.sum(1, true).shape());
        assertArrayEquals(new float[] {3, 4}, m.mean(1, false).toFloatArray());
        assertEquals(720.0, m.prod().item());
        assertEquals(6.0, m.max().item());
        ValuesIndices max = m.max(1);
        assertArrayEquals(new float[] {5, 6}, max.values().toFloatArray());
        assertArrayEquals(new long[] {1, 2}, max.indices().toLongArray());
        assertArrayEquals(new long[] {0, 1, 0}, m.argmin(0, false).toLongArray());
        assertEquals(5, (long) m.argmax().item());
        assertEquals(DType.INT64, Torch.tensor(true, true, false).sum().dtype());
        assertEquals(2, (long) Torch.tensor(true, true, false).sum().item());
        assertEquals(0.0, Torch.zeros(0).sum().item());
        assertEquals(Size.of(), m.sum(new int[] {0, 1}, false).shape());
    }

    @Test void matmulSemantics() {
        Tensor a = Torch.tensor(new float[][] {{1, 2}, {3, 4}, {5, 6}}), b = Torch.tensor(new float[][] {{1, 2}, {1, 2}});
        assertArrayEquals(new float[] {3, 6, 7, 14, 11, 22}, a.matmul(b).toFloatArray());
        assertEquals(Size.of(), Torch.tensor(1f, 2f).matmul(Torch.tensor(3f, 4f)).shape());
        assertEquals(11.0, Torch.tensor(1f, 2f).matmul(Torch.tensor(3f, 4f)).item());
        assertArrayEquals(new float[] {5, 11, 17}, a.matmul(Torch.tensor(1f, 2f)).toFloatArray());
        assertArrayEquals(new float[] {9, 12}, Torch.tensor(1f, 1f, 1f).matmul(a).toFloatArray());
        assertArrayEquals(new float[] {5, 11, 17, 5, 11, 17}, a.t().t().matmul(b.t()).select(1, 0).expand(2, 3)
                .contiguous().toFloatArray());
        Tensor batch = Torch.arange(0.0, 12.0, 1.0).view(2, 3, 2);
        Tensor out = batch.matmul(b);
        assertEquals(Size.of(2, 3, 2), out.shape());
        assertArrayEquals(new float[] {13, 26}, out.select(0, 1).select(0, 0).toFloatArray()); // [6, 7] @ b
        assertEquals(Size.of(4, 2, 3, 3), Torch.ones(4, 1, 3, 2).matmul(Torch.ones(2, 2, 3)).shape());
        assertEquals(Size.of(2, 3, 3), Torch.ones(2, 3, 2).bmm(Torch.ones(2, 2, 3)).shape());
        assertArrayEquals(new long[] {7, 10, 15, 22}, Torch.tensor(new long[][] {{1, 2}, {3, 4}})
                .mm(Torch.tensor(new long[][] {{1, 2}, {3, 4}})).toLongArray());
        assertArrayEquals(new float[] {0, 0, 0, 0}, Torch.ones(2, 0).mm(Torch.ones(0, 2)).toFloatArray());
    }

    @Test void sortIsStable() {
        ValuesIndices s = Torch.tensor(3f, 1f, Float.NaN, 1f, 2f).sort();
        assertArrayEquals(new float[] {1, 1, 2, 3, Float.NaN}, s.values().toFloatArray());
        assertArrayEquals(new long[] {1, 3, 4, 0, 2}, s.indices().toLongArray());
        ValuesIndices d = Torch.tensor(3f, 1f, Float.NaN, 1f, 2f).sort(0, true);
        assertArrayEquals(new float[] {Float.NaN, 3, 2, 1, 1}, d.values().toFloatArray());
        assertArrayEquals(new long[] {2, 0, 4, 1, 3}, d.indices().toLongArray());
        ValuesIndices cols = Torch.tensor(new float[][] {{2, 1}, {1, 2}}).sort(0, false);
        assertArrayEquals(new float[] {1, 1, 2, 2}, cols.values().toFloatArray());
        assertArrayEquals(new long[] {1, 0, 0, 1}, cols.indices().toLongArray());
    }

    @Test void joins() {
        Tensor x = Torch.tensor(1f, 2f), y = Torch.tensor(3f, 4f);
        assertEquals(Size.of(2, 2), Torch.vstack(x, y).shape());
        assertArrayEquals(new float[] {1, 3, 2, 4}, Torch.vstack(x, y).t().contiguous().toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3, 4}, Torch.hstack(x, y).toFloatArray());
        assertEquals(Size.of(2, 2), Torch.stack(java.util.List.of(x, y), 1).shape());
        assertArrayEquals(new float[] {1, 3, 2, 4}, Torch.stack(java.util.List.of(x, y), 1).toFloatArray());
        Tensor m = Torch.cat(1, Torch.ones(2, 1), Torch.zeros(2, 2));
        assertArrayEquals(new float[] {1, 0, 0, 1, 0, 0}, m.toFloatArray());
        assertEquals(DType.FLOAT64, Torch.cat(Torch.ones(1), Torch.ones(new long[] {1}, DType.FLOAT64)).dtype());
        assertEquals(Size.of(2, 2), Torch.hstack(Torch.ones(2, 1), Torch.ones(2, 1)).shape());
    }

    @Test void conversions() {
        Tensor f = Torch.tensor(-1.7f, 2.5f, 0f);
        assertArrayEquals(new long[] {-1, 2, 0}, f.toLongArray());
        assertArrayEquals(new boolean[] {true, true, false}, f.toBooleanArray());
        assertArrayEquals(new double[] {-1.7f, 2.5, 0}, f.toDoubleArray());
        assertEquals(2.5, Torch.tensor(2.5f).item());
        assertEquals(DType.FLOAT64, f.to(DType.FLOAT64).dtype());
        assertSame(f, f.to(DType.FLOAT32));
        assertSame(f, f.to(Device.CPU));
        assertEquals(Device.CPU, f.device());
    }

    @Test void inPlaceOps() {
        Tensor w = Torch.tensor(2.5f, 4f);
        w.sub_(Torch.tensor(1f, 2f).mul(0.5));
        assertArrayEquals(new float[] {2f, 3f}, w.toFloatArray());
        w.mul_(2.0).div_(4.0).add_(1.0);
        assertArrayEquals(new float[] {2f, 2.5f}, w.toFloatArray());
        w.zero_();
        assertArrayEquals(new float[] {0, 0}, w.toFloatArray());
        Tensor m = Torch.zeros(2, 2);
        m.add_(Torch.tensor(1f, 2f)); // broadcast into the left operand's shape
        assertArrayEquals(new float[] {1, 2, 1, 2}, m.toFloatArray());
        m.add_(m.t().clone()); // m.add_(m.t()) raises, as in PyTorch: see NativeBoundaryTest
        assertArrayEquals(new float[] {2, 3, 3, 4}, m.toFloatArray());
        Tensor f32 = Torch.ones(2);
        f32.add_(Torch.ones(new long[] {2}, DType.FLOAT64)); // float64 result cast back to float32
        assertArrayEquals(new float[] {2, 2}, f32.toFloatArray());
    }

    @Test void printsAsPyTorch() {
        assertEquals("tensor([[1., 2.],\n        [3., 4.]])", Torch.tensor(new float[][] {{1, 2}, {3, 4}}).toString());
        assertEquals("tensor([[0, 3],\n        [1, 4],\n        [2, 5]])", Torch.arange(6).view(2, 3).t().toString());
        assertEquals("tensor([0.5000, 1.0000], dtype=torch.float64)",
                Torch.tensor(new double[] {0.5, 1}, DType.FLOAT64).toString());
        assertEquals("tensor(2.5000)", Torch.scalarTensor(2.5).toString());
        assertEquals("tensor([ True, False])", Torch.tensor(true, false).toString());
        try {
            Torch.setPrintOptions(2, 1000, 3, 80, null);
            assertEquals("tensor([1.23])", Torch.tensor(1.23456f).toString());
        } finally {
            Torch.setPrintOptions(4, 1000, 3, 80, null);
        }
    }
}

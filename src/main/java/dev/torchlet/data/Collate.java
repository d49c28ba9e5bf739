package dev.torchlet.data;

import dev.torchlet.DType;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Collate functions: how a {@link DataLoader} turns a list of samples into a batch.
 * {@link #defaultCollate(List)} is PyTorch's {@code default_collate}.
 */
public final class Collate {
    private Collate() {}

    /**
     * PyTorch's {@code default_collate}, applied recursively to the samples' structure:
     * <ul>
     * <li>tensors are stacked along a new first dimension ({@code torch.stack(batch, 0)});</li>
     * <li>{@code Double}s become a float64 tensor, {@code Float}s float32, {@code Long}s, {@code Integer}s,
     *     {@code Short}s and {@code Byte}s int64, {@code Boolean}s bool (as PyTorch makes Python floats, numpy
     *     float32 scalars, ints and bools into tensors);</li>
     * <li>{@code String}s stay as they are, in a list;</li>
     * <li>a {@code Map} gives a map of the same keys (in the first sample's order), each collated over the
     *     samples;</li>
     * <li>a {@code List} (PyTorch's sequence or tuple) gives an unmodifiable list whose element i collates the
     *     samples' elements i; a {@code Tensor[]} gives a {@code Tensor[]} and any other array an
     *     {@code Object[]}, the same way.</li>
     * </ul>
     * So a {@link TensorDataset}'s samples (lists of tensors) collate to a list of batch tensors.
     *
     * @param batch the samples
     * @return the batch, of the samples' structure
     * @throws IllegalArgumentException for an empty batch, for lists or arrays of different lengths (PyTorch's
     *     "each element in list of batch should be of equal size"), for tensors of different shapes, or for a
     *     sample of another type
     */
    public static Object defaultCollate(List<?> batch) {
        if (batch.isEmpty()) throw new IllegalArgumentException("default_collate: the batch is empty");
        Object elem = batch.get(0);
        if (elem instanceof Tensor) {
            List<Tensor> tensors = new ArrayList<>(batch.size());
            for (Object o : batch) tensors.add(as(Tensor.class, o));
            return Torch.stack(tensors, 0);
        }
        if (elem instanceof Double || elem instanceof Float) {
            double[] values = new double[batch.size()];
            for (int i = 0; i < values.length; i++) values[i] = as(Number.class, batch.get(i)).doubleValue();
            return Torch.tensor(values, elem instanceof Double ? DType.FLOAT64 : DType.FLOAT32);
        }
        if (elem instanceof Long || elem instanceof Integer || elem instanceof Short || elem instanceof Byte) {
            long[] values = new long[batch.size()];
            for (int i = 0; i < values.length; i++) values[i] = as(Number.class, batch.get(i)).longValue();
            return Torch.tensor(values);
        }
        if (elem instanceof Boolean) {
            boolean[] values = new boolean[batch.size()];
            for (int i = 0; i < values.length; i++) values[i] = as(Boolean.class, batch.get(i));
            return Torch.tensor(values);
        }
        if (elem instanceof String) {
            for (Object o : batch) as(String.class, o);
            return Collections.unmodifiableList(new ArrayList<>(batch));
        }
        if (elem instanceof Map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Object key : ((Map<?, ?>) elem).keySet()) {
                List<Object> column = new ArrayList<>(batch.size());
                for (Object o : batch) column.add(as(Map.class, o).get(key));
                out.put(key, defaultCollate(column));
            }
            return Collections.unmodifiableMap(out);
        }
        if (elem instanceof List) {
            List<Object[]> rows = new ArrayList<>(batch.size());
            for (Object o : batch) rows.add(as(List.class, o).toArray());
            return List.of(transpose(rows));
        }
        if (elem instanceof Object[]) {
            List<Object[]> rows = new ArrayList<>(batch.size());
            for (Object o : batch) rows.add(as(Object[].class, o));
            Object[] columns = transpose(rows);
            if (elem instanceof Tensor[]) {
                Tensor[] out = new Tensor[columns.length];
                for (int i = 0; i < out.length; i++) out[i] = (Tensor) columns[i];
                return out;
            }
            return columns;
        }
        throw new IllegalArgumentException("default_collate: batch must contain tensors, numbers, strings, maps, "
                + "lists or arrays; found " + (elem == null ? "null" : elem.getClass().getName()));
    }

    /** Collates column i of the rows (which must all have the same length) for each i. */
    private static Object[] transpose(List<Object[]> rows) {
        int width = rows.get(0).length;
        for (Object[] r : rows) {
            if (r.length != width) throw new IllegalArgumentException("each element in list of batch should be of equal size");
        }
        Object[] out = new Object[width];
        for (int i = 0; i < width; i++) {
            List<Object> column = new ArrayList<>(rows.size());
            for (Object[] r : rows) column.add(r[i]);
            out[i] = defaultCollate(column);
        }
        return out;
    }

    private static <X> X as(Class<X> type, Object o) {
        if (!type.isInstance(o)) {
            throw new IllegalArgumentException("default_collate: expected every sample to be a " + type.getSimpleName()
                    + " like the first, but found " + (o == null ? "null" : o.getClass().getName()));
        }
        return type.cast(o);
    }

    /** Visits every tensor of a collated batch (the structures {@link #defaultCollate} makes). */
    static void forEachTensor(Object batch, Consumer<Tensor> action) {
        if (batch instanceof Tensor) {
            action.accept((Tensor) batch);
        } else if (batch instanceof Map) {
            for (Object v : ((Map<?, ?>) batch).values()) forEachTensor(v, action);
        } else if (batch instanceof Collection) {
            for (Object v : (Collection<?>) batch) forEachTensor(v, action);
        } else if (batch instanceof Object[]) {
            for (Object v : (Object[]) batch) forEachTensor(v, action);
        }
    }
}

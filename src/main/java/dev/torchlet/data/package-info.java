/**
 * Data loading, PyTorch's {@code torch.utils.data}: {@link dev.torchlet.data.Dataset} (map-style datasets),
 * {@link dev.torchlet.data.TensorDataset}, {@link dev.torchlet.data.Subset} and
 * {@link dev.torchlet.data.Dataset#randomSplit}, the samplers ({@link dev.torchlet.data.SequentialSampler},
 * {@link dev.torchlet.data.RandomSampler}, {@link dev.torchlet.data.BatchSampler}),
 * {@link dev.torchlet.data.Collate#defaultCollate} and {@link dev.torchlet.data.DataLoader}, which batches a
 * dataset in the order PyTorch's {@code DataLoader} gives for the same seed, optionally loading ahead on a
 * background thread. {@link dev.torchlet.data.Digits} is a small real dataset shipped with the library.
 *
 * <pre>{@code
 * Digits digits = Digits.load();
 * var data = new TensorDataset(digits.data().div(16.0), digits.target());
 * List<Subset<List<Tensor>>> parts = Dataset.randomSplit(data, new double[] {0.8, 0.2}, new Generator().manualSeed(0));
 * DataLoader<List<Tensor>> loader = DataLoader.builder(parts.get(0)).batchSize(32).shuffle(true).build();
 * for (List<Tensor> batch : loader) {
 *     Tensor x = batch.get(0), y = batch.get(1);   // [32, 64] float32, [32] int64
 * }
 * }</pre>
 */
package dev.torchlet.data;

/**
 * Data-parallel training on several processes, PyTorch's {@code torch.distributed}: a process group over Open
 * MPI ({@link dev.torchlet.distributed.Distributed#initProcessGroup(String)} with {@code "mpi"}, launched by
 * {@code mpirun}), its collectives on CPU tensors, and {@link dev.torchlet.distributed.DistributedDataParallel},
 * which averages gradients in buckets while backward runs. {@link dev.torchlet.data.DistributedSampler} gives
 * each rank its shard of a dataset. See docs/distributed.md.
 */
package dev.torchlet.distributed;

package dev.torchlet.distributed;

import dev.torchlet.Scope;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.nn.Module;
import dev.torchlet.nn.Parameter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Data-parallel training of module, PyTorch's {@code torch.nn.parallel.DistributedDataParallel}: every rank
 * runs the same model on its own part of the batch, and after backward every rank holds the gradients averaged
 * over the ranks, so that an optimizer step keeps the replicas equal.
 *
 * <ul>
 *   <li>On construction, rank 0's parameters are broadcast to every rank.</li>
 *   <li>The parameters are grouped into buckets (in reverse order, roughly the order backward produces their
 *       gradients; at most {@link #DEFAULT_BUCKET_CAP_BYTES} each). As soon as every gradient of a bucket has
 *       been accumulated, a post-accumulate-grad hook copies them into the bucket's buffer and starts its
 *       allreduce, which runs while backward goes on with the earlier layers. The hook of the last gradient
 *       waits for every bucket and copies the averages back into the grads.</li>
 *   <li>Every parameter that requires grad must get a gradient in every backward (PyTorch's default
 *       {@code find_unused_parameters=False}): otherwise the next forward raises.</li>
 * </ul>
 *
 * <p>The process group must be initialized ({@link Distributed#initProcessGroup(String)}); state dict names are
 * the module's, prefixed with "module.", as PyTorch's.
 */
public final class DistributedDataParallel extends Module {
    /** PyTorch's default bucket size, {@code bucket_cap_mb=25}. */
    public static final long DEFAULT_BUCKET_CAP_BYTES = 25L << 20;

    private final Module module;
    private final List<Bucket> buckets = new ArrayList<>();
    private final Map<Tensor, Bucket> bucketOf = new IdentityHashMap<>();
    private int bucketsStarted;

    /** Parameters whose gradients are reduced together, in one flat buffer. */
    private static final class Bucket {
        final List<Parameter> params = new ArrayList<>();
        final List<Long> offsets = new ArrayList<>(); // of each parameter's gradient in flat
        long numel;
        Tensor flat;
        int ready;
        Distributed.Work work;
    }

    /**
     * Wraps module, with buckets of at most 25 MiB.
     * @param module the model, the same on every rank
     */
    public DistributedDataParallel(Module module) { this(module, DEFAULT_BUCKET_CAP_BYTES); }

    /**
     * Wraps module.
     * @param module the model, the same on every rank
     * @param bucketCapBytes the most bytes of gradients per bucket (a larger parameter gets a bucket of its own)
     */
    public DistributedDataParallel(Module module, long bucketCapBytes) {
        if (bucketCapBytes <= 0) throw new IllegalArgumentException("bucket cap must be positive, got " + bucketCapBytes);
        this.module = register("module", module);
        List<Parameter> params = new ArrayList<>();
        for (Parameter p : module.parameters()) {
            Distributed.broadcast(p, 0);
            if (p.requiresGrad()) params.add(p);
        }
        Bucket bucket = null;
        long bytes = 0;
        for (int i = params.size() - 1; i >= 0; i--) {
            Parameter p = params.get(i);
            long size = p.numel() * p.dtype().itemSize();
            if (bucket == null || bytes + size > bucketCapBytes || p.dtype() != bucket.params.get(0).dtype()) {
                bucket = new Bucket();
                buckets.add(bucket);
                bytes = 0;
            }
            bucket.offsets.add(bucket.numel);
            bucket.numel += p.numel();
            bucket.params.add(p);
            bytes += size;
            bucketOf.put(p, bucket);
            p.registerPostAccumulateGradHook(this::gradReady);
        }
        for (Bucket b : buckets) {
            b.flat = Scope.exempt(Torch.zeros(new long[] {b.numel}, b.params.get(0).dtype())); // lives with this module
        }
    }

    /**
     * The wrapped module.
     * @return the module
     */
    public Module module() { return module; }

    /**
     * The buckets' sizes, in parameters, in the order their allreduces start.
     * @return parameters per bucket
     */
    public List<Integer> bucketSizes() {
        List<Integer> sizes = new ArrayList<>();
        for (Bucket b : buckets) sizes.add(b.params.size());
        return sizes;
    }

    @Override public Tensor forward(Tensor input) {
        checkReductionFinished();
        return module.forward(input);
    }

    @Override public Tensor forward(Tensor input, Tensor other) {
        checkReductionFinished();
        return module.forward(input, other);
    }

    private void checkReductionFinished() {
        if (bucketsStarted == 0 && buckets.stream().allMatch(b -> b.ready == 0)) return;
        throw new IllegalStateException("Expected to have finished reduction in the prior iteration before starting "
                + "a new one. This error indicates that your module has parameters that were not used in producing "
                + "loss. torchlet's DistributedDataParallel needs every parameter that requires grad to receive a "
                + "gradient in every backward pass (" + bucketsStarted + " of " + buckets.size()
                + " buckets were reduced in the last one).");
    }

    /** A parameter's gradient is complete for this backward: start its bucket once the bucket is full. */
    private void gradReady(Tensor param) {
        Bucket b = bucketOf.get(param);
        if (++b.ready < b.params.size()) return;
        try (var noGrad = Torch.noGrad()) {
            for (int i = 0; i < b.params.size(); i++) {
                Tensor g = b.params.get(i).grad();
                b.flat.narrow(0, b.offsets.get(i), g.numel()).copy_(g.reshape(-1));
            }
        }
        b.work = Distributed.allReduceAsync(b.flat, ReduceOp.AVG);
        bucketsStarted++;
        if (bucketsStarted == buckets.size()) finishReduction();
    }

    /** Waits for every bucket and writes the averages into the grads. */
    private void finishReduction() {
        try (var noGrad = Torch.noGrad()) {
            for (Bucket b : buckets) {
                b.work.await();
                for (int i = 0; i < b.params.size(); i++) {
                    Tensor g = b.params.get(i).grad();
                    g.copy_(b.flat.narrow(0, b.offsets.get(i), g.numel()).view(g.shape().toArray()));
                }
                b.work = null;
                b.ready = 0;
            }
        }
        bucketsStarted = 0;
    }
}

package dev.torchlet.bench;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.distributed.Distributed;
import dev.torchlet.distributed.DistributedDataParallel;
import dev.torchlet.distributed.ReduceOp;

/**
 * The distributed benchmarks, run under mpirun by benchmarks/distributed/run (one JVM per rank):
 * {@code allreduce} prints "allreduce BYTES SECONDS_PER_CALL" for float32 gradients of 1 KiB to 256 MiB (the
 * same sizes, iteration counts and timing as allreduce_loop.c, Open MPI's own loop, the baseline), and
 * {@code ddp STEPS} prints "ddp PROCESSES STEPS_PER_SECOND" for W6's MLP on a global batch of 256 split over
 * the ranks. Rank 0 prints.
 */
public final class DistributedBench {
    private DistributedBench() {}

    public static void main(String[] args) {
        Distributed.initProcessGroup("mpi");
        if (args[0].equals("allreduce")) allReduce();
        else ddp(Integer.parseInt(args[1]));
        Distributed.destroyProcessGroup();
    }

    /** Iterations for a size: about 256 MiB moved per measurement, at least 3. */
    static int iterations(long bytes) { return (int) Math.max(3, Math.min(2000, (256L << 20) / bytes)); }

    static void allReduce() {
        for (long bytes = 1 << 10; bytes <= 256L << 20; bytes *= 4) {
            try (var scope = Torch.scope()) {
                Tensor t = Torch.ones(bytes / 4);
                int n = iterations(bytes);
                for (int i = 0; i < Math.max(1, n / 10); i++) Distributed.allReduce(t, ReduceOp.SUM); // warm-up
                Distributed.barrier();
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) Distributed.allReduce(t, ReduceOp.SUM);
                double seconds = (System.nanoTime() - start) / 1e9 / n;
                if (Distributed.rank() == 0) System.out.printf("allreduce %d %.9f%n", bytes, seconds);
            }
        }
    }

    static void ddp(int steps) {
        int size = Distributed.worldSize();
        Torch.setNumThreads(Math.max(1, Runtime.getRuntime().availableProcessors() / size));
        Mlp mlp = new Mlp(Mlp.BATCH / size);
        var ddp = new DistributedDataParallel(mlp.model);
        for (int i = 0; i < 20; i++) mlp.step(ddp); // warm-up
        Distributed.barrier();
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) mlp.step(ddp);
        Distributed.barrier();
        double perSecond = steps / ((System.nanoTime() - start) / 1e9);
        if (Distributed.rank() == 0) System.out.printf("ddp %d %.2f%n", size, perSecond);
    }
}

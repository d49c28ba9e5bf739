package dev.torchlet.distributed;

import dev.torchlet.DType;
import dev.torchlet.Generator;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.data.DataLoader;
import dev.torchlet.data.DistributedSampler;
import dev.torchlet.data.TensorDataset;
import dev.torchlet.nn.Linear;
import dev.torchlet.nn.MSELoss;
import dev.torchlet.nn.Module;
import dev.torchlet.nn.Parameter;
import dev.torchlet.nn.ReLU;
import dev.torchlet.nn.Sequential;
import dev.torchlet.optim.SGD;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Run by {@link DistributedTest} under mpirun, one JVM per rank: {@code MpiCheck <scenario>}. Each rank prints
 * "rank R: ... ok" lines; any failed check throws, which ends the job with a nonzero status.
 */
public final class MpiCheck {
    private MpiCheck() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "collectives": collectives(); break;
            case "ddp": ddp(Integer.parseInt(args[1])); break;
            case "throw": failing(false); break;
            case "kill": failing(true); break;
            case "timeout": timeout(); break;
            default: throw new IllegalArgumentException(args[0]);
        }
    }

    /** Rank r's tensor for a collective: values that differ by rank and element, exact in every dtype. */
    static Tensor input(int r, DType dtype, long n) {
        return Torch.arange(0, n).add(r * 10 + 1).to(dtype);
    }

    static void collectives() {
        Distributed.initProcessGroup("mpi");
        int rank = Distributed.rank(), size = Distributed.worldSize();
        String env = System.getenv("OMPI_COMM_WORLD_RANK");
        check(env != null && Integer.parseInt(env) == rank, "rank " + rank + " is OMPI_COMM_WORLD_RANK " + env);
        long n = 7;
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64, DType.INT64)) {
            for (ReduceOp op : ReduceOp.values()) {
                if (op == ReduceOp.AVG && dtype == DType.INT64) continue;
                Tensor t = input(rank, dtype, n);
                Distributed.allReduce(t, op);
                // the definition: the elementwise op over every rank's input, computed here
                Tensor expected = input(0, DType.FLOAT64, n);
                for (int r = 1; r < size; r++) {
                    Tensor x = input(r, DType.FLOAT64, n);
                    switch (op) {
                        case SUM: case AVG: expected = expected.add(x); break;
                        case PRODUCT: expected = expected.mul(x); break;
                        case MIN: expected = expected.minimum(x); break;
                        default: expected = expected.maximum(x); break;
                    }
                }
                if (op == ReduceOp.AVG) expected = expected.div(size);
                checkEqual(t, expected.to(dtype), "all_reduce " + op + " " + dtype);
            }
            Tensor b = input(rank, dtype, n);
            Distributed.broadcast(b, size - 1);
            checkEqual(b, input(size - 1, dtype, n), "broadcast from " + (size - 1) + " " + dtype);

            List<Tensor> gathered = new ArrayList<>();
            for (int r = 0; r < size; r++) gathered.add(Torch.zeros(new long[] {n}, dtype));
            Distributed.allGather(gathered, input(rank, dtype, n));
            for (int r = 0; r < size; r++) checkEqual(gathered.get(r), input(r, dtype, n), "all_gather[" + r + "] " + dtype);

            List<Tensor> blocks = new ArrayList<>();
            for (int r = 0; r < size; r++) blocks.add(input(rank, dtype, n).mul(r + 1));
            Tensor out = Torch.zeros(new long[] {n}, dtype);
            Distributed.reduceScatter(out, blocks, ReduceOp.SUM);
            Tensor expected = Torch.zeros(new long[] {n}, DType.FLOAT64);
            for (int r = 0; r < size; r++) expected = expected.add(input(r, DType.FLOAT64, n).mul(rank + 1));
            checkEqual(out, expected.to(dtype), "reduce_scatter " + dtype);
        }
        // a tensor closed while its collective is in flight (its memory lives until the collective is done),
        // and a work never awaited: the next collective completes it
        Tensor closed = input(rank, DType.FLOAT32, 1 << 20);
        Distributed.Work inFlight = Distributed.allReduceAsync(closed, ReduceOp.SUM);
        closed.close();
        inFlight.await();
        Tensor dropped = input(rank, DType.FLOAT64, n);
        Distributed.allReduceAsync(dropped, ReduceOp.AVG);
        Distributed.barrier();
        Tensor mean = input(0, DType.FLOAT64, n);
        for (int r = 1; r < size; r++) mean = mean.add(input(r, DType.FLOAT64, n));
        checkEqual(dropped, mean.div(size), "an allreduce never awaited, after the next collective");
        try {
            Distributed.allReduce(Torch.zeros(4, 4).t());
            throw new AssertionError("a non-contiguous tensor was accepted");
        } catch (IllegalArgumentException e) {
            check(e.getMessage().equals("all_reduce: Tensors must be contiguous"), e.getMessage());
        }
        System.out.println("rank " + rank + " of " + size + ": collectives ok");
        Distributed.destroyProcessGroup();
    }

    static Module model() {
        return new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 4));
    }

    /**
     * DDP on each rank's shard (DistributedSampler) of a global batch of 24, against one process training the
     * same initial model on the whole batch: the weights after `steps` steps agree to 1e-6 relative.
     */
    static void ddp(int steps) {
        Distributed.initProcessGroup("mpi");
        int rank = Distributed.rank(), size = Distributed.worldSize();
        Generator data = new Generator().manualSeed(123);
        Tensor x = Torch.randn(new long[] {24, 8}, DType.FLOAT32, data), y = Torch.randn(new long[] {24, 4}, DType.FLOAT32, data);
        Torch.manualSeed(rank); // different on each rank: DDP must broadcast rank 0's
        var ddp = new DistributedDataParallel(model(), 300); // small buckets: several allreduces per backward
        check(ddp.bucketSizes().equals(List.of(2, 1, 1)), "buckets [b2 w2], [b1], [w1]: " + ddp.bucketSizes());
        var opt = new SGD(ddp.parameters(), 0.05, 0.9);
        var loss = new MSELoss();
        var dataset = new TensorDataset(x, y);
        var loader = DataLoader.builder(dataset).batchSize(24 / size)
                .sampler(new DistributedSampler(dataset, size, rank, false, 0, false)).build();
        for (int s = 0; s < steps; s++) {
            for (List<Tensor> batch : loader) {
                opt.zeroGrad();
                loss.forward(ddp.forward(batch.get(0)), batch.get(1)).backward();
                opt.step();
            }
        }
        // the replicas stay equal
        for (Parameter p : ddp.parameters()) {
            Tensor max = p.detach().clone(), min = p.detach().clone();
            Distributed.allReduce(max, ReduceOp.MAX);
            Distributed.allReduce(min, ReduceOp.MIN);
            checkEqual(max, min, "every rank's copy of a parameter");
        }
        if (rank == 0) {
            Torch.manualSeed(0);
            Module single = model();
            var opt1 = new SGD(single.parameters(), 0.05, 0.9);
            for (int s = 0; s < steps; s++) {
                opt1.zeroGrad();
                loss.forward(single.forward(x), y).backward();
                opt1.step();
            }
            List<Parameter> a = ddp.parameters(), b = single.parameters();
            double worst = 0;
            for (int i = 0; i < a.size(); i++) {
                double scale = b.get(i).abs().max().item();
                worst = Math.max(worst, a.get(i).sub(b.get(i)).abs().max().item() / scale);
            }
            check(worst <= 1e-6, "DDP weights differ from one process on the whole batch by " + worst + " relative");
            check(b.get(0).sub(a.get(0)).abs().max().item() < b.get(0).abs().max().item(), "trained");
            System.out.println("ddp: " + size + " processes, " + steps + " steps, largest relative difference from "
                    + "one process " + worst + " ok");
        }
        Distributed.destroyProcessGroup();
    }

    /** Rank 1 fails before a collective (an exception, or killed); rank 0 waits in it, with a long timeout. */
    static void failing(boolean kill) throws Exception {
        Distributed.initProcessGroup("mpi", Duration.ofMinutes(5));
        if (Distributed.rank() == 1) {
            if (kill) new ProcessBuilder("kill", "-9", String.valueOf(ProcessHandle.current().pid())).start().waitFor();
            throw new IllegalStateException("rank 1 fails on purpose");
        }
        Distributed.allReduce(Torch.ones(3));
        throw new AssertionError("rank 0 got past an allreduce that rank 1 never joined");
    }

    /** Rank 1 joins the collective 20 s late; rank 0's timeout is 1 s. */
    static void timeout() throws Exception {
        Distributed.initProcessGroup("mpi", Duration.ofSeconds(1));
        if (Distributed.rank() == 1) {
            Thread.sleep(20_000);
            return;
        }
        try {
            Distributed.allReduce(Torch.ones(3));
        } catch (DistributedException e) {
            System.out.println("rank 0 caught: " + e.getMessage());
            try {
                Distributed.barrier();
            } catch (DistributedException again) {
                System.out.println("rank 0 then: " + again.getMessage());
            }
            System.out.flush();
            Distributed.destroyProcessGroup(); // a broken group: MPI_Abort ends the job
        }
        throw new AssertionError("rank 0 got past an allreduce that rank 1 joined 20 s late, with a 1 s timeout");
    }

    static void checkEqual(Tensor actual, Tensor expected, String what) {
        check(actual.dtype() == expected.dtype() && actual.shape().equals(expected.shape())
                && actual.sub(expected).abs().max().to(DType.FLOAT64).item() == 0, what + ": got " + actual + ", expected " + expected);
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError("rank " + Distributed.rank() + ": " + what);
    }
}

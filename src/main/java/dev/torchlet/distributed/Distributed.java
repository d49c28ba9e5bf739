package dev.torchlet.distributed;

import dev.torchlet.DType;
import dev.torchlet.Device;
import dev.torchlet.Scope;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.backend.cpu.MpiTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The default process group and its collectives, PyTorch's {@code torch.distributed}. One process per rank,
 * launched by Open MPI's {@code mpirun}:
 *
 * <pre>{@code
 * Distributed.initProcessGroup("mpi");          // rank and world size from mpirun
 * Tensor t = Torch.tensor(new float[] {Distributed.rank()});
 * Distributed.allReduce(t);                     // every rank: 0 + 1 + ... + (size - 1)
 * Distributed.destroyProcessGroup();
 * }</pre>
 *
 * <p>Tensors are CPU, contiguous, float32, float64 or int64; every rank calls the same collectives in the same
 * order with tensors of the same shapes. A collective waits for the others at most the group's timeout: past
 * it, it raises {@link DistributedException} instead of hanging on a rank that failed, and the group is broken.
 * A rank that exits (an uncaught exception, a killed process) makes mpirun end the job.
 */
public final class Distributed {
    /** PyTorch's default timeout for collectives. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    private static final Object LOCK = new Object();
    // written under LOCK, read without it: rank() and the like never wait for a collective in flight
    private static volatile boolean initialized;
    private static volatile int rank, worldSize;
    private static boolean finalized;
    private static double timeoutSeconds;
    private static String broken; // why the group is broken, or null
    // Started collectives not yet seen done, awaited or not: their aliases keep the buffers' memory alive
    // (MPI writes it from its own thread) until then; forever for one that timed out.
    private static final List<Work> IN_FLIGHT = new ArrayList<>();

    private Distributed() {}

    /**
     * Starts the default process group with the default timeout (30 minutes).
     * @param backend "mpi"
     * @throws IllegalArgumentException for another backend
     * @throws IllegalStateException when already initialized, when Open MPI is missing (naming the packages),
     *     or when the environment is a launcher's that the backend does not use
     */
    public static void initProcessGroup(String backend) { initProcessGroup(backend, DEFAULT_TIMEOUT); }

    /**
     * Starts the default process group, PyTorch's {@code init_process_group(backend, timeout=...)}. "mpi" takes
     * the rank and world size from Open MPI, which mpirun launched (its {@code OMPI_COMM_WORLD_RANK} and
     * {@code OMPI_COMM_WORLD_SIZE}); without mpirun it is a group of one.
     * @param backend "mpi"
     * @param timeout how long a collective waits for the other ranks
     * @throws IllegalArgumentException for another backend, or a timeout that is not positive
     * @throws IllegalStateException when already initialized, when Open MPI is missing (naming the packages),
     *     or when the environment is a launcher's that the backend does not use
     */
    public static void initProcessGroup(String backend, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        if (backend.equals("nccl")) {
            throw new IllegalArgumentException("torchlet has no nccl process group yet: use \"mpi\" (CPU tensors)");
        }
        if (!backend.equals("mpi")) throw new IllegalArgumentException("Invalid backend: '" + backend + "'");
        synchronized (LOCK) {
            if (initialized) {
                throw new IllegalStateException("trying to initialize the default process group twice!");
            }
            if (finalized) {
                throw new IllegalStateException("the mpi process group cannot be initialized again after "
                        + "destroyProcessGroup(): MPI cannot be restarted in a process");
            }
            checkLauncher(System.getenv());
            int[] rankSize = MpiTransport.init();
            rank = rankSize[0];
            worldSize = rankSize[1];
            timeoutSeconds = timeout.toNanos() / 1e9;
            broken = null;
            initialized = true;
        }
    }

    /** Refuses torchrun's environment without mpirun's: the mpi backend would silently be a group of one. */
    static void checkLauncher(Map<String, String> env) {
        String worldSize = env.get("WORLD_SIZE");
        if (env.get("OMPI_COMM_WORLD_SIZE") == null && worldSize != null && !worldSize.equals("1")) {
            throw new IllegalStateException("WORLD_SIZE=" + worldSize + " is set (torchrun's env:// rendezvous with "
                    + "RANK, MASTER_ADDR and MASTER_PORT), but the mpi backend takes its ranks from mpirun, which did "
                    + "not launch this process: run it with mpirun -np " + worldSize + " java ...");
        }
    }

    /**
     * Whether the default process group is initialized.
     * @return true between initProcessGroup and destroyProcessGroup
     */
    public static boolean isInitialized() { return initialized; }

    /**
     * This process's rank in the default group.
     * @return the rank, 0 to worldSize() - 1
     */
    public static int rank() {
        requireInitialized();
        return rank;
    }

    /**
     * The number of processes in the default group.
     * @return the world size
     */
    public static int worldSize() {
        requireInitialized();
        return worldSize;
    }

    /**
     * Ends the default process group, after the collectives still in flight. A broken group (a collective
     * timed out) ends the whole job with MPI_Abort, since its collectives can no longer complete.
     */
    public static void destroyProcessGroup() {
        synchronized (LOCK) {
            requireInitialized();
            try {
                // MPI_Finalize needs the communication thread idle
                if (broken == null) for (Work w : List.copyOf(IN_FLIGHT)) w.await();
            } catch (DistributedException e) {
                // failed (MPI is done with it), or timed out: the group is broken and aborted below
            }
            initialized = false;
            finalized = true;
            if (broken != null) MpiTransport.abort(1);
            MpiTransport.finalizeMpi();
        }
    }

    /** Waits until every rank has called barrier. */
    public static void barrier() { launch("barrier", false, MpiTransport::barrier).await(); }

    /**
     * Sums tensor over the ranks, in place on every rank.
     * @param tensor the tensor
     */
    public static void allReduce(Tensor tensor) { allReduce(tensor, ReduceOp.SUM); }

    /**
     * Combines tensor over the ranks with op, in place on every rank, PyTorch's {@code all_reduce}.
     * @param tensor the tensor
     * @param op the reduction
     */
    public static void allReduce(Tensor tensor, ReduceOp op) { allReduceAsync(tensor, op).await(); }

    /**
     * Starts {@link #allReduce(Tensor, ReduceOp)} and returns at once (PyTorch's {@code async_op=True}): the
     * tensor must not be read or written until the returned work is done.
     * @param tensor the tensor
     * @param op the reduction
     * @return the work in flight
     */
    public static Work allReduceAsync(Tensor tensor, ReduceOp op) {
        check("all_reduce", tensor);
        checkOp(op, tensor);
        return launch("all_reduce", op == ReduceOp.AVG, () -> MpiTransport.allReduce(tensor.dataPtr(), tensor.numel(),
                dtypeCode(tensor), mpiOp(op)), tensor);
    }

    /**
     * Copies tensor from rank src to every rank, PyTorch's {@code broadcast}.
     * @param tensor read on src, overwritten on the others
     * @param src the source rank
     */
    public static void broadcast(Tensor tensor, int src) {
        check("broadcast", tensor);
        if (src < 0 || src >= worldSize()) {
            throw new IllegalArgumentException("Invalid rootRank " + src + " for a world size of " + worldSize());
        }
        launch("broadcast", false, () -> MpiTransport.broadcast(tensor.dataPtr(), tensor.numel(), dtypeCode(tensor),
                src), tensor).await();
    }

    /**
     * Gathers every rank's tensor into output on every rank, PyTorch's {@code all_gather_into_tensor}: output
     * is worldSize() times input's size along dim 0 (or a dim of worldSize() more, stacked).
     * @param output numel worldSize() * input.numel(), same dtype; rank r's tensor lands in its r-th block
     * @param input this rank's tensor
     */
    public static void allGatherIntoTensor(Tensor output, Tensor input) {
        check("all_gather_into_tensor", input);
        check("all_gather_into_tensor", output);
        requireBlocks("all_gather_into_tensor", output, input);
        launch("all_gather", false, () -> MpiTransport.allGather(input.dataPtr(), output.dataPtr(), input.numel(),
                dtypeCode(input)), output, input).await();
    }

    /**
     * Gathers every rank's tensor, PyTorch's {@code all_gather(tensor_list, tensor)}.
     * @param outputs worldSize() tensors of input's shape and dtype: rank r's tensor is copied into outputs[r]
     * @param input this rank's tensor
     */
    public static void allGather(List<Tensor> outputs, Tensor input) {
        check("all_gather", input);
        requireList("all_gather", outputs, input);
        try (var scope = Torch.scope(); var noGrad = Torch.noGrad()) {
            Tensor flat = Torch.empty(new long[] {worldSize() * input.numel()}, input.dtype());
            allGatherIntoTensor(flat, input);
            for (int r = 0; r < outputs.size(); r++) {
                outputs.get(r).copy_(flat.narrow(0, r * input.numel(), input.numel()).view(input.shape().toArray()));
            }
        }
    }

    /**
     * Reduces input over the ranks and leaves block rank() of the result in output, PyTorch's
     * {@code reduce_scatter_tensor}.
     * @param output this rank's block: numel input.numel() / worldSize()
     * @param input worldSize() blocks
     * @param op the reduction
     */
    public static void reduceScatterTensor(Tensor output, Tensor input, ReduceOp op) {
        check("reduce_scatter_tensor", input);
        check("reduce_scatter_tensor", output);
        requireBlocks("reduce_scatter_tensor", input, output);
        checkOp(op, output);
        launch("reduce_scatter", op == ReduceOp.AVG, () -> MpiTransport.reduceScatter(input.dataPtr(),
                output.dataPtr(), output.numel(), dtypeCode(output), mpiOp(op)), output, input).await();
    }

    /**
     * Reduces inputs.get(r) over the ranks into rank r's output, PyTorch's {@code reduce_scatter}.
     * @param output this rank's result, of the inputs' shape
     * @param inputs worldSize() tensors of output's shape and dtype
     * @param op the reduction
     */
    public static void reduceScatter(Tensor output, List<Tensor> inputs, ReduceOp op) {
        check("reduce_scatter", output);
        requireList("reduce_scatter", inputs, output);
        try (var scope = Torch.scope()) {
            List<Tensor> flat = new ArrayList<>();
            for (Tensor t : inputs) flat.add(t.reshape(-1));
            reduceScatterTensor(output, Torch.cat(flat, 0), op);
        }
    }

    // ------------------------------------------------------------------------------------------ internals

    /**
     * A collective in flight, PyTorch's {@code Work}: {@link #await()} completes it. Its tensors' memory stays
     * alive until it is done even if they are closed or dropped meanwhile, and one never awaited completes
     * with the next collective that does.
     */
    public static final class Work {
        private final String name;
        private final boolean average;
        private final Tensor[] aliases; // share the buffers' storage; aliases[0] is the result
        private long request;
        private boolean done;

        private Work(String name, boolean average, Tensor[] buffers) {
            this.name = name;
            this.average = average;
            this.aliases = new Tensor[buffers.length];
            for (int i = 0; i < buffers.length; i++) aliases[i] = Scope.exempt(buffers[i].detach());
        }

        /**
         * Whether it has finished (then {@link #await()} returns at once).
         * @return true when finished
         * @throws DistributedException when MPI reported it failed
         */
        public boolean isCompleted() {
            synchronized (LOCK) {
                if (!done && collect(-1)) finish();
                return done;
            }
        }

        /**
         * Waits for it at most the group's timeout.
         * @throws DistributedException when MPI reported it failed, or when the time passed first (the group is
         *     then broken)
         */
        public void await() {
            synchronized (LOCK) {
                if (done) return;
                if (!collect(timeoutSeconds)) {
                    broken = name + " timed out after " + timeoutSeconds + " s on rank " + rank + " of " + worldSize
                            + " waiting for the other ranks (one of them failed, hung or exited)";
                    throw new DistributedException(broken + ". The process group can no longer be used: end the "
                            + "job (destroyProcessGroup() aborts it).");
                }
                finish();
            }
        }

        /**
         * Under LOCK: asks MPI whether it is done, waiting up to timeout seconds (less than 0: not at all). Once
         * MPI says done or failed, its request is gone: a failed one is completed here and raises.
         */
        private boolean collect(double timeout) {
            try {
                return timeout < 0 ? MpiTransport.test(request) : MpiTransport.await(request, timeout);
            } catch (IllegalStateException e) {
                complete(false);
                throw new DistributedException(name + " failed on rank " + rank + ": " + e.getMessage());
            }
        }

        /**
         * Under LOCK, once MPI is done with it. The communication thread runs collectives in the order they
         * started, so the works started before this one are done too: they complete first.
         */
        private void finish() {
            DistributedException failure = null;
            while (IN_FLIGHT.get(0) != this) {
                try {
                    if (IN_FLIGHT.get(0).collect(-1)) IN_FLIGHT.get(0).complete(true);
                    else throw new IllegalStateException("torchlet: collectives finished out of order");
                } catch (DistributedException e) {
                    if (failure == null) failure = e; // collect completed it
                }
            }
            complete(true);
            if (failure != null) throw failure;
        }

        private void complete(boolean succeeded) {
            done = true;
            IN_FLIGHT.remove(this);
            if (succeeded && average) {
                try (var noGrad = Torch.noGrad()) {
                    aliases[0].div_(worldSize);
                }
            }
            for (Tensor alias : aliases) alias.close();
        }
    }

    private interface Start {
        long start();
    }

    /**
     * Starts a collective on buffers: aliases of them first, so that their memory outlives a close from then
     * on, then the MPI call.
     */
    private static Work launch(String name, boolean average, Start call, Tensor... buffers) {
        synchronized (LOCK) {
            requireInitialized();
            if (broken != null) throw new DistributedException(name + ": the process group is broken: " + broken);
            Work work = new Work(name, average, buffers);
            try {
                work.request = call.start();
            } catch (RuntimeException e) {
                for (Tensor alias : work.aliases) alias.close();
                throw e;
            }
            IN_FLIGHT.add(work);
            return work;
        }
    }

    private static void requireInitialized() {
        if (!initialized) {
            throw new IllegalStateException("Default process group has not been initialized, please make sure to "
                    + "call init_process_group.");
        }
    }

    private static void check(String name, Tensor t) {
        if (!t.device().equals(Device.CPU)) {
            throw new IllegalArgumentException(name + ": the mpi backend takes CPU tensors, got one on " + t.device());
        }
        if (!t.isContiguous()) throw new IllegalArgumentException(name + ": Tensors must be contiguous");
        if (t.dtype() == DType.BOOL) {
            throw new IllegalArgumentException(name + ": the mpi backend takes float32, float64 or int64 tensors, got "
                    + t.dtype());
        }
        if (t.numel() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": the mpi backend sends at most " + Integer.MAX_VALUE
                    + " elements per call, got " + t.numel());
        }
    }

    /** AVG divides the sum afterwards: integer tensors have no mean. */
    private static void checkOp(ReduceOp op, Tensor result) {
        if (op == ReduceOp.AVG && !result.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("ReduceOp.AVG needs a floating point tensor, got " + result.dtype());
        }
    }

    /** big must hold worldSize() blocks of small's numel, of small's dtype. */
    private static void requireBlocks(String name, Tensor big, Tensor small) {
        if (big.dtype() != small.dtype()) {
            throw new IllegalArgumentException(name + ": input and output must have the same dtype, got " + small.dtype()
                    + " and " + big.dtype());
        }
        if (big.numel() != (long) worldSize() * small.numel()) {
            throw new IllegalArgumentException(name + ": a tensor of shape " + big.shape() + " must have world size ("
                    + worldSize() + ") times the elements of one of shape " + small.shape());
        }
    }

    private static void requireList(String name, List<Tensor> list, Tensor like) {
        if (list.size() != worldSize()) {
            throw new IllegalArgumentException(name + ": the tensor list must have world size (" + worldSize()
                    + ") tensors, got " + list.size());
        }
        for (Tensor t : list) {
            if (t.dtype() != like.dtype() || !t.shape().equals(like.shape())) {
                throw new IllegalArgumentException(name + ": every tensor of the list must have shape " + like.shape()
                        + " and dtype " + like.dtype() + ", got " + t.shape() + " " + t.dtype());
            }
        }
    }

    private static int dtypeCode(Tensor t) { return t.dtype().ordinal(); }

    private static int mpiOp(ReduceOp op) {
        switch (op) {
            case PRODUCT: return MpiTransport.PROD;
            case MIN: return MpiTransport.MIN;
            case MAX: return MpiTransport.MAX;
            default: return MpiTransport.SUM; // SUM, and AVG (divided afterwards)
        }
    }
}

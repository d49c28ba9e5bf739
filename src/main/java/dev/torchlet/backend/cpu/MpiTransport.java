package dev.torchlet.backend.cpu;

/**
 * Open MPI's collectives on MPI_COMM_WORLD, for the mpi process group ({@code dev.torchlet.distributed}): a thin
 * layer over libtorchlet's mpi.cpp, which opens libmpi.so.40 at run time. Buffers are native addresses; each
 * collective is started non-blocking and returns its request, which {@link #await} completes.
 */
public final class MpiTransport {
    /** The reduction ops, in mpi.cpp's TlMpiOp order. */
    public static final int SUM = 0, PROD = 1, MAX = 2, MIN = 3;

    private MpiTransport() {}

    /**
     * Opens and initializes Open MPI (once per process): the library named by {@code -Dtorchlet.mpiLibrary} or
     * the environment's {@code TORCHLET_MPI_LIBRARY} (a path, for an Open MPI outside the loader's search path),
     * else libmpi.so.40.
     * @return {rank, world size}
     * @throws IllegalStateException naming what is missing: the library (with the packages that bring it),
     *     a library that is not Open MPI's, or MPI's own error
     */
    public static int[] init() {
        String library = System.getProperty("torchlet.mpiLibrary", System.getenv().getOrDefault("TORCHLET_MPI_LIBRARY",
                "libmpi.so.40"));
        int[] rankSize = new int[2];
        int code = NativeCpu.tl_mpi_init(library, rankSize);
        if (code == -1) {
            throw new IllegalStateException("torchlet: the mpi backend needs Open MPI's library " + library + ", which "
                    + "cannot be loaded (" + NativeCpu.tl_mpi_last_error() + "). Install Open MPI (Debian/Ubuntu: "
                    + "apt-get install openmpi-bin libopenmpi3; Fedora: dnf install openmpi) and launch the program "
                    + "with mpirun, or point -Dtorchlet.mpiLibrary at its libmpi.so.40.");
        }
        if (code == -2) {
            throw new IllegalStateException("torchlet: " + library + " is not Open MPI's library ("
                    + NativeCpu.tl_mpi_last_error() + "): the mpi backend needs Open MPI 3.0 or later");
        }
        if (code != 0) throw new IllegalStateException("torchlet: cannot initialize MPI: " + NativeCpu.tl_mpi_last_error());
        return rankSize;
    }

    /**
     * Starts a barrier.
     * @return the request
     */
    public static long barrier() { return NativeCpu.tl_mpi_ibarrier(); }

    /**
     * Starts an in-place allreduce of count elements.
     * @param addr the buffer
     * @param count elements
     * @param dtype the dtype code (0 float32, 1 float64, 2 int64)
     * @param op {@link #SUM}, {@link #PROD}, {@link #MAX} or {@link #MIN}
     * @return the request
     */
    public static long allReduce(long addr, long count, int dtype, int op) {
        return NativeCpu.tl_mpi_iallreduce(addr, count, dtype, op);
    }

    /**
     * Starts a broadcast of count elements from root.
     * @param addr the buffer: read on root, written on the others
     * @param count elements
     * @param dtype the dtype code
     * @param root the sending rank
     * @return the request
     */
    public static long broadcast(long addr, long count, int dtype, int root) {
        return NativeCpu.tl_mpi_ibcast(addr, count, dtype, root);
    }

    /**
     * Starts an allgather: count elements from each rank, in rank order, into out.
     * @param in this rank's count elements
     * @param out world size * count elements
     * @param count elements per rank
     * @param dtype the dtype code
     * @return the request
     */
    public static long allGather(long in, long out, long count, int dtype) {
        return NativeCpu.tl_mpi_iallgather(in, out, count, dtype);
    }

    /**
     * Starts a reduce-scatter: in (world size * count elements) reduced over the ranks, this rank's block of
     * count elements into out.
     * @param in world size * count elements
     * @param out count elements
     * @param count elements per rank
     * @param dtype the dtype code
     * @param op the reduction
     * @return the request
     */
    public static long reduceScatter(long in, long out, long count, int dtype, int op) {
        return NativeCpu.tl_mpi_ireduce_scatter(in, out, count, dtype, op);
    }

    /**
     * Whether the request is done (it is then freed: never pass it again); drives MPI's progress.
     * @param request a request not yet done
     * @return true when done
     */
    public static boolean test(long request) {
        int done = NativeCpu.tl_mpi_test(request);
        if (done < 0) throw new IllegalStateException("torchlet: " + NativeCpu.tl_mpi_last_error());
        return done == 1;
    }

    /**
     * Waits for the request, at most timeoutSeconds.
     * @param request a request not yet done
     * @param timeoutSeconds the most to wait
     * @return true when done, false when the time passed first (the request is still in flight: its buffers
     *     must stay alive)
     */
    public static boolean await(long request, double timeoutSeconds) {
        int code = NativeCpu.tl_mpi_wait(request, timeoutSeconds);
        if (code < 0) throw new IllegalStateException("torchlet: " + NativeCpu.tl_mpi_last_error());
        return code == 0;
    }

    /**
     * MPI_Abort: ends every process of the job.
     * @param code the exit code
     */
    public static void abort(int code) { NativeCpu.tl_mpi_abort(code); }

    /** MPI_Finalize. */
    public static void finalizeMpi() {
        if (NativeCpu.tl_mpi_finalize() != 0) throw new IllegalStateException("torchlet: " + NativeCpu.tl_mpi_last_error());
    }
}

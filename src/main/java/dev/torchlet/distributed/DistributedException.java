package dev.torchlet.distributed;

/**
 * A collective that failed or timed out, PyTorch's {@code DistBackendError}. After a timeout the process group
 * is broken (the other ranks may still be inside the collective): later calls raise this too, and the job
 * should end; {@link Distributed#destroyProcessGroup()} then ends every process of it.
 */
public class DistributedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with its message.
     * @param message what failed, on which rank
     */
    public DistributedException(String message) { super(message); }
}

package dev.torchlet.data;

import dev.torchlet.GradMode;
import dev.torchlet.Scope;
import dev.torchlet.Tensor;
import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One epoch of a {@link DataLoader}. The index batches always come from the batch sampler on the caller's
 * thread; without prefetch each batch is loaded there too, with prefetch a {@link Worker} thread loads them,
 * up to prefetch batches ahead of the one returned.
 */
final class LoaderIterator<B> implements DataLoader.BatchIterator<B> {
    private final Iterator<int[]> batches;
    private final Function<int[], B> fetch;
    private final boolean ownsBatches;
    private final int prefetch;
    private Worker<B> worker;
    private int inFlight;
    private boolean closed;

    LoaderIterator(Iterator<int[]> batches, Function<int[], B> fetch, boolean ownsBatches, int prefetch) {
        this.batches = batches;
        this.fetch = fetch;
        this.ownsBatches = ownsBatches;
        this.prefetch = prefetch;
    }

    @Override public boolean hasNext() {
        if (closed) return false;
        if (inFlight > 0 || batches.hasNext()) return true;
        close();
        return false;
    }

    @Override public B next() {
        if (!hasNext()) throw new NoSuchElementException();
        if (prefetch == 0) return fetch.apply(batches.next());
        if (worker == null) worker = new Worker<>(this, fetch, ownsBatches);
        while (inFlight <= prefetch && batches.hasNext()) {
            worker.submit(batches.next(), GradMode.isEnabled());
            inFlight++;
        }
        Result<B> r = worker.take();
        inFlight--;
        if (inFlight == 0) close(); // the loop above found no more index batches
        if (r.error != null) throw rethrow(r.error);
        if (ownsBatches) Collate.forEachTensor(r.batch, Scope::adopt);
        return r.batch;
    }

    @Override public void close() {
        if (closed) return;
        closed = true;
        if (worker != null) worker.stop();
    }

    /** The prefetch thread, once started (tests). */
    Thread workerThread() { return worker == null ? null : worker.thread; }

    private static RuntimeException rethrow(Throwable e) {
        e.addSuppressed(new IllegalStateException("thrown on the DataLoader prefetch thread, rethrown by next() on "
                + Thread.currentThread().getName()));
        if (e instanceof RuntimeException) return (RuntimeException) e;
        if (e instanceof Error) throw (Error) e;
        return new RuntimeException(e);
    }

    private static final class Task {
        final int[] indices;
        final boolean gradEnabled;

        Task(int[] indices, boolean gradEnabled) {
            this.indices = indices;
            this.gradEnabled = gradEnabled;
        }
    }

    private static final class Result<B> {
        final B batch;
        final Throwable error;

        Result(B batch, Throwable error) {
            this.batch = batch;
            this.error = error;
        }
    }

    /**
     * The prefetch thread: loads the index batches it is given, in order, and queues the results. It holds
     * its iterator only weakly, so that an abandoned iterator is collected and the thread then ends.
     */
    private static final class Worker<B> implements Runnable {
        private static final AtomicInteger THREADS = new AtomicInteger();
        private static final Task STOP = new Task(new int[0], false);
        private static final long POLL_MILLIS = 200;

        private final LinkedBlockingQueue<Task> tasks = new LinkedBlockingQueue<>();
        private final LinkedBlockingQueue<Result<B>> results = new LinkedBlockingQueue<>();
        private final WeakReference<Object> owner;
        private final Function<int[], B> fetch;
        private final boolean ownsBatches;
        private volatile boolean stopped;
        final Thread thread;

        Worker(Object owner, Function<int[], B> fetch, boolean ownsBatches) {
            this.owner = new WeakReference<>(owner);
            this.fetch = fetch;
            this.ownsBatches = ownsBatches;
            thread = new Thread(this, "torchlet-dataloader-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            thread.start();
        }

        void submit(int[] indices, boolean gradEnabled) { tasks.add(new Task(indices, gradEnabled)); }

        /** The next result, in order; waits for it. */
        Result<B> take() {
            try {
                while (true) {
                    Result<B> r = results.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    if (r != null) return r;
                    if (!thread.isAlive() && results.isEmpty()) {
                        throw new IllegalStateException("DataLoader prefetch thread " + thread.getName() + " ended unexpectedly");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the DataLoader's next batch", e);
            }
        }

        /** Asks the thread to end and frees the batches it loaded ahead. */
        void stop() {
            stopped = true;
            tasks.add(STOP);
            drain();
        }

        @Override public void run() {
            try {
                while (!stopped) {
                    Task t = tasks.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    if (t == null) {
                        if (owner.get() == null) break; // the iterator was abandoned and collected
                        continue;
                    }
                    if (t == STOP) break;
                    GradMode.setEnabled(t.gradEnabled);
                    Result<B> r;
                    try {
                        r = new Result<>(fetch.apply(t.indices), null);
                    } catch (Throwable e) {
                        r = new Result<>(null, e);
                    }
                    results.add(r);
                }
            } catch (InterruptedException e) {
                // ends the thread
            } finally {
                stopped = true;
                drain();
            }
        }

        /** Frees queued batches nobody will take (only once stopped: the caller is no longer waiting). */
        private void drain() {
            if (!stopped) return;
            Result<B> r;
            while ((r = results.poll()) != null) {
                if (ownsBatches && r.batch != null) Collate.forEachTensor(r.batch, Tensor::close);
            }
        }
    }
}

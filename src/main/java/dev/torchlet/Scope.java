package dev.torchlet;

import dev.torchlet.backend.LeakDetector;
import dev.torchlet.backend.LeakReport;
import dev.torchlet.backend.Storage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Frees, on close, every tensor created on this thread while it was open, except those kept. Scopes nest:
 * a kept tensor moves to the enclosing scope, if any. Obtain one with {@link Torch#scope()}.
 *
 * <pre>{@code
 * try (var scope = Torch.scope()) {
 *     Tensor h = x.matmul(w).relu();        // freed at the end of the block
 *     result = scope.keep(h.sum());         // survives it
 * }
 * }</pre>
 *
 * <p>With leak detection on ({@link Torch#setLeakDetection}) when it opens, a scope warns on close, once per
 * allocation site, about escaped tensors: tensors it closed whose storage was allocated while it was open
 * and is still not freed, because a tensor the scope does not own still uses it, and it is not shared with a
 * tensor the scope kept. Most often that tensor was saved for backward by the autograd graph of a kept
 * result: keeping a loss that still has its graph keeps the whole forward pass alive (keep
 * {@code loss.detach()}, or call backward() inside the scope); it can also be a {@code Parameter} made from a
 * tensor created in the scope. Tensors it kept, and tensors with another owner (gradients, optimizer state), are not
 * reported. Only scopes from {@link Torch#scope()} report, not those torchlet's ops open inside.
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<ArrayDeque<Scope>> OPEN = ThreadLocal.withInitial(ArrayDeque::new);

    private final List<Tensor> created = new ArrayList<>(32); // a training step makes a few dozen
    private Set<Tensor> kept; // created on the first keep: internal scopes on the op path rarely keep
    private final Thread owner = Thread.currentThread();
    private boolean closed;
    // LeakDetector.recordedSoFar() at opening, or null: no report (detection was off, or an op's own scope).
    // A reference, not a long, so that the scopes ops open on the op path stay 32 bytes.
    private final Long leakCheckSince;

    /** A scope of torchlet's own (an op's temporaries), which never reports escaped tensors. */
    Scope() {
        this(null);
    }

    private Scope(Long leakCheckSince) {
        this.leakCheckSince = leakCheckSince;
        OPEN.get().push(this);
    }

    /** A scope the user opened ({@link Torch#scope()}): it reports escaped tensors if leak detection is on. */
    static Scope opened() {
        return new Scope(LeakDetector.isEnabled() ? LeakDetector.recordedSoFar() : null);
    }

    /** Registers a new tensor with the innermost open scope of this thread, if there is one. */
    static void track(Tensor t) {
        Scope s = OPEN.get().peek();
        if (s != null) s.created.add(t);
    }

    /**
     * Takes t, just created, out of this thread's innermost scope, for tensors that have another owner (a
     * leaf's gradient, an optimizer's state): they live until closed or unreachable. Returns t.
     * @param t the tensor
     * @return t
     */
    public static Tensor exempt(Tensor t) {
        takeCreated(t);
        return t;
    }

    /**
     * Takes t out of this thread's innermost scope if that scope created it (the autograd engine takes a
     * gradient it made this way); returns whether it did.
     */
    static boolean takeCreated(Tensor t) {
        // t now has an owner in torchlet, which may leave it to the collector: not a leak to report
        if (LeakDetector.isEnabled()) LeakDetector.ownedByTorchlet(t.storage());
        Scope s = OPEN.get().peek();
        if (s == null) return false;
        for (int i = s.created.size() - 1; i >= 0; i--) { // t is usually the last one created
            if (s.created.get(i) == t) {
                s.created.remove(i);
                return true;
            }
        }
        return false;
    }

    /**
     * Registers t, made on another thread outside any scope, with this thread's innermost open scope (if
     * there is one), as if it had been created here: that scope frees it on close unless it is kept. A
     * {@code DataLoader}'s prefetch thread hands its batches over this way, so that they are owned as
     * batches loaded on the caller's thread are. Returns t.
     * @param t the tensor
     * @return t
     */
    public static Tensor adopt(Tensor t) {
        track(t);
        return t;
    }

    /**
     * Keeps t alive past this scope (it joins the enclosing scope, if any); returns t.
     * @param t the tensor
     * @return t
     */
    public Tensor keep(Tensor t) {
        if (kept == null) kept = Collections.newSetFromMap(new IdentityHashMap<>());
        if (kept.add(t)) {
            Scope parent = parent();
            if (parent != null) parent.created.add(t);
        }
        return t;
    }

    /**
     * Keeps both tensors of a sort/max/min result; returns it.
     * @param r the result
     * @return r
     */
    public ValuesIndices keep(ValuesIndices r) {
        keep(r.values());
        keep(r.indices());
        return r;
    }

    @Override public void close() {
        if (closed) return;
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a scope must be closed on the thread that opened it");
        }
        ArrayDeque<Scope> open = OPEN.get();
        if (open.peek() != this) throw new IllegalStateException("scopes must be closed innermost first");
        open.pop();
        closed = true;
        for (Tensor t : created) {
            if (kept == null || !kept.contains(t)) t.close();
        }
        if (leakCheckSince != null && LeakDetector.isEnabled()) warnEscaped();
        created.clear();
    }

    /** Warns about the storages of the tensors this scope closed that outlived it (see the class comment). */
    private void warnEscaped() {
        Set<Storage> keptStorages = Collections.newSetFromMap(new IdentityHashMap<>());
        if (kept != null) for (Tensor t : kept) keptStorages.add(t.storage());
        List<Storage> closedStorages = new ArrayList<>();
        for (Tensor t : created) {
            if (!keptStorages.contains(t.storage())) closedStorages.add(t.storage());
        }
        LeakReport escaped = LeakDetector.stillLive(closedStorages, leakCheckSince);
        for (LeakReport.Entry e : escaped.entries()) {
            Warnings.once("escaped " + e.site(), "LEAK: " + e.count() + (e.count() == 1 ? " storage" : " storages")
                    + " (" + e.bytes() + " bytes) of tensors allocated in a Torch.scope() outlived it: the scope "
                    + "closed the tensors, but a tensor it does not own still uses the storage (reported once per "
                    + "allocation site; most often the autograd graph of a kept result, which holds what backward "
                    + "needs: keep a detach()ed result, or call backward() inside the scope). " + e.site());
        }
    }

    private Scope parent() {
        var it = OPEN.get().iterator();
        while (it.hasNext()) {
            if (it.next() == this) return it.hasNext() ? it.next() : null;
        }
        return null;
    }
}

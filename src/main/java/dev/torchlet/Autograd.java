package dev.torchlet;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The backward engine. Walks the graph from a tensor's {@link GradFn} in reverse creation order (a
 * topological order, and the same on every run), hands each node the sum of the gradients that reached it,
 * and accumulates what reaches a leaf into its {@code grad}. Gradients are brought to each input's shape
 * (summed over broadcast dims) and dtype here, as PyTorch's engine does in validate_outputs, so the
 * derivative rules in {@link Derivatives} need not. Temporaries are freed when the pass ends.
 */
final class Autograd {
    private Autograd() {}

    static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("element 0 of tensors does not require grad and does not have a grad_fn");
        }
        if (gradient == null && root.numel() != 1) {
            throw new IllegalStateException("grad can be implicitly created only for scalar outputs");
        }
        if (gradient != null && !Arrays.equals(gradient.data().shape, root.data().shape)) {
            throw new IllegalArgumentException("Mismatch in shape: grad_output[0] has a shape of " + gradient.shape()
                    + " and output[0] has a shape of " + root.shape() + ".");
        }
        if (gradient != null) root.checkSameDevice(gradient);
        try (GradMode off = new GradMode(false); Scope scope = new Scope()) {
            Tensor seed = gradient != null ? gradient.to(root.dtype()) : root.fullLike(1);
            GradFn top = root.gradFn();
            if (top == null) {
                accumulate(root, seed, false);
                root.runPostAccumulateGradHooks();
                return;
            }
            Map<GradFn, Tensor> pending = new IdentityHashMap<>();
            pending.put(top, seed);
            List<GradFn> order = reachable(top);
            Map<Tensor, int[]> hookEdges = hookedLeafEdges(order);
            Set<Tensor> accumulated = hookEdges == null ? null : Collections.newSetFromMap(new IdentityHashMap<>());
            for (GradFn fn : order) {
                Tensor g = pending.remove(fn);
                if (g != null) {
                    if (fn.retainsGradOf != null) accumulate(fn.retainsGradOf, g, false);
                    Tensor[] grads = gradients(fn, g);
                    for (int i = 0; i < grads.length; i++) {
                        Tensor gi = grads[i];
                        if (gi == null) continue;
                        if (fn.inputFns[i] != null) {
                            pending.merge(fn.inputFns[i], gi, Tensor::add);
                        } else {
                            accumulate(fn.inputLeaves[i], gi, gi != g && onlyOnce(gi, grads) && !pending.containsValue(gi));
                            if (accumulated != null) accumulated.add(fn.inputLeaves[i]);
                        }
                    }
                }
                if (hookEdges != null) runHooksOfFinishedLeaves(fn, hookEdges, accumulated);
                if (!retainGraph) fn.release();
            }
        }
    }

    /**
     * For the leaves with post-accumulate-grad hooks: how many edges of the graph lead to each (null when
     * none has hooks). A hook runs once per backward, after the leaf's last gradient, as PyTorch's does after
     * its AccumulateGrad node, which sums first.
     */
    private static Map<Tensor, int[]> hookedLeafEdges(List<GradFn> order) {
        Map<Tensor, int[]> edges = null;
        for (GradFn fn : order) {
            for (Tensor leaf : fn.inputLeaves) {
                if (leaf == null || !leaf.hasPostAccumulateGradHooks()) continue;
                if (edges == null) edges = new IdentityHashMap<>();
                edges.computeIfAbsent(leaf, k -> new int[1])[0]++;
            }
        }
        return edges;
    }

    /** Counts fn's edges to hooked leaves as done; runs the hooks of a leaf whose last edge this was. */
    private static void runHooksOfFinishedLeaves(GradFn fn, Map<Tensor, int[]> edges, Set<Tensor> accumulated) {
        for (Tensor leaf : fn.inputLeaves) {
            int[] left = leaf == null ? null : edges.get(leaf);
            if (left != null && --left[0] == 0 && accumulated.contains(leaf)) leaf.runPostAccumulateGradHooks();
        }
    }

    /**
     * The gradients fn's rule returns for grad, each conformed to its input (null where the input needs
     * none). With anomaly detection on, a NaN in one raises PyTorch's error, before any is passed on, and an
     * error raised here carries the forward call that made fn as its cause.
     */
    private static Tensor[] gradients(GradFn fn, Tensor grad) {
        try {
            Tensor[] grads = fn.apply(grad);
            Tensor[] out = new Tensor[grads.length];
            for (int i = 0; i < grads.length; i++) {
                if (grads[i] != null && fn.needsGrad(i)) out[i] = conform(fn, i, grads[i]);
            }
            if (AnomalyMode.isEnabled()) {
                for (int i = 0; i < out.length; i++) {
                    if (out[i] != null && hasNan(out[i])) {
                        throw new IllegalStateException("Function '" + fn.name() + "' returned nan values in its " + i
                                + "th output.");
                    }
                }
            }
            return out;
        } catch (RuntimeException e) {
            if (fn.forwardCall != null) {
                if (e.getCause() == null) e.initCause(fn.forwardCall);
                else e.addSuppressed(fn.forwardCall);
            }
            throw e;
        }
    }

    private static boolean hasNan(Tensor t) {
        return t.dtype().isFloatingPoint() && t.numel() > 0 && Double.isNaN(t.max().item()); // max() is NaN if any is
    }

    /** Every node reachable from top, latest created first. */
    private static List<GradFn> reachable(GradFn top) {
        Set<GradFn> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<GradFn> order = new ArrayList<>();
        ArrayDeque<GradFn> stack = new ArrayDeque<>();
        stack.push(top);
        seen.add(top);
        while (!stack.isEmpty()) {
            GradFn fn = stack.pop();
            order.add(fn);
            for (GradFn next : fn.inputFns) {
                if (next != null && seen.add(next)) stack.push(next);
            }
        }
        order.sort(Comparator.comparingLong((GradFn fn) -> fn.sequence).reversed());
        return order;
    }

    /**
     * Adds g into t's grad. The first gradient becomes t's own (no scope frees it): g itself when the engine
     * may take it (made by this backward, held by nothing else: PyTorch steals a gradient whose refcount is
     * 1 the same way), otherwise a contiguous copy.
     */
    private static void accumulate(Tensor t, Tensor g, boolean mayTake) {
        Tensor current = t.gradField();
        if (current == null) {
            boolean take = mayTake && g.isContiguous() && !g.data().storage.isShared() && Scope.takeCreated(g);
            t.setGradField(take ? g : Scope.exempt(g.clone()));
        } else {
            current.add_(g);
        }
    }

    /** Whether g is not also the gradient of another input (a rule may pass one tensor to several). */
    private static boolean onlyOnce(Tensor g, Tensor[] grads) {
        int n = 0;
        for (Tensor x : grads) if (x == g) n++;
        return n <= 1;
    }

    /** grad for input i of fn, summed over broadcast dims to the input's shape and cast to its dtype. */
    private static Tensor conform(GradFn fn, int i, Tensor grad) {
        long[] shape = fn.inputShapes[i], gs = grad.data().shape;
        Tensor g = grad;
        if (!Arrays.equals(gs, shape)) {
            int lead = gs.length - shape.length;
            boolean expandable = lead >= 0;
            List<Integer> dims = new ArrayList<>();
            for (int d = 0; d < gs.length && expandable; d++) {
                if (d < lead) {
                    dims.add(d);
                } else if (shape[d - lead] != gs[d]) {
                    expandable = shape[d - lead] == 1;
                    dims.add(d);
                }
            }
            if (!expandable) {
                throw new IllegalStateException("Function " + fn.name() + " returned an invalid gradient at index " + i
                        + " - got " + Shapes.str(gs) + " but expected shape compatible with " + Shapes.str(shape));
            }
            g = g.sum(dims.stream().mapToInt(Integer::intValue).toArray(), true).view(shape);
        }
        return g.dtype() == fn.inputTypes[i] ? g : g.to(fn.inputTypes[i]);
    }
}

package dev.torchlet;

import dev.torchlet.backend.Backend;
import dev.torchlet.backend.BinaryOp;
import dev.torchlet.backend.GradOp;
import dev.torchlet.backend.LeakDetector;
import dev.torchlet.backend.NativeStorage;
import dev.torchlet.backend.ReduceOp;
import dev.torchlet.backend.Storage;
import dev.torchlet.backend.Strided;
import dev.torchlet.backend.UnaryOp;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * An n-dimensional array on a device, PyTorch's {@code torch.Tensor}. Views (view, transpose, select,
 * expand, ...) share storage with their base; ops allocate new storage through the tensor's backend.
 *
 * <p>Native memory is freed by {@link #close()}, by the {@link Scope} the tensor was created in, or, as a
 * safety net, after the tensor becomes unreachable. A storage shared by views is freed when the last of
 * them is closed.
 *
 * <p>Autograd: a tensor that requires grad records, for each op applied to it while grad mode is on, a
 * {@link GradFn} in the result; {@link #backward()} runs the graph back and accumulates gradients into the
 * leaves' {@link #grad()}. The only subclass is {@code dev.torchlet.nn.Parameter}.
 */
public class Tensor implements AutoCloseable {
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(Tensor.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Strided data; // replaced only by setData (PyTorch's `tensor.data = ...`)
    private boolean closed;
    private boolean requiresGrad;
    private GradFn gradFn;   // null for leaves
    private Tensor grad;     // owned by this tensor (never in a scope)
    private boolean retainsGrad;
    // A view made while grad mode was on: the tensor it views (never itself a view), and that tensor's history
    // when this view's was made. An in-place write with history through the view rewrites the base's history;
    // a view whose base's history has changed since takes its own from the base's (see refreshView).
    private Tensor viewBase;
    private GradFn viewBaseFn;
    private List<Consumer<Tensor>> postAccumulateGradHooks; // null until one is registered (rare)

    Tensor(Strided data) {
        data.storage.retain();
        this.data = data;
        Scope.track(this);
        if (LeakDetector.isEnabled()) LeakDetector.record(data.storage, data.dtype, data.shape);
    }

    /**
     * A tensor with no history that shares source's data (for {@code Parameter}); no scope frees it.
     * @param source the tensor whose data is used
     */
    protected Tensor(Tensor source) {
        this.data = source.data();
        data.storage.retain();
    }

    /**
     * PyTorch's {@code x.data = source}: this tensor uses source's data (shape, dtype, device) from now on,
     * keeping its autograd state (requires_grad, grad_fn, grad); nothing is recorded. {@code Module.to(device)}
     * moves parameters this way. The read side, {@code x.data}, is {@link #detach()} in Java.
     * @param source the tensor whose data is used
     */
    public final void setData(Tensor source) {
        if (requiresGrad && !source.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(
                    "data set to a tensor that requires gradients must be floating point or complex dtype");
        }
        Strided next = source.data();
        next.storage.retain();
        Strided old = data();
        data = next;
        old.storage.release();
        if (grad != null && !grad.device().equals(device())) grad = grad.to(device());
    }

    /** Another tensor on the same data, outside every scope (a tensor saved for backward). */
    Tensor alias() { return new Tensor(this); }

    /** A new uninitialized contiguous tensor. */
    static Tensor empty(Backend backend, DType dtype, long[] shape) {
        long[] sizes = Shapes.checkedSizes(shape);
        return new Tensor(new Strided(backend.allocate(dtype, Strided.numel(sizes)), dtype, 0, sizes,
                Strided.contiguousStrides(sizes)));
    }

    /** A tensor holding a Java array (float[], double[], long[] or boolean[] matching dtype). */
    static Tensor fromArray(Backend backend, DType dtype, long[] shape, Object array) {
        Tensor t = empty(backend, dtype, shape);
        backend.write(t.data, array);
        return t;
    }

    /** The data, after checking that the tensor is still open. */
    Strided data() {
        if (closed) {
            throw new IllegalStateException("Tensor of shape " + Shapes.str(data.shape) + " and dtype " + data.dtype
                    + " was used after close()");
        }
        return data;
    }

    Backend backend() { return data().storage.backend(); }

    /** The storage, even after close() (a scope checks whether it outlived the tensor). */
    Storage storage() { return data.storage; }

    /** A view of the same storage with another layout; with grad mode on, autograd knows it as a view. */
    private Tensor view(long offset, long[] shape, long[] strides) {
        Strided d = data();
        Tensor v = new Tensor(new Strided(d.storage, d.dtype, offset, shape, strides));
        if (GradMode.isEnabled()) {
            v.viewBase = viewBase != null ? viewBase : this;
            v.viewBaseFn = v.viewBase.gradFn;
        }
        return v;
    }

    private Tensor newLike(DType dtype, long[] shape) {
        Strided d = data();
        if (shape != d.shape) return empty(backend(), dtype, shape);
        // An op's result shaped like this tensor (the common case): share its immutable size array, and its
        // stride array when that is the canonical one, instead of copying both per op.
        long[] strides = d.hasCanonicalStrides() ? d.strides : Strided.contiguousStrides(shape);
        return new Tensor(new Strided(backend().allocate(dtype, d.numel()), dtype, 0, shape, strides));
    }

    // ---------------------------------------------------------------------------------------------- metadata

    /**
     * The shape, PyTorch's {@code tensor.shape}.
     * @return the sizes of the dims
     */
    public Size shape() { return new Size(data().shape); }

    /**
     * Same as {@link #shape()}, PyTorch's {@code size()}.
     * @return the sizes of the dims
     */
    public Size size() { return shape(); }

    /**
     * The size of one dim, PyTorch's {@code size(dim)}.
     * @param dim the dimension (negative counts from the end)
     * @return the size of that dim
     */
    public long size(int dim) { return data().shape[Shapes.wrapDimOfSizes(dim, dim())]; }

    /**
     * The strides in elements, PyTorch's {@code stride()}.
     * @return a copy of the strides
     */
    public long[] stride() { return data().strides.clone(); }

    /**
     * The stride of one dim in elements, PyTorch's {@code stride(dim)}.
     * @param dim the dimension (negative counts from the end)
     * @return the stride of that dim
     */
    public long stride(int dim) { return data().strides[Shapes.wrapDimOfSizes(dim, dim())]; }

    /**
     * The offset of the first element in the storage, in elements (PyTorch's {@code storage_offset()}).
     * @return the offset in elements
     */
    public long storageOffset() { return data().offset; }

    /**
     * The number of dims, PyTorch's {@code dim()} / {@code ndim}.
     * @return the number of dims
     */
    public int dim() { return data().dim(); }

    /**
     * The number of elements, PyTorch's {@code numel()}.
     * @return the product of the sizes
     */
    public long numel() { return data().numel(); }

    /**
     * The element type, PyTorch's {@code dtype}.
     * @return the dtype
     */
    public DType dtype() { return data().dtype; }

    /**
     * The device the data is on, PyTorch's {@code device}.
     * @return the device
     */
    public Device device() { return backend().device(); }

    /**
     * True when the elements are laid out in row-major order without gaps, PyTorch's {@code is_contiguous()}.
     * @return whether the tensor is contiguous
     */
    public boolean isContiguous() { return data().isContiguous(); }

    /**
     * True once {@link #close()} freed this tensor's reference to its storage.
     * @return whether the tensor was closed
     */
    public boolean isClosed() { return closed; }

    // --------------------------------------------------------------------------------------------- autograd

    /**
     * True when ops on this tensor record history for {@link #backward()}.
     * @return whether this tensor requires grad
     */
    public boolean requiresGrad() {
        refreshView();
        return requiresGrad;
    }

    /**
     * Makes this leaf require grad (as PyTorch's {@code requires_grad_()}); returns this.
     * @return this tensor
     */
    public Tensor requiresGrad_() { return requiresGrad_(true); }

    /**
     * Sets whether this leaf requires grad, PyTorch's {@code requires_grad_(requires)}.
     * @param requires whether to record history
     * @return this tensor
     * @throws IllegalStateException for a non-leaf asked not to require grad, or a non-floating dtype
     */
    public Tensor requiresGrad_(boolean requires) {
        DType dtype = dtype(); // a closed tensor raises
        if (gradFn() != null) {
            if (requires) return this;
            throw new IllegalStateException("you can only change requires_grad flags of leaf variables. If you want to "
                    + "use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = "
                    + "var.detach().");
        }
        if (requires && !dtype.isFloatingPoint()) {
            throw new IllegalStateException("only Tensors of floating point and complex dtype can require gradients");
        }
        requiresGrad = requires;
        return this;
    }

    /**
     * True for tensors made by the user rather than by an op that recorded history.
     * @return whether this tensor is a leaf
     */
    public boolean isLeaf() { return gradFn() == null; }

    /**
     * The backward function of the op that made this tensor, or null for a leaf.
     * @return the grad function, or null
     */
    public GradFn gradFn() {
        refreshView();
        return gradFn;
    }

    /**
     * A view whose base was written in place with history since this view's history was made (through
     * another view, or the base itself) takes its history from the base's, as PyTorch regenerates a view's
     * grad_fn: its gradient is its part of the base's.
     */
    private void refreshView() {
        if (viewBase == null || viewBase.gradFn == viewBaseFn || viewBase.closed) return;
        Strided whole = viewBase.data, part = data;
        viewBaseFn = viewBase.gradFn;
        gradFn = new GradFn("AsStridedBackward0", new Tensor[] {viewBase}, (g, fn) -> {
            Tensor[] canvas = canvas(g, whole);
            canvas[0].view(part.offset, part.shape, part.strides).copy_(g);
            return new Tensor[] {canvas[1]};
        }, new GradFn.Saved[0]);
        requiresGrad = true;
    }

    /**
     * Zeros of g's dtype on a flat buffer as long as whole's storage span, and that buffer viewed with whole's
     * layout: a gradient of the base's shape whose elements sit where the base's do, so that any view's part
     * of it is the same view (offset, sizes, strides) of the buffer.
     */
    private static Tensor[] canvas(Tensor g, Strided whole) {
        long extent = whole.offset + 1;
        for (int i = 0; i < whole.dim(); i++) extent += (Math.max(whole.shape[i], 1) - 1) * whole.strides[i];
        Tensor flat = g.zerosOfShape(new long[] {extent});
        return new Tensor[] {flat, flat.view(whole.offset, whole.shape, whole.strides)};
    }

    /**
     * This tensor was written in place by an op with history fn; written is the tensor whose values were
     * written (the op's out-of-place result, copy_'s source), null when they come from no tensor (fill_).
     * A view's base gets PyTorch's CopySlices: the base's old history outside the view's part, written's
     * inside it; the view's history is then its part of the base's.
     */
    void setInPlaceHistory(GradFn fn, Tensor written) {
        if (viewBase == null || viewBase.closed) { // a view of a temporary an op closed: only this tensor is left
            setHistory(fn);
            return;
        }
        Strided whole = viewBase.data, part = data;
        Tensor[] inputs = written == null ? new Tensor[] {viewBase} : new Tensor[] {viewBase, written};
        viewBase.setHistory(new GradFn("CopySlices", inputs, (g, f) -> {
            Tensor[] canvas = canvas(g, whole);
            canvas[1].copy_(g);
            Tensor region = canvas[0].view(part.offset, part.shape, part.strides);
            Tensor toWritten = inputs.length > 1 && f.needsGrad(1) ? region.clone() : null;
            region.zero_();
            return new Tensor[] {f.needsGrad(0) ? canvas[1] : null, toWritten};
        }, new GradFn.Saved[0]));
        refreshView();
    }

    /**
     * The gradient accumulated by backward passes: for leaves that require grad, and for tensors that called
     * {@link #retainGrad()}; null before the first backward or after an optimizer's zeroGrad().
     * @return the gradient, or null
     */
    public Tensor grad() {
        if (grad == null && gradFn() != null && !retainsGrad) Warnings.once("nonLeafGrad", "UserWarning: The .grad "
                + "attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be "
                + "populated during autograd.backward(). If you indeed want the .grad field to be populated for a "
                + "non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by "
                + "mistake, make sure you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 "
                + "for more informations.");
        return grad;
    }

    /**
     * Sets (or, with null, clears) the gradient, like assigning {@code tensor.grad} in PyTorch.
     * @param g the new gradient (same shape, dtype and device), or null
     */
    public void setGrad(Tensor g) {
        if (g != null) {
            checkSameDevice(g);
            if (!Arrays.equals(g.data().shape, data().shape)) {
                throw new IllegalArgumentException("assigned grad has data of a different size");
            }
            if (g.dtype() != dtype()) throw new IllegalArgumentException("assigned grad has data of a different type");
        }
        grad = g;
    }

    Tensor gradField() { return grad; }

    void setGradField(Tensor g) { grad = g; }

    /**
     * PyTorch's {@code register_post_accumulate_grad_hook}: hook runs with this leaf each time a backward pass
     * has accumulated a gradient into its grad (so it sees the sum). DistributedDataParallel starts averaging a
     * bucket of gradients from these.
     * @param hook called with this tensor
     * @return the handle that removes the hook
     * @throws IllegalStateException on a tensor that does not require grad, or that is not a leaf
     */
    public RemovableHandle registerPostAccumulateGradHook(Consumer<Tensor> hook) {
        if (!requiresGrad) {
            throw new IllegalStateException("cannot register a hook on a tensor that doesn't require gradient");
        }
        if (gradFn() != null) {
            throw new IllegalStateException("post accumulate grad hooks cannot be registered on non-leaf tensors");
        }
        if (postAccumulateGradHooks == null) postAccumulateGradHooks = new ArrayList<>(1);
        postAccumulateGradHooks.add(hook);
        return new RemovableHandle(() -> postAccumulateGradHooks.remove(hook));
    }

    boolean hasPostAccumulateGradHooks() {
        return postAccumulateGradHooks != null && !postAccumulateGradHooks.isEmpty();
    }

    /** Runs the post-accumulate-grad hooks (the engine calls this once a backward has accumulated into grad). */
    void runPostAccumulateGradHooks() {
        if (postAccumulateGradHooks == null) return;
        for (Consumer<Tensor> hook : List.copyOf(postAccumulateGradHooks)) hook.accept(this); // a hook may remove itself
    }

    /**
     * The address of this tensor's first element in native memory, PyTorch's {@code data_ptr()}: for passing a
     * tensor to native code (a collective, a custom kernel). Valid while the tensor is open; on CUDA a device
     * address.
     * @return the address
     * @throws IllegalStateException on the pure-Java reference backend, whose tensors live on the Java heap
     */
    public long dataPtr() {
        Strided d = data();
        if (!(d.storage instanceof NativeStorage)) {
            throw new IllegalStateException("data_ptr: this tensor lives on the Java heap (the reference backend), "
                    + "not in native memory");
        }
        return ((NativeStorage) d.storage).address() + d.offset * d.dtype.itemSize();
    }

    /**
     * Makes backward fill this non-leaf tensor's grad too.
     * @return this tensor
     */
    public Tensor retainGrad() {
        if (!requiresGrad()) throw new IllegalStateException("can't retain_grad on Tensor that has requires_grad=False");
        if (gradFn != null) {
            retainsGrad = true;
            gradFn.retainsGradOf = this;
        }
        return this;
    }

    /**
     * True after {@link #retainGrad()} on a non-leaf, PyTorch's {@code retains_grad}.
     * @return whether backward fills this tensor's grad
     */
    public boolean retainsGrad() { return retainsGrad; }

    /** Computes the gradient of this one-element tensor with respect to the graph leaves. */
    public void backward() { Autograd.backward(this, null, false); }

    /**
     * Backward with the gradient of this tensor given (any shape equal to this tensor's).
     * @param gradient the gradient of the final output with respect to this tensor
     */
    public void backward(Tensor gradient) { Autograd.backward(this, gradient, false); }

    /**
     * Backward; with retainGraph the saved tensors are kept so that the graph can be run back again. gradient
     * may be null for a one-element tensor.
     * @param gradient the gradient with respect to this tensor, or null for a one-element tensor
     * @param retainGraph whether to keep the graph for another backward
     */
    public void backward(Tensor gradient, boolean retainGraph) { Autograd.backward(this, gradient, retainGraph); }

    /**
     * How many in-place writes this tensor's storage has seen (PyTorch's {@code _version}).
     * @return the version counter
     */
    public int version() { return data().storage.version(); }

    /** Makes this tensor the output of fn: it requires grad and is no longer a leaf. */
    void setHistory(GradFn fn) {
        gradFn = fn;
        requiresGrad = true;
    }

    // ------------------------------------------------------------------------------------------------ views

    /**
     * A view with another shape (one size may be -1); raises if the strides do not allow it, like PyTorch.
     * @param shape the new sizes; one of them may be -1 to be inferred
     * @return a view sharing this tensor's storage
     */
    public Tensor view(long... shape) {
        Strided d = data();
        long[] sizes = Shapes.inferSize(shape, d.numel());
        long[] strides = Shapes.viewStrides(d.shape, d.strides, sizes);
        if (strides == null) {
            throw new IllegalArgumentException("view size is not compatible with input tensor's size and stride (at "
                    + "least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
        }
        return Derivatives.reshaped(this, view(d.offset, sizes, strides), "ViewBackward0");
    }

    /**
     * A view when the strides allow it, else a contiguous copy.
     * @param shape the new sizes; one of them may be -1 to be inferred
     * @return a view or a copy with that shape
     */
    public Tensor reshape(long... shape) {
        Strided d = data();
        long[] sizes = Shapes.inferSize(shape, d.numel());
        long[] strides = Shapes.viewStrides(d.shape, d.strides, sizes);
        return strides != null ? Derivatives.reshaped(this, view(d.offset, sizes, strides), "ViewBackward0")
                : contiguous().view(sizes);
    }

    /**
     * Flattens every dim into one, PyTorch's {@code flatten()}.
     * @return a 1-D view or copy
     */
    public Tensor flatten() { return flatten(0, -1); }

    /**
     * Flattens dims startDim .. endDim into one, PyTorch's {@code flatten(start_dim, end_dim)}.
     * @param startDim the first dim to flatten
     * @param endDim the last dim to flatten (inclusive)
     * @return a view or copy with those dims merged
     */
    public Tensor flatten(int startDim, int endDim) {
        int n = dim();
        int s = Shapes.wrapDim(startDim, n), e = Shapes.wrapDim(endDim, n);
        if (s > e) throw new IllegalArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
        if (n == 0) return reshape(1);
        long[] shape = data().shape;
        long[] out = new long[n - (e - s)];
        long merged = 1;
        for (int i = s; i <= e; i++) merged *= shape[i];
        System.arraycopy(shape, 0, out, 0, s);
        out[s] = merged;
        System.arraycopy(shape, e + 1, out, s + 1, n - e - 1);
        return reshape(out);
    }

    /**
     * Swaps two dims, PyTorch's {@code transpose(dim0, dim1)}; a view.
     * @param dim0 the first dim
     * @param dim1 the second dim
     * @return a view with the two dims swapped
     */
    public Tensor transpose(int dim0, int dim1) {
        int a = Shapes.wrapDim(dim0, dim()), b = Shapes.wrapDim(dim1, dim());
        return Derivatives.passGrad(this, transposedView(a, b), "TransposeBackward0", g -> g.transpose(a, b));
    }

    /** The view with dims a and b (already wrapped) swapped, without history. */
    private Tensor transposedView(int a, int b) {
        Strided d = data();
        long[] shape = d.shape.clone(), strides = d.strides.clone();
        if (d.dim() > 0) {
            shape[a] = d.shape[b];
            shape[b] = d.shape[a];
            strides[a] = d.strides[b];
            strides[b] = d.strides[a];
        }
        return view(d.offset, shape, strides);
    }

    /**
     * Transpose of a tensor with at most 2 dims (PyTorch's {@code t()} and {@code .T} for matrices).
     * @return the transposed view
     */
    public Tensor t() {
        if (dim() > 2) throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + dim() + "D");
        Tensor out = dim() < 2 ? view(data.offset, data.shape, data.strides) : transposedView(0, 1);
        return Derivatives.passGrad(this, out, "TBackward0", Tensor::t);
    }

    /**
     * Reorders the dims, PyTorch's {@code permute(*dims)}; a view.
     * @param dims the new order: a permutation of 0 .. dim()-1
     * @return a view with the dims reordered
     */
    public Tensor permute(int... dims) {
        Strided d = data();
        if (dims.length != d.dim()) {
            throw new IllegalArgumentException("permute(sparse_coo): number of dimensions in the tensor input does not "
                    + "match the length of the desired ordering of dimensions i.e. input.dim() = " + d.dim()
                    + " is not equal to len(dims) = " + dims.length);
        }
        long[] shape = new long[dims.length], strides = new long[dims.length];
        boolean[] seen = new boolean[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int k = Shapes.wrapDim(dims[i], d.dim());
            if (seen[k]) throw new IllegalArgumentException("permute(): duplicate dims are not allowed.");
            seen[k] = true;
            shape[i] = d.shape[k];
            strides[i] = d.strides[k];
        }
        int[] inverse = new int[dims.length];
        for (int i = 0; i < dims.length; i++) inverse[Shapes.wrapDim(dims[i], d.dim())] = i;
        return Derivatives.passGrad(this, view(d.offset, shape, strides), "PermuteBackward0", g -> g.permute(inverse));
    }

    /**
     * Inserts a dim of size 1 at dim, PyTorch's {@code unsqueeze(dim)}; a view.
     * @param dim where the new dim goes (negative counts from the end of the result)
     * @return a view with one more dim
     */
    public Tensor unsqueeze(int dim) {
        Strided d = data();
        int k = Shapes.wrapDim(dim, d.dim() + 1);
        long[] shape = new long[d.dim() + 1], strides = new long[d.dim() + 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i == k) {
                shape[i] = 1;
                strides[i] = j < d.dim() ? d.strides[j] * d.shape[j] : 1;
            } else {
                shape[i] = d.shape[j];
                strides[i] = d.strides[j++];
            }
        }
        return Derivatives.passGrad(this, view(d.offset, shape, strides), "UnsqueezeBackward0", g -> g.squeeze(k));
    }

    /**
     * Removes every size-1 dim.
     * @return a view without size-1 dims
     */
    public Tensor squeeze() {
        Strided d = data();
        int keep = 0;
        for (long s : d.shape) if (s != 1) keep++;
        long[] shape = new long[keep], strides = new long[keep];
        for (int i = 0, j = 0; i < d.dim(); i++) {
            if (d.shape[i] != 1) {
                shape[j] = d.shape[i];
                strides[j++] = d.strides[i];
            }
        }
        return Derivatives.reshaped(this, view(d.offset, shape, strides), "SqueezeBackward0");
    }

    /**
     * Removes dim if its size is 1; otherwise returns a view of the same shape.
     * @param dim the dimension (negative counts from the end)
     * @return a view
     */
    public Tensor squeeze(int dim) {
        Strided d = data();
        int k = Shapes.wrapDim(dim, d.dim());
        Tensor out = d.dim() == 0 || d.shape[k] != 1 ? view(d.offset, d.shape, d.strides)
                : view(d.offset, remove(d.shape, k), remove(d.strides, k));
        return Derivatives.reshaped(this, out, "SqueezeBackward1");
    }

    /**
     * The slice at index along dim, with that dim removed.
     * @param index the index along dim (negative counts from the end)
     * @param dim the dimension (negative counts from the end)
     * @return a view with one dim less
     */
    public Tensor select(int dim, long index) {
        Strided d = data();
        if (d.dim() == 0) throw new IndexOutOfBoundsException("select() cannot be applied to a 0-dim tensor.");
        int k = Shapes.wrapDim(dim, d.dim());
        long size = d.shape[k];
        if (index < -size || index >= size) {
            throw new IndexOutOfBoundsException("select(): index " + index + " out of range for tensor of size "
                    + Shapes.str(d.shape) + " at dimension " + k);
        }
        long i = index < 0 ? index + size : index;
        return Derivatives.part(this, view(d.offset + i * d.strides[k], remove(d.shape, k), remove(d.strides, k)),
                "SelectBackward0", z -> z.select(k, i));
    }

    /**
     * The elements start .. start+length-1 along dim.
     * @param start the first index
     * @param length how many elements to keep
     * @param dim the dimension (negative counts from the end)
     * @return a view
     */
    public Tensor narrow(int dim, long start, long length) {
        Strided d = data();
        if (d.dim() == 0) throw new IllegalArgumentException("narrow() cannot be applied to a 0-dim tensor.");
        int k = Shapes.wrapDim(dim, d.dim());
        long size = d.shape[k];
        if (start < -size || start > size) {
            throw new IndexOutOfBoundsException("start out of range (expected to be in range of [" + (-size) + ", "
                    + size + "], but got " + start + ")");
        }
        long s = start < 0 ? start + size : start;
        if (length < 0) throw new IllegalArgumentException("narrow(): length must be non-negative.");
        if (s + length > size) {
            throw new IllegalArgumentException("start (" + s + ") + length (" + length + ") exceeds dimension size ("
                    + size + ").");
        }
        long[] shape = d.shape.clone();
        shape[k] = length;
        return Derivatives.part(this, view(d.offset + s * d.strides[k], shape, d.strides), "SliceBackward0",
                z -> z.narrow(k, s, length));
    }

    /**
     * A broadcast view to the given sizes (-1 keeps a size); expanded dims get stride 0.
     * @param sizes the target sizes; -1 keeps the current size
     * @return a broadcast view
     */
    public Tensor expand(long... sizes) {
        Strided d = data();
        if (sizes.length < d.dim()) {
            throw new IllegalArgumentException("expand(" + dtype().scalarTypeName() + "Tensor{" + Shapes.str(d.shape)
                    + "}, size=" + Shapes.str(sizes) + "): the number of sizes provided (" + sizes.length
                    + ") must be greater or equal to the number of dimensions in the tensor (" + d.dim() + ")");
        }
        long[] shape = new long[sizes.length], strides = new long[sizes.length];
        int lead = sizes.length - d.dim();
        for (int i = sizes.length - 1; i >= 0; i--) {
            int j = i - lead;
            long target = sizes[i];
            if (j < 0) {
                if (target < 0) {
                    throw new IllegalArgumentException("The expanded size of the tensor (" + target + ") isn't allowed "
                            + "in a leading, non-existing dimension " + i);
                }
                shape[i] = target;
                strides[i] = 0;
            } else if (target == -1 || target == d.shape[j]) {
                shape[i] = d.shape[j];
                strides[i] = d.strides[j];
            } else if (d.shape[j] == 1 && target >= 0) {
                shape[i] = target;
                strides[i] = 0;
            } else {
                throw new IllegalArgumentException("The expanded size of the tensor (" + target + ") must match the "
                        + "existing size (" + d.shape[j] + ") at non-singleton dimension " + i + ".  Target sizes: "
                        + Shapes.str(sizes) + ".  Tensor sizes: " + Shapes.str(d.shape));
            }
        }
        return Derivatives.passGrad(this, view(d.offset, shape, strides), "ExpandBackward0", g -> g);
    }

    /**
     * A view of this tensor's storage with the given sizes and strides from this tensor's storage offset,
     * PyTorch's {@code as_strided(size, stride)}.
     * @param size the sizes of the view
     * @param stride the strides of the view, in elements
     * @return a view sharing this tensor's storage
     */
    public Tensor asStrided(long[] size, long[] stride) { return asStrided(size, stride, data().offset); }

    /**
     * A view of this tensor's storage with the given sizes, strides and storage offset (all in elements),
     * PyTorch's {@code as_strided(size, stride, storage_offset)}: any elements of the storage, not only this
     * tensor's, may be viewed, but none outside it. The gradient scatters back into this tensor's geometry
     * (AsStridedBackward0), summing where the view repeats an element.
     * @param size the sizes of the view
     * @param stride the strides of the view, in elements (non-negative)
     * @param storageOffset the position of the view's first element in the storage
     * @return a view sharing this tensor's storage
     * @throws IllegalArgumentException with PyTorch's messages for sizes and strides of different lengths,
     *     negative sizes, strides or offset, and views reaching outside the storage
     */
    public Tensor asStrided(long[] size, long[] stride, long storageOffset) {
        Strided d = data();
        if (size.length != stride.length) throw new IllegalArgumentException("mismatch in length of strides and shape");
        for (long s : stride) {
            if (s < 0) {
                throw new IllegalArgumentException("as_strided: Negative strides are not supported at the moment, got "
                        + "strides: " + Shapes.str(stride));
            }
        }
        long[] sizes = Shapes.checkedSizes(size);
        if (storageOffset < 0) throw new IllegalArgumentException("Tensor: invalid storage offset " + storageOffset);
        long itemSize = d.dtype.itemSize(), needed; // bytes, as PyTorch's checkInBoundsForStorage counts them
        try {
            long last = 0;
            for (int i = 0; i < sizes.length; i++) last = Math.addExact(last, Math.multiplyExact(sizes[i] - 1, stride[i]));
            needed = Strided.numel(sizes) == 0 ? 0
                    : Math.multiplyExact(Math.addExact(Math.addExact(last, 1), storageOffset), itemSize);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("Storage size calculation overflowed with sizes=" + Shapes.str(sizes)
                    + " and strides=" + Shapes.str(stride));
        }
        if (needed > d.storage.nbytes()) {
            throw new IllegalArgumentException("setStorage: sizes " + Shapes.str(sizes) + ", strides " + Shapes.str(stride)
                    + ", storage offset " + storageOffset + ", and itemsize " + itemSize + " requiring a storage size of "
                    + needed + " are out of bounds for storage of size " + d.storage.nbytes());
        }
        return Derivatives.asStrided(this, view(storageOffset, sizes, stride.clone()));
    }

    /**
     * This tensor if it is contiguous, else a contiguous copy (PyTorch returns self too).
     * @return a contiguous tensor with the same values
     */
    public Tensor contiguous() {
        return isContiguous() ? this : clone();
    }

    /** A contiguous copy with its own storage. */
    @Override public Tensor clone() { return to(dtype(), true); }

    /**
     * The same data without history: shares storage (and its version counter), requires no grad.
     * @return a view that does not require grad
     */
    public Tensor detach() {
        Tensor t = view(data().offset, data.shape, data.strides);
        t.viewBase = null; // shares the data, not the history: in-place writes to it are not recorded,
        t.viewBaseFn = null; // and it keeps no graph alive
        return t;
    }

    // ------------------------------------------------------------------------------------------- conversion

    /**
     * This tensor if it already has dtype, else a converted copy.
     * @param dtype the target dtype
     * @return this tensor or a converted copy
     */
    public Tensor to(DType dtype) { return to(dtype, false); }

    /**
     * This tensor if it is already on device, else a copy there.
     * @param device the target device
     * @return this tensor or a copy on device
     */
    public Tensor to(Device device) {
        if (device.equals(device())) return this;
        Device from = device();
        return Derivatives.passGrad(this, transfer(Torch.backendFor(device)), "ToCopyBackward0", g -> g.to(from));
    }

    /**
     * This tensor if it is on the CPU, else a copy there, PyTorch's {@code cpu()}.
     * @return this tensor or a copy on the CPU
     */
    public Tensor cpu() { return to(Device.CPU); }

    /**
     * This tensor if it is on CUDA device 0, else a copy there, PyTorch's {@code cuda()}.
     * @return this tensor or a copy on cuda:0
     */
    public Tensor cuda() { return to(Device.cuda(0)); }

    private Tensor to(DType dtype, boolean copy) {
        Strided d = data();
        if (dtype == d.dtype && !copy) return this;
        Tensor out = newLike(dtype, d.shape);
        backend().copy(d, out.data);
        return Derivatives.passGrad(this, out, copy ? "CloneBackward0" : "ToCopyBackward0", g -> g);
    }

    /** A copy on another backend, through the host. */
    Tensor transfer(Backend target) {
        Tensor src = contiguous();
        return fromArray(target, dtype(), data.shape, src.backend().read(src.data));
    }

    /**
     * The value of a one-element tensor.
     * @return the single element as a double
     */
    public double item() {
        long n = numel();
        if (n != 1) throw new IllegalArgumentException("a Tensor with " + n + " elements cannot be converted to Scalar");
        Object values = hostArray(dtype());
        if (values instanceof float[]) return ((float[]) values)[0];
        if (values instanceof double[]) return ((double[]) values)[0];
        if (values instanceof long[]) return ((long[]) values)[0];
        return ((boolean[]) values)[0] ? 1 : 0;
    }

    /**
     * The elements in row-major order as floats (PyTorch's {@code tolist()}, flattened).
     * @return a new array
     */
    public float[] toFloatArray() { return (float[]) hostArray(DType.FLOAT32); }

    /**
     * The elements in row-major order as doubles.
     * @return a new array
     */
    public double[] toDoubleArray() { return (double[]) hostArray(DType.FLOAT64); }

    /**
     * The elements in row-major order as longs.
     * @return a new array
     */
    public long[] toLongArray() { return (long[]) hostArray(DType.INT64); }

    /**
     * The elements in row-major order as booleans (nonzero is true).
     * @return a new array
     */
    public boolean[] toBooleanArray() { return (boolean[]) hostArray(DType.BOOL); }

    /** The elements in row-major order as a Java array of the given dtype's type. */
    private Object hostArray(DType as) {
        if (numel() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a tensor of " + numel() + " elements does not fit in a Java array");
        }
        try (Scope scope = new Scope()) {
            Tensor t = to(as).contiguous();
            return t.backend().read(t.data);
        }
    }

    // ------------------------------------------------------------------------------------ elementwise binary

    /**
     * Elementwise sum, PyTorch's {@code add} / {@code +}, with broadcasting and type promotion.
     * @param other the other operand, broadcast against this tensor
     * @return a new tensor
     */
    public Tensor add(Tensor other) { return Derivatives.add(this, other, binary(BinaryOp.ADD, other)); }

    /**
     * Adds a scalar, PyTorch's {@code x + 1.5} (a Python float: integer tensors become float).
     * @param other the scalar
     * @return a new tensor
     */
    public Tensor add(double other) { return Derivatives.addScalar(this, scalarOp(BinaryOp.ADD, other, true, false)); }

    /**
     * Adds an integer scalar, PyTorch's {@code x + 1} (keeps an integer dtype).
     * @param other the scalar
     * @return a new tensor
     */
    public Tensor add(long other) { return Derivatives.addScalar(this, scalarOp(BinaryOp.ADD, other, false, false)); }

    /**
     * Elementwise difference, PyTorch's {@code sub} / {@code -}.
     * @param other the other operand, broadcast against this tensor
     * @return a new tensor
     */
    public Tensor sub(Tensor other) { return Derivatives.sub(this, other, binary(BinaryOp.SUB, other)); }

    /**
     * Subtracts a scalar, PyTorch's {@code x - 1.5}.
     * @param other the scalar
     * @return a new tensor
     */
    public Tensor sub(double other) { return Derivatives.subScalar(this, scalarOp(BinaryOp.SUB, other, true, false)); }

    /**
     * Subtracts an integer scalar, PyTorch's {@code x - 1}.
     * @param other the scalar
     * @return a new tensor
     */
    public Tensor sub(long other) { return Derivatives.subScalar(this, scalarOp(BinaryOp.SUB, other, false, false)); }

    /**
     * other - this, PyTorch's {@code rsub} (Python's {@code 1 - x}).
     * @param other the scalar subtracted from
     * @return a new tensor
     */
    public Tensor rsub(double other) { return Derivatives.rsubScalar(this, scalarOp(BinaryOp.SUB, other, true, true)); }

    /**
     * Elementwise product, PyTorch's {@code mul} / {@code *}.
     * @param other the other operand, broadcast against this tensor
     * @return a new tensor
     */
    public Tensor mul(Tensor other) { return Derivatives.mul(this, other, binary(BinaryOp.MUL, other)); }

    /**
     * Multiplies by a scalar, PyTorch's {@code x * 1.5}.
     * @param other the scalar
     * @return a new tensor
     */
    public Tensor mul(double other) { return Derivatives.mulScalar(this, other, scalarOp(BinaryOp.MUL, other, true, false)); }

    /**
     * Multiplies by an integer scalar, PyTorch's {@code x * 2}.
     * @param other the scalar
     * @return a new tensor
     */
    public Tensor mul(long other) { return Derivatives.mulScalar(this, other, scalarOp(BinaryOp.MUL, other, false, false)); }

    /**
     * True division: integer tensors divide as float32, as in PyTorch.
     * @param other the other operand, broadcast against this tensor
     * @return a new floating-point tensor
     */
    public Tensor div(Tensor other) { return Derivatives.div(this, other, binary(BinaryOp.DIV, other)); }

    /**
     * Divides by a scalar (true division), PyTorch's {@code x / 2.0}.
     * @param other the divisor
     * @return a new floating-point tensor
     */
    public Tensor div(double other) { return Derivatives.divScalar(this, other, scalarOp(BinaryOp.DIV, other, true, false)); }

    /**
     * Divides by an integer scalar (still true division), PyTorch's {@code x / 2}.
     * @param other the divisor
     * @return a new floating-point tensor
     */
    public Tensor div(long other) { return Derivatives.divScalar(this, other, scalarOp(BinaryOp.DIV, other, false, false)); }

    /**
     * Elementwise power, PyTorch's {@code pow} / {@code **}.
     * @param exponent the exponent
     * @return a new tensor
     */
    public Tensor pow(Tensor exponent) { return Derivatives.pow(this, exponent, binary(BinaryOp.POW, exponent)); }

    /**
     * Raises to a scalar power, PyTorch's {@code x ** 2.0}.
     * @param exponent the exponent
     * @return a new tensor
     */
    public Tensor pow(double exponent) { return Derivatives.powScalar(this, exponent, scalarOp(BinaryOp.POW, exponent, true, false)); }

    /**
     * Raises to an integer power, PyTorch's {@code x ** 2} (keeps an integer dtype).
     * @param exponent the exponent
     * @return a new tensor
     */
    public Tensor pow(long exponent) {
        if (exponent < 0 && !dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("Integers to negative integer powers are not allowed.");
        }
        return Derivatives.powScalar(this, exponent, scalarOp(BinaryOp.POW, exponent, false, false));
    }

    /** base ** this, for {@link Torch#pow(double, Tensor)}. */
    Tensor rpow(double base) { return Derivatives.rpowScalar(base, this, scalarOp(BinaryOp.POW, base, true, true)); }

    /**
     * Elementwise maximum, PyTorch's {@code torch.maximum} (NaN propagates).
     * @param other the other operand, broadcast against this tensor
     * @return a new tensor
     */
    public Tensor maximum(Tensor other) { return Derivatives.maximum(this, other, binary(BinaryOp.MAXIMUM, other)); }

    /**
     * Elementwise minimum, PyTorch's {@code torch.minimum} (NaN propagates).
     * @param other the other operand, broadcast against this tensor
     * @return a new tensor
     */
    public Tensor minimum(Tensor other) { return Derivatives.minimum(this, other, binary(BinaryOp.MINIMUM, other)); }

    /**
     * Elementwise {@code ==}, PyTorch's {@code eq}.
     * @param other the other operand, broadcast against this tensor
     * @return a bool tensor
     */
    public Tensor eq(Tensor other) { return binary(BinaryOp.EQ, other); }

    /**
     * Elementwise {@code ==} with a scalar.
     * @param other the scalar
     * @return a bool tensor
     */
    public Tensor eq(double other) { return scalarOp(BinaryOp.EQ, other, true, false); }

    /**
     * Elementwise {@code !=}, PyTorch's {@code ne}.
     * @param other the other operand, broadcast against this tensor
     * @return a bool tensor
     */
    public Tensor ne(Tensor other) { return binary(BinaryOp.NE, other); }

    /**
     * Elementwise {@code !=} with a scalar.
     * @param other the scalar
     * @return a bool tensor
     */
    public Tensor ne(double other) { return scalarOp(BinaryOp.NE, other, true, false); }

    /**
     * Elementwise {@code <}, PyTorch's {@code lt}.
     * @param other the other operand, broadcast against this tensor
     * @return a bool tensor
     */
    public Tensor lt(Tensor other) { return binary(BinaryOp.LT, other); }

    /**
     * Elementwise {@code <} with a scalar.
     * @param other the scalar
     * @return a bool tensor
     */
    public Tensor lt(double other) { return scalarOp(BinaryOp.LT, other, true, false); }

    /**
     * Elementwise {@code <=}, PyTorch's {@code le}.
     * @param other the other operand, broadcast against this tensor
     * @return a bool tensor
     */
    public Tensor le(Tensor other) { return binary(BinaryOp.LE, other); }

    /**
     * Elementwise {@code <=} with a scalar.
     * @param other the scalar
     * @return a bool tensor
     */
    public Tensor le(double other) { return scalarOp(BinaryOp.LE, other, true, false); }

    /**
     * Elementwise {@code >}, PyTorch's {@code gt}.
     * @param other the other operand, broadcast against this tensor
     * @return a bool tensor
     */
    public Tensor gt(Tensor other) { return binary(BinaryOp.GT, other); }

    /**
     * Elementwise {@code >} with a scalar.
     * @param other the scalar
     * @return a bool tensor
     */
    public Tensor gt(double other) { return scalarOp(BinaryOp.GT, other, true, false); }

    /**
     * Elementwise {@code >=}, PyTorch's {@code ge}.
     * @param other the other operand, broadcast against this tensor
     * @return a bool tensor
     */
    public Tensor ge(Tensor other) { return binary(BinaryOp.GE, other); }

    /**
     * Elementwise {@code >=} with a scalar.
     * @param other the scalar
     * @return a bool tensor
     */
    public Tensor ge(double other) { return scalarOp(BinaryOp.GE, other, true, false); }

    /** The dtype an op computes in: PyTorch's promotion, and float for true division. */
    private static DType computeType(BinaryOp op, DType promoted) {
        return op == BinaryOp.DIV && !promoted.isFloatingPoint() ? DType.defaultFloat() : promoted;
    }

    private static void checkBoolArithmetic(BinaryOp op, DType a, DType b) {
        if (op == BinaryOp.SUB && a == DType.BOOL && b == DType.BOOL) {
            throw new IllegalArgumentException("Subtraction, the `-` operator, with two bool tensors is not supported. "
                    + "Use the `^` or `logical_xor()` operator instead.");
        }
    }

    private Tensor binary(BinaryOp op, Tensor other) {
        Strided a = data(), b = other.data();
        checkSameDevice(other);
        checkBoolArithmetic(op, a.dtype, b.dtype);
        DType compute = computeType(op, DType.promote(a.dtype, b.dtype));
        boolean sameShape = Arrays.equals(a.shape, b.shape);
        long[] shape = sameShape ? a.shape : Shapes.broadcast(a.shape, b.shape);
        Tensor out = newLike(op.isComparison() ? DType.BOOL : compute, shape);
        if (sameShape && a.dtype == compute && b.dtype == compute) { // the common case: no temporaries
            backend().binary(op, a, b, out.data);
            return out;
        }
        try (Scope scope = new Scope()) {
            backend().binary(op, operand(this, compute, shape), operand(other, compute, shape), out.data);
        }
        return out;
    }

    private Tensor scalarOp(BinaryOp op, double s, boolean floating, boolean scalarFirst) {
        Strided a = data();
        DType compute = computeType(op, DType.promoteWithScalar(a.dtype, floating));
        Tensor out = newLike(op.isComparison() ? DType.BOOL : compute, a.shape);
        if (a.dtype == compute) {
            backend().binaryScalar(op, a, s, scalarFirst, out.data);
            return out;
        }
        try (Scope scope = new Scope()) {
            backend().binaryScalar(op, operand(this, compute, a.shape), s, scalarFirst, out.data);
        }
        return out;
    }

    /** t converted to dtype and broadcast to shape (views and temporaries live in the caller's scope). */
    private static Strided operand(Tensor t, DType dtype, long[] shape) {
        Tensor x = t.dtype() == dtype ? t : t.to(dtype);
        return Arrays.equals(x.data.shape, shape) ? x.data : x.expand(shape).data;
    }

    void checkSameDevice(Tensor other) {
        if (other.backend() != backend()) {
            if (!other.device().equals(device())) {
                throw new IllegalArgumentException("Expected all tensors to be on the same device, but found at least "
                        + "two devices, " + device() + " and " + other.device() + "!");
            }
            throw new IllegalArgumentException("Expected all tensors to be on the same backend, but found "
                    + backend().name() + " and " + other.backend().name());
        }
    }

    // ------------------------------------------------------------------------------------------------ in place

    /**
     * In-place {@code add_}, PyTorch's {@code x += other}; other is broadcast to this shape.
     * @param other the other operand, broadcast against this tensor
     * @return this tensor
     */
    public Tensor add_(Tensor other) { return binaryInPlace(BinaryOp.ADD, other); }

    /**
     * In-place add of a scalar, PyTorch's {@code add_(scalar)}.
     * @param other the scalar
     * @return this tensor
     */
    public Tensor add_(double other) { return scalarInPlace(BinaryOp.ADD, other, true); }

    /**
     * In-place {@code sub_}, PyTorch's {@code x -= other}.
     * @param other the other operand, broadcast against this tensor
     * @return this tensor
     */
    public Tensor sub_(Tensor other) { return binaryInPlace(BinaryOp.SUB, other); }

    /**
     * In-place subtraction of a scalar.
     * @param other the scalar
     * @return this tensor
     */
    public Tensor sub_(double other) { return scalarInPlace(BinaryOp.SUB, other, true); }

    /**
     * In-place {@code mul_}, PyTorch's {@code x *= other}.
     * @param other the other operand, broadcast against this tensor
     * @return this tensor
     */
    public Tensor mul_(Tensor other) { return binaryInPlace(BinaryOp.MUL, other); }

    /**
     * In-place multiplication by a scalar.
     * @param other the scalar
     * @return this tensor
     */
    public Tensor mul_(double other) { return scalarInPlace(BinaryOp.MUL, other, true); }

    /**
     * In-place {@code div_}, PyTorch's {@code x /= other}.
     * @param other the other operand, broadcast against this tensor
     * @return this tensor
     */
    public Tensor div_(Tensor other) { return binaryInPlace(BinaryOp.DIV, other); }

    /**
     * In-place division by a scalar.
     * @param other the divisor
     * @return this tensor
     */
    public Tensor div_(double other) { return scalarInPlace(BinaryOp.DIV, other, true); }

    /**
     * Sets every element to 0, PyTorch's {@code zero_()}.
     * @return this tensor
     */
    public Tensor zero_() { return fill_(0); }

    /**
     * Sets every element to value, PyTorch's {@code fill_(value)}.
     * @param value the value, converted to this dtype
     * @return this tensor
     */
    public Tensor fill_(double value) {
        prepareInPlace();
        backend().fill(data, value);
        if (requiresGrad() && gradFn != null && GradMode.isEnabled()) {
            setInPlaceHistory(new GradFn("FillBackward0", new Tensor[0], (g, fn) -> new Tensor[0], new GradFn.Saved[0]),
                    null);
        }
        return this;
    }

    /**
     * Copies src (broadcast to this shape, converted to this dtype) into this tensor.
     * @param src the source tensor
     * @return this tensor
     */
    public Tensor copy_(Tensor src) {
        prepareInPlace();
        checkSameDevice(src);
        Shapes.broadcast(data.shape, src.data().shape); // raises PyTorch's message on a mismatch
        checkNoPartialOverlap(src);
        try (Scope scope = new Scope()) {
            Tensor s = src.expand(data.shape);
            backend().copy(overlaps(s) ? s.clone().data : s.data, data);
        }
        Derivatives.copyInto(this, src);
        return this;
    }

    private Tensor binaryInPlace(BinaryOp op, Tensor other) {
        if (Derivatives.recording(this, other)) return rebase(binaryOf(op, snapshot(), other));
        prepareInPlace();
        checkSameDevice(other);
        checkBoolArithmetic(op, data.dtype, other.data().dtype);
        long[] shape = Shapes.broadcast(data.shape, other.data.shape);
        if (!Arrays.equals(shape, data.shape)) {
            throw new IllegalArgumentException("output with shape " + Shapes.str(data.shape) + " doesn't match the "
                    + "broadcast shape " + Shapes.str(shape));
        }
        DType compute = computeType(op, DType.promote(data.dtype, other.data.dtype));
        checkCast(compute);
        checkNoPartialOverlap(other);
        try (Scope scope = new Scope()) {
            Strided b = operand(other, compute, shape);
            if (compute == data.dtype && !overlaps(other)) {
                backend().binary(op, data, b, data);
            } else {
                Tensor result = newLike(compute, shape);
                backend().binary(op, operand(this, compute, shape), b, result.data);
                backend().copy(result.data, data);
            }
        }
        return this;
    }

    private Tensor scalarInPlace(BinaryOp op, double s, boolean floating) {
        if (Derivatives.recording(this)) return rebase(scalarOf(op, snapshot(), s));
        prepareInPlace();
        DType compute = computeType(op, DType.promoteWithScalar(data.dtype, floating));
        checkCast(compute);
        try (Scope scope = new Scope()) {
            if (compute == data.dtype) {
                backend().binaryScalar(op, data, s, false, data);
            } else {
                Tensor result = newLike(compute, data.shape);
                backend().binaryScalar(op, operand(this, compute, data.shape), s, false, result.data);
                backend().copy(result.data, data);
            }
        }
        return this;
    }

    private void checkCast(DType result) {
        if (!DType.canCast(result, data.dtype)) {
            throw new IllegalArgumentException("result type " + result.scalarTypeName() + " can't be cast to the "
                    + "desired output type " + data.dtype.scalarTypeName());
        }
    }

    /**
     * An in-place op with history: the result, computed out of place from a copy of this tensor (so that
     * what the graph saved stays intact), is written into this tensor, which becomes the result's output.
     */
    private Tensor rebase(Tensor result) {
        prepareInPlace();
        if (!Arrays.equals(result.data.shape, data.shape)) {
            throw new IllegalArgumentException("output with shape " + Shapes.str(data.shape) + " doesn't match the "
                    + "broadcast shape " + Shapes.str(result.data.shape));
        }
        checkCast(result.dtype());
        backend().copy(result.data, data);
        setInPlaceHistory(result.gradFn, result);
        return this;
    }

    /** A copy of this tensor's current value and history, for {@link #rebase}. */
    private Tensor snapshot() { return clone(); }

    private static Tensor binaryOf(BinaryOp op, Tensor a, Tensor b) {
        switch (op) {
            case ADD: return a.add(b);
            case SUB: return a.sub(b);
            case MUL: return a.mul(b);
            case DIV: return a.div(b);
            default: throw new IllegalArgumentException(op.torchName + "_ does not support autograd");
        }
    }

    private static Tensor scalarOf(BinaryOp op, Tensor a, double s) {
        switch (op) {
            case ADD: return a.add(s);
            case SUB: return a.sub(s);
            case MUL: return a.mul(s);
            case DIV: return a.div(s);
            default: throw new IllegalArgumentException(op.torchName + "_ does not support autograd");
        }
    }

    /**
     * Checks that this tensor may be written in place (PyTorch's rules for leaves that require grad and for
     * expanded tensors) and counts the write in its version.
     */
    private void prepareInPlace() {
        if (GradMode.isEnabled() && requiresGrad()) { // PyTorch's check_inplace
            if (viewBase != null && viewBase.gradFn == null) {
                throw new IllegalStateException("a view of a leaf Variable that requires grad is being used in an in-place "
                        + "operation.");
            }
            if (gradFn == null) {
                throw new IllegalStateException("a leaf Variable that requires grad is being used in an in-place operation.");
            }
        }
        checkWritable();
        data.storage.bumpVersion();
    }

    /** In-place writes need every element at its own address (an expanded tensor has not). */
    private void checkWritable() {
        Strided d = data();
        for (int i = 0; i < d.dim(); i++) {
            if (d.strides[i] == 0 && d.shape[i] > 1) {
                throw new IllegalArgumentException("unsupported operation: more than one element of the written-to "
                        + "tensor refers to a single memory location. Please clone() the tensor before performing "
                        + "the operation.");
            }
        }
    }

    /**
     * PyTorch's assert_no_partial_overlap for an in-place write of this tensor reading input: refuses an input
     * whose elements share some, but not all, memory with this tensor's. Like PyTorch it tells only for dense
     * layouts without repeats; the others (expanded inputs, say) are read from a copy, see {@link #overlaps}.
     */
    private void checkNoPartialOverlap(Tensor input) {
        Strided a = data, b = input.data();
        if (a.storage != b.storage || a.numel() == 0 || b.numel() == 0 || !isDense(a) || !isDense(b)) return;
        long aBegin = a.offset * a.dtype.itemSize(), aEnd = aBegin + a.numel() * a.dtype.itemSize();
        long bBegin = b.offset * b.dtype.itemSize(), bEnd = bBegin + b.numel() * b.dtype.itemSize();
        boolean same = aBegin == bBegin && aEnd == bEnd && Arrays.equals(a.strides, b.strides);
        if (!same && aBegin < bEnd && bBegin < aEnd) {
            throw new IllegalArgumentException("unsupported operation: some elements of the input tensor and the "
                    + "written-to tensor refer to a single memory location. Please clone() the tensor before "
                    + "performing the operation.");
        }
    }

    /** PyTorch's is_non_overlapping_and_dense: the elements fill a block of memory, each exactly once. */
    private static boolean isDense(Strided s) {
        Integer[] dims = new Integer[s.dim()];
        for (int i = 0; i < dims.length; i++) dims[i] = i;
        Arrays.sort(dims, (x, y) -> Long.compare(s.strides[x], s.strides[y]));
        long expected = 1;
        for (int d : dims) {
            if (s.shape[d] == 1) continue;
            if (s.strides[d] != expected) return false;
            expected *= s.shape[d];
        }
        return true;
    }

    /** True when other reads this tensor's storage through a different layout (an in-place write could race it). */
    private boolean overlaps(Tensor other) {
        Strided o = other.data;
        return o.storage == data.storage
                && !(o.offset == data.offset && Arrays.equals(o.shape, data.shape) && Arrays.equals(o.strides, data.strides));
    }

    // ----------------------------------------------------------------------------------------------- random

    /**
     * Fills this tensor with uniform values in [from, to) from the default generator, as PyTorch's uniform_.
     * @param from the lower bound (inclusive)
     * @param to the upper bound (exclusive)
     * @return this tensor
     */
    public Tensor uniform_(double from, double to) { return uniform_(from, to, Generator.defaultGenerator()); }

    /**
     * {@link #uniform_(double, double)} drawing from generator.
     * @param generator the random generator to draw from
     * @param from the lower bound (inclusive)
     * @param to the upper bound (exclusive)
     * @return this tensor
     */
    public Tensor uniform_(double from, double to, Generator generator) {
        int n = randomCount("uniform_");
        return fillWith(dtype() == DType.FLOAT32 ? RandomOps.uniformFloat(generator, n, from, to)
                : RandomOps.uniformDouble(generator, n, from, to));
    }

    /**
     * Fills this tensor with normal values (mean, std) from the default generator, as PyTorch's normal_.
     * @param mean the mean
     * @param std the standard deviation
     * @return this tensor
     */
    public Tensor normal_(double mean, double std) { return normal_(mean, std, Generator.defaultGenerator()); }

    /**
     * {@link #normal_(double, double)} drawing from generator.
     * @param generator the random generator to draw from
     * @param mean the mean
     * @param std the standard deviation
     * @return this tensor
     */
    public Tensor normal_(double mean, double std, Generator generator) {
        int n = randomCount("normal_");
        return fillWith(dtype() == DType.FLOAT32 ? RandomOps.normalFloat(generator, n, mean, std)
                : RandomOps.normalDouble(generator, n, mean, std));
    }

    /**
     * Fills this tensor with 1 (probability p) or 0, as PyTorch's bernoulli_(p) (the dropout mask).
     * @param p the probability of a 1
     * @return this tensor
     */
    public Tensor bernoulli_(double p) { return bernoulli_(p, Generator.defaultGenerator()); }

    /**
     * {@link #bernoulli_(double)} drawing from generator.
     * @param generator the random generator to draw from
     * @param p the probability of a 1
     * @return this tensor
     */
    public Tensor bernoulli_(double p, Generator generator) {
        int n = randomCount("bernoulli_");
        float[] mask = RandomOps.bernoulliFloat(generator, n, p);
        if (dtype() == DType.FLOAT32) return fillWith(mask);
        double[] wide = new double[n];
        for (int i = 0; i < n; i++) wide[i] = mask[i];
        return fillWith(wide);
    }

    /**
     * Fills this tensor with random integers from the default generator, as PyTorch's {@code random_()}
     * without bounds: int64 values in [0, 2<sup>63</sup>), float64 in [0, 2<sup>53</sup>], float32 in
     * [0, 2<sup>24</sup>], bool false or true. {@code torch.empty((), dtype=torch.int64).random_()} is how
     * PyTorch's data loading draws a seed.
     * @return this tensor
     */
    public Tensor random_() { return random_(Generator.defaultGenerator()); }

    /**
     * {@link #random_()} drawing from generator, bit for bit as PyTorch's {@code random_(generator=g)} on CPU.
     * @param generator the random generator to draw from
     * @return this tensor
     */
    public Tensor random_(Generator generator) {
        if (numel() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("random_: tensor of " + numel() + " elements is too large");
        }
        return fillWith(RandomOps.random(generator, dtype(), (int) numel()));
    }

    /** The element count of a floating tensor a random fill_ may write; the generators fill Java arrays. */
    private int randomCount(String op) {
        if (!dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("\"" + op + "\" not implemented for '" + dtype().scalarTypeName() + "'");
        }
        if (numel() > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(op + ": tensor of " + numel() + " elements is too large");
        return (int) numel();
    }

    /** Writes a row-major Java array of this dtype into this tensor in place. */
    private Tensor fillWith(Object values) {
        prepareInPlace();
        if (isContiguous()) {
            backend().write(data, values);
        } else {
            try (Scope scope = new Scope()) {
                backend().copy(fromArray(backend(), dtype(), data.shape, values).data, data);
            }
        }
        return this;
    }

    // ------------------------------------------------------------------------------------------------ unary

    /**
     * Elementwise negation, PyTorch's {@code neg} / unary {@code -}.
     * @return a new tensor
     */
    public Tensor neg() {
        if (dtype() == DType.BOOL) {
            throw new IllegalArgumentException("Negation, the `-` operator, on a bool tensor is not supported. If you "
                    + "are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
        }
        return Derivatives.neg(this, unary(UnaryOp.NEG));
    }

    /**
     * Elementwise absolute value, PyTorch's {@code abs}.
     * @return a new tensor
     */
    public Tensor abs() { return Derivatives.abs(this, unary(UnaryOp.ABS)); }

    /**
     * Elementwise e<sup>x</sup>, PyTorch's {@code exp}.
     * @return a new tensor
     */
    public Tensor exp() { return Derivatives.exp(this, unary(UnaryOp.EXP)); }

    /**
     * Elementwise natural logarithm, PyTorch's {@code log}.
     * @return a new tensor
     */
    public Tensor log() { return Derivatives.log(this, unary(UnaryOp.LOG)); }

    /**
     * Elementwise square root, PyTorch's {@code sqrt}.
     * @return a new tensor
     */
    public Tensor sqrt() { return Derivatives.sqrt(this, unary(UnaryOp.SQRT)); }

    /**
     * Elementwise sine, PyTorch's {@code sin}.
     * @return a new tensor
     */
    public Tensor sin() { return Derivatives.sin(this, unary(UnaryOp.SIN)); }

    /**
     * Elementwise cosine, PyTorch's {@code cos}.
     * @return a new tensor
     */
    public Tensor cos() { return Derivatives.cos(this, unary(UnaryOp.COS)); }

    /**
     * Elementwise hyperbolic tangent, PyTorch's {@code tanh}.
     * @return a new tensor
     */
    public Tensor tanh() { return Derivatives.tanh(this, unary(UnaryOp.TANH)); }

    /**
     * Elementwise logistic sigmoid, PyTorch's {@code sigmoid}.
     * @return a new tensor
     */
    public Tensor sigmoid() { return Derivatives.sigmoid(this, unary(UnaryOp.SIGMOID)); }

    /**
     * Elementwise max(x, 0), PyTorch's {@code relu}.
     * @return a new tensor
     */
    public Tensor relu() { return Derivatives.relu(this, unary(UnaryOp.RELU)); }

    private Tensor unary(UnaryOp op) {
        Strided a = data();
        DType compute = a.dtype.isFloatingPoint() || !op.floatResult ? a.dtype : DType.defaultFloat();
        if (compute == DType.BOOL) {
            throw new IllegalArgumentException("\"" + op.torchName + "\" not implemented for 'Bool'");
        }
        Tensor out = newLike(compute, a.shape);
        if (a.dtype == compute) {
            backend().unary(op, a, out.data);
            return out;
        }
        try (Scope scope = new Scope()) {
            backend().unary(op, operand(this, compute, a.shape), out.data);
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ reductions

    /**
     * The sum of all elements, PyTorch's {@code sum()}.
     * @return a 0-dim tensor
     */
    public Tensor sum() { return Derivatives.sumAll(this, reduceAll(ReduceOp.SUM)); }

    /**
     * The sum along dim, PyTorch's {@code sum(dim)}.
     * @param dim the dimension (negative counts from the end)
     * @return a tensor without dim
     */
    public Tensor sum(int dim) { return sum(dim, false); }

    /**
     * The sum along dim, PyTorch's {@code sum(dim, keepdim)}.
     * @param dim the dimension (negative counts from the end)
     * @param keepdim whether the reduced dims are kept with size 1
     * @return the sums
     */
    public Tensor sum(int dim, boolean keepdim) { return sum(new int[] {dim}, keepdim); }

    /**
     * The sum over several dims, PyTorch's {@code sum(dims, keepdim)}.
     * @param dims the dimensions to reduce (negative counts from the end)
     * @param keepdim whether the reduced dims are kept with size 1
     * @return the sums
     */
    public Tensor sum(int[] dims, boolean keepdim) { return Derivatives.sum(this, dims, keepdim, reduce(ReduceOp.SUM, dims, keepdim)); }

    /**
     * The mean of all elements, PyTorch's {@code mean()}.
     * @return a 0-dim tensor
     */
    public Tensor mean() { return Derivatives.meanAll(this, reduceAll(ReduceOp.MEAN)); }

    /**
     * The mean along dim, PyTorch's {@code mean(dim)}.
     * @param dim the dimension (negative counts from the end)
     * @return a tensor without dim
     */
    public Tensor mean(int dim) { return mean(dim, false); }

    /**
     * The mean along dim, PyTorch's {@code mean(dim, keepdim)}.
     * @param dim the dimension (negative counts from the end)
     * @param keepdim whether the reduced dims are kept with size 1
     * @return the means
     */
    public Tensor mean(int dim, boolean keepdim) { return mean(new int[] {dim}, keepdim); }

    /**
     * The mean over several dims, PyTorch's {@code mean(dims, keepdim)}.
     * @param dims the dimensions to reduce (negative counts from the end)
     * @param keepdim whether the reduced dims are kept with size 1
     * @return the means
     */
    public Tensor mean(int[] dims, boolean keepdim) { return Derivatives.mean(this, dims, keepdim, reduce(ReduceOp.MEAN, dims, keepdim)); }

    /**
     * The product of all elements, PyTorch's {@code prod()}.
     * @return a 0-dim tensor
     */
    public Tensor prod() { return Derivatives.prod(this, allDims(), false, true, reduceAll(ReduceOp.PROD)); }

    /**
     * The product along dim, PyTorch's {@code prod(dim)}.
     * @param dim the dimension (negative counts from the end)
     * @return a tensor without dim
     */
    public Tensor prod(int dim) { return prod(dim, false); }

    /**
     * The product along dim, PyTorch's {@code prod(dim, keepdim)}.
     * @param dim the dimension (negative counts from the end)
     * @param keepdim whether the reduced dims are kept with size 1
     * @return the products
     */
    public Tensor prod(int dim, boolean keepdim) { return prod(new int[] {dim}, keepdim); }

    /** The product over dims (a torchlet extension: PyTorch's prod takes one dim). */
    Tensor prod(int[] dims, boolean keepdim) {
        return Derivatives.prod(this, dims, keepdim, false, reduce(ReduceOp.PROD, dims, keepdim));
    }

    /**
     * The largest element (NaN if any element is NaN).
     * @return a 0-dim tensor
     */
    public Tensor max() { return Derivatives.extremeAll(this, reduceAll(ReduceOp.MAX), "MaxBackward1"); }

    /**
     * The largest elements along dim and their indices, PyTorch's {@code max(dim)}.
     * @param dim the dimension (negative counts from the end)
     * @return values and indices, without dim
     */
    public ValuesIndices max(int dim) { return max(dim, false); }

    /**
     * The largest elements along dim and the index of the first of each.
     * @param dim the dimension (negative counts from the end)
     * @param keepdim whether the reduced dims are kept with size 1
     * @return values and indices
     */
    public ValuesIndices max(int dim, boolean keepdim) { return reduceWithIndices(ReduceOp.MAX, dim, keepdim); }

    /**
     * The smallest element (NaN if any element is NaN), PyTorch's {@code min()}.
     * @return a 0-dim tensor
     */
    public Tensor min() { return Derivatives.extremeAll(this, reduceAll(ReduceOp.MIN), "MinBackward1"); }

    /**
     * The smallest elements along dim and their indices, PyTorch's {@code min(dim)}.
     * @param dim the dimension (negative counts from the end)
     * @return values and indices, without dim
     */
    public ValuesIndices min(int dim) { return min(dim, false); }

    /**
     * The smallest elements along dim and the index of the first of each, PyTorch's {@code min(dim, keepdim)}.
     * @param dim the dimension (negative counts from the end)
     * @param keepdim whether the reduced dims are kept with size 1
     * @return values and indices
     */
    public ValuesIndices min(int dim, boolean keepdim) { return reduceWithIndices(ReduceOp.MIN, dim, keepdim); }

    /**
     * The index of the largest element of the flattened tensor.
     * @return a 0-dim int64 tensor
     */
    public Tensor argmax() { return reduceFlat(ReduceOp.ARGMAX); }

    /**
     * The indices of the largest elements along dim, PyTorch's {@code argmax(dim)}.
     * @param dim the dimension (negative counts from the end)
     * @return an int64 tensor without dim
     */
    public Tensor argmax(int dim) { return argmax(dim, false); }

    /**
     * The indices of the largest elements along dim, PyTorch's {@code argmax(dim, keepdim)}.
     * @param dim the dimension (negative counts from the end)
     * @param keepdim whether the reduced dims are kept with size 1
     * @return an int64 tensor
     */
    public Tensor argmax(int dim, boolean keepdim) { return reduce(ReduceOp.ARGMAX, new int[] {dim}, keepdim); }

    /**
     * The index of the smallest element of the flattened tensor, PyTorch's {@code argmin()}.
     * @return a 0-dim int64 tensor
     */
    public Tensor argmin() { return reduceFlat(ReduceOp.ARGMIN); }

    /**
     * The indices of the smallest elements along dim, PyTorch's {@code argmin(dim)}.
     * @param dim the dimension (negative counts from the end)
     * @return an int64 tensor without dim
     */
    public Tensor argmin(int dim) { return argmin(dim, false); }

    /**
     * The indices of the smallest elements along dim, PyTorch's {@code argmin(dim, keepdim)}.
     * @param dim the dimension (negative counts from the end)
     * @param keepdim whether the reduced dims are kept with size 1
     * @return an int64 tensor
     */
    public Tensor argmin(int dim, boolean keepdim) { return reduce(ReduceOp.ARGMIN, new int[] {dim}, keepdim); }

    private Tensor reduceAll(ReduceOp op) { return reduce(op, allDims(), false, true); }

    private int[] allDims() {
        int[] dims = new int[dim()];
        for (int i = 0; i < dims.length; i++) dims[i] = i;
        return dims;
    }

    private Tensor reduceFlat(ReduceOp op) {
        try (Scope scope = new Scope()) {
            return scope.keep(reshape(-1).reduce(op, new int[] {0}, false, true));
        }
    }

    private Tensor reduce(ReduceOp op, int[] dims, boolean keepdim) { return reduce(op, dims, keepdim, false); }

    private ValuesIndices reduceWithIndices(ReduceOp op, int dim, boolean keepdim) {
        Tensor[] outs = reduceInto(op, new int[] {dim}, keepdim, false, true);
        Tensor values = Derivatives.extremeAlongDim(this, dim, keepdim, outs[0], outs[1],
                op == ReduceOp.MAX ? "MaxBackward0" : "MinBackward0");
        return new ValuesIndices(op.torchName, values, outs[1]);
    }

    private Tensor reduce(ReduceOp op, int[] dims, boolean keepdim, boolean allDims) {
        Tensor[] outs = reduceInto(op, dims, keepdim, allDims, false);
        return outs[0] != null ? outs[0] : outs[1];
    }

    /**
     * Runs a reduction; returns {values, indices}, either may be null. The input goes to the backend permuted
     * so that the reduced dims come last; the output is allocated in its final (keepdim or not) shape.
     */
    private Tensor[] reduceInto(ReduceOp op, int[] dims, boolean keepdim, boolean allDims, boolean withIndices) {
        Strided d = data();
        int n = d.dim();
        boolean[] reduced = new boolean[Math.max(n, 1)];
        for (int dim : dims) {
            int k = Shapes.wrapDim(dim, n);
            if (reduced[k]) {
                throw new IllegalArgumentException("dim " + k + " appears multiple times in the list of dims");
            }
            reduced[k] = true;
        }
        DType valueType = op.resultType(d.dtype);
        long reducedCount = 1;
        int nReduced = 0;
        for (int i = 0; i < n; i++) {
            if (reduced[i]) {
                reducedCount *= d.shape[i];
                nReduced++;
            }
        }
        if (op.selects() && reducedCount == 0) {
            if (allDims) {
                throw new IllegalArgumentException(op.torchName + "(): Expected reduction dim to be specified for "
                        + "input.numel() == 0." + (op == ReduceOp.MAX || op == ReduceOp.MIN
                        ? " Specify the reduction dim with the 'dim' argument." : ""));
            }
            throw new IllegalArgumentException(op.torchName + "(): Expected reduction dim " + Shapes.wrapDim(dims[0], n)
                    + " to have non-zero size.");
        }
        int nKeep = n - nReduced;
        long[] inShape = new long[n], inStrides = new long[n], outShape = new long[keepdim ? n : nKeep];
        int[] outPos = new int[nKeep]; // where each kept dim sits in the output shape
        for (int i = 0, kept = 0, red = nKeep, o = 0; i < n; i++) {
            int slot = reduced[i] ? red++ : kept++;
            inShape[slot] = d.shape[i];
            inStrides[slot] = d.strides[i];
            if (!reduced[i]) outPos[slot] = o;
            if (!reduced[i] || keepdim) outShape[o++] = reduced[i] ? 1 : d.shape[i];
        }
        Strided in = new Strided(d.storage, d.dtype, d.offset, inShape, inStrides);
        boolean argOnly = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
        Tensor values = argOnly ? null : newLike(valueType, outShape);
        Tensor indices = argOnly || withIndices ? newLike(DType.INT64, outShape) : null;
        backend().reduce(op, in, nReduced, keptView(values, outPos), keptView(indices, outPos));
        return new Tensor[] {values, indices};
    }

    /** The output as the backend sees it: only the kept dims. */
    private static Strided keptView(Tensor out, int[] outPos) {
        if (out == null) return null;
        long[] shape = new long[outPos.length], strides = new long[outPos.length];
        for (int i = 0; i < outPos.length; i++) {
            shape[i] = out.data.shape[outPos[i]];
            strides[i] = out.data.strides[outPos[i]];
        }
        return new Strided(out.data.storage, out.data.dtype, out.data.offset, shape, strides);
    }

    // -------------------------------------------------------------------------------------- matrix products

    /**
     * PyTorch's matmul: dot product for two vectors, matrix-vector, vector-matrix, matrix product, and
     * batched products with broadcast batch dims. Runs as one native call (OpenBLAS gemm per matrix).
     * @param other the other operand, broadcast against this tensor
     * @return the product
     */
    public Tensor matmul(Tensor other) {
        if (!Derivatives.recording(this, other)) return matmulNoGrad(other);
        Tensor out;
        try (GradMode off = new GradMode(false)) {
            out = matmulNoGrad(other);
        }
        return Derivatives.matmul(this, other, out);
    }

    private Tensor matmulNoGrad(Tensor other) {
        int da = dim(), db = other.dim();
        if (da == 0 || db == 0) {
            throw new IllegalArgumentException("both arguments to matmul need to be at least 1D, but they are " + da
                    + "D and " + db + "D");
        }
        checkMatmulTypes(other);
        long[] sa = data.shape, sb = other.data.shape;
        try (Scope scope = new Scope()) {
            if (da == 1 && db == 1) {
                if (sa[0] != sb[0]) {
                    throw new IllegalArgumentException("inconsistent tensor size, expected tensor [" + sa[0] + "] and src ["
                            + sb[0] + "] to have the same number of elements, but got " + sa[0] + " and " + sb[0]
                            + " elements respectively");
                }
                return scope.keep(batchedProduct(reshape(1, sa[0]), other.reshape(sa[0], 1), new long[0]));
            }
            if (da == 2 && db == 1) {
                if (sa[1] != sb[0]) {
                    throw new IllegalArgumentException("size mismatch, got input (" + sa[0] + "), mat (" + sa[0] + "x"
                            + sa[1] + "), vec (" + sb[0] + ")");
                }
                return scope.keep(batchedProduct(this, other.unsqueeze(1), new long[] {sa[0]}));
            }
            if (da == 1 && db == 2) {
                checkInner(1, sa[0], sb[0], sb[1]);
                return scope.keep(batchedProduct(unsqueeze(0), other, new long[] {sb[1]}));
            }
            if (da == 2 && db == 2) return scope.keep(mm(other));
            if (db == 2 && sa[da - 1] == sb[0]) {
                // [..., M, K] @ [K, N]: one gemm with the batch folded into M, when a's rows allow a view.
                long rows = Strided.numel(Arrays.copyOf(sa, da - 1)); // not numel / K: K may be 0
                if (Shapes.viewStrides(sa, data.strides, new long[] {rows, sa[da - 1]}) != null) {
                    long[] outShape = sa.clone();
                    outShape[da - 1] = sb[1];
                    return scope.keep(batchedProduct(reshape(rows, sa[da - 1]), other, outShape));
                }
            }
            // Batched: vectors become matrices, batch dims broadcast, the result drops the added dims.
            Tensor a = da == 1 ? unsqueeze(0) : this, b = db == 1 ? other.unsqueeze(1) : other;
            long[] batchA = Arrays.copyOf(a.data.shape, a.dim() - 2), batchB = Arrays.copyOf(b.data.shape, b.dim() - 2);
            long[] batch = Shapes.broadcast(batchA, batchB);
            long m = a.size(-2), k = a.size(-1), k2 = b.size(-2), n = b.size(-1);
            if (k != k2) {
                throw new IllegalArgumentException("Expected size for first two dimensions of batch2 tensor to be: ["
                        + Strided.numel(batch) + ", " + k + "] but got: [" + Strided.numel(batch) + ", " + k2 + "].");
            }
            long[] outShape = Arrays.copyOf(batch, batch.length + 2);
            outShape[batch.length] = m;
            outShape[batch.length + 1] = n;
            Tensor out = batchedProduct(a.expand(concat(batch, m, k)), b.expand(concat(batch, k, n)), outShape);
            if (da == 1) out = out.squeeze(-2);
            if (db == 1) out = out.squeeze(-1);
            return scope.keep(out);
        }
    }

    /**
     * Matrix product of two 2-D tensors.
     * @param other the other operand, broadcast against this tensor
     * @return the matrix product
     */
    public Tensor mm(Tensor other) {
        if (dim() != 2) throw new IllegalArgumentException("self must be a matrix");
        if (other.dim() != 2) throw new IllegalArgumentException("mat2 must be a matrix");
        checkMatmulTypes(other);
        checkInner(data.shape[0], data.shape[1], other.data.shape[0], other.data.shape[1]);
        return Derivatives.matmul(this, other, batchedProduct(this, other, new long[] {data.shape[0], other.data.shape[1]}));
    }

    /**
     * Batched matrix product of two 3-D tensors with the same batch size.
     * @param other the other operand, broadcast against this tensor
     * @return the batched product
     */
    public Tensor bmm(Tensor other) {
        int da = dim(), db = other.dim(); // a closed operand raises first
        if (da != 3) throw new IllegalArgumentException("batch1 must be a 3D tensor");
        if (db != 3) throw new IllegalArgumentException("batch2 must be a 3D tensor");
        checkMatmulTypes(other);
        long[] sa = data.shape, sb = other.data.shape;
        if (sb[0] != sa[0] || sb[1] != sa[2]) {
            throw new IllegalArgumentException("Expected size for first two dimensions of batch2 tensor to be: [" + sa[0]
                    + ", " + sa[2] + "] but got: [" + sb[0] + ", " + sb[1] + "].");
        }
        return Derivatives.matmul(this, other, batchedProduct(this, other, new long[] {sa[0], sa[1], sb[2]}));
    }

    private void checkMatmulTypes(Tensor other) {
        checkSameDevice(other);
        DType a = dtype(), b = other.dtype();
        if (a != b) {
            throw new IllegalArgumentException("expected m1 and m2 to have the same dtype, but got: "
                    + a.scalarTypeName().toLowerCase() + " != " + b.scalarTypeName().toLowerCase());
        }
        if (a == DType.BOOL) throw new IllegalArgumentException("\"addmm_impl_cpu_\" not implemented for 'Bool'");
    }

    private static void checkInner(long m, long k, long k2, long n) {
        if (k != k2) {
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + m + "x" + k + " and " + k2
                    + "x" + n + ")");
        }
    }

    /**
     * a [..., M, K] @ b [..., K, N] with equal batch dims (already broadcast) into a new tensor of outShape,
     * whose element count is batch * M * N.
     */
    private static Tensor batchedProduct(Tensor a, Tensor b, long[] outShape) {
        long m = a.size(-2), k = a.size(-1), n = b.size(-1);
        if (Math.max(m, Math.max(k, n)) > Integer.MAX_VALUE) { // BLAS counts in 32-bit ints
            throw new IllegalArgumentException("matmul: matrix dimensions (" + m + "x" + k + " and " + k + "x" + n
                    + ") exceed the 2^31-1 limit of BLAS");
        }
        Tensor out = a.newLike(a.dtype(), outShape);
        long batch = Strided.numel(Arrays.copyOf(a.data.shape, a.dim() - 2)); // b has the same batch dims
        long[] shape3 = {batch, m, n};
        Strided o3 = new Strided(out.data.storage, out.data.dtype, 0, shape3, Strided.contiguousStrides(shape3));
        Strided a3 = batchView(a.data, batch), b3 = batchView(b.data, batch);
        if (a3 != null && b3 != null) { // the common case: no reshape copies, no temporaries
            a.backend().matmul(a3, b3, o3);
            return out;
        }
        try (Scope scope = new Scope()) {
            a.backend().matmul(a.reshape(batch, m, k).data, b.reshape(batch, k, n).data, o3);
        }
        return out;
    }

    /** s ([..., rows, cols]) as a [batch, rows, cols] view when its batch dims merge without a copy, else null. */
    private static Strided batchView(Strided s, long batch) {
        int d = s.dim();
        long[] shape3 = {batch, s.shape[d - 2], s.shape[d - 1]};
        long[] strides3 = Shapes.viewStrides(s.shape, s.strides, shape3);
        return strides3 == null ? null : new Strided(s.storage, s.dtype, s.offset, shape3, strides3);
    }

    private static long[] concat(long[] head, long... tail) {
        long[] out = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

    // ------------------------------------------------------------------------------ selection and masks

    /**
     * condition ? x : y elementwise, broadcast, in the promoted dtype of x and y (PyTorch's torch.where).
     * @param condition a bool tensor choosing x where true
     * @param x the values where condition is true
     * @param y the values where condition is false
     * @return a new tensor
     */
    public static Tensor where(Tensor condition, Tensor x, Tensor y) {
        x.data(); // a closed operand raises first
        y.data();
        if (condition.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("where expected condition to be a boolean tensor, but got a tensor with "
                    + "dtype " + condition.dtype().scalarTypeName());
        }
        x.checkSameDevice(y);
        x.checkSameDevice(condition);
        DType dtype = DType.promote(x.dtype(), y.dtype());
        long[] shape = Shapes.broadcast(Shapes.broadcast(condition.data().shape, x.data().shape), y.data().shape);
        Tensor out = x.newLike(dtype, shape);
        try (Scope scope = new Scope()) {
            x.backend().where(operand(condition, DType.BOOL, shape), operand(x, dtype, shape), operand(y, dtype, shape),
                    out.data);
        }
        if (!Derivatives.recording(x, y)) return out;
        Tensor c = condition.detach();
        return Derivatives.record(out, "WhereBackward0", (g, fn) -> new Tensor[] {
                fn.needsGrad(0) ? where(c, g, g.zerosOfShape(new long[0])) : null,
                fn.needsGrad(1) ? where(c, g.zerosOfShape(new long[0]), g) : null}, new Tensor[] {x, y});
    }

    /**
     * -1, 0 or 1 by the sign of each element (0 for NaN), in this dtype.
     * @return a new tensor
     */
    public Tensor sign() {
        try (Scope scope = new Scope(); GradMode off = new GradMode(false)) {
            DType t = dtype() == DType.BOOL ? DType.BOOL : dtype();
            Tensor out = t == DType.BOOL ? clone() : gt(0).to(t).sub(lt(0).to(t));
            off.close();
            return scope.keep(Derivatives.passGrad(this, out, "SignBackward0", g -> g.mul(0)));
        }
    }

    /**
     * Elementwise and of two tensors as booleans.
     * @param other the other operand, broadcast against this tensor
     * @return a bool tensor
     */
    public Tensor logicalAnd(Tensor other) {
        try (Scope scope = new Scope()) {
            return scope.keep(ne(0).mul(other.ne(0)));
        }
    }

    /**
     * Elementwise not, as a bool tensor.
     * @return a bool tensor
     */
    public Tensor logicalNot() { return eq(0); }

    /** Zeros of the given shape with this tensor's dtype and backend. */
    Tensor zerosOfShape(long[] shape) { return newLike(dtype(), shape).fill_(0); }

    /** A tensor of this shape, dtype and backend filled with value. */
    Tensor fullLike(double value) { return newLike(dtype(), data().shape).fill_(value); }

    /**
     * Zeros of shape with src's elements placed along dim at the positions index gives (index has src's
     * shape; its values come from sort or max). The gradient of sort and max(dim).
     */
    static Tensor scatterAlongDim(Tensor src, Tensor index, int dim, long[] shape) {
        if (shape.length == 0) return src.reshape();
        try (Scope scope = new Scope()) {
            long[] moved = shape.clone();
            moved[dim] = shape[shape.length - 1];
            moved[shape.length - 1] = shape[dim];
            Tensor out = src.zerosOfShape(moved);
            long m = src.size(dim), n = shape[dim], rows = rowsBeside(shape, dim);
            Tensor s = src.transpose(dim, -1).contiguous().reshape(rows, m);
            Tensor i = index.transpose(dim, -1).contiguous().reshape(rows, m);
            long bad = src.backend().scatter(s.data, i.data, out.reshape(rows, n).data);
            if (bad >= 0) {
                throw new IndexOutOfBoundsException("index " + (long) i.view(-1).select(0, bad).item()
                        + " is out of bounds for dimension " + dim + " with size " + n);
            }
            return scope.keep(out.transpose(dim, -1));
        }
    }

    // ------------------------------------------------------------------------------ softmax and fused grads

    /**
     * softmax over dim: exp(x) / sum(exp(x)), computed stably in one kernel.
     * @param dim the dimension (negative counts from the end)
     * @return a new tensor
     */
    public Tensor softmax(int dim) { return softmax(dim, false); }

    /**
     * log(softmax(x)) over dim, computed stably in one kernel.
     * @param dim the dimension (negative counts from the end)
     * @return a new tensor
     */
    public Tensor logSoftmax(int dim) { return softmax(dim, true); }

    private Tensor softmax(int dim, boolean log) {
        if (!dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("\"" + (log ? "log_softmax" : "softmax") + "_lastdim_kernel_impl\" not "
                    + "implemented for '" + dtype().scalarTypeName() + "'");
        }
        int k = Shapes.wrapDim(dim, dim());
        Tensor out;
        try (Scope scope = new Scope(); GradMode off = new GradMode(false)) {
            Tensor rows = lastDimRows(this, k);
            Tensor result = rows.newLike(dtype(), rows.data.shape);
            if (result.numel() > 0) backend().softmax(rows.data, log, result.data);
            out = scope.keep(fromLastDimRows(result, k, data.shape));
        }
        return Derivatives.softmax(this, k, log, out);
    }

    /** The gradient of softmax (log=false) or log-softmax over dim from g and the forward output y. */
    static Tensor softmaxBackward(Tensor g, Tensor y, int dim, boolean log) {
        try (Scope scope = new Scope()) {
            Tensor gr = lastDimRows(g, dim), yr = lastDimRows(y, dim);
            Tensor result = yr.newLike(y.dtype(), yr.data.shape);
            if (result.numel() > 0) y.backend().softmaxBackward(gr.data, yr.data, log, result.data);
            return scope.keep(fromLastDimRows(result, dim, y.data.shape));
        }
    }

    /** t with dim k moved last, as a contiguous [rows, size(k)] matrix (a 0-d tensor is [1, 1]). */
    private static Tensor lastDimRows(Tensor t, int k) {
        if (t.dim() == 0) return t.reshape(1, 1);
        Tensor moved = k == t.dim() - 1 ? t : t.transpose(k, -1);
        return moved.contiguous().reshape(rowsBeside(t.data().shape, k), t.size(k));
    }

    /** The product of the sizes other than dim k: the row count when dim k becomes the rows' length (0 included). */
    private static long rowsBeside(long[] shape, int k) {
        long rows = 1;
        for (int i = 0; i < shape.length; i++) if (i != k) rows *= shape[i];
        return rows;
    }

    /** The inverse of {@link #lastDimRows}: rows back to shape, dim k in its place. */
    private static Tensor fromLastDimRows(Tensor rows, int k, long[] shape) {
        if (shape.length == 0) return rows.reshape();
        long[] moved = shape.clone();
        moved[k] = shape[shape.length - 1];
        moved[shape.length - 1] = shape[k];
        Tensor t = rows.view(moved);
        return k == shape.length - 1 ? t : t.transpose(k, -1).contiguous();
    }

    /** out = op(a, b, g, s) in one native kernel (see GradOp); shapes broadcast, dtype promoted. b may be null. */
    static Tensor fusedGrad(GradOp op, Tensor a, Tensor b, Tensor g, double s) {
        Tensor bb = b == null ? a : b;
        DType dtype = DType.promote(DType.promote(a.dtype(), bb.dtype()), g.dtype());
        long[] shape = Shapes.broadcast(Shapes.broadcast(a.data().shape, bb.data().shape), g.data().shape);
        Tensor out = a.newLike(dtype, shape);
        try (Scope scope = new Scope()) {
            a.backend().grad(op, operand(a, dtype, shape), operand(bb, dtype, shape), operand(g, dtype, shape), s,
                    out.data);
        }
        return out;
    }

    /**
     * Per-row cross entropy of logits [N, C] against int64 class targets [N], with PyTorch's label
     * smoothing; rows whose target is ignoreIndex give 0. Raises PyTorch's message for a target out of range.
     */
    static Tensor crossEntropyRows(Tensor logits, Tensor target, long ignoreIndex, double smoothing) {
        Tensor losses = logits.newLike(logits.dtype(), new long[] {logits.size(0)});
        long bad;
        try (Scope scope = new Scope()) {
            bad = logits.backend().crossEntropy(logits.contiguous().data, target.data(), ignoreIndex, smoothing,
                    losses.data);
        }
        if (bad >= 0) {
            losses.close();
            throw targetOutOfBounds(target, bad);
        }
        return losses;
    }

    /** PyTorch's error for the class target at row (a target neither in [0, C) nor ignore_index). */
    private static IndexOutOfBoundsException targetOutOfBounds(Tensor target, long row) {
        return new IndexOutOfBoundsException("Target " + (long) target.select(0, row).item() + " is out of bounds.");
    }

    /** The gradient of {@link #crossEntropyRows} for the logits, from the per-row loss gradients g [N]. */
    static Tensor crossEntropyBackward(Tensor logits, Tensor target, Tensor g, long ignoreIndex, double smoothing) {
        Tensor out = logits.newLike(logits.dtype(), logits.data().shape);
        long bad;
        try (Scope scope = new Scope()) {
            bad = logits.backend().crossEntropyBackward(logits.contiguous().data, target.data(),
                    operand(g, logits.dtype(), new long[] {logits.size(0)}), ignoreIndex, smoothing, out.data);
        }
        if (bad >= 0) {
            out.close();
            throw targetOutOfBounds(target, bad);
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------- sorting

    /**
     * Sorts along the last dim in ascending order, PyTorch's {@code sort()}.
     * @return the sorted values and their original indices
     */
    public ValuesIndices sort() { return sort(-1, false); }

    /**
     * Stable sort along dim; NaN sorts above every number.
     * @param descending whether to sort from largest to smallest
     * @param dim the dimension (negative counts from the end)
     * @return the sorted values and their original indices
     */
    public ValuesIndices sort(int dim, boolean descending) {
        int n = dim();
        int k = Shapes.wrapDim(dim, n);
        try (Scope scope = new Scope(); GradMode off = new GradMode(false)) {
            Tensor rows = n == 0 ? reshape(1) : transpose(k, -1).contiguous();
            Tensor values = rows.newLike(dtype(), rows.data.shape), indices = rows.newLike(DType.INT64, rows.data.shape);
            backend().sort(rows.data, descending, values.data, indices.data);
            if (n == 0) {
                values = values.reshape();
                indices = indices.reshape();
            } else if (k != n - 1) {
                values = values.transpose(k, -1).contiguous();
                indices = indices.transpose(k, -1).contiguous();
            }
            off.close(); // the values record SortBackward0 when this tensor requires grad
            return scope.keep(new ValuesIndices("sort", Derivatives.sort(this, k, values, indices), indices));
        }
    }

    // ------------------------------------------------------------------------------------------------ misc

    /** Releases this tensor's reference to its storage; the storage is freed when no open tensor uses it. */
    @Override public void close() {
        // compare-and-set: two threads closing one tensor at once must release its reference once, or a view
        // sharing the storage would be left on freed memory
        if (closed || !CLOSED.compareAndSet(this, false, true)) return;
        data.storage.release();
    }

    @Override public String toString() {
        if (closed) return "tensor(<closed>)";
        Object values = numel() == 0 ? emptyArray() : hostArray(dtype() == DType.FLOAT32 ? DType.FLOAT64 : dtype());
        List<String> autograd = gradFn() != null ? List.of("grad_fn=<" + gradFn.name() + ">")
                : requiresGrad ? List.of("requires_grad=True") : List.of();
        return TensorFormatter.repr(data.shape, dtype(), values, device(), autograd);
    }

    private Object emptyArray() {
        switch (dtype()) {
            case INT64: return new long[0];
            case BOOL: return new boolean[0];
            default: return new double[0];
        }
    }

    private static long[] remove(long[] a, int k) {
        long[] out = new long[a.length - 1];
        System.arraycopy(a, 0, out, 0, k);
        System.arraycopy(a, k + 1, out, k, a.length - k - 1);
        return out;
    }
}

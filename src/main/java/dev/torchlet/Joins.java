package dev.torchlet;

import java.util.ArrayList;
import java.util.List;

/** cat, stack, vstack and hstack: tensors joined into one new tensor, with PyTorch's checks and messages. */
final class Joins {
    private Joins() {}

    static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("torch.cat(): expected a non-empty list of Tensors");
        // PyTorch still skips legacy empty 1-D tensors of shape [0] when joining other shapes.
        List<Tensor> parts = new ArrayList<>();
        for (Tensor t : tensors) if (!(t.dim() == 1 && t.numel() == 0)) parts.add(t);
        if (parts.isEmpty()) parts.add(tensors.get(0));
        Tensor first = parts.get(0);
        DType dtype = first.dtype();
        for (int i = 0; i < parts.size(); i++) {
            Tensor t = parts.get(i);
            if (t.dim() == 0) {
                throw new IllegalArgumentException("zero-dimensional tensor (at position " + tensors.indexOf(t)
                        + ") cannot be concatenated");
            }
            first.checkSameDevice(t);
            dtype = DType.promote(dtype, t.dtype());
        }
        int n = first.dim();
        int d = Shapes.wrapDim(dim, n);
        long[] shape = first.shape().toArray();
        long total = 0;
        for (int i = 0; i < parts.size(); i++) {
            Tensor t = parts.get(i);
            if (t.dim() != n) {
                throw new IllegalArgumentException("Tensors must have same number of dimensions: got " + n + " and "
                        + t.dim());
            }
            for (int k = 0; k < n; k++) {
                if (k != d && t.size(k) != shape[k]) {
                    throw new IllegalArgumentException("Sizes of tensors must match except in dimension " + d
                            + ". Expected size " + shape[k] + " but got size " + t.size(k) + " for tensor number "
                            + tensors.indexOf(t) + " in the list.");
                }
            }
            total += t.size(d);
        }
        shape[d] = total;
        Tensor out = Tensor.empty(first.backend(), dtype, shape);
        long offset = 0;
        try (Scope scope = new Scope(); GradMode off = new GradMode(false)) {
            for (Tensor t : parts) {
                out.narrow(d, offset, t.size(d)).copy_(t);
                offset += t.size(d);
            }
        }
        return Derivatives.cat(tensors, parts, d, out);
    }

    static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("stack expects a non-empty TensorList");
        Size first = tensors.get(0).shape();
        for (int i = 1; i < tensors.size(); i++) {
            if (!tensors.get(i).shape().equals(first)) {
                throw new IllegalArgumentException("stack expects each tensor to be equal size, but got "
                        + Shapes.str(first.toArray()) + " at entry 0 and " + Shapes.str(tensors.get(i).shape().toArray())
                        + " at entry " + i);
            }
        }
        int d = Shapes.wrapDim(dim, first.length() + 1);
        Tensor out;
        try (Scope scope = new Scope(); GradMode off = new GradMode(false)) {
            List<Tensor> parts = new ArrayList<>();
            for (Tensor t : tensors) parts.add(t.unsqueeze(d));
            out = scope.keep(cat(parts, d));
        }
        return Derivatives.stack(tensors, d, out);
    }

    static Tensor vstack(List<Tensor> tensors) {
        try (Scope scope = new Scope()) {
            List<Tensor> parts = new ArrayList<>();
            for (Tensor t : tensors) parts.add(t.dim() == 0 ? t.reshape(1, 1) : t.dim() == 1 ? t.unsqueeze(0) : t);
            return scope.keep(cat(parts, 0));
        }
    }

    static Tensor hstack(List<Tensor> tensors) {
        try (Scope scope = new Scope()) {
            List<Tensor> parts = new ArrayList<>();
            boolean allVectors = true;
            for (Tensor t : tensors) {
                Tensor p = t.dim() == 0 ? t.reshape(1) : t;
                allVectors &= p.dim() == 1;
                parts.add(p);
            }
            return scope.keep(cat(parts, allVectors ? 0 : 1));
        }
    }
}

"""Writes src/test/resources/golden/printing.txt: Python's repr(tensor) for many tensors, for
TensorPrintingGoldenTest. Not part of the build; rerun by hand:

    python3 tools/golden/printing.py > src/test/resources/golden/printing.txt

The committed file came from Debian's python3-torch (torch 1.13; its torch/_tensor_str.py formats
dense CPU tensors of these dtypes as 2.x does). The cases are drawn from a fixed numpy seed, so a rerun
writes the same file.

One case per block:

    case DTYPE SHAPE OPTIONS AUTOGRAD
    values V V V ...
    <repr(tensor), one or more lines>
    end

DTYPE is float32, float64, int64 or bool. SHAPE is comma-separated sizes ("-" for 0-d). OPTIONS is
precision,threshold,edgeitems,linewidth,sci_mode (sci_mode None, True or False). AUTOGRAD is "none",
"leaf" (requires_grad=True) or "mul" (the leaf times 2, printing grad_fn=<MulBackward0>). Values are
row-major: floats as the hex of their IEEE bits (float32: 8 digits, float64: 16), int64 in decimal,
bool as 0/1.
"""
import struct

import numpy as np
import torch

rng = np.random.default_rng(20261123)


def bits(dtype, v):
    if dtype == 'float32':
        return struct.pack('>f', float(v)).hex()
    if dtype == 'float64':
        return struct.pack('>d', float(v)).hex()
    if dtype == 'bool':
        return '1' if v else '0'
    return str(int(v))


def values(dtype, n, kind):
    if dtype == 'bool':
        return rng.integers(0, 2, n).astype(bool)
    if dtype == 'int64':
        span = {'small': 10, 'wide': 10**6, 'huge': 10**15}[kind if kind in ('small', 'wide', 'huge') else 'small']
        return rng.integers(-span, span, n)
    if kind == 'ints':
        v = rng.integers(-50, 50, n).astype(np.float64)
    elif kind == 'bigints':
        v = rng.integers(-10**9, 10**9, n).astype(np.float64)
    elif kind == 'positive':
        v = rng.random(n)
    elif kind == 'tiny':
        v = rng.standard_normal(n) * 1e-6
    elif kind == 'huge':
        v = rng.standard_normal(n) * 1e9
    elif kind == 'ratio':
        v = rng.standard_normal(n) * 10.0 ** rng.integers(-5, 5, n)
    elif kind == 'special':
        v = rng.standard_normal(n)
        pool = [np.nan, np.inf, -np.inf, -0.0, 0.0, 1e-30, 1e30]
        for i in (rng.choice(n, max(1, n // 3), replace=True) if n else []):
            v[i] = pool[rng.integers(len(pool))]
    elif kind == 'zeros':
        v = np.zeros(n)
    else:
        v = rng.standard_normal(n) * 10.0 ** rng.integers(-2, 4)
    return v.astype(np.float32 if dtype == 'float32' else np.float64)


def emit(dtype, shape, options, autograd, kind):
    n = int(np.prod(shape)) if shape else 1
    v = values(dtype, n, kind)
    torch_dtype = {'float32': torch.float32, 'float64': torch.float64, 'int64': torch.int64, 'bool': torch.bool}[dtype]
    t = torch.tensor(v.tolist(), dtype=torch_dtype).reshape(shape)
    if autograd != 'none':
        t.requires_grad_(True)
        if autograd == 'mul':
            t = t * 2
            v = t.detach().reshape(-1).numpy()
    p, th, e, lw, sci = options
    torch.set_printoptions(precision=p, threshold=th, edgeitems=e, linewidth=lw, sci_mode=sci)
    try:
        text = repr(t)
    except RuntimeError:
        # torch 1.13 cannot summarize a tensor of 2 or more dims with edgeitems=0 (an empty torch.stack).
        return
    finally:
        torch.set_printoptions(profile='default')
        torch.set_printoptions(sci_mode=None)
    shape_text = ','.join(str(s) for s in shape) if shape else '-'
    print('case %s %s %d,%d,%d,%d,%s %s' % (dtype, shape_text, p, th, e, lw, sci, autograd))
    # The leaf's values, so that Java builds the same leaf (mul is recomputed there).
    leaf = v if autograd != 'mul' else (t.detach() / 2).reshape(-1).numpy()
    print('values ' + ' '.join(bits(dtype, x) for x in np.asarray(leaf).reshape(-1)))
    print(text)
    print('end')


DEFAULT = (4, 1000, 3, 80, None)
SHAPES = [(), (1,), (5,), (0,), (2, 0), (0, 3), (3, 1), (1, 4), (2, 3), (4, 5), (2, 3, 4), (2, 2, 2, 3),
          (1, 1, 1, 1), (12,), (25,), (3, 9), (2, 0, 3)]
FLOAT_KINDS = ['normal', 'ints', 'bigints', 'positive', 'tiny', 'huge', 'ratio', 'special', 'zeros']

for dtype in ['float32', 'float64']:
    for shape in SHAPES:
        for kind in FLOAT_KINDS:
            emit(dtype, shape, DEFAULT, 'none', kind)
for dtype in ['int64', 'bool']:
    for shape in SHAPES:
        for kind in ['small', 'wide', 'huge']:
            emit(dtype, shape, DEFAULT, 'none', kind)
# Summarization: above the threshold, with edge items; wrapping at the line width.
for dtype in ['float32', 'float64', 'int64', 'bool']:
    for shape in [(1001,), (2000,), (40, 40), (3, 500), (2, 3, 200), (2, 2, 2, 200), (1, 1200)]:
        emit(dtype, shape, DEFAULT, 'none', 'normal' if dtype.startswith('float') else 'wide')
    for options in [(4, 10, 2, 80, None), (4, 5, 1, 80, None), (4, 20, 0, 80, None), (4, 10, 4, 60, None)]:
        for shape in [(30,), (6, 7), (3, 4, 5)]:
            emit(dtype, shape, options, 'none', 'normal' if dtype.startswith('float') else 'wide')
# Precision, line width and forced scientific mode.
for dtype in ['float32', 'float64']:
    for options in [(2, 1000, 3, 80, None), (8, 1000, 3, 80, None), (0, 1000, 3, 80, None),
                    (4, 1000, 3, 40, None), (4, 1000, 3, 120, None), (4, 1000, 3, 20, None),
                    (4, 1000, 3, 80, True), (4, 1000, 3, 80, False), (6, 1000, 3, 50, True)]:
        for shape in [(), (7,), (4, 6), (2, 3, 4)]:
            for kind in ['normal', 'ints', 'tiny', 'ratio', 'special']:
                emit(dtype, shape, options, 'none', kind)
# Autograd suffixes, also where they wrap onto a new line.
for dtype in ['float32', 'float64']:
    for shape in [(), (3,), (2, 3), (9,), (12,), (3, 7)]:
        for autograd in ['leaf', 'mul']:
            for kind in ['normal', 'ints', 'tiny']:
                emit(dtype, shape, DEFAULT, autograd, kind)

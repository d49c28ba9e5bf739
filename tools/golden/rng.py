"""Writes src/test/resources/golden/rng.txt: exact outputs of PyTorch 1.13's CPU random stream, for
GeneratorGoldenTest. Secondary: the primary golden file is src/test/resources/golden/rng-libtorch.txt,
written with real libtorch 2.x by the generator in tools/golden/libtorch (see its LibtorchRngGolden), which
covers everything here and more. This older file stays because every line it keeps holds for torch 2.x
too (GeneratorGoldenTest checks both files bit for bit). Not part of the build; rerun by hand:

    ATEN_CPU_CAPABILITY=avx2 python3 tools/golden/rng.py > src/test/resources/golden/rng.txt

The committed file was generated with Debian's python3-torch package (`apt-get install python3-torch`;
torch 1.13, x86-64, no MKL) running its AVX2 kernels. ATEN_CPU_CAPABILITY=avx2 pins those kernels,
which PyTorch's Linux x86-64 builds run on any AVX2 machine; with ATEN_CPU_CAPABILITY=default, float32
torch.randn of 16 or more values and uniform_ over bounds other than [0, 1) differ in the last bits
(no polynomial log/sincos, no fused multiply-adds).

Where torch 1.13 and 2.x differ, torchlet follows 2.x, and this script leaves those cases out (see
retired() below; checked against libtorch 2.13):
- torch.randint over a range from 2**28 to 2**32 - 1: 1.13 draws random() (32 bits) for every range below
  2**32, 2.x draws random64() from 2**28 on (DistributionsHelper.h, uniform_int_from_to_distribution).
- float64 normals drawn one by one (fewer than 16 values): 1.13 computes the Box-Muller radius with
  log(1 - u2), 2.x with log1p(-u2). The two agree for most u2; the retired cases are those where glibc's
  two functions round differently (13 of the 13,165 float64 normal values here).

One case per line:

    SEED => OP ARGS | OP ARGS | ... => RESULT | RESULT | ...

SEED is the argument of torch.manual_seed (as Python wrote it; may be negative or above 2**63), or
"new" for a fresh torch.Generator() that was never seeded. The ops run one after another on that
generator, so normal caches and stream positions carry from one op to the next. Each op has one
result: the elements in row-major order, float32/float64 as the hex of their IEEE bits, int64 in
decimal. Ops:

    rand DT N                 torch.rand(N, dtype=DT)
    randn DT N                torch.randn(N, dtype=DT)
    uniform DT N A B          torch.empty(N, dtype=DT).uniform_(A, B)
    normal DT N MEAN STD      torch.empty(N, dtype=DT).normal_(MEAN, STD)
    randint N LOW HIGH        torch.randint(LOW, HIGH, (N,))            (int64)
    randperm N                torch.randperm(N)                         (int64)
    bernoulli N P             torch.empty(N).bernoulli_(P)              (float32 0/1)
    dropout N P               F.dropout(torch.ones(N), P, training=True) (float32)
    linear IN OUT             nn.Linear(IN, OUT): weight [OUT, IN] row-major, then bias [OUT]
    state                     the bytes of get_state() (hex, 2 digits a byte)
    save / restore            get_state() into a slot / set_state() from it (result: empty)
    initialseed               initial_seed() (decimal, unsigned)
    sha256 OP ARGS            the SHA-256 (hex) of OP's result as little-endian bytes, for large fills
DT is f32 or f64.
"""
import hashlib
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

DT = {"f32": torch.float32, "f64": torch.float64}


def bits(t):
    t = t.reshape(-1)
    if t.dtype == torch.float32:
        return " ".join("%08x" % struct.unpack("<I", struct.pack("<f", v))[0] for v in t.tolist())
    if t.dtype == torch.float64:
        return " ".join("%016x" % struct.unpack("<Q", struct.pack("<d", v))[0] for v in t.tolist())
    return " ".join("%d" % v for v in t.tolist())


def run(seed, ops):
    """Runs the ops (strings) on a generator seeded with seed; returns one line (None if retired)."""
    if retired(seed, ops):
        return None
    if seed == "new":
        g = torch.Generator()
    else:
        g = torch.default_generator
        torch.manual_seed(seed)
    slot = None
    results = []
    for op in ops:
        a = op.split()
        name = a[0]
        if name == "sha256":
            a = a[1:]
            t = {"randn": lambda: torch.randn(int(a[2]), dtype=DT[a[1]], generator=g),
                 "rand": lambda: torch.rand(int(a[2]), dtype=DT[a[1]], generator=g),
                 "normal": lambda: torch.empty(int(a[2]), dtype=DT[a[1]]).normal_(float(a[3]), float(a[4]), generator=g),
                 "uniform": lambda: torch.empty(int(a[2]), dtype=DT[a[1]]).uniform_(float(a[3]), float(a[4]), generator=g),
                 "randperm": lambda: torch.randperm(int(a[1]), generator=g)}[a[0]]()
            results.append(hashlib.sha256(t.numpy().tobytes()).hexdigest())
            continue
        if name == "rand":
            r = bits(torch.rand(int(a[2]), dtype=DT[a[1]], generator=g))
        elif name == "randn":
            r = bits(torch.randn(int(a[2]), dtype=DT[a[1]], generator=g))
        elif name == "uniform":
            r = bits(torch.empty(int(a[2]), dtype=DT[a[1]]).uniform_(float(a[3]), float(a[4]), generator=g))
        elif name == "normal":
            r = bits(torch.empty(int(a[2]), dtype=DT[a[1]]).normal_(float(a[3]), float(a[4]), generator=g))
        elif name == "randint":
            r = bits(torch.randint(int(a[2]), int(a[3]), (int(a[1]),), generator=g))
        elif name == "randperm":
            r = bits(torch.randperm(int(a[1]), generator=g))
        elif name == "bernoulli":
            r = bits(torch.empty(int(a[1])).bernoulli_(float(a[2]), generator=g))
        elif name == "dropout":
            assert g is torch.default_generator
            r = bits(F.dropout(torch.ones(int(a[1])), float(a[2]), training=True))
        elif name == "linear":
            assert g is torch.default_generator
            lin = nn.Linear(int(a[1]), int(a[2]))
            r = (bits(lin.weight.detach()) + " " + bits(lin.bias.detach())).strip()
        elif name == "state":
            r = g.get_state().numpy().tobytes().hex()
        elif name == "save":
            slot = g.get_state()
            r = ""
        elif name == "restore":
            g.set_state(slot)
            r = ""
        elif name == "initialseed":
            r = "%d" % g.initial_seed()
        else:
            raise ValueError(op)
        results.append(r)
    return "%s => %s => %s" % (seed, " | ".join(ops), " | ".join(results))


# (seed, ops) of cases whose float64 normals torch 2.x computes with log1p(-u2) and 1.13 with log(1 - u2),
# and glibc rounds the two differently for at least one value (found by comparing with libtorch 2.13)
LOG1P_CASES = {(3, ("normal f64 3 0.0 1.0",)), (3, ("normal f64 15 0.0 1.0",)), (3, ("normal f64 15 2.0 0.5",)),
               (3, ("normal f64 3 -1.5 3.25",)), (3, ("normal f64 15 -1.5 3.25",))}


def retired(seed, ops):
    """Whether torch 2.x gives other values for this case than 1.13 (see the module docstring)."""
    for op in ops:
        a = op.split()
        if a[0] == "randint" and 2**28 <= int(a[3]) - int(a[2]) < 2**32:
            return True
    return (seed, tuple(ops)) in LOG1P_CASES


SIZES = list(range(0, 41)) + [100, 255, 256, 1000]
FEW = [1, 2, 3, 15, 16, 17, 33, 100]

out = []
out.append("# torch %s, generated by tools/golden/rng.py" % torch.__version__)
out.append("# cases where torch 2.x differs from 1.13 are left out (rng.py's retired()); "
           "the primary file is rng-libtorch.txt")
for seed in (0, 1, 42, 202150754):
    for dt in ("f32", "f64"):
        for n in SIZES:
            out.append(run(seed, ["rand %s %d" % (dt, n)]))
            out.append(run(seed, ["randn %s %d" % (dt, n)]))
for seed in (7, 2**32 + 7, 12345, 67280421310721, 2**63 - 1, 2**63 + 12345, 2**64 - 1, -1, -123456789,
             "new"):
    for dt in ("f32", "f64"):
        for n in FEW:
            out.append(run(seed, ["rand %s %d" % (dt, n)]))
            out.append(run(seed, ["randn %s %d" % (dt, n)]))
    out.append(run(seed, ["initialseed", "state"]))
    out.append(run(seed, ["randperm 20", "randint 5 0 10", "state"]))

# uniform_(a, b) and normal_(mean, std): the affine step (fused multiply-add or not) shows here
for seed in (0, 3, 202150754):
    for dt in ("f32", "f64"):
        for (a, b) in ((-1.0, 1.0), (-0.5773502691896258, 0.5773502691896258), (2.5, 7.25), (-100.0, 1e-3),
                       (0.1, 0.2), (-3.0, -3.0)):
            for n in (5, 64):
                out.append(run(seed, ["uniform %s %d %r %r" % (dt, n, a, b)]))
        for (m, s) in ((0.0, 1.0), (2.0, 0.5), (-1.5, 3.25), (0.1, 0.01), (5.0, 0.0)):
            for n in (3, 15, 16, 17, 50):
                out.append(run(seed, ["normal %s %d %r %r" % (dt, n, m, s)]))

# sequences from one seed: the double normal cache and the stream position carry across calls
out.append(run(42, ["randn f32 3", "randn f32 20", "rand f32 5", "randn f64 7", "normal f32 5 2.0 0.5",
                    "randint 10 0 100", "randn f32 1", "state"]))
out.append(run(1, ["randn f64 3", "normal f64 3 5.0 2.0", "normal f32 1 -1.0 4.0", "randn f32 16",
                   "randn f32 1", "state"]))
out.append(run(202150754, ["randn f32 100", "rand f32 3", "randn f32 5", "randn f64 33", "randn f32 2", "state"]))
out.append(run(7, ["randn f32 1", "state", "randperm 5", "randn f32 1", "state", "randn f32 1", "state"]))
out.append(run(0, ["randint 3 0 10", "rand f64 2", "bernoulli 4 0.5", "randn f32 17", "uniform f32 3 -2.0 2.0",
                   "linear 3 2", "randn f32 1", "state"]))

# get_state / set_state round trips (with and without a cached normal)
out.append(run(5, ["randn f32 3", "save", "randn f32 5", "restore", "randn f32 5", "state"]))
out.append(run(5, ["randn f32 4", "save", "rand f64 7", "restore", "rand f64 7", "state"]))
out.append(run(9, ["randn f64 1", "save", "randn f64 1", "randn f64 1", "restore", "randn f64 2"]))
out.append(run(9, ["rand f32 700", "save", "randn f32 19", "restore", "randn f32 19", "state"]))
out.append(run("new", ["randn f64 5", "save", "randn f32 3", "restore", "randn f32 3", "state"]))
for (seed, n) in ((0, 0), (0, 1), (0, 623), (0, 624), (1, 625), (42, 1000), (42, 1247), (42, 1248)):
    out.append(run(seed, ["rand f32 %d" % n, "state"]))

# nn.Linear(in, out) init: kaiming_uniform_(a=sqrt(5)) on the weight, then uniform_ on the bias
for seed in (1, 0, 42, 202150754, 12345):
    for (i, o) in ((1, 1), (3, 1), (1, 3), (2, 2), (10, 5), (7, 13)):
        out.append(run(seed, ["linear %d %d" % (i, o)]))
for (i, o) in ((784, 10), (100, 100), (5, 1000)):
    out.append(run(1, ["linear %d %d" % (i, o)]))
out.append(run(1, ["linear 1 1", "linear 1 1", "linear 3 4"]))

# randint: random() % range below 2**32, random64() % range from 2**32 on
for seed in (0, 1, 42, 2**40 + 3):
    for (lo, hi) in ((0, 10), (-5, 5), (0, 2), (1, 7), (0, 1), (0, 1000), (-1000000007, 1000000007),
                     (0, 2**32 - 1), (0, 2**32), (0, 2**32 + 1), (-2**40, 2**40), (5, 2**62),
                     (-2**63, 2**63 - 1), (2**63 - 10, 2**63 - 1)):
        out.append(run(seed, ["randint 25 %d %d" % (lo, hi)]))

# randperm
for seed in (0, 1, 42):
    for n in list(range(0, 31)) + [100, 1000]:
        out.append(run(seed, ["randperm %d" % n, "rand f32 1"]))
out.append(run(3, ["randperm 50000", "rand f32 1"]))

# large fills, as hashes: the float32 AVX2 normal path over millions of values
out.append(run(0, ["sha256 randn f32 1048576", "rand f32 1"]))
out.append(run(1, ["sha256 normal f32 1048573 0.3 2.5", "rand f32 1"]))
out.append(run(202150754, ["sha256 rand f32 1000000", "sha256 uniform f32 1000000 -0.1 0.7", "sha256 randn f32 999999"]))
out.append(run(5, ["sha256 randperm 300000", "sha256 rand f64 100000", "rand f32 1"]))

# bernoulli_(p) with a scalar p, and the CPU dropout that uses it
for seed in (0, 1, 42):
    for p in (0.5, 0.1, 0.9, 0.0, 1.0, 1.0 / 3):
        for n in (1, 7, 64):
            out.append(run(seed, ["bernoulli %d %r" % (n, p), "rand f32 1"]))
    for p in (0.5, 0.2, 0.25, 1.0 / 3):
        out.append(run(seed, ["dropout 40 %r" % p, "rand f32 1"]))

sys.stdout.write("\n".join(line for line in out if line is not None) + "\n")

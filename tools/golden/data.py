"""Prints the golden values of src/test/java/dev/torchlet/data/DataLoaderTest.java and DatasetTest.java
and of RandomFillGoldenTest.java: index orders of PyTorch's DataLoader, RandomSampler and random_split,
and random_() without bounds. Not part of the build; rerun by hand and compare with the tests' constants:

    python3 tools/golden/data.py

The committed values come from Debian's python3-torch (torch 1.13.0a0, x86-64).
"""
import torch
from torch.utils.data import DataLoader, TensorDataset, random_split


def batches(loader):
    return [b[0].tolist() for b in loader]


ds10 = TensorDataset(torch.arange(10))

# A. shuffle, no generator: each epoch draws its base seed and the sampler's seed from the default generator
torch.manual_seed(0)
loader = DataLoader(ds10, batch_size=3, shuffle=True)
print("A epoch1", batches(loader))
print("A epoch2", batches(loader))
print("A after", torch.randint(0, 1000, (3,)).tolist())

# B. shuffle with a generator, drop_last: each epoch draws the base seed, randperm, and a trailing randperm
g = torch.Generator().manual_seed(42)
loader = DataLoader(ds10, batch_size=4, shuffle=True, generator=g, drop_last=True)
for e in range(3):
    print("B epoch", e, batches(loader))
print("B after", torch.randperm(5, generator=g).tolist())

# C. no shuffle: the base seed still advances the default generator
torch.manual_seed(1)
loader = DataLoader(ds10, batch_size=4)
print("C", batches(loader))
print("C after", torch.randint(0, 1000, (3,)).tolist())

# D. break after the first batch, generator given: no trailing randperm drawn
g = torch.Generator().manual_seed(5)
loader = DataLoader(ds10, batch_size=4, shuffle=True, generator=g)
for b in loader:
    print("D first", b[0].tolist())
    break
print("D after", torch.randperm(5, generator=g).tolist())

# E. RandomSampler with replacement (runs of 32 randint, then the remainder)
g = torch.Generator().manual_seed(3)
print("E", list(torch.utils.data.RandomSampler(range(7), replacement=True, num_samples=40, generator=g)))

# F. RandomSampler with num_samples above n: whole permutations, then a cut one
g = torch.Generator().manual_seed(3)
print("F", list(torch.utils.data.RandomSampler(range(4), num_samples=10, generator=g)))

# S. random_split
print("S1", [s.indices for s in random_split(range(10), [3, 7], generator=torch.Generator().manual_seed(42))])
print("S2", [s.indices for s in random_split(range(30), [0.3, 0.3, 0.4], generator=torch.Generator().manual_seed(42))])
print("S3", [s.indices for s in random_split(range(11), [0.5, 0.5], generator=torch.Generator().manual_seed(0))])
print("S4", [s.indices for s in random_split(range(10), [0.25, 0.25, 0.25, 0.25], generator=torch.Generator().manual_seed(0))])
torch.manual_seed(3)
print("S5", [s.indices for s in random_split(range(8), [5, 3])])
print("S5 after", torch.randint(0, 1000, (3,)).tolist())

# R. random_() without bounds, each dtype, from torch.Generator().manual_seed(7)
for dt in [torch.int64, torch.float64, torch.float32, torch.bool]:
    g = torch.Generator().manual_seed(7)
    print("R", dt, torch.empty(6, dtype=dt).random_(generator=g).tolist())
torch.manual_seed(2**40 + 3)
print("R default", [int(torch.empty((), dtype=torch.int64).random_().item()) for _ in range(3)])

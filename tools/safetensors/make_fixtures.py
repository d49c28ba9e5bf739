"""Writes the safetensors fixtures of src/test/resources/safetensors with the real safetensors library.

Run by hand (not part of the build), with Python 3, PyTorch and safetensors importable:

    python3 tools/safetensors/make_fixtures.py src/test/resources/safetensors

The files it writes are committed; SafetensorsTest reads them and, for reference_pt.safetensors, checks
that Torch.save writes the very same bytes for the same tensors. Every value below is spelled out again
in SafetensorsTest: change both together.
"""
import os
import sys

import numpy as np
import safetensors
import torch
from safetensors.numpy import save_file as save_numpy
from safetensors.torch import load_file, save_file

out = sys.argv[1] if len(sys.argv) > 1 else "."
os.makedirs(out, exist_ok=True)


def path(name):
    return os.path.join(out, name)


# 1. every dtype torchlet reads, with edge values, written by safetensors.torch.save_file
dtypes = {
    "f32": torch.tensor([[0.0, 1.5, -2.25], [3.4028234663852886e38, -0.0, 1e-45]], dtype=torch.float32),
    "f64": torch.tensor([0.1, -1e300, 5e-324], dtype=torch.float64),
    "i64": torch.tensor([[-(2**63), 2**63 - 1], [0, -1]], dtype=torch.int64),
    "bool": torch.tensor([True, False, False, True]),
    "f16": torch.tensor([1.0, -2.0, 0.333, 65504.0, 2.0**-24, float("inf"), float("-inf"), float("nan"), -0.0,
                         2.0**-14], dtype=torch.float16),
    "bf16": torch.tensor([1.0, -3.140625, 3.3895313892515355e38, 2.0**-133, float("nan")], dtype=torch.bfloat16),
    "i32": torch.tensor([-(2**31), 2**31 - 1, 7], dtype=torch.int32),
    "i16": torch.tensor([-32768, 32767], dtype=torch.int16),
    "i8": torch.tensor([-128, 127, 0], dtype=torch.int8),
    "u8": torch.tensor([0, 255, 128], dtype=torch.uint8),
    "scalar": torch.tensor(7.5),
    "empty": torch.zeros((0, 3)),
    "layers.0.weight": torch.tensor([[1.0, 2.0], [3.0, 4.0]]),
}
save_file(dtypes, path("dtypes_pt.safetensors"), metadata={"format": "pt", "source": "make_fixtures.py"})

# 2. unsigned types PyTorch 1.13 lacks, through the numpy front end of the same library
save_numpy({"u16": np.array([0, 65535], dtype=np.uint16), "u32": np.array([0, 4294967295], dtype=np.uint32)},
           path("unsigned_np.safetensors"))

# 3. dtypes torchlet refuses (valid files)
save_numpy({"u64": np.array([1, 2], dtype=np.uint64), "c64": np.array([1 + 2j], dtype=np.complex64)},
           path("unsupported_np.safetensors"))

# 4. tensors torchlet can build exactly, for the byte-for-byte comparison with Torch.save
reference = {
    "weight": torch.arange(6, dtype=torch.float32).reshape(3, 2) * 0.5 - 1,
    "bias": torch.tensor([0.25, -0.125, 3.0]),
    "running_var": torch.tensor([1 / 3, 2 / 3], dtype=torch.float64),
    "num_batches_tracked": torch.tensor(42),
    "mask": torch.tensor([True, False, True]),
    "ids": torch.tensor([[1, 2], [3, -4]]),
    'emb \u00fc "q"\n\t/\x01\x7f': torch.tensor([2.0]),
    "empty": torch.zeros(0),
    "a": torch.tensor([1.0]),
    "B": torch.tensor([2.0]),
    "\u00e9": torch.tensor([3.0]),
    "z": torch.tensor([4.0]),
}
save_file(reference, path("reference_pt.safetensors"), metadata={"format": "pt"})

# The Rust crate's own test vector (safetensors/src/tensor.rs, test_serialization): the same bytes here.
rust = bytes([64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100, 116, 121, 112,
              101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58, 91, 49, 44, 50, 44, 51, 93,
              44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125,
              125, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64])
save_file({"attn.0": torch.arange(6, dtype=torch.float32).reshape(1, 2, 3)}, path("rust_vector.tmp"))
with open(path("rust_vector.tmp"), "rb") as f:
    assert f.read() == rust, "the library no longer writes the Rust test vector"
os.remove(path("rust_vector.tmp"))

for name in sorted(os.listdir(out)):
    if name.endswith(".safetensors") and not name.startswith(("unsigned", "unsupported")):
        load_file(path(name))  # the library reads back what it wrote
print("safetensors", safetensors.__version__, "torch", torch.__version__, "numpy", np.__version__, "->", out)

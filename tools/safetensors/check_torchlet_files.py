"""Loads the files that SafetensorsTest.writesFilesForThePythonCheck wrote with Python's safetensors and
PyTorch, and checks every value. Run by hand after the test:

    python3 tools/safetensors/check_torchlet_files.py target/safetensors-interop
"""
import json
import math
import os
import sys

import torch
from safetensors import safe_open
from safetensors.torch import load_file

d = sys.argv[1] if len(sys.argv) > 1 else "target/safetensors-interop"


def metadata(name):
    with safe_open(os.path.join(d, name), framework="pt") as f:
        return f.metadata()


def same(a, b):
    assert a.dtype == b.dtype and a.shape == b.shape, (a, b)
    if a.is_floating_point():
        assert torch.equal(a.view(torch.int32 if a.dtype == torch.float32 else torch.int64),
                           b.view(torch.int32 if b.dtype == torch.float32 else torch.int64)), (a, b)
    else:
        assert torch.equal(a, b), (a, b)


sd = load_file(os.path.join(d, "torchlet_dtypes.safetensors"))
expected = {
    "f32": torch.tensor([[0.0, 1.5, -2.25], [3.4028234663852886e38, -0.0, 1e-45]], dtype=torch.float32),
    "f64": torch.tensor([0.1, -1e300, 5e-324], dtype=torch.float64),
    "i64": torch.tensor([[-(2**63), 2**63 - 1], [0, -1]]),
    "bool": torch.tensor([True, False, False, True]),
    "scalar": torch.tensor(7.5),
    "empty": torch.zeros(0, 3),
    "transposed": torch.tensor([[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]]),
    'n\u00e4me "q"\n': torch.tensor([1.0]),
}
assert set(sd) == set(expected), sorted(sd)
for k, v in expected.items():
    same(sd[k], v)
assert metadata("torchlet_dtypes.safetensors") == {"format": "pt"}

lin = torch.nn.Linear(3, 2)
lin.load_state_dict(load_file(os.path.join(d, "torchlet_linear.safetensors")))
out = lin(torch.tensor([[1.0, 2.0, 3.0]]))
assert torch.allclose(out, torch.tensor([[4.6, -2.2]])), out

opt = load_file(os.path.join(d, "torchlet_adam.safetensors"))
meta = metadata("torchlet_adam.safetensors")
structure = json.loads(meta["torchlet.structure"])
group = structure["param_groups"][0]
assert group["lr"] == 0.01 and group["params"] == [0, 1] and group["amsgrad"] is False, group
for i, shape in (("0", (2, 3)), ("1", (2,))):
    state = structure["state"][i]
    assert state["step"] == 2, state
    for buf in ("exp_avg", "exp_avg_sq"):
        assert state[buf] == {"__tensor__": "state.%s.%s" % (i, buf)}, state
        t = opt["state.%s.%s" % (i, buf)]
        assert t.dtype == torch.float32 and t.shape == shape, t
# the gradient of sum(W x + b) is x for each row of W and 1 for b: after two Adam steps exp_avg = 0.19 * grad
assert torch.allclose(opt["state.0.exp_avg"], 0.19 * torch.tensor([[1.0, 2.0, 3.0]] * 2))
assert torch.allclose(opt["state.1.exp_avg"], torch.full((2,), 0.19))
assert math.isclose(group["eps"], 1e-8)
print("torchlet files load in Python: OK (%d tensors, %d optimizer tensors)" % (len(sd), len(opt)))

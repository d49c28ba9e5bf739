"""Writes src/test/resources/golden/lr_scheduler.txt: the learning rates PyTorch's schedulers set, for
LRSchedulerGoldenTest. Not part of the build; rerun by hand:

    python3 tools/golden/lr_scheduler.py > src/test/resources/golden/lr_scheduler.txt

The committed file was generated with Debian's python3-torch (torch 1.13). For schedulers started
fresh (last_epoch=-1), StepLR, ExponentialLR, CosineAnnealingLR and LambdaLR compute the same
floats in torch 1.13 and 2.x: their chainable get_lr() is unchanged apart from the first step of a
scheduler resumed with last_epoch >= 0 (torch 2.8 keeps the lr there; see LRScheduler's Javadoc),
which this file does not cover.

One case per line:

    NAME | SCHEDULER ARGS | LRS | STEPS => GROUP0 ; GROUP1 ; ...

LRS are the groups' starting lrs. STEPS is "N" for N calls of scheduler.step() (after
optimizer.step(), as PyTorch asks), or "epochs E1 E2 ..." for scheduler.step(epoch) calls (the
deprecated closed form). Each GROUP lists the group's lr after construction and after each call,
as Python's repr (which reads back as the same double).
"""
import math
import warnings

import torch
from torch.optim import SGD
from torch.optim.lr_scheduler import CosineAnnealingLR, ExponentialLR, LambdaLR, StepLR

warnings.simplefilter("ignore")

LAMBDAS = {
    "pow095": lambda e: 0.95 ** e,
    "div30": lambda e: e // 30,
    "warmup10": lambda e: min(1.0, (e + 1) / 10),
    "invsqrt": lambda e: 1.0 / math.sqrt(e + 1),
}


def make(kind, args, opt):
    if kind == "StepLR":
        return StepLR(opt, step_size=int(args[0]), gamma=float(args[1]))
    if kind == "ExponentialLR":
        return ExponentialLR(opt, gamma=float(args[0]))
    if kind == "CosineAnnealingLR":
        return CosineAnnealingLR(opt, T_max=int(args[0]), eta_min=float(args[1]))
    if kind == "LambdaLR":
        fns = [LAMBDAS[a] for a in args]
        return LambdaLR(opt, lr_lambda=fns if len(fns) > 1 else fns[0])
    raise ValueError(kind)


def run(name, kind, args, lrs, steps):
    params = [torch.zeros(1, requires_grad=True) for _ in lrs]
    opt = SGD([{"params": [p], "lr": lr} for p, lr in zip(params, lrs)], lr=lrs[0])
    sched = make(kind, args, opt)
    seq = [[g["lr"]] for g in opt.param_groups]
    if isinstance(steps, int):
        for _ in range(steps):
            opt.step()
            sched.step()
            for k, g in enumerate(opt.param_groups):
                seq[k].append(g["lr"])
        steps_text = str(steps)
    else:
        for e in steps:
            opt.step()
            sched.step(e)
            for k, g in enumerate(opt.param_groups):
                seq[k].append(g["lr"])
        steps_text = "epochs " + " ".join(map(str, steps))
    print("%s | %s %s | %s | %s => %s" % (
        name, kind, " ".join(args), " ".join(map(repr, lrs)), steps_text,
        " ; ".join(" ".join(map(repr, s)) for s in seq)))


run("step_30", "StepLR", ["30", "0.1"], [0.05], 100)
run("step_7_two_groups", "StepLR", ["7", "0.5"], [0.1, 0.003], 100)
run("step_1", "StepLR", ["1", "0.9"], [1.0], 100)
run("exp_095_two_groups", "ExponentialLR", ["0.95"], [0.1, 1.0], 100)
run("exp_09", "ExponentialLR", ["0.9"], [0.3], 100)
run("cos_100", "CosineAnnealingLR", ["100", "0.0"], [0.1], 100)
run("cos_10_etamin", "CosineAnnealingLR", ["10", "0.001"], [0.1], 100)
run("cos_25_two_groups", "CosineAnnealingLR", ["25", "0.01"], [0.1, 0.5], 100)
run("cos_7", "CosineAnnealingLR", ["7", "0.0"], [1.0], 100)
run("cos_3_etamin", "CosineAnnealingLR", ["3", "0.05"], [0.2, 0.06], 100)
run("lambda_pow", "LambdaLR", ["pow095"], [0.1], 100)
run("lambda_two_groups", "LambdaLR", ["div30", "pow095"], [0.05, 0.2], 100)
run("lambda_warmup", "LambdaLR", ["warmup10"], [0.01], 100)
run("lambda_invsqrt", "LambdaLR", ["invsqrt"], [0.5], 100)
run("step_closed", "StepLR", ["7", "0.5"], [0.1, 0.003], [3, 7, 20, 50, 8])
run("exp_closed", "ExponentialLR", ["0.95"], [0.1], [3, 7, 20, 50, 8])
run("cos_closed", "CosineAnnealingLR", ["10", "0.001"], [0.1, 0.5], [3, 7, 20, 50, 8, 15])
run("lambda_closed", "LambdaLR", ["pow095"], [0.1], [3, 7, 20, 50, 8])

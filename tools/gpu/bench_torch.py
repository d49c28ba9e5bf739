"""The work of the GPU harness's --bench in PyTorch on the same GPU, and the ratio table.

Usage: python bench_torch.py BENCH_FILE, where BENCH_FILE holds the harness's "bench NAME MS" lines. Each
PyTorch timing is the median of 20 runs after 3 warm-up runs, with torch.cuda.synchronize() around each, as
the harness times torchlet's native calls. float32 without TF32 on both sides (PyTorch's default).
"""
import statistics
import sys
import time

import torch


def median_ms(step):
    for _ in range(3):
        step()
    torch.cuda.synchronize()
    times = []
    for _ in range(20):
        t0 = time.perf_counter()
        step()
        torch.cuda.synchronize()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def main():
    assert torch.cuda.is_available(), "PyTorch sees no CUDA device"
    torch.backends.cuda.matmul.allow_tf32 = False
    dev = torch.device("cuda")
    results = {}
    a = torch.full((4096, 4096), 0.5, device=dev)
    b = torch.full((4096, 4096), 0.25, device=dev)
    results["sgemm_4096"] = median_ms(lambda: a @ b)
    a = torch.full((64, 512, 512), 0.5, device=dev)
    b = torch.full((64, 512, 512), 0.25, device=dev)
    results["bmm_64x512x512"] = median_ms(lambda: torch.bmm(a, b))
    a = torch.ones(8192, 8192, device=dev)
    b = torch.full((8192,), 2.0, device=dev)
    results["add_8192x8192_bcast"] = median_ms(lambda: a + b)

    net = torch.nn.Sequential(torch.nn.Linear(784, 4096), torch.nn.ReLU(), torch.nn.Linear(4096, 4096),
                              torch.nn.ReLU(), torch.nn.Linear(4096, 10)).to(dev)
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    x = torch.full((4096, 784), 0.1, device=dev)
    y = torch.full((4096,), 3, dtype=torch.int64, device=dev)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(net(x), y)
        loss.backward()
        opt.step()

    results["mlp_step_784_4096_4096_10_b4096"] = median_ms(step)

    ours = {}
    with open(sys.argv[1]) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[0] == "bench":
                ours[parts[1]] = float(parts[2])
    print(f"device: {torch.cuda.get_device_name(0)}, PyTorch {torch.__version__}")
    print(f"{'benchmark':36} {'torchlet ms':>12} {'PyTorch ms':>12} {'ratio':>8}")
    for name, ms in results.items():
        mine = ours.get(name)
        ratio = f"{mine / ms:8.2f}" if mine is not None else "     n/a"
        print(f"{name:36} {mine if mine is not None else float('nan'):12.3f} {ms:12.3f} {ratio}")


if __name__ == "__main__":
    main()

"""What one ThinSeg training step costs on this CPU, per sample, by batch size, eager and under torch.compile.
A check of the kitchen recipe (benchmarks/results/kitchen_recipe/README.md, "Larger batches"): would a larger batch, or a compiled step, buy epochs in 29 minutes?

    python benchmarks/probes/step_cost.py [--batches 8 16 32] [--compile]

A step is forward, cross-entropy, backward and AdamW on random 256x256 frames, channels-last as `foodcam train`
runs it, at the process's default thread count. Run it on an idle machine: it prints wall-clock times.
"""
import argparse
import time

import torch
import torch.nn.functional as F

from foodcam.train.models.thinseg import ThinSeg

p = argparse.ArgumentParser()
p.add_argument("--batches", type=int, nargs="+", default=[8, 16, 32])
p.add_argument("--compile", action="store_true", help="also time the step under torch.compile (batch 8)")
p.add_argument("--steps", type=int, default=10)
a = p.parse_args()


def time_step(model: torch.nn.Module, batch: int) -> float:
    """Mean over --steps steps, after two warm-up steps: seconds a sample."""
    opt = torch.optim.AdamW(model.parameters(), 1e-3)
    x = torch.randn(batch, 3, 256, 256).to(memory_format=torch.channels_last)
    y = torch.randint(0, 3, (batch, 256, 256))

    def step() -> None:
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        opt.step()

    for _ in range(2):
        step()
    t0 = time.perf_counter()
    for _ in range(a.steps):
        step()
    return (time.perf_counter() - t0) / a.steps / batch


torch.manual_seed(0)
print(f"{torch.get_num_threads()} threads")
for b in a.batches:
    net = ThinSeg(3).to(memory_format=torch.channels_last)
    print(f"eager, batch {b}: {1000 * time_step(net, b):.1f} ms a sample")
if a.compile:
    net = ThinSeg(3).to(memory_format=torch.channels_last)
    print(f"torch.compile, batch 8: {1000 * time_step(torch.compile(net), 8):.1f} ms a sample")

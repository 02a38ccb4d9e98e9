"""Multi-process training when launched by `torchrun` (WORLD_SIZE > 1); a no-op otherwise.

    torchrun --nproc_per_node 2 -m foodcam train kitchen --data DATA --out RUN

NCCL on CUDA (one GPU per process, cuda:LOCAL_RANK), gloo on CPU. Only rank 0 writes files and prints.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch
import torch.distributed as dist


@dataclass(frozen=True)
class DistInfo:
    rank: int = 0
    world: int = 1
    local_rank: int = 0

    @property
    def enabled(self) -> bool:
        return self.world > 1

    @property
    def main(self) -> bool:
        return self.rank == 0


def init_distributed(device_type: str) -> DistInfo:
    """Join the process group torchrun set up (env RANK/WORLD_SIZE/LOCAL_RANK); single-process otherwise."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return DistInfo()
    info = DistInfo(int(os.environ["RANK"]), world, int(os.environ.get("LOCAL_RANK", "0")))
    if not dist.is_initialized():
        backend = "nccl" if device_type == "cuda" else "gloo"
        if backend == "nccl":
            torch.cuda.set_device(info.local_rank)
        dist.init_process_group(backend=backend)
    return info


def cleanup() -> None:
    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()


def barrier(info: DistInfo) -> None:
    if info.enabled:
        dist.barrier()


def all_mean(value: float, weight: float, info: DistInfo, device: torch.device) -> float:
    """Weighted mean of a per-process value across processes (value * weight summed / weights summed)."""
    if not info.enabled:
        return value
    t = torch.tensor([value * weight, weight], dtype=torch.float64, device=device)
    dist.all_reduce(t)
    return float(t[0] / t[1]) if t[1] > 0 else float("nan")

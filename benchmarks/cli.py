"""`foodcam bench` (also `python -m foodcam.benchmarks`): latency, throughput and accuracy of every artifact; flags from
benchmarks/config.py's BenchConfig, run by benchmarks/run.py's bench. Imports nothing heavy."""

from __future__ import annotations

import argparse

from foodcam.benchmarks.config import BenchConfig
from foodcam.verbconfig import add_verb

EPILOG = """examples:
  foodcam bench --models runs/k/best.pt runs/k/model.onnx runs/k/model.fp16.onnx runs/k/model.int8.onnx \\
                --backends cpu torch --threads 2 --data data/kitchen --loop-frames 100
  foodcam bench --models model.engine model.onnx --backends tensorrt cuda --batch 1 8
  foodcam bench --models model.onnx grpc://gpu-server:8001/kitchen --backends cpu --data data/kitchen
  foodcam bench --compare runs/bench/bench/bench.json runs/bench/bench2/bench.json
  foodcam bench --streams 1 2 4 8 --models model.onnx grpc://127.0.0.1:8001/kitchen --seconds 10

without --out, reports go to a new runs/bench/bench, runs/bench/bench2, ... in the current folder.

backends: cpu (ONNX Runtime CPU EP), cuda (ONNX Runtime CUDA EP; PyTorch on CUDA for a .pt),
          tensorrt (an .engine, or an .onnx built into one), torch (PyTorch eager on the CPU for a .pt).
Rows a machine cannot run stay in the table as skipped, with the reason.
"""


def _bench(cfg: BenchConfig) -> int:
    from foodcam.benchmarks.run import bench

    return bench(cfg)[0]


def register(sub) -> None:
    add_verb(sub, "bench", BenchConfig, _bench, help="latency, throughput and accuracy of every artifact, side by side",
             epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)

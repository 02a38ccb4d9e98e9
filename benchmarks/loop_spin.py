"""Camera loop with ONNX Runtime's worker threads spinning (ORT's default) vs sleeping (what `foodcam run` uses).

    python -m foodcam.benchmarks.loop_spin --model model.onnx [--threads 2] [--frames 120] [--rounds 2]

Each round opens the model both ways, times `infer` alone and then the camera loop on the synthetic scene;
rounds alternate so machine noise falls on both. Prints model-only FPS, loop FPS and their ratio.
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def model_fps(model, calls: int = 60, warmup: int = 10) -> float:
    x = model.preprocess(np.zeros((model.input_spec.height, model.input_spec.width, 3), np.uint8))
    for _ in range(warmup):
        model.infer(x)
    t = time.perf_counter()
    for _ in range(calls):
        model.infer(x)
    return calls / (time.perf_counter() - t)


def main(argv: list[str] | None = None) -> int:
    from foodcam.benchmarks.loop import run_loop
    from foodcam.runtime.open import open_model

    p = argparse.ArgumentParser(prog="python -m foodcam.benchmarks.loop_spin", description=__doc__.splitlines()[0])
    p.add_argument("--model", required=True)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--frames", type=int, default=120)
    p.add_argument("--rounds", type=int, default=2)
    args = p.parse_args(argv)
    for r in range(args.rounds):
        for spin in (True, False):
            with open_model(args.model, threads=args.threads, spin=spin) as model:
                fps = model_fps(model)
                loop = run_loop(model, args.frames)
            print(f"round {r + 1} spin={'on ' if spin else 'off'}: model {fps:5.1f} FPS | loop {loop['fps']:5.1f} FPS "
                  f"| loop/model {loop['fps'] / fps:.2f} | inference in loop {loop['stages_ms']['inference']:.1f} ms",
                  flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

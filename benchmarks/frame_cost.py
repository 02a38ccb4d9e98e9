"""Per-frame host cost around the model: preprocess + postprocess + overlay (+ analytics) of one camera frame.

    python -m foodcam.benchmarks.frame_cost --model model.onnx --size 1280x720 [--frames 200] [--spin] [--out DIR]

The model runs once per frame to get a real result, but only the stages the camera loop adds around
inference are timed, each with perf_counter; medians and p90 in ms, written as frame_cost.json.
The model is opened as `foodcam run` opens it: ONNX Runtime's idle workers sleep (spin=False). With --spin they
spin-wait after each inference (ONNX Runtime's default), taking a core from the stages timed here.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import parse_size, write_text_atomic

STAGES = ("preprocess", "postprocess", "overlay", "analytics")


def measure(model, size: tuple[int, int], frames: int = 200, seed: int = 0) -> dict:
    """Medians/p90 (ms) of each host stage for `frames` kitchen frames of `size` (W, H)."""
    from foodcam.camera.analytics import KitchenAnalytics
    from foodcam.camera.overlay import Visualizer
    from foodcam.scenes import FEEDS

    if model.task.name not in FEEDS:
        raise FoodcamError(f"no synthetic scene for task {model.task.name!r} to time frames with")
    feed = FEEDS[model.task.name](size=size, seed=seed)
    vis = Visualizer(model.task, "overlay", 0.5)
    analytics = KitchenAnalytics(model.task) if KitchenAnalytics.supports(model.task) else None
    times = {s: [] for s in STAGES}
    for i in range(frames):
        image = feed.next()[0]
        t0 = time.perf_counter()
        batch = model.preprocess(image)
        t1 = time.perf_counter()
        outputs = model.infer(batch)
        t2 = time.perf_counter()
        result = model.postprocess(outputs, image.shape[:2])
        t3 = time.perf_counter()
        vis.draw(image, result, {"fps": 0.0, "latency_ms": 0.0, "frame": i})
        t4 = time.perf_counter()
        if analytics is not None:
            analytics.update(result.mask, i, t4)
        t5 = time.perf_counter()
        for stage, dt in zip(STAGES, (t1 - t0, t3 - t2, t4 - t3, t5 - t4)):
            times[stage].append(1000.0 * dt)
    stats = {s: {"median_ms": float(np.median(v)), "p90_ms": float(np.percentile(v, 90))} for s, v in times.items()}
    total = [sum(times[s][i] for s in STAGES) for i in range(frames)]
    return {"model": str(model.path), "frame_size": list(size), "frames": frames, "stages": stats,
            "total_median_ms": float(np.median(total)), "total_p90_ms": float(np.percentile(total, 90))}


def main(argv: list[str] | None = None) -> int:
    from foodcam.runtime.open import open_model

    p = argparse.ArgumentParser(prog="python -m foodcam.benchmarks.frame_cost", description=__doc__.splitlines()[0])
    p.add_argument("--model", required=True)
    p.add_argument("--size", default="1280x720", help="frame size WxH")
    p.add_argument("--frames", type=int, default=200)
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--spin", action="store_true",
                   help="let ONNX Runtime's idle workers spin (its default; `foodcam run` has them sleep)")
    p.add_argument("--out", default=None, help="folder for frame_cost.json")
    args = p.parse_args(argv)
    try:
        size = parse_size(args.size)
        with open_model(args.model, threads=args.threads, spin=args.spin) as model:
            res = measure(model, size, args.frames)
        res["spin"] = args.spin
    except (FoodcamError, ValueError) as e:
        print(f"frame_cost: error: {e}", file=sys.stderr)
        return 2
    for s, v in res["stages"].items():
        print(f"{s:12s} median {v['median_ms']:.3f} ms  p90 {v['p90_ms']:.3f} ms")
    print(f"{'total':12s} median {res['total_median_ms']:.3f} ms  p90 {res['total_p90_ms']:.3f} ms "
          f"({size[0]}x{size[1]}, {args.frames} frames, idle ONNX Runtime workers {'spin' if args.spin else 'sleep'})")
    if args.out:
        write_text_atomic(Path(args.out) / "frame_cost.json", json.dumps(res, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

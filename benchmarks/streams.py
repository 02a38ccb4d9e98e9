"""`foodcam bench --streams 1 2 4 8`: N camera streams through one model in one process, batched.

    foodcam bench --streams 1 2 4 8 --models model.onnx grpc://127.0.0.1:8001/kitchen --seconds 10

For each model (a local file or a Triton URL) and each N: the multi-stream loop of `foodcam run --source ...`
(camera/multistream.py: a reader thread per stream, frames batched up to --stream-batch into one inference
call, results routed per stream) on N streams, for --seconds or --iters frames in all. Each stream replays
16 frames of synth://<task> rendered once beforehand (or --loop-source, a folder / glob of images), looped:
the renderer's own cost stays out of the numbers, and file streams lose no frame, so the model sets the pace. Reported:
aggregate FPS (frames through the model per second, all streams), per-stream FPS and mean capture-to-rendered
latency (mean over streams, and the worst stream), mean batch. The table puts the models side by side.
"""

from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path

from foodcam.benchmarks.config import BenchConfig
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import write_text_atomic

log = logging.getLogger("foodcam.bench")


def measure(model, n: int, source: str, batch: int | None, seconds: float | None, frames: int | None) -> dict:
    """One multi-stream run of `model` over `n` copies of `source` (seeded apart); its numbers."""
    from foodcam.camera.multistream import BatchStage, MultiSource, StreamSinks
    from foodcam.camera.pipeline import Pipeline
    from foodcam.camera.sinks import Sinks
    from foodcam.camera.sources import open_source

    sources = [open_source(source, loop=True) for _ in range(n)]
    multi = MultiSource(sources, batch=batch or n)
    outputs = StreamSinks([Sinks(analytics=False) for _ in range(n)], [s.uri for s in sources])
    outputs.source = multi
    try:
        pipeline = Pipeline(multi, BatchStage(model), outputs, log_interval=1e9)
        s = pipeline.run(max_frames=frames, max_seconds=seconds)
    finally:
        multi.close()
        outputs.close()
    per = list(s["streams"].values())
    lat = [p["latency_ms"] for p in per if p["latency_ms"] is not None]
    return {"streams": n, "frames": s["frames"], "seconds": s["elapsed_s"], "aggregate_fps": s["fps"],
            "per_stream_fps": round(s["fps"] / n, 2), "latency_ms": round(sum(lat) / len(lat), 1) if lat else None,
            "worst_latency_ms": max(lat) if lat else None, "mean_batch": s["batching"]["mean_batch"],
            "inference_ms": s["stages_ms"].get("inference"), "model_dropped": s.get("model_dropped", 0)}


def replay_frames(task: str, folder: Path, count: int = 16, size: str = "320x240") -> str:
    """Render `count` frames of synth://<task> once into `folder` (PNG); the glob that replays them."""
    from foodcam.camera.sources import open_source
    from foodcam.runtime.imageio import write_image

    with open_source(f"synth://{task}?fps=0&size={size}&seed=0") as src:
        for i in range(count):
            frame = src.read(timeout=30.0)
            if frame is None:
                raise FoodcamError(f"synth://{task}: no frame to replay")
            write_image(folder / f"{i:03d}.png", frame.image)
    return str(folder / "*.png")


def table(results: dict[str, list[dict]]) -> str:
    """Markdown: one row per stream count, per model aggregate FPS / per-stream latency / mean batch."""
    models = list(results)
    head = "| streams | " + " | ".join(f"{m}: FPS (all) | {m}: latency ms/stream (worst) | {m}: batch"
                                        for m in models) + " |"
    lines = [head, "|" + "---|" * (1 + 3 * len(models))]
    counts = sorted({r["streams"] for rows in results.values() for r in rows})
    for n in counts:
        cells = [str(n)]
        for m in models:
            r = next((r for r in results[m] if r["streams"] == n), None)
            if r is None or "error" in r:
                cells += [f"skipped: {r['error'] if r else 'not run'}", "", ""]
                continue
            cells += [f"{r['aggregate_fps']:.1f}", f"{r['latency_ms']} ({r['worst_latency_ms']})", f"{r['mean_batch']}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(args: BenchConfig) -> int:
    from foodcam.runtime.open import open_model

    if not args.models:
        raise FoodcamError("--streams needs --models (local files and/or grpc://HOST:8001/NAME Triton URLs)")
    counts = [int(n) for n in args.streams or []]
    if any(n < 1 for n in counts):
        raise FoodcamError(f"--streams {counts}: expected counts of at least 1")
    seconds = args.seconds if args.seconds else (None if args.iters else 10.0)
    frames = args.iters
    results: dict[str, list[dict]] = {}
    tmp = tempfile.TemporaryDirectory(prefix="foodcam-streams-")
    for path in args.models:
        threads = {"threads": args.threads} if args.threads else {}
        with open_model(path, spin=False, **threads) as model:
            source = args.loop_source or replay_frames(model.task.name, Path(tmp.name) / model.task.name)
            rows = []
            for n in counts:
                print(f"{path}: {n} stream(s) ...", flush=True)
                try:
                    rows.append(measure(model, n, source, args.stream_batch, seconds, frames))
                except FoodcamError as e:
                    rows.append({"streams": n, "error": str(e)})
            results[str(path)] = rows
    tmp.cleanup()
    text = table(results)
    print(text)
    if args.out:
        out = Path(args.out)
        write_text_atomic(out / "streams.json", json.dumps(results, indent=2) + "\n")
        write_text_atomic(out / "streams.md", text + "\n")
        print(f"wrote {out / 'streams.json'}, {out / 'streams.md'}")
    return 0

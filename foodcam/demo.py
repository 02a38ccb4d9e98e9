"""`foodcam demo`: the main job end to end on a machine with no camera and no GPU.

Default: the shipped kitchen model (foodcam/assets) runs the camera loop on the live `synth://kitchen` feed in
every renderer style -> annotated video, events, summary, within a minute or two.
`--train`: the whole chain at the demo's budget: synthesise a kitchen dataset -> train -> evaluate -> export the
deployment ONNX (gated) -> the same camera loop with the model just trained.
Every step is the same CLI verb a user would run; this file only chains them.
"""

from __future__ import annotations

import json
import shlex
import time
from dataclasses import dataclass
from pathlib import Path

from foodcam.runtime.errors import FoodcamError
from foodcam.shipped import shipped


@dataclass(frozen=True)
class DemoPlan:
    train: bool = False  # False: run the shipped model; True: synthesise, train, evaluate and export first
    count: int = 800  # synthetic frames in all splits
    size: str = "320x240"
    styles: str = "train"  # renderer styles of the training frames (the camera loop shows every style)
    model: str = "thinseg"
    width: float = 1.0
    imgsz: int = 256
    epochs: int = 20
    batch: int = 8
    frames: int = 300  # camera-loop frames on synth://kitchen
    fps: int = 15


QUICK = DemoPlan(train=True, count=40, size="96x72", width=0.5, imgsz=64, epochs=2, batch=8, frames=30)


def steps(out: Path, plan: DemoPlan) -> list[tuple[str, list[str]]]:
    data, run = out / "data", out / "train"
    onnx = out / "model.onnx" if plan.train else shipped("kitchen")
    chain = [
        ("synthesise data", ["synth", "kitchen", "--out", data, "--count", plan.count, "--size", plan.size, "--seed", 0,
                             "--styles", plan.styles]),
        ("train", ["train", "kitchen", "--data", data, "--model", plan.model, "--width", plan.width,
                   "--imgsz", plan.imgsz, "--epochs", plan.epochs, "--batch", plan.batch, "--out", run,
                   "--device", "cpu"]),
        ("evaluate", ["eval", "--weights", run / "best.pt", "--data", data, "--split", "val", "--out", out / "eval"]),
        ("export", ["export", "--weights", run / "best.pt", "--out", onnx, "--data", data]),
    ]
    loop = ("camera loop", ["run", "--model", onnx, "--source",
                            f"synth://kitchen?fps={plan.fps}&size={plan.size}&seed=1&style=all",
                            "--max-frames", plan.frames, "--save", out / "demo.mp4", "--events", out / "events.jsonl",
                            "--summary", out / "summary.json"])
    return (chain if plan.train else []) + [loop]


def run_demo(out: Path, plan: DemoPlan) -> int:
    from foodcam.cli import main as foodcam

    t_all = time.perf_counter()
    for i, (title, argv) in enumerate(steps(out, plan), 1):
        argv = [str(a) for a in argv]
        print(f"\n== demo step {i}: {title}\n$ foodcam {shlex.join(argv)}", flush=True)
        t0 = time.perf_counter()
        rc = foodcam(argv)
        if rc != 0:
            raise FoodcamError(f"demo step {i} ({title}) failed with exit code {rc}")
        print(f"== {title}: done in {time.perf_counter() - t0:.0f} s", flush=True)
    summary = json.loads((out / "summary.json").read_text())
    print(f"\nfoodcam demo finished in {time.perf_counter() - t_all:.0f} s. Outputs in {out}/:")
    outputs = [("demo.mp4", "annotated camera-loop video"), ("events.jsonl", "per-frame analytics and events"),
               ("summary.json", "frames, fps, per-stage ms, mIoU vs synthetic ground truth")]
    if plan.train:
        outputs += [("train/", "best.pt, last.pt, metrics.csv, curves.png"), ("eval/", "metrics.json, confusion.png"),
                    ("model.onnx", "deployment ONNX (+ .report.md)")]
    else:
        print(f"  model: {shipped('kitchen')} (shipped; `foodcam demo --train` trains one here)")
    for name, what in outputs:
        print(f"  {out / name}  {what}")
    miou = (summary.get("accuracy") or {}).get("miou")
    print(f"  summary: {summary['frames']} frames at {summary['fps']:.1f} fps, stages (ms) {summary['stages_ms']}, "
          f"mIoU vs ground truth {miou}")
    return 0


def _demo(args) -> int:
    from foodcam.runtime.outdir import output_dir, print_wrote

    out = output_dir(args.out, "demo")  # default runs/demo/demoN; checked before any step runs
    rc = run_demo(out, QUICK if args.quick else DemoPlan(train=args.train))
    print_wrote("demo", out)
    return rc


def register(sub) -> None:
    p = sub.add_parser("demo", help="the main job end to end: the shipped model's camera loop, or --train the chain")
    p.add_argument("--out", default=None, help="output folder (default: a new runs/demo/demoN)")
    p.add_argument("--train", action="store_true",
                   help="synthesise, train, evaluate and export a model first (4-8 min on 2 CPU cores)")
    p.add_argument("--quick", action="store_true", help="a tiny --train version (seconds) for smoke tests")
    p.set_defaults(func=_demo)

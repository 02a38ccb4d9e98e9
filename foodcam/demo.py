"""`foodcam demo`: the main job end to end on a machine with no camera and no GPU.

Default: the shipped kitchen model (foodcam/assets) runs the camera loop on the live `synth://kitchen` feed in
every renderer style -> annotated video, events, summary, within a minute or two.
`--train`: the whole chain at the demo's budget: synthesise a kitchen dataset -> train -> evaluate -> export the
deployment ONNX (gated) -> the same camera loop with the model just trained.
Every step is the same CLI verb a user would run; this file only chains them.
"""

from __future__ import annotations

import contextlib
import json
import logging
import shlex
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from foodcam.runtime.errors import FoodcamError
from foodcam.shipped import shipped
from foodcam.verbconfig import VerbConfig, add_verb, opt


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


class _Warnings(logging.StreamHandler):
    """Warnings to the terminal, the first one on a line of its own (the step's line is still open)."""

    first = True

    def emit(self, record: logging.LogRecord) -> None:
        if self.first:
            self.stream.write("\n")
            self.first = False
        super().emit(record)


@contextlib.contextmanager
def _into(log: Path, quiet: bool):
    """A step's prints, progress bars and log records go to `log` (appended) when quiet; else to the terminal."""
    if not quiet:
        yield
        return
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    terminal = _Warnings(sys.stderr)  # warnings (no H.264 encoder, ...) still reach the terminal
    terminal.setLevel(logging.WARNING)
    with log.open("a", encoding="utf-8") as f, contextlib.redirect_stdout(f), contextlib.redirect_stderr(f):
        handler = logging.StreamHandler(f)
        for h in (handler, terminal):
            h.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.handlers[:] = [handler, terminal]  # the step's own logging.basicConfig then leaves them as they are
        root.setLevel(logging.INFO if level in (logging.NOTSET,) or level > logging.INFO else level)
        try:
            yield
        finally:
            root.handlers[:] = handlers
            root.setLevel(level)


def _tail(log: Path, n: int = 12) -> str:
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines() if log.is_file() else []
    return "\n".join("    " + ln for ln in lines[-n:])


def run_demo(out: Path, plan: DemoPlan, quiet: bool = True) -> int:
    """Run the plan's steps into `out`: one line per step on the terminal; with `quiet`, each step's own output
    goes to out/demo.log (shown in part when a step fails)."""
    from foodcam.cli import main as foodcam

    out.mkdir(parents=True, exist_ok=True)
    log = out / "demo.log"
    t_all = time.perf_counter()
    chain = steps(out, plan)
    if not plan.train:
        print(f"foodcam demo: the shipped kitchen model {shipped('kitchen')} on the live synth://kitchen feed "
              f"({plan.frames} frames, every renderer style)", flush=True)
    for i, (title, argv) in enumerate(chain, 1):
        argv = [str(a) for a in argv]
        print(f"foodcam demo: step {i}/{len(chain)} {title} ...", end="" if quiet else "\n", flush=True)
        t0 = time.perf_counter()
        with _into(log, quiet):
            print(f"\n== demo step {i}: {title}\n$ foodcam {shlex.join(argv)}", flush=True)
            rc = foodcam(argv)
        if rc != 0:
            if quiet:
                print(f" failed (exit code {rc}); the end of {log}:\n{_tail(log)}", flush=True)
            raise FoodcamError(f"demo step {i} ({title}) failed with exit code {rc}")
        print(f" done in {time.perf_counter() - t0:.0f} s" if quiet else f"== {title}: done", flush=True)
    summary = json.loads((out / "summary.json").read_text())
    outputs = [("demo.mp4", "annotated camera-loop video"), ("events.jsonl", "per-frame analytics and events"),
               ("summary.json", "frames, fps, per-stage ms, mIoU vs synthetic ground truth")]
    if plan.train:
        outputs += [("train/", "best.pt, last.pt, metrics.csv, curves.png"), ("eval/", "metrics.json, confusion.png"),
                    ("model.onnx", "deployment ONNX (+ .report.md)")]
    if quiet:
        outputs.append(("demo.log", "every step's own output"))
    miou = (summary.get("accuracy") or {}).get("miou")
    stages = summary.get("stages_ms") or {}
    print(f"foodcam demo: summary: {summary['frames']} frames at {summary['fps']:.1f} fps, inference "
          f"{stages.get('inference', float('nan')):.1f} ms a frame, mIoU vs ground truth "
          f"{'n/a' if miou is None else f'{miou:.3f}'}; {time.perf_counter() - t_all:.0f} s in all")
    for name, what in outputs:
        print(f"  {out / name}  {what}")
    return 0


class DemoConfig(VerbConfig):
    """`foodcam demo`: which plan, and where its outputs go."""

    verb = "demo"

    out: str | None = opt(None, "output folder (default: a new runs/demo/demoN)")
    train: bool = opt(False, "synthesise, train, evaluate and export a model first (4-8 min on 2 CPU cores)")
    quick: bool = opt(False, "a tiny --train version (seconds) for smoke tests")
    verbose: bool = opt(False, "every step's own output on the terminal (foodcam -v)", hidden=True)


def demo(cfg: DemoConfig) -> tuple[int, Path]:
    """`foodcam demo`: the plan run into --out (default: a new runs/demo/demoN, checked before any step runs);
    (exit code, the folder)."""
    from foodcam.runtime.outdir import output_dir, print_wrote

    out = output_dir(cfg.out, "demo")
    rc = run_demo(out, QUICK if cfg.quick else DemoPlan(train=cfg.train), quiet=not cfg.verbose)
    print_wrote("demo", out)
    return rc, out


def _demo(cfg: DemoConfig) -> int:
    return demo(cfg)[0]


def register(sub) -> None:
    add_verb(sub, "demo", DemoConfig, _demo,
             help="the main job end to end: the shipped model's camera loop, or --train the chain")

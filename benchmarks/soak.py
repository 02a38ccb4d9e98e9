"""Soak: the camera loop and the sorting line running together for a long time, sampled for leaks and drift.

    python -m foodcam.benchmarks.soak --minutes 60 [--out benchmarks/results/soak] [--interval 15]
        [--kitchen-model model.onnx] [--fruit-model fresh.onnx] [--line docs/line.yaml]

One process runs `Pipeline` over `synth://kitchen` (15 fps, paced) and the sorting line over `synth://conveyor`
(30 fps, paced, dry-run actuator) on their own threads; every `--interval` seconds it records resident
memory, open file descriptors, OS and Python thread counts and each loop's frame rate. It writes
soak.csv (rewritten at every sample), soak.json (samples + summary: growth after the warm-up) and soak.png.
Without models it makes tiny stand-in ONNX graphs (benchmarks/soak_models.py): the loop is what is soaked.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import os
import tempfile
import threading
import time
from pathlib import Path

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import write_json_atomic, write_text_atomic

log = logging.getLogger("foodcam.soak")
FIELDS = ("phase", "t_s", "rss_mb", "fds", "os_threads", "py_threads", "kitchen_frames", "kitchen_fps", "sort_frames",
          "sort_fps")
DEFAULT_LINE = Path(__file__).resolve().parents[1] / "docs" / "line.yaml"


def process_stats() -> dict:
    """Resident memory (MB), open file descriptors and OS threads of this process, from /proc."""
    status = Path("/proc/self/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return {"rss_mb": round(int(fields["VmRSS"].split()[0]) / 1024, 2), "fds": len(os.listdir("/proc/self/fd")),
            "os_threads": int(fields["Threads"]), "py_threads": threading.active_count()}


class _Counted:
    """A source wrapper counting the frames the sorting line takes (its Pipeline reads or iterates it)."""

    def __init__(self, source) -> None:
        self.source, self.frames = source, 0

    def read(self, *args, **kwargs):
        frame = self.source.read(*args, **kwargs)
        if frame is not None:
            self.frames += 1
        return frame

    def __iter__(self):
        for frame in self.source:
            self.frames += 1
            yield frame

    def __getattr__(self, name: str):
        return getattr(self.source, name)


class Soak:
    def __init__(self, args) -> None:
        self.args, self.errors, self.stop = args, [], threading.Event()
        self.pipeline = None
        self.counted: _Counted | None = None

    def kitchen(self, model_path: Path, seconds: float) -> None:
        from foodcam.camera.pipeline import Pipeline
        from foodcam.camera.sinks import Sinks
        from foodcam.camera.sources import open_source
        from foodcam.runtime.open import open_model

        with open_source("synth://kitchen?fps=15&size=320x240&seed=1") as source, \
                open_model(model_path, backend="cpu", threads=1, spin=False) as model, Sinks() as sinks:
            self.pipeline = Pipeline(source, model, sinks, log_interval=3600)
            self.pipeline.run(max_seconds=seconds)

    def sorting(self, model_path: Path, seconds: float) -> None:
        from foodcam.camera.actuators import open_actuator
        from foodcam.camera.sorting.app import open_line_source, sort
        from foodcam.camera.sorting.line import load_line
        from foodcam.runtime.open import open_model

        line = load_line(self.args.line)
        actuator = open_actuator({"type": "dryrun", "pulse_ms": line.pulse_ms}, line=line.name)
        actuator.connect()
        with open_model(model_path, backend="cpu", threads=1, spin=False) as model, \
                open_line_source("synth://conveyor?fps=30&size=640x240&seed=0", realtime=True) as source:
            self.counted = _Counted(source)
            sort(model, self.counted, line, actuator, max_seconds=seconds)
        actuator.close()

    def guarded(self, name: str, fn, *args) -> threading.Thread:
        def body():
            try:
                fn(*args)
            except Exception as e:  # noqa: BLE001 - recorded in the report, the other loop goes on
                log.exception("soak: the %s loop failed", name)
                self.errors.append(f"{name}: {type(e).__name__}: {e}")

        t = threading.Thread(target=body, name=f"soak {name}", daemon=True)
        t.start()
        return t

    def frames(self) -> tuple[int, int]:
        k = self.pipeline.live_stats().get("frames", 0) if self.pipeline is not None else 0
        return int(k), self.counted.frames if self.counted is not None else 0


def _models(args, out: Path) -> tuple[Path, Path]:
    if args.kitchen_model and args.fruit_model:
        return Path(args.kitchen_model), Path(args.fruit_model)
    from foodcam.benchmarks.soak_models import fruit_model, kitchen_model

    return (Path(args.kitchen_model) if args.kitchen_model else kitchen_model(out / "stand-in-kitchen.onnx"),
            Path(args.fruit_model) if args.fruit_model else fruit_model(out / "stand-in-fruit.onnx"))


def run(args) -> dict:
    if not args.minutes > 0 or not args.interval > 0:
        raise FoodcamError(f"--minutes {args.minutes} / --interval {args.interval}: expected positive numbers")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="foodcam-soak-") as tmp:  # stand-in models live only for the run
        kitchen_path, fruit_path = _models(args, Path(tmp))
        report = _soak(args, out, kitchen_path, fruit_path)
    report["models"] = [args.kitchen_model or "stand-in kitchen graph (benchmarks/soak_models.py)",
                        args.fruit_model or "stand-in freshness graph (benchmarks/soak_models.py)"]
    write_json_atomic(out / "soak.json", report)
    plot(report["samples"], args.warmup, out / "soak.png")
    return report


def _soak(args, out: Path, kitchen_path: Path, fruit_path: Path) -> dict:
    seconds = args.minutes * 60
    soak = Soak(args)
    t0 = time.monotonic()
    threads = [soak.guarded("kitchen", soak.kitchen, kitchen_path, seconds),
               soak.guarded("sorting", soak.sorting, fruit_path, seconds)]
    samples: list[dict] = []
    last = (t0, 0, 0)
    while True:
        done = not any(t.is_alive() for t in threads)
        now = time.monotonic()
        if samples and not done and now - last[0] < args.interval:
            time.sleep(min(0.5, args.interval))
            continue
        k, s = soak.frames()
        dt = max(1e-9, now - last[0])
        samples.append({"phase": "end" if done else "run", "t_s": round(now - t0, 2), **process_stats(), "kitchen_frames": k,
                        "kitchen_fps": round((k - last[1]) / dt, 2), "sort_frames": s,
                        "sort_fps": round((s - last[2]) / dt, 2)})
        last = (now, k, s)
        write_text_atomic(out / "soak.csv", _csv(samples))
        log.info("soak %5.0f s: RSS %.1f MB, %d fds, %d threads, kitchen %.1f fps, sorting %.1f fps",
                 now - t0, samples[-1]["rss_mb"], samples[-1]["fds"], samples[-1]["os_threads"],
                 samples[-1]["kitchen_fps"], samples[-1]["sort_fps"])
        if done:
            break
    return {"minutes": args.minutes, "interval_s": args.interval, "warmup_s": args.warmup,
            "errors": soak.errors, "summary": summarize(samples, args.warmup), "samples": samples}


def _csv(samples: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, FIELDS)
    w.writeheader()
    w.writerows(samples)
    return buf.getvalue()


def summarize(samples: list[dict], warmup_s: float) -> dict:
    """Growth from the first sample after the warm-up to the last: RSS (MB, %, MB per hour), fds, threads."""
    running = [s for s in samples if s["phase"] == "run"] or samples  # the "end" sample: loops already closed
    after = [s for s in running if s["t_s"] >= warmup_s] or running[-1:]
    first, last = after[0], after[-1]
    hours = max(1e-9, (last["t_s"] - first["t_s"]) / 3600)
    steady = after[1:] or after  # fps over whole intervals after the warm-up
    return {
        "samples": len(samples), "after_warmup": len(after), "span_s": round(last["t_s"] - first["t_s"], 1),
        "rss_start_mb": samples[0]["rss_mb"], "rss_after_warmup_mb": first["rss_mb"], "rss_end_mb": last["rss_mb"],
        "rss_growth_mb": round(last["rss_mb"] - first["rss_mb"], 2),
        "rss_growth_pct": round(100 * (last["rss_mb"] - first["rss_mb"]) / max(1e-9, first["rss_mb"]), 2),
        "rss_mb_per_hour": round((last["rss_mb"] - first["rss_mb"]) / hours, 2) if len(after) > 1 else None,
        "rss_max_mb": max(s["rss_mb"] for s in after),
        "fds": [min(s["fds"] for s in after), max(s["fds"] for s in after)],
        "os_threads": [min(s["os_threads"] for s in after), max(s["os_threads"] for s in after)],
        "kitchen_fps_mean": round(sum(s["kitchen_fps"] for s in steady) / len(steady), 2),
        "sort_fps_mean": round(sum(s["sort_fps"] for s in steady) / len(steady), 2),
        "frames": {"kitchen": samples[-1]["kitchen_frames"], "sorting": samples[-1]["sort_frames"]},
        "end": {k: samples[-1][k] for k in ("rss_mb", "fds", "os_threads", "py_threads")},
    }


def plot(samples: list[dict], warmup_s: float, path: Path) -> Path | None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log.warning("matplotlib is not installed: no %s", path)
        return None
    t = [s["t_s"] / 60 for s in samples]
    fig, axes = plt.subplots(4, 1, figsize=(8, 9), sharex=True)
    panels = (("RSS MB", ("rss_mb",)), ("open fds", ("fds",)), ("threads", ("os_threads", "py_threads")),
              ("FPS", ("kitchen_fps", "sort_fps")))
    for ax, (title, keys) in zip(axes, panels):
        for k in keys:
            ax.plot(t, [s[k] for s in samples], marker=".", label=k)
        ax.axvline(warmup_s / 60, color="grey", linestyle=":", linewidth=1)
        ax.set_ylabel(title)
        ax.grid(alpha=0.3)
        if len(keys) > 1:
            ax.legend(fontsize=8)
    axes[-1].set_xlabel("minutes (dotted: end of warm-up)")
    fig.suptitle("foodcam soak: camera loop (synth://kitchen) + sorting line (synth://conveyor)")
    fig.tight_layout()
    tmp = path.with_suffix(".tmp.png")
    fig.savefig(tmp, dpi=90)
    plt.close(fig)
    os.replace(tmp, path)
    return path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m foodcam.benchmarks.soak", description=__doc__.split("\n")[0])
    p.add_argument("--minutes", type=float, default=60.0)
    p.add_argument("--interval", type=float, default=15.0, help="seconds between samples")
    p.add_argument("--warmup", type=float, default=90.0, help="seconds excluded from the growth figures")
    p.add_argument("--out", default="benchmarks/results/soak")
    p.add_argument("--kitchen-model", default=None, help="kitchen .onnx (default: a stand-in graph)")
    p.add_argument("--fruit-model", default=None, help="freshness .onnx (default: a stand-in graph)")
    p.add_argument("--line", default=str(DEFAULT_LINE), help="line config for the sorting loop")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("foodcam.actuators").setLevel(logging.WARNING)  # the dry run logs every command
    try:
        report = run(args)
    except FoodcamError as e:
        print(f"soak: error: {e}")
        return 2
    print(json.dumps(report["summary"], indent=2))
    if report["errors"]:
        print("soak: loop errors: " + "; ".join(report["errors"]))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

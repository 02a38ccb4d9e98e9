"""`foodcam run`: a source, a model, sinks, and the loop between them (set up once in camera/loop.py).

    summary = run_loop(RunConfig(model="m.onnx", source=["synth://kitchen"], max_frames=100))   # no argparse
"""

from __future__ import annotations

import logging
import os

from foodcam.camera.loop import (  # noqa: F401 - make_outputs & co. re-exported: the loop's own names
    Job,
    check_loop_outputs,
    make_outputs,
    open_hot_model,
    run_job,
    stop_on_signals,
)
from foodcam.camera.loopconfig import RunConfig
from foodcam.camera.sinks import ScoreSink, Sinks

log = logging.getLogger("foodcam.camera")


class ModelJob(Job):
    """`foodcam run`'s job: the model over the whole frame, drawn over it, with the kitchen analytics."""

    cfg: RunConfig

    def sinks(self, scored: bool) -> Sinks:
        c = self.cfg
        options: dict = {"pan_roi": c.pan_roi} if c.pan_roi else {}
        sinks = Sinks(visualize=c.visualize, alpha=c.alpha, analytics=not c.no_analytics, **options)
        if scored:
            sinks.add(ScoreSink())  # scores frames that carry ground truth (synth://), ignores the rest
        return sinks


def run_loop(cfg: RunConfig, model=None, on_frame=()) -> dict:
    """Run the model over the source(s) until they end, a limit is reached or a signal; the summary.
    `model`: an already open model to use as it is (else --model is opened, and swapped when its file is);
    `on_frame`: hooks called after every rendered frame (Pipeline.on_frame; one returning True ends the run)."""
    check_loop_outputs(cfg)
    return run_job(cfg, ModelJob(cfg), model=model, on_frame=on_frame)


def format_summary(s: dict) -> str:
    stages = " | ".join(f"{k} {v:.1f}" for k, v in s["stages_ms"].items() if v is not None)
    lines = [
        f"{s['frames']} frames in {s['elapsed_s']:.1f} s ({s['fps']:.1f} fps), stopped by {s['stopped_by']}",
        f"  per stage (ms): {stages}" + (f" | latency {s['latency_ms']:.1f}" if s.get("latency_ms") else ""),
        f"  dropped {s['dropped']}, skipped {s['skipped']}, reopened {s['reopens']}",
    ]
    if s.get("model_swaps") or s.get("model_swaps_refused"):
        lines.append(f"  model file replaced: swapped {s['model_swaps']} time(s), refused {s['model_swaps_refused']}")
    if s.get("model_dropped") or s.get("model_reconnects"):
        lines.append(f"  model unreachable: {s.get('model_dropped', 0)} frames dropped, "
                     f"reconnected {s.get('model_reconnects', 0)} time(s)")
    acc = s.get("accuracy")
    if acc:
        lines.append(f"  vs ground truth: mIoU {acc['miou']:.3f}, pixel accuracy {acc['pixel_accuracy']:.3f} "
                     f"over {acc['frames']} frames")
    return "\n".join(lines + format_outputs(s))


def format_outputs(s: dict) -> list[str]:
    """The summary lines every verb of the frame loop prints: events, files written, failed outputs,
    threads that had to be restarted."""
    lines = []
    if s.get("events"):
        lines.append("  events: " + ", ".join(f"{k} {v}" for k, v in s["events"].items()))
    if "collected" in s:
        c = s["collected"]
        lines.append(f"  collected {c['frames']} frames for labelling in {c['path']} (by {c['by']}, 1 in {c['every']})")
    for key in ("video", "images", "events_file"):
        if key in s:
            o = s[key]
            count = f"{o['frames']} frames" if "frames" in o else f"{o['records']} records"
            path = o.get("path")
            if path and not os.path.isfile(path):  # "wrote" only for a file that is there, complete
                lines.append(f"  NOT written {path} ({count} were sent to it; see the error above)")
            else:
                lines.append(f"  wrote {path or o.get('pattern')} ({count})")
    for name, err in s.get("failed_outputs", {}).items():
        lines.append(f"  FAILED output {name}: {err}")
    for name, n in s.get("thread_restarts", {}).items():
        lines.append(f"  RESTARTED thread {name} {n} time(s) after an unexpected error (see the log)")
    return lines


def report(summary: dict) -> int:
    """Print the summary as `foodcam run` does; the exit code (1 when an output failed)."""
    print(format_summary(summary), flush=True)
    for i, st in summary.get("streams", {}).items():
        print(f"  stream {i} ({st['source']}): {st['frames']} frames, {st['fps']:.1f} fps, "
              f"latency {st['latency_ms'] or 0:.1f} ms, dropped {st.get('dropped', 0)}"
              + (f", ENDED: {st['error']}" if st.get("error") else ""), flush=True)
        for line in format_outputs(st):
            print("  " + line, flush=True)
    return 1 if summary.get("failed_outputs") else 0

"""`foodcam run`: a source, a model, sinks, and the loop between them."""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import threading
from collections.abc import Iterator

from foodcam.camera.pipeline import Pipeline
from foodcam.camera.sinks import (
    EventsSink,
    HttpSink,
    ScoreSink,
    Sink,
    Sinks,
    WindowSink,
    display_problem,
    save_sink,
)
from foodcam.camera.sources import Source, describe, open_source
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import write_text_atomic

log = logging.getLogger("foodcam.camera")


def make_sinks(args, source: Source, model) -> list[Sink]:
    """The outputs asked for on the command line (each validated before the first frame)."""
    sinks: list[Sink] = [ScoreSink()]  # scores frames that carry ground truth (synth://), ignores the rest
    for target in args.save or []:
        sinks.append(save_sink(target, fps=source.fps))
    if args.events:
        sinks.append(EventsSink(args.events, interval=args.events_interval))
    if args.serve:
        sinks.append(HttpSink(args.serve, info={"source": describe(args.source), "model": str(args.model)}))
    if args.show:
        problem = display_problem()
        if problem is None:
            sinks.append(WindowSink())
        elif args.show == "require":
            raise FoodcamError(f"--show: cannot open a window: {problem}")
        else:
            log.warning("--show: no window (%s); continuing without it", problem)
    return sinks


@contextlib.contextmanager
def stop_on_signals(pipeline: Pipeline) -> Iterator[None]:
    """SIGTERM and the first Ctrl-C end the run cleanly (outputs finalised); a second Ctrl-C interrupts."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_signal(signum, _frame) -> None:
        name = signal.Signals(signum).name
        if pipeline.stopping and signum == signal.SIGINT:
            raise KeyboardInterrupt
        log.info("%s: finishing the frames in hand and closing the outputs", name)
        pipeline.stop(name)

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def run(args) -> dict:
    """Open everything, run the loop, finalise the outputs; the summary of the run."""
    from foodcam.runtime.open import open_model  # the backend library loads only when a run starts

    with contextlib.ExitStack() as stack:
        source = stack.enter_context(
            open_source(args.source, loop=args.loop, realtime=args.realtime, fps=args.fps, size=args.size,
                        retry=getattr(args, "retry", False), retry_for=getattr(args, "retry_for", None)))
        # spin=False: ONNX Runtime's idle workers sleep instead of spinning, so capture and render threads get
        # the cores (benchmarks/loop_spin.py: +45 % loop FPS on 2 cores)
        threads = {"threads": args.threads} if args.threads else {}
        model = stack.enter_context(open_model(args.model, backend=args.backend, spin=False,
                                                     verify=getattr(args, "verify", False), **threads))
        options = {"pan_roi": args.pan_roi} if args.pan_roi else {}
        sinks = stack.enter_context(
            Sinks(visualize=args.visualize, alpha=args.alpha, analytics=not args.no_analytics, **options))
        for sink in make_sinks(args, source, model):
            sinks.add(sink)
        log.info("running %s on %s", model, describe(args.source))
        pipeline = Pipeline(source, model, sinks)
        with stop_on_signals(pipeline):
            summary = pipeline.run(args.max_frames, args.max_seconds)
    summary["source"] = describe(args.source)
    if sinks.failed:  # finalising may fail too (disk full when closing the video)
        summary["failed_outputs"] = dict(sinks.failed)
    return summary


def format_summary(s: dict) -> str:
    stages = " | ".join(f"{k} {v:.1f}" for k, v in s["stages_ms"].items() if v is not None)
    lines = [
        f"{s['frames']} frames in {s['elapsed_s']:.1f} s ({s['fps']:.1f} fps), stopped by {s['stopped_by']}",
        f"  per stage (ms): {stages}" + (f" | latency {s['latency_ms']:.1f}" if s.get("latency_ms") else ""),
        f"  dropped {s['dropped']}, skipped {s['skipped']}, reopened {s['reopens']}",
    ]
    acc = s.get("accuracy")
    if acc:
        lines.append(f"  vs ground truth: mIoU {acc['miou']:.3f}, pixel accuracy {acc['pixel_accuracy']:.3f} "
                     f"over {acc['frames']} frames")
    if s.get("events"):
        lines.append("  events: " + ", ".join(f"{k} {v}" for k, v in s["events"].items()))
    for key in ("video", "images", "events_file"):
        if key in s:
            o = s[key]
            count = f"{o['frames']} frames" if "frames" in o else f"{o['records']} records"
            lines.append(f"  wrote {o.get('path') or o.get('pattern')} ({count})")
    for name, err in s.get("failed_outputs", {}).items():
        lines.append(f"  FAILED output {name}: {err}")
    return "\n".join(lines)


def main(args) -> int:
    summary = run(args)
    print(format_summary(summary), flush=True)
    if args.summary:
        write_text_atomic(args.summary, json.dumps(summary, indent=2, default=str) + "\n")
    return 1 if summary.get("failed_outputs") else 0

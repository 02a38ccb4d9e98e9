"""`foodcam run`: a source, a model, sinks, and the loop between them."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import threading
from collections.abc import Iterator

from foodcam.camera.hotswap import POLL_S, reload_on_sighup, watch
from foodcam.camera.pipeline import Pipeline
from foodcam.camera.scene_fit import check_scene
from foodcam.camera.sinks import (
    CollectSink,
    HttpSink,
    Rotation,
    ScoreSink,
    Sink,
    Sinks,
    WindowSink,
    check_collectable,
    display_problem,
    events_sink,
    save_sink,
)
from foodcam.camera.sources import Source, describe, open_source
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import write_text_atomic

log = logging.getLogger("foodcam.camera")


def make_outputs(args, source: Source, info: dict | None = None, model=None) -> list[Sink]:
    """The outputs asked for on the command line (--save, --events, --serve, --show, with --rotate/--keep;
    --collect; camera/cli.py adds them to a verb), each validated before the first frame. `info`: what the live
    page shows besides the stats; `model`: the model run (--collect-by uncertain checks its outputs)."""
    sinks: list[Sink] = []
    rotation = Rotation.parse(getattr(args, "rotate", None), getattr(args, "keep", None))
    if rotation is not None and not rotation.rotates and not any("%" in t for t in args.save or []):
        raise FoodcamError("--keep N needs --rotate SIZE|TIME (videos, --events) or an image-sequence --save")
    if rotation is not None and rotation.rotates and not (args.save or args.events):
        raise FoodcamError("--rotate needs something to rotate: --save out.mp4 or --events run.jsonl")
    for target in args.save or []:
        sinks.append(save_sink(target, fps=source.fps, rotation=rotation))
    if args.events:
        sinks.append(events_sink(args.events, interval=args.events_interval, rotation=rotation))
    if getattr(args, "collect", None):
        check_collectable(model, args.collect_by)
        sinks.append(CollectSink(args.collect, every=args.collect_every, mode=args.collect_by,
                                 max_frames=args.collect_max, source=describe(args.source)))
    if args.serve:
        sinks.append(HttpSink(args.serve, info={"source": describe(args.source), "model": str(args.model),
                                                **(info or {})}))
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


def _open_model(args, path=None):
    from foodcam.runtime.open import open_model  # the backend library loads only when a run starts

    # spin=False: ONNX Runtime's idle workers sleep instead of spinning, so capture and render threads get
    # the cores (benchmarks/loop_spin.py: +45 % loop FPS on 2 cores)
    threads = {"threads": args.threads} if args.threads else {}
    return open_model(args.model if path is None else path, backend=args.backend, spin=False,
                      verify=getattr(args, "verify", False), **threads)


def open_hot_model(args, opener):
    """The model at --model, replaced between two frames when its file is replaced or on SIGHUP
    (camera/hotswap.py; --model-poll 0: on SIGHUP only)."""
    poll = getattr(args, "model_poll", None)
    return watch(opener(args), args.model, lambda path: opener(args, path), POLL_S if poll is None else poll,
                 pinned=getattr(args, "model_sha256", None))


def run(args) -> dict:
    """Open everything, run the loop, finalise the outputs; the summary of the run."""
    sources = args.source if isinstance(args.source, list) else [args.source]
    if len(sources) > 1 or getattr(args, "batch", None):
        from foodcam.camera.multistream_app import run_streams

        return run_streams(args, sources, _open_model, make_outputs, stop_on_signals)
    args.source = sources[0]
    with contextlib.ExitStack() as stack:
        source = stack.enter_context(
            open_source(args.source, loop=args.loop, realtime=args.realtime, fps=args.fps, size=args.size,
                        retry=getattr(args, "retry", False), retry_for=getattr(args, "retry_for", None)))
        model = stack.enter_context(open_hot_model(args, _open_model))
        scored = check_scene(args.source, model.task, args.model)  # a synth:// scene made for another task: refused
        options = {"pan_roi": args.pan_roi} if args.pan_roi else {}
        sinks = stack.enter_context(
            Sinks(visualize=args.visualize, alpha=args.alpha, analytics=not args.no_analytics, **options))
        if scored:
            sinks.add(ScoreSink())  # scores frames that carry ground truth (synth://), ignores the rest
        for sink in make_outputs(args, source, model=model):
            sinks.add(sink)
        log.info("running %s on %s", model, describe(args.source))
        pipeline = Pipeline(source, model, sinks)
        with stop_on_signals(pipeline), reload_on_sighup(model):
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


def main(args) -> int:
    summary = run(args)
    args.result = summary  # foodcam/api.py
    print(format_summary(summary), flush=True)
    for i, st in summary.get("streams", {}).items():
        print(f"  stream {i} ({st['source']}): {st['frames']} frames, {st['fps']:.1f} fps, "
              f"latency {st['latency_ms'] or 0:.1f} ms, dropped {st.get('dropped', 0)}"
              + (f", ENDED: {st['error']}" if st.get("error") else ""), flush=True)
        for line in format_outputs(st):
            print("  " + line, flush=True)
    if args.summary:
        write_text_atomic(args.summary, json.dumps(summary, indent=2, default=str) + "\n")
    return 1 if summary.get("failed_outputs") else 0

"""`foodcam sort`: the sorting line in the same frame loop as `foodcam run` (camera/pipeline.py).

    source -> Pipeline -> SortStage (track, classify, decide, schedule the ejector, audit) -> outputs

Every output of `foodcam run` works here (--save, --serve, --events, --show), drawn by the line's own
visualiser (draw.py); a source with ground truth is scored by LineScoreSink (score.py).
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Sequence

from foodcam.camera.actuators import open_actuator
from foodcam.camera.actuators.config import DryRunConfig
from foodcam.camera.app import format_outputs, make_outputs, open_hot_model, stop_on_signals
from foodcam.camera.hotswap import reload_on_sighup
from foodcam.camera.pipeline import Pipeline
from foodcam.camera.scene_fit import check_scene
from foodcam.camera.sinks import Rendered, Sinks
from foodcam.camera.sorting.audit import AuditLog
from foodcam.camera.sorting.draw import LineVisualizer
from foodcam.camera.sorting.line import LineConfig, load_line
from foodcam.camera.sorting.score import LineScoreSink
from foodcam.camera.sorting.stage import SortStage
from foodcam.camera.sources import FileSource, describe, make_grabber, open_source, parse_uri
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import write_text_atomic

log = logging.getLogger("foodcam.sorting")


def open_line_source(uri: str, realtime: bool = False):
    """Live cameras as they are; synthetic scenes frame by frame (every frame, simulated time) unless
    `realtime`, which paces them on the wall clock like a camera. Videos and image folders are files."""
    spec = parse_uri(uri)
    if spec.kind == "synth" and not realtime:
        return FileSource(make_grabber(spec))
    return open_source(uri, realtime=realtime)


def sort(model, source, line: LineConfig, actuator, audit: AuditLog | None = None, outputs=(),
         max_frames: int | None = None, max_seconds: float | None = None, sim_latency: float | None = None,
         on_frame: Sequence[Callable[[Rendered], bool | None]] = ()) -> dict:
    """Run the line over `source` until it ends or a limit is reached; the summary.

    `max_seconds` counts the source's own time: simulated seconds for synthetic and recorded sources,
    wall-clock seconds for live ones. `outputs`: sinks besides the ground-truth score; `on_frame`: hooks
    called after every rendered frame (Pipeline.on_frame; one returning True ends the run)."""
    stage = SortStage(model, line, actuator, audit, live=source.live, fps=source.fps, sim_latency=sim_latency)
    if max_seconds is not None and not source.live:
        frames = stage.frames_for(max_seconds)
        max_frames, max_seconds = min(frames, max_frames or frames), None
    with Sinks(visualizer=LineVisualizer(), analytics=False) as sinks:
        sinks.add(LineScoreSink(line))
        for sink in outputs:
            sinks.add(sink)
        pipeline = Pipeline(source, stage, sinks)
        pipeline.on_frame.extend(on_frame)
        with stop_on_signals(pipeline), reload_on_sighup(model):
            summary = pipeline.run(max_frames, max_seconds)
    if sinks.failed:
        summary["failed_outputs"] = dict(sinks.failed)
    return summary


def run(args) -> dict:
    from foodcam.runtime.open import open_model

    if args.max_frames is not None and args.max_frames < 1:
        raise FoodcamError(f"--max-frames {args.max_frames}: expected a positive number of frames")
    if args.max_seconds is not None and args.max_seconds <= 0:
        raise FoodcamError(f"--max-seconds {args.max_seconds}: expected a positive number of seconds")
    sim_latency = getattr(args, "sim_latency", None)
    if sim_latency is not None and not 0 <= sim_latency < 60:
        raise FoodcamError(f"--sim-latency {sim_latency}: expected seconds in 0..60")
    line = load_line(args.line)
    act_cfg = DryRunConfig(pulse_ms=line.pulse_ms) if args.dry_run else line.actuator
    with contextlib.ExitStack() as stack:
        model = stack.enter_context(open_hot_model(args, lambda a, path=None: open_model(path or a.model,
                                                                                       backend=a.backend)))
        check_scene(args.source, model.task, args.model)
        actuator = open_actuator(act_cfg, line=line.name, where=str(args.line))
        stack.callback(actuator.close)
        audit = stack.enter_context(AuditLog(args.audit))
        if not actuator.connect():
            log.warning("actuator %s not connected yet; deciding anyway, commands are missed until it is",
                        actuator.kind)
        source = stack.enter_context(open_line_source(args.source, realtime=args.realtime))
        outputs = make_outputs(args, source, info={"line_name": line.name}, model=model)
        log.info("sorting line %s: %s on %s", line.name, model, describe(args.source))
        summary = sort(model, source, line, actuator, audit, outputs, args.max_frames, args.max_seconds,
                       sim_latency=sim_latency)
    summary.update(source=describe(args.source), audit=args.audit, audit_lines=audit.lines)
    return summary


def format_summary(s: dict) -> str:
    lines = [
        f"frames {s['frames']} ({s.get('clock', '?')} clock, {s['fps']:.1f} fps, stopped by {s['stopped_by']}), "
        f"items {s['items']}: "
        f"rejected {s['rejected']}, diverted {s['diverted']}, passed {s['passed']} "
        f"(low confidence {s['low_confidence']})",
        f"commands: fired {s['fired']}, missed {s['missed']}; not decided: lost {s['lost']}, "
        f"still in view at the end {s['incomplete']}",
    ]
    if "trigger_events" in s:
        lines.append(f"trigger: {s['trigger_events']} event(s); ignored: {s['trigger_glitches']} glitch(es), "
                     f"{s['trigger_repeated']} repeated state(s), {s['trigger_malformed']} malformed")
    if "actuator" in s:
        a = s["actuator"]
        lines.append(f"actuator {a['type']}: sent {a['sent']}, reconnects {a['reconnects']}, "
                     f"{'connected' if a['connected'] else 'NOT connected'}")
    t = s.get("truth")
    if t:
        err = t["max_timing_error_s"]
        lines.append(
            f"vs ground truth: {t['counted_once']}/{t['expected']} items counted once, accuracy "
            f"{t['accuracy']:.3f} (fruit {t['fruit_accuracy']:.3f}), "
            f"max timing error {'-' if err is None else f'{1000 * err:.1f} ms'}"
            + (f"; not counted {t['not_counted']}" if t["not_counted"] else "")
            + (f"; counted twice {t['counted_twice']}" if t["counted_twice"] else "")
            + (f"; {t['false_items']} false item(s)" if t["false_items"] else "")
        )
    if s.get("model_swaps") or s.get("model_swaps_refused"):
        lines.append(f"model file replaced: swapped {s['model_swaps']} time(s), refused {s['model_swaps_refused']}")
    if s.get("audit"):
        lines.append(f"audit log: {s['audit']} ({s['audit_lines']} item line(s) added)")
    return "\n".join(lines + format_outputs(s))


def main(args) -> int:
    summary = run(args)
    print(format_summary(summary), flush=True)
    if args.json:
        write_text_atomic(args.json, json.dumps(summary, indent=2, default=str))
    return 1 if summary.get("failed_outputs") else 0

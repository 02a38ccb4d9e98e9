"""`foodcam sort`: the sorting line in the same frame loop as `foodcam run` (camera/pipeline.py).

    source -> Pipeline -> SortStage (track, classify, decide, schedule the ejector, audit) -> outputs

Every output of `foodcam run` works here (--save, --serve, --events, --show), drawn by the line's own
visualiser (draw.py); a source with ground truth is scored by LineScoreSink (score.py).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence

from foodcam.camera.actuators import Actuator, open_actuator
from foodcam.camera.actuators.config import DryRunConfig
from foodcam.camera.app import format_outputs
from foodcam.camera.hotswap import reload_on_sighup
from foodcam.camera.loop import Job, check_loop_outputs, run_job, stop_on_signals
from foodcam.camera.pipeline import Pipeline
from foodcam.camera.sinks import Rendered, Sinks
from foodcam.camera.sorting.audit import AuditLog
from foodcam.camera.sorting.config import SortConfig
from foodcam.camera.sorting.draw import LineVisualizer
from foodcam.camera.sorting.line import LineConfig, load_line
from foodcam.camera.sorting.score import LineScoreSink
from foodcam.camera.sorting.stage import SortStage
from foodcam.camera.sources import FileSource, describe, make_grabber, open_source, parse_uri

log = logging.getLogger("foodcam.sorting")


def open_line_source(uri: str, realtime: bool = False, loop: bool = False, fps: float | None = None,
                     size: tuple[int, int] | None = None, retry: bool | None = False,
                     retry_for: float | None = None):
    """Live cameras as they are; synthetic scenes frame by frame (every frame, simulated time) unless
    `realtime`, which paces them on the wall clock like a camera. Videos and image folders are files."""
    if str(uri).startswith("synth://") and not realtime:
        spec = parse_uri(uri)
        return FileSource(make_grabber(spec, fps=fps, size=size), loop=loop)
    return open_source(uri, loop=loop, realtime=realtime, fps=fps, size=size, retry=retry, retry_for=retry_for)


def line_sinks(line: LineConfig) -> Sinks:
    """The line drawn by its own visualiser; a source with ground truth scored (LineScoreSink)."""
    sinks = Sinks(visualizer=LineVisualizer(), analytics=False)
    sinks.add(LineScoreSink(line))
    return sinks


def line_limits(stage: SortStage, live: bool, max_frames: int | None,
                max_seconds: float | None) -> tuple[int | None, float | None]:
    """`max_seconds` counts the source's own time: simulated seconds (as frames) for synthetic and recorded
    sources, wall-clock seconds for live ones."""
    if max_seconds is not None and not live:
        frames = stage.frames_for(max_seconds)
        return min(frames, max_frames or frames), None
    return max_frames, max_seconds


def sort(model, source, line: LineConfig, actuator, audit: AuditLog | None = None, outputs=(),
         max_frames: int | None = None, max_seconds: float | None = None, sim_latency: float | None = None,
         on_frame: Sequence[Callable[[Rendered], bool | None]] = ()) -> dict:
    """Run the line over an open `source` until it ends or a limit is reached; the summary (the loop without
    its setup, for callers that open source, model and actuator themselves; `foodcam sort` is sort_line).

    `outputs`: sinks besides the ground-truth score; `on_frame`: hooks called after every rendered frame
    (Pipeline.on_frame; one returning True ends the run)."""
    stage = SortStage(model, line, actuator, audit, live=source.live, fps=source.fps, sim_latency=sim_latency)
    max_frames, max_seconds = line_limits(stage, source.live, max_frames, max_seconds)
    with line_sinks(line) as sinks:
        for sink in outputs:
            sinks.add(sink)
        pipeline = Pipeline(source, stage, sinks)
        pipeline.on_frame.extend(on_frame)
        with stop_on_signals(pipeline), reload_on_sighup(model):
            summary = pipeline.run(max_frames, max_seconds)
    if sinks.failed:
        summary["failed_outputs"] = dict(sinks.failed)
    return summary


class SortJob(Job):
    """`foodcam sort`'s part of the loop: the line's stage, its ejector and audit log, its drawing and scoring."""

    name, batches = "sort", False
    cfg: SortConfig

    def __init__(self, cfg: SortConfig) -> None:
        super().__init__(cfg)
        self.line = load_line(cfg.line)
        self.actuator: Actuator | None = None
        self.audit: AuditLog | None = None

    def open_source(self, uri: str):
        c = self.cfg
        return open_line_source(uri, realtime=c.realtime, loop=c.loop, fps=c.fps, size=c.size, retry=c.retry,
                                retry_for=c.retry_for)

    def open(self, stack: contextlib.ExitStack, model) -> None:
        act_cfg = DryRunConfig(pulse_ms=self.line.pulse_ms) if self.cfg.dry_run else self.line.actuator
        self.actuator = actuator = open_actuator(act_cfg, line=self.line.name, where=str(self.cfg.line))
        stack.callback(actuator.close)
        self.audit = stack.enter_context(AuditLog(self.cfg.audit))
        if not actuator.connect():
            log.warning("actuator %s not connected yet; deciding anyway, commands are missed until it is",
                        actuator.kind)

    def sinks(self, scored: bool) -> Sinks:
        return line_sinks(self.line)

    def stage(self, model, source):
        return SortStage(model, self.line, self.actuator, self.audit, live=source.live, fps=source.fps,
                         sim_latency=self.cfg.sim_latency)

    def limits(self, stage, source) -> tuple[int | None, float | None]:
        return line_limits(stage, source.live, self.cfg.max_frames, self.cfg.max_seconds)

    def started(self, model, uri: str) -> None:
        log.info("sorting line %s: %s on %s", self.line.name, model, describe(uri))

    def info(self) -> dict:
        return {"line_name": self.line.name}

    def finish(self, summary: dict) -> None:
        summary.update(audit=self.cfg.audit, audit_lines=self.audit.lines if self.audit else 0)


def sort_line(cfg: SortConfig, model=None, on_frame=()) -> dict:
    """Run the sorting line as configured until the source ends, a limit is reached or a signal; the summary.
    `model`: an already open model to use as it is (else --model is opened, and swapped when its file is)."""
    check_loop_outputs(cfg, ("--audit", cfg.audit, "file"))
    return run_job(cfg, SortJob(cfg), model=model, on_frame=on_frame)


def format_summary(s: dict) -> str:
    lines = [
        f"frames {s['frames']} ({s.get('clock', '?')} clock, {s['fps']:.1f} fps, stopped by {s['stopped_by']}), "
        f"items {s['items']}: "
        f"rejected {s['rejected']}, diverted {s['diverted']}, passed {s['passed']} "
        f"(low confidence {s['low_confidence']}, unsure {s.get('unsure', 0)})",
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


def report(summary: dict) -> int:
    """Print the summary as `foodcam sort` does; the exit code (1 when an output failed)."""
    print(format_summary(summary), flush=True)
    return 1 if summary.get("failed_outputs") else 0

"""The one setup of the frame loop: open the source(s), the model and the outputs, run the Pipeline, close it all.

    summary = run_job(cfg, ModelJob(cfg))            # foodcam run (one source, or several batched)
    summary = run_job(cfg, SortJob(cfg))             # foodcam sort (camera/sorting/app.py)

Every verb of the loop takes `LoopOptions` (camera/loopconfig.py); what a verb adds is a `Job`: its per-frame
stage, the frame sinks that draw and score its results, and what it opens besides (an ejector, an audit log).
Sources honour --retry/--retry-for/--loop/--realtime/--fps/--size; the model is hot-swapped when its file is
replaced (--model-poll, SIGHUP) unless a loaded model is passed in, which is used as it is; every output
(--save, --events, --serve, --show, --collect, with --rotate/--keep) works for every job. Several --source run
through one model, batched (camera/multistream.py): each stream gets its own outputs, `{stream}` in a path
replaced by its number.
"""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import threading
from collections.abc import Iterator
from typing import Any

from foodcam.camera.hotswap import POLL_S, reload_on_sighup, watch
from foodcam.camera.loopconfig import LoopOptions
from foodcam.camera.multistream import STREAM_FIELD, BatchStage, MultiSource, StreamSinks
from foodcam.camera.pipeline import Pipeline
from foodcam.camera.scene_fit import check_scene
from foodcam.camera.sinks import (
    CollectSink,
    HttpSink,
    Rotation,
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

log = logging.getLogger("foodcam.camera")


class Job:
    """What a verb adds to the loop. This base is `foodcam run`'s job: the model over the whole frame."""

    name = "run"
    batches = True  # several --source can share one model, batched

    def __init__(self, cfg: LoopOptions) -> None:
        self.cfg = cfg

    def open_source(self, uri: str) -> Source:
        c = self.cfg
        return open_source(uri, loop=c.loop, realtime=c.realtime, fps=c.fps, size=c.size, retry=c.retry,
                           retry_for=c.retry_for)

    def open(self, stack: contextlib.ExitStack, model) -> None:
        """Open what the job needs besides the model (closed by `stack`)."""

    def sinks(self, scored: bool) -> Sinks:
        """The frame sinks of one stream (drawing the job's results; `scored`: the source has ground truth)."""
        raise NotImplementedError

    def stage(self, model, source: Source):
        """The per-frame stage over one source (a model runs as ModelStage)."""
        return model

    def limits(self, stage, source: Source) -> tuple[int | None, float | None]:
        return self.cfg.max_frames, self.cfg.max_seconds

    def started(self, model, uri: str) -> None:
        log.info("running %s on %s", model, describe(uri))

    def info(self) -> dict:
        """What the live page shows besides the stats."""
        return {}

    def finish(self, summary: dict) -> None:
        """Add the job's own lines to the summary."""


def _open_model(cfg: LoopOptions, path=None):
    from foodcam.runtime.open import open_model  # the backend library loads only when a run starts

    # spin=False: ONNX Runtime's idle workers sleep instead of spinning, so capture and render threads get
    # the cores (benchmarks/loop_spin.py: +45 % loop FPS on 2 cores)
    threads: dict[str, Any] = {"threads": cfg.threads} if cfg.threads else {}
    return open_model(cfg.model if path is None else path, backend=cfg.backend, spin=False, verify=cfg.verify,
                      **threads)


def open_hot_model(cfg: LoopOptions, opener=_open_model):
    """The model at --model, replaced between two frames when its file is replaced or on SIGHUP
    (camera/hotswap.py; --model-poll 0: on SIGHUP only)."""
    from foodcam.pinned import check as check_pinned

    check_pinned(cfg)  # --model-sha256: before the file is opened
    poll = POLL_S if cfg.model_poll is None else cfg.model_poll
    return watch(opener(cfg), cfg.model, lambda path: opener(cfg, path), poll, pinned=cfg.model_sha256)


def check_loop_outputs(cfg: LoopOptions, *extra: tuple[str, object, str]) -> list:
    """Check every file output of the loop (and `extra` (flag, path, kind) ones) for writability before the model
    loads; returns the paths given, for the closing `wrote` line."""
    from foodcam.runtime.outdir import check_outputs

    outputs = [("--save", cfg.save, "file"), ("--events", cfg.events, "file"), ("--collect", cfg.collect, "dir"),
               ("--summary", cfg.summary, "file"), *extra]
    check_outputs(outputs)
    return [p for _, v, _ in outputs for p in (v if isinstance(v, list) else [v]) if p]


def make_outputs(cfg: LoopOptions, source: Source, info: dict | None = None, model=None) -> list[Sink]:
    """The outputs asked for (--save, --events, --serve, --show, with --rotate/--keep; --collect), each validated
    before the first frame. `info`: what the live page shows besides the stats; `model`: the model run
    (--collect-by uncertain checks its outputs)."""
    sinks: list[Sink] = []
    rotation = Rotation.parse(cfg.rotate, cfg.keep)
    if rotation is not None and not rotation.rotates and not any("%" in t for t in cfg.save):
        raise FoodcamError("--keep N needs --rotate SIZE|TIME (videos, --events) or an image-sequence --save")
    if rotation is not None and rotation.rotates and not (cfg.save or cfg.events):
        raise FoodcamError("--rotate needs something to rotate: --save out.mp4 or --events run.jsonl")
    for target in cfg.save:
        sinks.append(save_sink(target, fps=source.fps, rotation=rotation))
    if cfg.events:
        sinks.append(events_sink(cfg.events, interval=cfg.events_interval, rotation=rotation))
    name = describe(cfg.source[0])
    if cfg.collect:
        check_collectable(model, cfg.collect_by)
        sinks.append(CollectSink(cfg.collect, every=cfg.collect_every, mode=cfg.collect_by,
                                 max_frames=cfg.collect_max, source=name))
    if cfg.serve:
        sinks.append(HttpSink(cfg.serve, info={"source": name, "model": str(cfg.model), **(info or {})}))
    if cfg.show:
        problem = display_problem()
        if problem is None:
            sinks.append(WindowSink())
        elif cfg.show == "require":
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


def stream_config(cfg: LoopOptions, i: int, source: str) -> LoopOptions:
    """The outputs of stream `i`: the run's options with {stream} filled in."""
    fill = {k: getattr(cfg, k).replace(STREAM_FIELD, str(i)) for k in ("events", "collect") if getattr(cfg, k)}
    return cfg.model_copy(update={"source": [source], "save": [t.replace(STREAM_FIELD, str(i)) for t in cfg.save],
                                  **fill})


def check_stream_outputs(cfg: LoopOptions, n: int) -> None:
    if n < 2:
        return
    for value in cfg.save:
        if STREAM_FIELD not in value:
            raise FoodcamError(f"--save {value}: with {n} streams put {STREAM_FIELD} in the path (out_{{stream}}.mp4)")
    for key in ("events", "collect"):
        value = getattr(cfg, key)
        if value and STREAM_FIELD not in value:
            raise FoodcamError(f"--{key} {value}: with {n} streams put {STREAM_FIELD} in the path")
    if cfg.serve or cfg.show:
        raise FoodcamError("--serve/--show show one stream; with several --source use per-stream --save/--events")


def run_job(cfg: LoopOptions, job: Job, model=None, on_frame=()) -> dict:
    """Open the sources, the model (or use `model`, already open) and the outputs; run the job's stage over
    every frame until the source ends, a limit is reached or a signal; the summary (also written to --summary).
    `on_frame`: hooks called after every rendered frame (Pipeline.on_frame)."""
    sources = list(cfg.source)
    many = len(sources) > 1 or cfg.batch is not None
    if many and not job.batches:
        raise FoodcamError(f"foodcam {job.name} runs one source; give one --source (and no --batch)")
    check_stream_outputs(cfg, len(sources))
    with contextlib.ExitStack() as stack:
        opened = [stack.enter_context(job.open_source(uri)) for uri in sources]
        if model is None:
            model = stack.enter_context(open_hot_model(cfg))
        scored = [check_scene(uri, model.task, cfg.model) for uri in sources]  # a scene made for another task: refused
        job.open(stack, model)
        per_stream = []
        for i, (uri, src) in enumerate(zip(sources, opened)):
            sinks = stack.enter_context(job.sinks(scored[i]))
            for sink in make_outputs(stream_config(cfg, i, uri) if many else cfg, src, job.info(), model=model):
                sinks.add(sink)
            per_stream.append(sinks)
        if many:
            batch = cfg.batch or len(sources)
            if model.input_spec.shape[0] != -1 and batch > 1:
                log.warning("%s takes a fixed batch of %s: frames go one per call (export with --dynamic-batch)",
                            model.path, model.input_spec.shape[0])
                batch = 1
            source: Source = MultiSource(opened, batch=batch)
            stack.callback(source.close)
            outputs = stack.enter_context(StreamSinks(per_stream, [describe(u) for u in sources]))
            outputs.source = source
            stage = BatchStage(model)
            log.info("running %s on %d streams, up to %d frames per call", model, len(sources), batch)
        else:
            source, outputs = opened[0], per_stream[0]
            stage = job.stage(model, source)
            job.started(model, sources[0])
        max_frames, max_seconds = job.limits(stage, source)
        pipeline = Pipeline(source, stage, outputs)
        pipeline.on_frame.extend(on_frame)
        with stop_on_signals(pipeline), reload_on_sighup(model):
            summary = pipeline.run(max_frames, max_seconds)
    summary["source"] = " | ".join(describe(u) for u in sources)
    if outputs.failed:  # finalising may fail too (disk full when closing the video)
        summary["failed_outputs"] = dict(outputs.failed)
    job.finish(summary)
    if cfg.summary:
        from foodcam.runtime.imageio import write_text_atomic

        write_text_atomic(cfg.summary, json.dumps(summary, indent=2, default=str) + "\n")
    return summary

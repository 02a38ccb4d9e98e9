"""`foodcam run --source A --source B ...`: N streams, one model, one loop (camera/multistream.py).

Each stream gets its own outputs from the same flags, with `{stream}` in a path replaced by the stream's
number: `--save 'out_{stream}.mp4' --events 'ev_{stream}.jsonl'`. A path without `{stream}` would have every
stream write one file: refused. --serve and --show show one picture: refused with several streams.
"""

from __future__ import annotations

import argparse
import contextlib
import logging

from foodcam.camera.multistream import STREAM_FIELD, BatchStage, MultiSource, StreamSinks
from foodcam.camera.pipeline import Pipeline
from foodcam.camera.scene_fit import check_scene
from foodcam.camera.sinks import ScoreSink, Sinks
from foodcam.camera.sources import describe, open_source
from foodcam.runtime.errors import FoodcamError

log = logging.getLogger("foodcam.camera")


def stream_args(args, i: int, source: str) -> argparse.Namespace:
    """The outputs of stream `i`: the run's flags with {stream} filled in."""
    one = argparse.Namespace(**vars(args))
    one.source = source
    one.save = [t.replace(STREAM_FIELD, str(i)) for t in args.save or []]
    for key in ("events", "collect"):
        if getattr(args, key, None):
            setattr(one, key, getattr(args, key).replace(STREAM_FIELD, str(i)))
    return one


def check_outputs(args, n: int) -> None:
    if n < 2:
        return
    for flag, value in (("--save", t) for t in args.save or []):
        if STREAM_FIELD not in value:
            raise FoodcamError(f"{flag} {value}: with {n} streams put {STREAM_FIELD} in the path (out_{{stream}}.mp4)")
    for key in ("events", "collect"):
        value = getattr(args, key, None)
        if value and STREAM_FIELD not in value:
            raise FoodcamError(f"--{key} {value}: with {n} streams put {STREAM_FIELD} in the path")
    if args.serve or args.show:
        raise FoodcamError("--serve/--show show one stream; with several --source use per-stream --save/--events")


def run_streams(args, sources: list[str], open_model, make_outputs, stop_on_signals) -> dict:
    batch = args.batch if args.batch is not None else len(sources)
    if batch < 1:
        raise FoodcamError(f"--batch {batch}: expected at least 1")
    check_outputs(args, len(sources))
    with contextlib.ExitStack() as stack:
        opened = [stack.enter_context(
            open_source(uri, loop=args.loop, realtime=args.realtime, fps=args.fps, size=args.size,
                        retry=getattr(args, "retry", False), retry_for=getattr(args, "retry_for", None)))
            for uri in sources]
        model = stack.enter_context(open_model(args))
        scored = [check_scene(uri, model.task, args.model) for uri in sources]
        if model.input_spec.shape[0] != -1 and batch > 1:
            log.warning("%s takes a fixed batch of %s: frames go one per call (export with --dynamic-batch)",
                        model.path, model.input_spec.shape[0])
            batch = 1
        options = {"pan_roi": args.pan_roi} if args.pan_roi else {}
        per_stream = []
        for i, uri in enumerate(sources):
            sinks = stack.enter_context(
                Sinks(visualize=args.visualize, alpha=args.alpha, analytics=not args.no_analytics, **options))
            if scored[i]:
                sinks.add(ScoreSink())
            for sink in make_outputs(stream_args(args, i, uri), opened[i], model=model):
                sinks.add(sink)
            per_stream.append(sinks)
        source = MultiSource(opened, batch=batch)
        stack.callback(source.close)
        outputs = stack.enter_context(StreamSinks(per_stream, [describe(u) for u in sources]))
        outputs.source = source
        log.info("running %s on %d streams, up to %d frames per call", model, len(sources), batch)
        pipeline = Pipeline(source, BatchStage(model), outputs)
        with stop_on_signals(pipeline):
            summary = pipeline.run(args.max_frames, args.max_seconds)
    summary["source"] = " | ".join(describe(u) for u in sources)
    if outputs.failed:
        summary["failed_outputs"] = dict(outputs.failed)
    return summary

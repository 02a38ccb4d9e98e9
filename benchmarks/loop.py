"""The end-to-end number: the camera loop (`camera.pipeline.Pipeline`, as `foodcam run` uses it) on a
synthetic source, with the overlay drawn every frame as a display would and the masks scored against the
source's ground truth. The default source is unpaced (fps=0): it renders as fast as it can, so the loop
runs at the pace of its slowest stage, and the renderer shares the CPU like a camera driver would.
"""

from __future__ import annotations

from foodcam.runtime.errors import FoodcamError

DEFAULT_SOURCE = "synth://{task}?fps=0"
WARMUP_FRAMES = 5


def loop_source(task_name: str, source: str | None = None) -> str:
    """The source URI for a model's task (synth://<task> unpaced), or the user's own."""
    if source:
        return source
    from foodcam.scenes import FEEDS

    if task_name not in FEEDS:
        raise FoodcamError(f"no synthetic scene for task {task_name!r} (have {', '.join(sorted(FEEDS))}); "
                           "give --loop-source")
    return DEFAULT_SOURCE.format(task=task_name)


def _draw_sink():
    from foodcam.camera.sinks import Sink

    class DrawSink(Sink):
        """Draws the annotated frame (what a window or video sink pays for) and keeps it in memory."""

        name = "draw"

        def write(self, out) -> None:
            self.last = out.image

    return DrawSink()


def run_loop(model, frames: int, source: str | None = None, warmup: int = WARMUP_FRAMES) -> dict:
    """Run the camera loop for `frames` frames after `warmup` frames; the pipeline's summary
    (fps, per-stage ms, latency, mIoU vs ground truth) plus the source URI."""
    from foodcam.camera.pipeline import Pipeline
    from foodcam.camera.sinks import ScoreSink, Sinks
    from foodcam.camera.sources import open_source

    if frames < 1:
        raise FoodcamError(f"--loop-frames {frames}: expected at least 1")
    uri = loop_source(model.task.name, source)
    with open_source(uri) as src:
        if warmup:
            with Sinks([_draw_sink()]) as sinks:
                Pipeline(src, model, sinks, log_interval=1e9).run(max_frames=warmup)
        with Sinks([_draw_sink(), ScoreSink()]) as sinks:
            summary = Pipeline(src, model, sinks, log_interval=1e9).run(max_frames=frames)
    keep = ("frames", "elapsed_s", "fps", "latency_ms", "stages_ms", "dropped", "skipped", "accuracy", "stopped_by")
    out = {k: summary.get(k) for k in keep if k in summary}
    out["source"] = uri
    return out

"""Outputs of a run, several at once: video file, image sequence, JSON Lines events, window, HTTP live view,
frames collected for labelling.

`Sinks([...]).render(frame, result)` draws the annotated frame once and gives it to every sink;
a sink that fails is reported once and disabled, the others carry on.
"""

from __future__ import annotations

from foodcam.camera.sinks.base import Rendered, Sink, Sinks
from foodcam.camera.sinks.collect import CollectSink, check_collectable
from foodcam.camera.sinks.events import EventsSink
from foodcam.camera.sinks.http import HttpSink
from foodcam.camera.sinks.images import ImageSequenceSink
from foodcam.camera.sinks.score import ScoreSink
from foodcam.camera.sinks.video import VideoSink
from foodcam.camera.sinks.window import WindowSink, display_problem

__all__ = [
    "Rendered", "Sink", "Sinks", "CollectSink", "check_collectable", "EventsSink", "HttpSink", "ImageSequenceSink", "ScoreSink", "VideoSink",
    "WindowSink", "display_problem", "save_sink",
]


def save_sink(target: str, fps: float | None = None) -> Sink:
    """--save: 'out.mp4' is a video, 'out/%06d.jpg' an image sequence."""
    if "%" in target:
        return ImageSequenceSink(target)
    return VideoSink(target, fps=fps)

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
from foodcam.camera.sinks.rotate import RotatingSink, Rotation, VideoBytes
from foodcam.camera.sinks.score import ScoreSink
from foodcam.camera.sinks.stream import StreamSink, is_stream_url
from foodcam.camera.sinks.video import VideoSink
from foodcam.camera.sinks.window import WindowSink, display_problem
from foodcam.runtime.errors import FoodcamError

__all__ = [
    "Rendered", "Sink", "Sinks", "CollectSink", "check_collectable", "EventsSink", "HttpSink",
    "ImageSequenceSink", "ScoreSink", "VideoSink", "WindowSink", "display_problem", "save_sink", "events_sink",
    "Rotation", "RotatingSink", "StreamSink",
]


def save_sink(target: str, fps: float | None = None, rotation: Rotation | None = None) -> Sink:
    """--save: 'out.mp4' is a video (rotated into numbered files with --rotate), 'out/%06d.jpg' an image
    sequence (its newest --keep N images kept), 'rtsp://host:8554/path' or 'rtp://host:5000' a live H.264 stream."""
    if is_stream_url(target):  # --rotate/--keep are about files: a stream has none
        return StreamSink(target, fps=fps)
    if "%" in target:
        if rotation is not None and rotation.rotates:
            raise FoodcamError(f"--save {target}: --rotate applies to video files and --events; "
                               "an image sequence keeps its newest images with --keep N alone")
        return ImageSequenceSink(target, keep=rotation.keep if rotation else None)
    if rotation is None or not rotation.rotates:
        return VideoSink(target, fps=fps)
    VideoSink(target, fps=fps)  # the extension is checked now, not at the first frame
    return RotatingSink(target, rotation, lambda p: VideoSink(p, fps=fps), VideoBytes())


def events_sink(path: str, interval: float | None = None, rotation: Rotation | None = None) -> Sink:
    """--events: one JSON Lines file, or with --rotate a family of them (the one being written keeps `path`)."""
    if rotation is None or not rotation.rotates:
        return EventsSink(path, interval=interval)
    return RotatingSink(path, rotation, lambda p: EventsSink(p, interval=interval), lambda s: s.bytes_written,
                        live=True)

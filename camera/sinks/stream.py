"""--save rtsp://HOST:PORT/PATH | rtp://HOST:PORT: the annotated frames as a live H.264 network stream.

rtsp:// publishes to an RTSP server that accepts RECORD (mediamtx, gst-rtsp-server, `ffmpeg -rtsp_flags listen`);
viewers then play rtsp://HOST:PORT/PATH from that server. rtp:// sends RTP packets (H.264, payload type 96) over
UDP to one receiver. Encoded by ffmpeg or OpenCV's GStreamer (camera/sinks/encoders.py), whichever exists.
"""

from __future__ import annotations

import logging

import cv2

from foodcam.camera.sinks import encoders
from foodcam.camera.sinks.base import Rendered, Sink

log = logging.getLogger("foodcam.camera")
SCHEMES = ("rtsp://", "rtp://")


def is_stream_url(target: str) -> bool:
    return str(target).lower().startswith(SCHEMES)


class StreamSink(Sink):
    """An H.264 stream opened on the first frame (its size); a receiver or server that goes away ends this sink."""

    def __init__(self, url: str, fps: float | None = None) -> None:
        encoders.check_stream_url(url)  # a malformed URL fails before the run starts
        self.url = self.name = url
        self.fps = float(fps) if fps and fps > 0 else 15.0
        self.frames = 0
        self.codec: str | None = None
        self.size: tuple[int, int] | None = None
        self._writer = None

    def write(self, out: Rendered) -> None:
        img = out.image
        if self._writer is None:
            self.size = (img.shape[1], img.shape[0])
            self._writer = encoders.open_stream(self.url, self.fps, self.size)
            self.codec = self._writer.codec
            log.info("streaming %s, %dx%d at %g fps, to %s", self.codec, *self.size, self.fps, self.url)
        if (img.shape[1], img.shape[0]) != self.size:
            img = cv2.resize(img, self.size, interpolation=cv2.INTER_AREA)
        self._writer.write(img)
        self.frames += 1

    def close(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.release()

    def summary(self) -> dict:
        return {"stream": {"url": self.url, "frames": self.frames, "codec": self.codec}}

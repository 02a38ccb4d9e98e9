"""Frame sources selected by URI, as in the Jetson examples.

    0, v4l2:///dev/video0          USB/V4L2 camera
    csi://0                        Jetson CSI camera (GStreamer nvarguscamerasrc; ?flip=N)
    rtsp://host/stream             network camera, lowest latency
    gst://<pipeline>               any GStreamer pipeline ending in (or given) an appsink
    clip.mp4                       a video file
    img.jpg, frames/, 'frames/*.png'   an image file, a directory or a glob of images
    synth://kitchen?fps=15&size=320x240&seed=0   the procedural kitchen, with ground truth

Live sources (cameras, streams, synth) run on their own thread and deliver only the newest frame;
files deliver every frame unless `realtime`, which plays them at their own rate, dropping when behind.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from foodcam.camera.sources import capture
from foodcam.camera.sources.base import FileSource, Grabber, LiveSource, Source
from foodcam.camera.sources.images import ImageGrabber
from foodcam.camera.sources.retry import retry_open
from foodcam.camera.sources.synth import SynthGrabber
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.fmt import one_line
from foodcam.runtime.imageio import is_image, parse_size

__all__ = ["Source", "FileSource", "LiveSource", "SourceURI", "parse_uri", "open_source"]

LIVE_KINDS = ("v4l2", "csi", "rtsp", "gst", "synth")
SYNTH_KEYS = ("fps", "size", "seed", "style")


@dataclass(frozen=True)
class SourceURI:
    kind: str  # v4l2 | csi | rtsp | gst | synth | video | images
    target: str  # device, sensor id, URL, pipeline, scene name or path
    params: dict = field(default_factory=dict)

    @property
    def live(self) -> bool:
        return self.kind in LIVE_KINDS


def parse_uri(uri: str | int) -> SourceURI:
    """What a source URI names; FoodcamError for one that names nothing readable."""
    s = str(uri).strip()
    if len(s) > MAX_URI:
        raise FoodcamError(f"{one_line(s, 60)}: a source URI of {len(s)} characters (at most {MAX_URI})")
    if s.isdigit():
        return SourceURI("v4l2", s)
    if s.startswith("/dev/video"):
        return SourceURI("v4l2", s)
    scheme = s.split("://", 1)[0].lower() if "://" in s else ""
    if scheme == "v4l2":
        return SourceURI("v4l2", s[len("v4l2://"):] or "/dev/video0")
    if scheme == "csi":
        u = urlsplit(s)
        if not u.netloc.isdigit():
            raise FoodcamError(f"{one_line(s, 200)}: expected csi://N with N the sensor id, e.g. csi://0")
        return SourceURI("csi", u.netloc, dict(parse_qsl(u.query)))
    if scheme in ("rtsp", "rtsps"):
        return SourceURI("rtsp", s)
    if scheme == "gst":
        pipeline = s[len("gst://"):].strip()
        if not pipeline:
            raise FoodcamError(f"{one_line(s, 200)}: expected gst://<pipeline>")
        return SourceURI("gst", pipeline)
    if scheme == "synth":
        u = urlsplit(s)
        params = dict(parse_qsl(u.query))
        unknown = sorted(set(params) - set(SYNTH_KEYS))
        if unknown:
            raise FoodcamError(f"{one_line(s, 200)}: unknown option {unknown[0]!r:.40} (known: {', '.join(SYNTH_KEYS)})")
        _check_synth(params, one_line(s, 120))
        return SourceURI("synth", u.netloc, params)
    if scheme == "file":
        s = s[len("file://"):]
    elif scheme:
        raise FoodcamError(f"{one_line(s, 200)}: unknown source scheme {scheme!r}:// (see `foodcam run --help`)")
    p = Path(s)
    if p.is_dir() or (p.is_file() and is_image(p)) or (not p.exists() and any(c in s for c in "*?[")):
        if not p.exists() and not glob.glob(s):
            raise FoodcamError(f"{one_line(s, 200)}: the glob matches no file")
        return SourceURI("images", s)
    if p.is_file():
        return SourceURI("video", s)
    raise FoodcamError(f"{one_line(s, 200)}: no such file, directory, glob or camera")


MAX_URI = 4096
SYNTH_FPS = (0.1, 1000.0)  # frames per second of a synthetic scene; fps=0: unpaced
SYNTH_SIDE = (16, 8192)  # pixels on a side
SYNTH_PIXELS = 4096 * 4096
SYNTH_SEED = 2**32 - 1


def _check_synth(params: dict, uri: str) -> None:
    """FoodcamError naming the option when a synth:// parameter is out of its range (checked once, here)."""
    if "fps" in params:
        fps = _number(params["fps"], uri, "fps")
        if fps != 0 and not SYNTH_FPS[0] <= fps <= SYNTH_FPS[1]:  # NaN and infinities fail this too
            raise FoodcamError(f"{uri}: fps={params['fps']:.20}: expected {SYNTH_FPS[0]:g} to {SYNTH_FPS[1]:g} "
                               "frames per second, or 0 (unpaced: as fast as frames are taken)")
    if "size" in params:
        w, h = _size(params["size"], uri)
        if not (SYNTH_SIDE[0] <= w <= SYNTH_SIDE[1] and SYNTH_SIDE[0] <= h <= SYNTH_SIDE[1]) or w * h > SYNTH_PIXELS:
            raise FoodcamError(f"{uri}: size={params['size']:.24}: expected WxH with sides {SYNTH_SIDE[0]} to "
                               f"{SYNTH_SIDE[1]} and at most {SYNTH_PIXELS // 1_000_000} MP")
    if "seed" in params:
        text = params["seed"].strip()
        if not text.isdigit() or len(text) > 10 or int(text) > SYNTH_SEED:
            raise FoodcamError(f"{uri}: seed={params['seed']:.24}: expected a whole number 0 to {SYNTH_SEED}")


def _size(text: str, uri: str) -> tuple[int, int]:
    try:
        return parse_size(text)
    except ValueError as e:
        raise FoodcamError(f"{uri}: {e}") from None


def _number(text: str, uri: str, what: str, cast=float):
    try:
        return cast(text)
    except ValueError:
        raise FoodcamError(f"{uri}: {what} {text!r:.40} is not a number") from None


def make_grabber(spec: SourceURI, fps: float | None = None, size: tuple[int, int] | None = None) -> Grabber:
    """The grabber for a parsed URI. `fps`/`size` are requests to cameras (and the synth defaults)."""
    k, t, q = spec.kind, spec.target, spec.params
    if k == "v4l2":
        return capture.v4l2(int(t) if t.isdigit() else t, size, fps)
    if k == "csi":
        return capture.csi(int(t), size, fps, flip=_number(q.get("flip", "0"), t, "flip", int))
    if k == "rtsp":
        return capture.rtsp(t)
    if k == "gst":
        return capture.gstreamer(t)
    if k == "synth":
        uri = f"synth://{t}"
        return SynthGrabber(
            t,
            size=_size(q["size"], uri) if "size" in q else (size or (320, 240)),
            fps=_number(q["fps"], uri, "fps") if "fps" in q else (fps or 15.0),
            seed=_number(q.get("seed", "0"), uri, "seed", int),
            style=q.get("style"),
        )
    if k == "video":
        return capture.video_file(t, fps)
    return ImageGrabber(t, fps)


def open_source(uri: str | int, loop: bool = False, realtime: bool = False, fps: float | None = None,
                size: tuple[int, int] | None = None, retry: bool | None = False,
                retry_for: float | None = None) -> Source:
    """Open a frame source by URI (see the module doc). Close it, or use it as a context manager.

    retry: keep trying to open a source that is not up yet, with backoff, logging each attempt
    (camera.sources.retry); None chooses by kind: on for live sources (cameras, streams), off for files and
    synth:// scenes.
    retry_for: give up after this many seconds (None: keep trying until stopped)."""
    if retry is None:
        try:
            spec = parse_uri(uri)
            retry = spec.live and spec.kind != "synth"  # a rendered scene that fails to open never comes up later
        except FoodcamError:
            retry = False  # a missing file: not a live source
    if not retry:
        return _wrap(*_grabber(uri, fps, size), loop, realtime, opened=False)
    if "://" not in str(uri) and not str(uri).strip().isdigit():  # a file path: wait for it to appear, too
        spec, grabber = retry_open(lambda: _opened(*_grabber(uri, fps, size)), describe(uri), give_up_after=retry_for)
    else:  # a malformed URI or a missing GStreamer fails at once; only the open is retried
        spec, grabber = _grabber(uri, fps, size)
        retry_open(grabber.open, describe(uri), give_up_after=retry_for)
    return _wrap(spec, grabber, loop, realtime, opened=True)


def _grabber(uri, fps: float | None, size: tuple[int, int] | None) -> tuple[SourceURI, Grabber]:
    spec = parse_uri(uri)
    return spec, make_grabber(spec, fps=fps, size=size)


def _opened(spec: SourceURI, grabber: Grabber) -> tuple[SourceURI, Grabber]:
    grabber.open()
    return spec, grabber


def _wrap(spec: SourceURI, grabber: Grabber, loop: bool, realtime: bool, opened: bool) -> Source:
    if spec.live:
        return LiveSource(grabber, paced=spec.kind == "synth" and bool(grabber.fps), reconnect=True, opened=opened)
    if realtime:
        return LiveSource(grabber, paced=True, reconnect=False, loop=loop, opened=opened)
    return FileSource(grabber, loop=loop, opened=opened)


def describe(uri: str | int) -> str:
    """A short, credential-free name for logs and summaries."""
    s = str(uri)
    u = urlsplit(s) if "://" in s else None
    if u is not None and u.password:
        return s.replace(f":{u.password}@", ":***@")
    return s

"""Disk hygiene for long runs: `--save out.mp4` and `--events run.jsonl` as a family of files, rotated by size
and/or time, the oldest deleted beyond `--keep N`, so a recording camera never fills its card.

    --rotate 100MB          a new file when the current one reaches 100 MB (KB, MB, GB: powers of 1024)
    --rotate 1h             ... every hour (s, m or min, h, d; "m" is minutes, sizes always end in B)
    --rotate 100MB,1h       whichever comes first
    --keep 10               keep the 10 newest finished files (the one being written comes on top)

Names: out.mp4 -> out.000001-20250101-120000.mp4 (a sequence number, then the local time its segment started).
The sequence continues after the highest number already on disk, so a restarted service never overwrites a file
and `--keep` counts the files of earlier runs too (ordering is by number, not by a clock a Jetson may only set
after boot). Every file in the family is complete: a video segment is written under a temporary name and renamed
into place when it closes; the events file being written keeps its plain name (run.jsonl, for `tail -F`) and is
renamed into the family when its segment closes. A run.jsonl left behind by a killed run joins the family before
a new one starts.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from foodcam.camera.sinks.base import Rendered, Sink
from foodcam.runtime.errors import FoodcamError

log = logging.getLogger("foodcam.camera")

_SIZE = re.compile(r"^(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)$")
_TIME = re.compile(r"^(\d+(?:\.\d+)?)\s*(s|m|min|h|d)$")
_BYTES = {"b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
_SECONDS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rotation:
    """When a file is finished (size, age) and how many finished files stay on disk."""

    max_bytes: int | None = None
    max_seconds: float | None = None
    keep: int | None = None

    @classmethod
    def parse(cls, spec: str | None, keep: int | None = None) -> Rotation | None:
        """`--rotate SPEC --keep N` -> a Rotation (None when neither is given); FoodcamError naming the bad part."""
        if keep is not None and (isinstance(keep, bool) or int(keep) < 1):
            raise FoodcamError(f"--keep {keep}: expected a positive number of files")
        if spec is None:
            return cls(keep=keep) if keep is not None else None
        max_bytes = max_seconds = None
        for part in (p.strip().lower() for p in str(spec).split(",")):
            if (m := _SIZE.match(part)) and max_bytes is None:
                max_bytes = int(float(m[1]) * _BYTES[m[2][0]])
            elif (m := _TIME.match(part)) and max_seconds is None:
                max_seconds = float(m[1]) * _SECONDS[m[2]]
            else:
                raise FoodcamError(f"--rotate {spec}: expected a size (100MB, 2GB), a duration (30m, 1h, 1d) "
                                   "or one of each, comma-separated")
        if not max_bytes and not max_seconds:
            raise FoodcamError(f"--rotate {spec}: a size or duration of zero never rotates")
        return cls(max_bytes or None, max_seconds or None, keep)

    @property
    def rotates(self) -> bool:
        return self.max_bytes is not None or self.max_seconds is not None

    def due(self, size: int, age: float) -> bool:
        return (self.max_bytes is not None and size >= self.max_bytes) or \
            (self.max_seconds is not None and age >= self.max_seconds)


class Family:
    """The numbered files of one output: out.mp4 -> out.000001-20250101-120000.mp4, ..."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.dir, stem, suffix = self.path.parent, self.path.stem, self.path.suffix
        self._re = re.compile(rf"^{re.escape(stem)}\.(\d{{6,}})-\d{{8}}-\d{{6}}{re.escape(suffix)}$")
        self._last = max((n for n, _ in self.files()), default=0)

    def files(self) -> list[tuple[int, Path]]:
        """(number, path) of the family's finished files, oldest first."""
        if not self.dir.is_dir():
            return []
        found = [(int(m[1]), self.dir / name) for name in os.listdir(self.dir) if (m := self._re.match(name))]
        return sorted(found)

    def next_path(self, started: float) -> Path:
        self._last += 1
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(started))
        return self.dir / f"{self.path.stem}.{self._last:06d}-{stamp}{self.path.suffix}"

    def prune(self, keep: int | None) -> list[Path]:
        """Delete all but the `keep` newest finished files; the deleted paths."""
        if keep is None:
            return []
        files = self.files()
        gone = [p for _, p in files[:max(0, len(files) - keep)]]
        for p in gone:
            try:
                p.unlink()
            except FileNotFoundError:
                pass
        return gone


class VideoBytes:
    """The size of a video segment so far, for `--rotate SIZE`.

    OpenCV's MP4 writer (FFmpeg backend) can hold a segment's packets until it is closed, so the file on disk may
    stay at a few bytes while the segment grows (seen with opencv-python-headless 5.0: 44 bytes on disk after 180
    frames, 158 kB when closed). The size is therefore the larger of what is on disk and an estimate: the bytes
    per frame of the segments already finished, or for the first one a conservative tenth of the raw frame size
    (a first segment closes early rather than late)."""

    def __init__(self) -> None:
        self.per_frame: float | None = None

    def __call__(self, sink) -> int:
        on_disk = sink.bytes_written
        if not sink.size:
            return on_disk
        per_frame = self.per_frame or sink.size[0] * sink.size[1] * 3 / 10
        return max(on_disk, int(sink.frames * per_frame))

    def learn(self, path: Path, sink) -> None:
        try:
            if sink.frames:
                self.per_frame = path.stat().st_size / sink.frames
        except OSError:
            pass


class RotatingSink(Sink):
    """One output as a family of files: opens a segment sink on the first frame, closes it when the rotation is
    due, names it into the family and prunes the oldest.

    open_segment(path) -> Sink writes one segment; size(sink) is its bytes so far.
    live: where the segment being written lives (events: the plain name, renamed on close); None: the segment
    sink writes its final family name itself (video: temp file renamed on close).
    """

    def __init__(self, path: str | Path, rotation: Rotation, open_segment: Callable[[Path], Sink],
                 size: Callable[[Sink], int], live: bool = False) -> None:
        self.path = Path(path)
        self.name = str(self.path)
        self.rotation, self.open_segment, self.size = rotation, open_segment, size
        self.family = Family(self.path)
        self.live = self.path if live else None
        self.finished: list[str] = []
        self.deleted = 0
        self.totals: dict[str, int] = {}
        self.kind = ""
        self._current: Sink | None = None
        self._target: Path | None = None
        self._started = 0.0
        self._started_mono = 0.0
        if self.live is not None:
            self._adopt_leftover()

    def _adopt_leftover(self) -> None:
        """A plain-named file left by a run that was killed mid-segment joins the family instead of being
        overwritten."""
        p = self.live
        if p.is_file():
            if p.stat().st_size == 0:
                p.unlink()
            else:
                dst = self.family.next_path(p.stat().st_mtime)
                os.replace(p, dst)
                log.info("%s: kept the file of an earlier run as %s", p, dst.name)

    def _segment(self) -> Sink:
        if self._current is None:
            self._started, self._started_mono = time.time(), time.monotonic()
            if self.live is None:
                self._target = self.family.next_path(self._started)
                self._current = self.open_segment(self._target)
            else:
                self._current = self.open_segment(self.live)
        return self._current

    def write(self, out: Rendered) -> None:
        segment = self._segment()
        segment.write(out)
        if self.rotation.due(self.size(segment), time.monotonic() - self._started_mono):
            self._close_segment()

    def write_events(self, events: list[dict]) -> None:
        """Records without a frame (the end of a run) go to the segment in hand; a records family (events)
        opens one for them if the last frame's record closed its segment."""
        if not events or (self._current is None and self.live is None):
            return
        self._segment().write_events(events)

    def _close_segment(self) -> None:
        sink, self._current = self._current, None
        if sink is None:
            return
        sink.close()  # a video is renamed into place here
        target = self._target
        if self.live is not None:
            target = self.family.next_path(self._started)
            os.replace(self.live, target)
        self.finished.append(str(target))
        learn = getattr(self.size, "learn", None)
        if learn is not None:
            learn(target, sink)
        self._add(self.totals, sink)
        gone = self.family.prune(self.rotation.keep)
        self.deleted += len(gone)
        if gone:
            log.info("%s: deleted %d old file(s) (--keep %d)", self.name, len(gone), self.rotation.keep)

    def close(self) -> None:
        self._close_segment()

    def _add(self, totals: dict[str, int], sink: Sink) -> None:
        """Add a segment's counts (frames, records) to `totals`."""
        for kind, info in sink.summary().items():
            self.kind = kind
            for k, v in info.items():
                if isinstance(v, int) and not isinstance(v, bool):
                    totals[k] = totals.get(k, 0) + v
                elif k == "codec" and v:  # what the video segments are encoded as
                    totals[k] = v

    def summary(self) -> dict:
        totals, files = dict(self.totals), list(self.finished)
        if self._current is not None:  # the segment being written counts too (the summary is taken before close)
            self._add(totals, self._current)
            files.append(str(self._target or self.live))
        if not self.kind:
            return {}
        return {self.kind: {"path": self.name, **totals, "files": files, "deleted": self.deleted}}

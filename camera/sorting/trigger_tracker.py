"""Items from a photo-eye at the camera line (`detection.method: trigger`): no segmentation.

Each blocked..clear interval of the beam is one item. At constant belt speed its centre crosses the beam
halfway through, so its reference time is the interval's midpoint, plus `offset_s` when the beam sits
that many seconds of travel upstream of the camera line (negative: downstream). Frames taken inside the
interval are classified on one fixed window, `roi` [x0, y0, x1, y1] in frame pixels (default: a square of
the lane centred on the camera line, its side the lane's extent across the motion).

    detection:
      method: trigger
      trigger: {type: udp, port: 5005, offset_s: 0.0, min_blocked_s: 0.02, roi: [170, 24, 322, 176]}

Glitches: an interval shorter than `min_blocked_s` is dropped (`trigger_glitches`), a "blocked" while
blocked or a "clear" while clear is ignored (`trigger_repeated`). An interval still open at the end of the
stream is incomplete. The tracks answer what the Sorter asks of any track (items.py: `crossed`,
`cross_time`, `blob`, `frames`, ...): an item has crossed once its beam is clear, or, with
`decision.decide_at: line`, once the expected midpoint has passed (blocked + half the median blocked time
of recent items: the true midpoint is only known at "clear"), and then its command is timed by that
estimate.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from foodcam.camera.sorting.items import Blob, ItemTrack, LaneView
from foodcam.camera.sorting.line import LineConfig
from foodcam.camera.sorting.trigger import SynthTrigger, TriggerInput, open_trigger
from foodcam.runtime.errors import FoodcamError

HISTORY = 15  # completed intervals behind the expected blocked time
VOTE_SHARE = 0.5  # the item votes with the frames of the central half of its interval (whole in the window)


@dataclass
class TriggerTrack(ItemTrack):
    """One blocked..clear interval of the beam (first_seen: blocked; last_seen: clear, or the latest frame)."""

    offset_s: float = 0.0
    clear: float | None = None
    expected_mid: float | None = None  # decide_at line: when the midpoint is expected
    seen: int = 0  # frames taken inside the interval
    now: float = float("-inf")  # time of the latest frame
    belt_speed: float | None = None  # the belt's, when the line knows it
    beam: tuple[float | None, float | None] | None = None  # the beam in frame pixels (for ground truth)

    @property
    def frames(self) -> int:
        return self.seen

    @property
    def speed(self) -> float | None:
        return self.belt_speed

    @property
    def t_ref(self) -> float | None:
        """When the centre crossed the camera line (None while the beam is blocked)."""
        return None if self.clear is None else (self.first_seen + self.clear) / 2 + self.offset_s

    @property
    def vote_span(self) -> tuple[float, float] | None:
        """The frames to decide by: the central VOTE_SHARE of the interval around the reference time, when
        the item lies whole in the window (near the ends of the interval a neighbour shares it)."""
        t_ref = self.cross_time()
        if t_ref is None:
            return None
        half = VOTE_SHARE * (t_ref - self.offset_s - self.first_seen)  # duration / 2 x share
        return t_ref - half, t_ref + half

    def crossed(self, x: float | None = None) -> bool:
        return self.clear is not None or (self.expected_mid is not None and self.now >= self.expected_mid)

    def cross_time(self, x: float | None = None, speed: float | None = None) -> float | None:
        """The reference time (the camera line is where the beam is: `x` and `speed` are not needed)."""
        if self.clear is not None:
            return self.t_ref
        return None if self.expected_mid is None else self.expected_mid + self.offset_s

    @property
    def anchor(self) -> tuple[float | None, float | None] | None:
        """The item in the beam is the one this track classifies (the window's centre need not lie on it)."""
        return None if self.blob is None else self.beam

    def crop(self, image: np.ndarray) -> np.ndarray:
        x0, y0, x1, y1 = self.blob.frame_box  # a fixed window: exactly the roi
        return image[y0:y1, x0:x1]

    def record(self) -> dict:
        """Photo-eye times: blocked, clear (None while blocked) and, deciding at the line, the expected midpoint."""
        times = {"blocked": self.first_seen, "clear": self.clear}
        if self.expected_mid is not None:
            times["expected_mid"] = self.expected_mid
        return {"trigger": times}


class TriggerTracker:
    """`update(frame, t)` -> (tracks in the beam or waiting for their frame, tracks that ended)."""

    def __init__(self, line: LineConfig, shape: tuple[int, int], realtime: bool = False,
                 trigger: TriggerInput | None = None) -> None:
        cfg = line.trigger
        if trigger is None and cfg is None:
            raise FoodcamError(f"{line.source}: detection.trigger: missing section (method is trigger)")
        self.line, self.shape = line, (int(shape[0]), int(shape[1]))
        self.view = LaneView(line.direction, shape)
        lane = self.view(line.lane_mask(shape))
        cols, rows = np.nonzero(lane.any(0))[0], np.nonzero(lane.any(1))[0]
        if not cols.size:
            raise FoodcamError(f"{line.source}: lane: {line.lane} lies outside the {shape[1]}x{shape[0]} frame")
        self.camera_x = (self.view.along(line.camera_line) if line.camera_line is not None
                         else (int(cols.min()) + int(cols.max()) + 1) / 2.0)
        self.offset_s = cfg.offset_s if cfg is not None else 0.0
        self.min_blocked = cfg.min_blocked_s if cfg is not None else 0.02
        box = self._window(cfg.roi_box if cfg is not None else None, lane.shape, int(rows.min()), int(rows.max()) + 1)
        speed = line.speed_px_s  # the beam sits offset_s of travel upstream of the camera line
        self.beam = self.view.frame_point(self.camera_x - self.offset_s * speed if speed else self.camera_x)
        self.window = Blob(box=box, frame_box=self.view.to_frame(box),
                           area=(box[2] - box[0]) * (box[3] - box[1]), partial=False)
        if trigger is None:
            trigger = open_trigger(cfg, beam_x=self.camera_x)  # synth: left_to_right, lane view = frame
            if trigger.wall_clock and not realtime:
                raise FoodcamError(f"{line.source}: detection.trigger.type {cfg.type}: a photo-eye stamps its "
                                   "events on the wall clock, so it needs a live camera (or --realtime); "
                                   "synth://conveyor can use type synth")
            trigger.start()
        self.input = trigger
        self.synth = trigger if isinstance(trigger, SynthTrigger) else None
        self.tracks: list[TriggerTrack] = []  # open (at most one) and closed ones waiting for a later frame
        self.next_id = 0
        self.blocked = False
        self.glitches = self.repeated = 0
        self._durations: deque[float] = deque(maxlen=HISTORY)

    # --- the window ----------------------------------------------------------------------------------
    def _window(self, roi, lane_shape: tuple[int, int], y0: int, y1: int) -> tuple[int, int, int, int]:
        """The classification window in lane-view pixels (across the motion: rows y0..y1), clipped to the frame."""
        h, w = lane_shape
        if roi is None:
            side = y1 - y0
            x0 = int(round(self.camera_x - side / 2))
            box = (x0, y0, x0 + side, y1)
        else:
            box = self._to_lane(roi)
        box = (max(0, box[0]), max(0, box[1]), min(w, box[2]), min(h, box[3]))
        if box[2] <= box[0] or box[3] <= box[1]:
            raise FoodcamError(f"{self.line.source}: detection.trigger.roi: {roi or 'the default window'} lies "
                               f"outside the {self.shape[1]}x{self.shape[0]} frame")
        return box

    def _to_lane(self, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        """A frame box -> the lane view (the inverse of LaneView.to_frame)."""
        x0, y0, x1, y1 = box
        h, w = self.shape
        d = self.line.direction
        if d == "right_to_left":
            return w - x1, y0, w - x0, y1
        if d == "top_to_bottom":
            return y0, x0, y1, x1
        if d == "bottom_to_top":
            return h - y1, x0, h - y0, x1
        return x0, y0, x1, y1

    # --- events --------------------------------------------------------------------------------------
    def _event(self, t: float, blocked: bool) -> None:
        if blocked == self.blocked:
            self.repeated += 1
            return
        self.blocked = blocked
        if blocked:
            tr = TriggerTrack(id=self.next_id, first_seen=t, last_seen=t, offset_s=self.offset_s,
                              belt_speed=self.line.speed_px_s, beam=self.beam)
            if self.line.decision.decide_at == "line" and self._durations:
                tr.expected_mid = t + max(float(np.median(self._durations)) / 2, self.min_blocked)
            self.next_id += 1
            self.tracks.append(tr)
            return
        tr = self.tracks[-1]  # the open one
        if t - tr.first_seen < self.min_blocked:
            self.glitches += 1
            self.tracks.pop()
            self.next_id -= 1  # nothing was recorded under its id
            return
        tr.clear = tr.last_seen = t
        self._durations.append(t - tr.first_seen)

    def feed_truth(self, truth: list, t: float, truth_t: float | None = None) -> None:
        """Ground truth of a simulated source: drives the synth beam."""
        if self.synth is not None:
            self.synth.feed(truth, t, truth_t)

    # --- per frame -----------------------------------------------------------------------------------
    def update(self, frame: np.ndarray, t: float) -> tuple[list[TriggerTrack], list[TriggerTrack]]:
        if self.synth is not None and not self.synth.fed:
            raise FoodcamError(f"{self.line.source}: detection.trigger.type synth derives the beam from the "
                               "ground truth of synth://conveyor; this source has none")
        for te, blocked in sorted(self.input.poll()):
            self._event(te, blocked)
        active, ended = [], []
        for tr in self.tracks:
            tr.blob, tr.now = None, t
            if tr.clear is not None and t >= tr.clear:
                ended.append(tr)
                continue
            if tr.first_seen <= t:  # inside the interval
                tr.blob = self.window
                tr.seen += 1
                if tr.clear is None:
                    tr.last_seen = t
            active.append(tr)
        self.tracks = active
        return active, ended

    def flush(self) -> list[TriggerTrack]:
        """The stream is over: stop the input; every track ends (an open interval is incomplete)."""
        self.input.close()
        ended, self.tracks = self.tracks, []
        return ended

    @property
    def speed(self) -> float | None:
        return self.line.speed_px_s

    def stats(self) -> dict:
        return {"trigger_events": self.input.received, "trigger_glitches": self.glitches,
                "trigger_repeated": self.repeated, "trigger_malformed": self.input.malformed}

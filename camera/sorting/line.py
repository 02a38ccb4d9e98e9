"""line.yaml: how one sorting line is laid out and how it decides. Validated on load; errors name the key.

    name: line-1
    lane: {rect: [0, 29, 640, 211]}          # or {polygon: [[x, y], ...]}: where items are tracked (pixels)
    direction: left_to_right                # belt motion in the image (| right_to_left | top_to_bottom | bottom_to_top)
    camera_line: 320                        # px along the motion axis; an item's reference time is when its
                                            # centre crosses it (default: middle of the lane)
    belt: {speed_px_s: null}                # known image speed of the belt; null: measured per item
    ejector: {travel_time_s: 1.5}           # camera line -> pusher: travel_time_s | distance_m + speed_m_s
                                            # | distance_px (at the belt / measured speed)
    decision:
      reject_threshold: 0.5                 # reject when mean P(rotten) >= this
      low_confidence: {band: 0.1, action: reject}   # |P - threshold| < band, or < min_frames votes: reject|pass|divert
      min_frames: 3
      decide_at: exit                       # exit: when the item leaves the lane | line: when it crosses camera_line
    detection: {method: belt, min_area_px: 400, threshold: 5.0, max_missed: 3}   # belt | mog2: foreground
    # or a photo-eye (light barrier) across the belt at camera_line: one item per blocked..clear interval
    # detection:
    #   method: trigger
    #   trigger:
    #     type: udp                         # udp (host: 127.0.0.1, port) | serial (port, baudrate)
    #     port: 5005                        # | gpio (pin, mode: BOARD|BCM, active_low) | synth (synth://conveyor)
    #     offset_s: 0.0                     # beam -> camera line, seconds of travel (negative: beam downstream)
    #     min_blocked_s: 0.02               # shorter intervals are glitches
    #     roi: [229, 29, 411, 211]          # classification window, frame px (default: lane square at camera_line)
    #   (decide_at exit: at "clear"; line: at the expected midpoint, see camera/sorting/trigger_tracker.py)
    timing: {tolerance_s: 0.05}             # a command later than this is not fired but logged missed
    actuator: {type: dryrun, pulse_ms: 60}  # serial | mqtt | udp | gpio | dryrun, plus its own settings
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml
from foodcam.camera.actuators.base import Settings
from foodcam.runtime.errors import FoodcamError

DIRECTIONS = ("left_to_right", "right_to_left", "top_to_bottom", "bottom_to_top")
LOW_CONF_ACTIONS = ("reject", "pass", "divert")
DETECTION_METHODS = ("belt", "mog2", "trigger")
TOP_KEYS = ("name", "lane", "direction", "camera_line", "belt", "ejector", "decision", "detection", "timing",
            "actuator")


@dataclass(frozen=True)
class LineConfig:
    name: str
    lane: tuple[tuple[int, int], ...]  # polygon vertices (x, y) in frame pixels, edges included
    direction: str
    camera_line: float | None  # position along the motion axis (frame pixels); None: lane middle
    speed_px_s: float | None
    travel_time_s: float | None  # fixed travel time, or None when it comes from distance_px / speed
    distance_px: float | None
    reject_threshold: float = 0.5
    low_conf_band: float = 0.0
    low_conf_action: str = "reject"
    min_frames: int = 3
    decide_at: str = "exit"
    detection_method: str = "belt"
    min_area_px: int = 400
    fg_threshold: float = 5.0
    max_missed: int = 3
    trigger: dict | None = None  # detection.trigger, validated, defaults filled in (method trigger)
    tolerance_s: float = 0.05
    actuator: dict = field(default_factory=lambda: {"type": "dryrun"})
    source: str = "<dict>"

    @property
    def pulse_ms(self) -> float:
        return float(self.actuator.get("pulse_ms", 60))

    def lane_mask(self, shape: tuple[int, int]) -> np.ndarray:
        """uint8 (H, W) mask, 255 inside the lane polygon."""
        import cv2

        m = np.zeros(shape[:2], np.uint8)
        cv2.fillPoly(m, [np.asarray(self.lane, np.int32)], 255)
        return m

    def travel_time(self, speed_px_s: float | None) -> float:
        """Seconds from the camera line to the ejector, for an item moving at `speed_px_s`."""
        if self.travel_time_s is not None:
            return self.travel_time_s
        v = self.speed_px_s or speed_px_s
        if not v or v <= 0:
            raise FoodcamError(f"{self.source}: ejector.distance_px needs a belt speed, and none was measured")
        return float(self.distance_px) / float(v)


def load_line(path: str | Path) -> LineConfig:
    """Read and validate a line.yaml."""
    p = Path(path)
    if not p.is_file():
        raise FoodcamError(f"{p}: no such line file")
    try:
        data = yaml.safe_load(p.read_text())
    except yaml.YAMLError as e:
        raise FoodcamError(f"{p}: not valid YAML ({str(e).splitlines()[0]})") from None
    return parse_line(data if data is not None else {}, str(p))


def parse_line(data: dict, where: str = "<dict>") -> LineConfig:
    """Validate a line description (the parsed YAML); FoodcamError naming the offending key."""
    from foodcam.camera.actuators import check_config

    if not isinstance(data, dict):
        raise FoodcamError(f"{where}: expected a mapping of line settings, got {type(data).__name__}")
    top = Settings(where)
    top.known(data, TOP_KEYS)
    belt = top.section(data, "belt")
    Settings(where, "belt.").known(belt, ("speed_px_s",))
    ej = top.section(data, "ejector", required=True)
    Settings(where, "ejector.").known(ej, ("travel_time_s", "distance_m", "speed_m_s", "distance_px"))
    travel, dist_px = _travel(Settings(where, "ejector."), ej, where)
    dec = top.section(data, "decision")
    d = Settings(where, "decision.")
    d.known(dec, ("reject_threshold", "low_confidence", "min_frames", "decide_at"))
    low = d.section(dec, "low_confidence")
    lo = Settings(where, "decision.low_confidence.")
    lo.known(low, ("band", "action"))
    det = top.section(data, "detection")
    de = Settings(where, "detection.")
    de.known(det, ("method", "min_area_px", "threshold", "max_missed", "trigger"))
    method = de.choice(det, "method", DETECTION_METHODS, "belt")
    direction = top.choice(data, "direction", DIRECTIONS, "left_to_right")
    trigger = _trigger(det, method, direction, belt, dist_px, where)
    tim = top.section(data, "timing")
    Settings(where, "timing.").known(tim, ("tolerance_s",))
    act = data.get("actuator", {"type": "dryrun"})
    if not isinstance(act, dict) or "type" not in act:
        raise FoodcamError(f"{where}: actuator: expected a mapping with a type (serial|mqtt|udp|gpio|dryrun)")
    check_config(act, where)
    return LineConfig(
        name=str(data.get("name", Path(where).stem)),
        lane=_lane(data.get("lane"), where),
        direction=direction,
        camera_line=top.number(data, "camera_line", None),
        speed_px_s=Settings(where, "belt.").number(belt, "speed_px_s", None, positive=True),
        travel_time_s=travel,
        distance_px=dist_px,
        reject_threshold=d.number(dec, "reject_threshold", 0.5, lo=0.0, hi=1.0),
        low_conf_band=lo.number(low, "band", 0.0, lo=0.0, hi=0.5),
        low_conf_action=lo.choice(low, "action", LOW_CONF_ACTIONS, "reject"),
        min_frames=d.number(dec, "min_frames", 3, lo=1, integer=True),
        decide_at=d.choice(dec, "decide_at", ("exit", "line"), "exit"),
        detection_method=method,
        min_area_px=de.number(det, "min_area_px", 400, lo=1, integer=True),
        fg_threshold=de.number(det, "threshold", 5.0, positive=True),
        max_missed=de.number(det, "max_missed", 3, lo=0, integer=True),
        trigger=trigger,
        tolerance_s=Settings(where, "timing.").number(tim, "tolerance_s", 0.05, lo=0.0),
        actuator=dict(act),
        source=where,
    )


def _lane(lane, where: str) -> tuple[tuple[int, int], ...]:
    if not isinstance(lane, dict) or not ({"rect", "polygon"} & set(lane)):
        raise FoodcamError(f"{where}: lane: expected {{rect: [x0, y0, x1, y1]}} or {{polygon: [[x, y], ...]}}, "
                           f"got {lane!r}")
    Settings(where, "lane.").known(lane, ("rect", "polygon"))
    try:
        if "rect" in lane:
            x0, y0, x1, y1 = (int(round(float(c))) for c in lane["rect"])
            if x1 <= x0 or y1 <= y0:
                raise ValueError
            return ((x0, y0), (x1 - 1, y0), (x1 - 1, y1 - 1), (x0, y1 - 1))  # x1, y1 exclusive
        pts = tuple((int(round(float(x))), int(round(float(y)))) for x, y in lane["polygon"])
        if len(pts) < 3:
            raise ValueError
        return pts
    except (TypeError, ValueError):
        key = "rect" if "rect" in lane else "polygon"
        what = "[x0, y0, x1, y1] with x1 > x0, y1 > y0" if key == "rect" else "at least 3 [x, y] points"
        raise FoodcamError(f"{where}: lane.{key}: expected {what}, got {lane[key]!r}") from None


def _trigger(det: dict, method: str, direction: str, belt: dict, dist_px: float | None, where: str) -> dict | None:
    """detection.trigger: required by, and only used with, method trigger."""
    from foodcam.camera.sorting.trigger import check_config

    if method != "trigger":
        if "trigger" in det:
            raise FoodcamError(f"{where}: detection.trigger: only used with detection.method: trigger "
                               f"(method is {method})")
        return None
    cfg = check_config(Settings(where, "detection.").section(det, "trigger", required=True), where)
    if cfg["type"] == "synth" and direction != "left_to_right":
        raise FoodcamError(f"{where}: detection.trigger.type: synth simulates synth://conveyor, whose belt runs "
                           f"left_to_right (direction is {direction})")
    if dist_px is not None and not belt.get("speed_px_s"):
        raise FoodcamError(f"{where}: ejector.distance_px: a photo-eye measures no speed; with detection.method "
                           "trigger give belt.speed_px_s, or travel_time_s, or distance_m + speed_m_s")
    return cfg


def _travel(s: Settings, ej: dict, where: str) -> tuple[float | None, float | None]:
    if "travel_time_s" in ej:
        return s.number(ej, "travel_time_s", None, positive=True), None
    if "distance_m" in ej or "speed_m_s" in ej:
        d = s.number(ej, "distance_m", None, positive=True)
        v = s.number(ej, "speed_m_s", None, positive=True)
        if d is None or v is None:
            raise FoodcamError(f"{where}: ejector: distance_m and speed_m_s go together (travel = distance / speed)")
        return d / v, None
    if "distance_px" in ej:
        return None, s.number(ej, "distance_px", None, positive=True)
    raise FoodcamError(f"{where}: ejector: expected travel_time_s, distance_m + speed_m_s, or distance_px")


def default_line_dict(width: int, height: int, lane: tuple[int, int, int, int] | None = None,
                      travel_time_s: float = 1.5) -> dict:
    """A starting line description for a frame size (the whole frame, or `lane` (x0, y0, x1, y1))."""
    x0, y0, x1, y1 = lane or (0, 0, width, height)
    return {
        "name": "line",
        "lane": {"rect": [x0, y0, x1, y1]},
        "direction": "left_to_right",
        "camera_line": (x0 + x1) / 2,
        "ejector": {"travel_time_s": travel_time_s},
        "decision": {"reject_threshold": 0.5, "low_confidence": {"band": 0.0, "action": "reject"}, "min_frames": 3},
        "actuator": {"type": "dryrun", "pulse_ms": 60},
    }

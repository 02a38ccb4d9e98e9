"""line.yaml: how one sorting line is laid out and how it decides, as typed sections (camera/config.py).

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
      unsure: reject                        # most votes "unsure" (a calibrated model: not a fruit it knows):
                                            # reject (default) | divert (a manual-check lane) | pass
    detection: {method: belt, min_area_px: 400, threshold: 5.0, max_missed: 3}   # belt | mog2: foreground
    # or a photo-eye (light barrier) across the belt at camera_line: one item per blocked..clear interval
    # detection:
    #   method: trigger
    #   trigger: {type: udp, port: 5005, offset_s: 0.0, min_blocked_s: 0.02, roi: [229, 29, 411, 211]}
    #   (the trigger types and their keys: camera/sorting/trigger.py)
    timing: {tolerance_s: 0.05}             # a command later than this is not fired but logged missed
    actuator: {type: dryrun, pulse_ms: 60}  # serial | mqtt | udp | gpio | dryrun: camera/actuators/config.py

Numbers are finite and within range, keys are known, and an error names file:line:column and the key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import Discriminator, Field, PrivateAttr, Tag, ValidationInfo, field_validator, model_validator

from foodcam.camera.actuators.config import ActuatorConfig, DryRunConfig
from foodcam.camera.config import Box, Invalid, Pixel, Seconds, Section, load_config, parse_config
from foodcam.camera.sorting.trigger import TriggerConfig
from foodcam.runtime.errors import FoodcamError

Direction = Literal["left_to_right", "right_to_left", "top_to_bottom", "bottom_to_top"]
Action = Literal["reject", "pass", "divert"]
Fraction = Annotated[float, Field(ge=0, le=1)]


class Lane(Section):
    rect: Box | None = None  # x0, y0, x1, y1 (x1, y1 exclusive)
    polygon: list[list[Pixel]] | None = None  # [[x, y], ...], at least 3 points

    @field_validator("polygon")
    @classmethod
    def _polygon(cls, v: list[list[float]] | None) -> list[list[float]] | None:
        if v is not None and (len(v) < 3 or any(len(p) != 2 for p in v)):
            raise ValueError(f"expected at least 3 [x, y] points, got {v}")
        return v

    @model_validator(mode="after")
    def _one_shape(self) -> Lane:
        if (self.rect is None) == (self.polygon is None):
            raise ValueError("expected either {rect: [x0, y0, x1, y1]} or {polygon: [[x, y], ...]}")
        return self

    @property
    def points(self) -> tuple[tuple[int, int], ...]:
        """Polygon vertices in frame pixels, edges included."""
        if self.rect is not None:
            x0, y0, x1, y1 = (int(round(c)) for c in self.rect)
            return (x0, y0), (x1 - 1, y0), (x1 - 1, y1 - 1), (x0, y1 - 1)
        return tuple((int(round(x)), int(round(y))) for x, y in self.polygon)


class Belt(Section):
    speed_px_s: Annotated[float, Field(gt=0, le=1e6)] | None = None  # None: measured per item


class Ejector(Section):
    """Camera line -> pusher: one of travel_time_s, distance_m + speed_m_s, distance_px."""

    travel_time_s: Seconds = None  # a key given, but null, is an error: no Optional here
    distance_m: Annotated[float, Field(gt=0, le=1e4)] = None
    speed_m_s: Annotated[float, Field(gt=0, le=1e3)] = None
    distance_px: Annotated[float, Field(gt=0, le=1e6)] = None

    @model_validator(mode="after")
    def _one_way(self) -> Ejector:
        ways = [self.travel_time_s is not None, self.distance_m is not None or self.speed_m_s is not None,
                self.distance_px is not None]
        if sum(ways) != 1:
            raise ValueError("expected one of travel_time_s, distance_m + speed_m_s, or distance_px")
        if ways[1] and (self.distance_m is None or self.speed_m_s is None):
            raise ValueError("distance_m and speed_m_s go together (travel = distance / speed)")
        return self

    @property
    def fixed_s(self) -> float | None:
        """The travel time when it does not depend on the item's speed."""
        if self.travel_time_s is not None:
            return self.travel_time_s
        if self.distance_m is not None:
            return self.distance_m / self.speed_m_s
        return None


class LowConfidence(Section):
    band: Annotated[float, Field(ge=0, le=0.5)] = 0.0
    action: Action = "reject"


class Decision(Section):
    reject_threshold: Fraction = 0.5
    low_confidence: LowConfidence = LowConfidence()
    min_frames: Annotated[int, Field(ge=1, le=100_000)] = 3
    decide_at: Literal["exit", "line"] = "exit"
    # an item the (calibrated) model is unsure about in most of its frames: not like a fruit it was made for.
    # reject (default): never sold as fresh, and every line has a reject ejector; divert: to a manual-check lane
    unsure: Action = "reject"


class BeltDetection(Section):
    """Items as foreground against the belt (belt: per-row colour model; mog2: OpenCV's subtractor)."""

    method: Literal["belt", "mog2"] = "belt"
    min_area_px: Annotated[int, Field(ge=1, le=100_000_000)] = 400
    threshold: Annotated[float, Field(gt=0, le=1000)] = 5.0
    max_missed: Annotated[int, Field(ge=0, le=100_000)] = 3


class TriggerDetection(Section):
    """Items as blocked..clear intervals of a photo-eye at the camera line."""

    method: Literal["trigger"]
    trigger: TriggerConfig


def _method(section: Any) -> str | None:
    if isinstance(section, dict):
        return section.get("method", "belt")
    return getattr(section, "method", None)


Detection = Annotated[
    Annotated[BeltDetection, Tag("belt")] | Annotated[BeltDetection, Tag("mog2")]
    | Annotated[TriggerDetection, Tag("trigger")],
    Discriminator(_method),
]


class Timing(Section):
    tolerance_s: Annotated[float, Field(ge=0, le=60)] = 0.05


MAX_CROSSING_S = 3600.0  # an item crosses the lane within an hour (slower: the belt speed is a typo)
MAX_TRAVEL_S = 86400.0  # camera line -> ejector within a day (as ejector.travel_time_s)


class LineConfig(Section):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    lane: Lane
    direction: Direction = "left_to_right"
    camera_line: Pixel | None = None  # None: the middle of the lane
    belt: Belt = Belt()
    ejector: Ejector
    decision: Decision = Decision()
    detection: Detection = BeltDetection()
    timing: Timing = Timing()
    actuator: ActuatorConfig = DryRunConfig()
    _where: str = PrivateAttr("<dict>")

    @model_validator(mode="before")
    @classmethod
    def _default_name(cls, data: Any, info: ValidationInfo) -> Any:
        if isinstance(data, dict) and "name" not in data:
            data = {**data, "name": Path(str((info.context or {}).get("where", "line"))).stem}
        return data

    @model_validator(mode="after")
    def _together(self) -> LineConfig:
        det = self.detection
        if not self.name.strip() or not self.name.isprintable():
            raise Invalid(("name",), f"expected a non-empty printable name, got {self.name!r:.60}")
        lo, hi = self.lane_extent
        axis = "x" if self.direction in ("left_to_right", "right_to_left") else "y"
        if self.camera_line is not None and not lo < self.camera_line < hi:
            raise Invalid(("camera_line",), f"expected a position inside the lane ({lo:g} < {axis} < {hi:g}), "
                          f"got {self.camera_line:g}")
        area = self.lane_area
        if isinstance(det, BeltDetection) and det.min_area_px >= area:
            raise Invalid(("detection", "min_area_px"), f"expected less than the lane's area ({area:g} px), "
                          f"got {det.min_area_px}")
        speed = self.belt.speed_px_s
        if speed is not None:
            slowest = (hi - lo) / MAX_CROSSING_S
            if self.ejector.distance_px is not None:
                slowest = max(slowest, self.ejector.distance_px / MAX_TRAVEL_S)
            if speed < slowest:
                raise Invalid(("belt", "speed_px_s"), f"expected at least {slowest:.3g} px/s (an item crosses the "
                              f"{hi - lo:g} px lane within {MAX_CROSSING_S:g} s and reaches the ejector within "
                              f"{MAX_TRAVEL_S:g} s), got {speed:g}")
        if isinstance(det, TriggerDetection):
            if det.trigger.type == "synth" and self.direction != "left_to_right":
                raise Invalid(("detection", "trigger", "type"), "synth simulates synth://conveyor, whose belt runs "
                              f"left_to_right (direction is {self.direction})")
            if self.ejector.distance_px is not None and self.belt.speed_px_s is None:
                raise Invalid(("ejector", "distance_px"), "a photo-eye measures no speed; with detection.method "
                              "trigger give belt.speed_px_s, or travel_time_s, or distance_m + speed_m_s")
        return self

    # --- what the line's parts ask ----------------------------------------------------------------------
    @property
    def source(self) -> str:
        """The file this line came from (for messages)."""
        return self._where

    @property
    def lane_points(self) -> tuple[tuple[int, int], ...]:
        return self.lane.points

    @property
    def lane_extent(self) -> tuple[float, float]:
        """(first, last) frame pixel of the lane along the belt's motion axis."""
        k = 0 if self.direction in ("left_to_right", "right_to_left") else 1
        if self.lane.rect is not None:
            return float(self.lane.rect[k]), float(self.lane.rect[k + 2])
        vals = [p[k] for p in self.lane.polygon]
        return float(min(vals)), float(max(vals))

    @property
    def lane_area(self) -> float:
        """The lane's area in pixels."""
        if self.lane.rect is not None:
            x0, y0, x1, y1 = self.lane.rect
            return (x1 - x0) * (y1 - y0)
        pts = np.asarray(self.lane.polygon, np.float64)
        x, y = pts[:, 0], pts[:, 1]
        return float(abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))) / 2)

    def check_frame_rate(self, fps: float) -> None:
        """FoodcamError naming belt.speed_px_s when an item at that speed is seen in fewer than
        decision.min_frames frames at `fps` (it would be a new item, and an ejector command, every frame)."""
        speed, n = self.belt.speed_px_s, self.decision.min_frames
        if speed is None or not fps or fps <= 0:
            return
        lo, hi = self.lane_extent
        fastest = (hi - lo) * fps / n
        if speed > fastest:
            raise FoodcamError(
                f"{self.source}: belt.speed_px_s: expected at most {fastest:.4g} px/s (an item must be seen in "
                f"decision.min_frames = {n} frames of the {hi - lo:g} px lane at {fps:g} fps), got {speed:g}")

    def check_frame_size(self, shape: tuple[int, int]) -> None:
        """FoodcamError naming the lane when it does not overlap a (height, width) frame."""
        h, w = shape[:2]
        xs = [p[0] for p in self.lane_points]
        ys = [p[1] for p in self.lane_points]
        if max(xs) < 0 or max(ys) < 0 or min(xs) >= w or min(ys) >= h:
            raise FoodcamError(f"{self.source}: lane: expected a region inside the {w}x{h} frame, got x "
                               f"{min(xs)}..{max(xs)}, y {min(ys)}..{max(ys)}")

    @property
    def speed_px_s(self) -> float | None:
        return self.belt.speed_px_s

    @property
    def pulse_ms(self) -> float:
        return self.actuator.pulse_ms

    @property
    def trigger(self):
        """detection.trigger with method trigger, else None."""
        return self.detection.trigger if isinstance(self.detection, TriggerDetection) else None

    def lane_mask(self, shape: tuple[int, int]) -> np.ndarray:
        """uint8 (H, W) mask, 255 inside the lane polygon."""
        import cv2

        m = np.zeros(shape[:2], np.uint8)
        cv2.fillPoly(m, [np.asarray(self.lane_points, np.int32)], 255)
        return m

    def travel_time(self, speed_px_s: float | None) -> float:
        """Seconds from the camera line to the ejector, for an item moving at `speed_px_s`."""
        fixed = self.ejector.fixed_s
        if fixed is not None:
            return fixed
        v = self.belt.speed_px_s or speed_px_s
        if not v or v <= 0:
            raise FoodcamError(f"{self.source}: ejector.distance_px needs a belt speed, and none was measured")
        return float(self.ejector.distance_px) / float(v)


def load_line(path: str | Path) -> LineConfig:
    """Read and validate a line.yaml (FoodcamError naming file:line:column and the key)."""
    cfg = load_config(path, LineConfig)
    cfg._where = str(path)
    return cfg


def parse_line(data: dict, where: str = "<dict>") -> LineConfig:
    """Validate a line description (the parsed YAML); FoodcamError naming the offending key."""
    cfg = parse_config(data, LineConfig, where)
    cfg._where = where
    return cfg


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

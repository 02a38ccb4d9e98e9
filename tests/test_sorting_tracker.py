"""Item tracking on the simulated conveyor: every item counted once, crossing times within a frame."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from foodcam.camera.sorting.line import default_line_dict, parse_line
from foodcam.camera.sorting.tracker import LaneView, Tracker
from foodcam.scenes.conveyor import ConveyorFeed

W, H, FPS = 400, 170, 15.0


def _track(direction: str, frames: int = 130, seed: int = 8, **line):
    feed = ConveyorFeed(size=(W, H), seed=seed, fps=FPS, spawn_every_s=1.0)
    d = default_line_dict(W, H, feed.lane)
    d.update(direction=direction, **line)
    if direction == "right_to_left":
        d["camera_line"] = W - d["camera_line"]
    elif direction == "top_to_bottom":  # the frames are transposed: so is the lane
        x0, y0, x1, y1 = d["lane"]["rect"]
        d["lane"]["rect"] = [y0, x0, y1, x1]
    tracker = None
    ended = []
    ids: dict[int, Counter] = {}  # track id -> the true items under its box, per frame
    for k in range(frames):
        img, truth = feed.next()
        if direction == "right_to_left":
            img = np.ascontiguousarray(img[:, ::-1])
        elif direction == "top_to_bottom":
            img = np.ascontiguousarray(img.swapaxes(0, 1))
        if tracker is None:
            tracker = Tracker(parse_line(d), img.shape[:2])
        _, done = tracker.update(img, k / FPS)
        for tr in tracker.tracks:  # which true item each track is on (by the unturned truth boxes)
            if tr.blob is not None:
                x0, y0, x1, y1 = tr.box
                cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
                for it in truth:
                    a0, b0, a1, b1 = it.bbox
                    if a0 <= cx < a1 and b0 <= cy < b1:
                        ids.setdefault(tr.id, Counter())[it.id] += 1
        ended += done
    ended += tracker.flush()
    return feed, tracker, ended, (frames - 1) / FPS, ids


@pytest.mark.parametrize("direction", ["left_to_right", "right_to_left", "top_to_bottom"])
def test_each_item_once_and_crossing_time_within_a_frame(direction):
    feed, tracker, tracks, t_end, ids = _track(direction)
    cam = tracker.camera_x  # lane view: the same x as the unturned conveyor frame
    crossed = [it for it in feed.items if it.time_at_x(cam) <= t_end]
    assert len(crossed) >= 4
    owner = Counter()
    for tr in tracks:
        if not tr.crossed(cam):
            continue
        assert ids.get(tr.id), f"track {tr.id} follows no item"
        item_id = ids[tr.id].most_common(1)[0][0]
        owner[item_id] += 1
        truth_t = feed.items[item_id].time_at_x(cam)
        assert abs(tr.cross_time(cam) - truth_t) <= 1.0 / FPS
        assert tr.speed == pytest.approx(feed.speed, rel=0.03)
    assert sorted(owner) == sorted(it.id for it in crossed)
    assert set(owner.values()) == {1}


def test_known_belt_speed_is_used_for_crossing_time():
    feed, tracker, tracks, t_end, ids = _track("left_to_right", frames=100, belt={"speed_px_s": 150.0})
    cam = tracker.camera_x
    for tr in tracks:
        if tr.crossed(cam):
            item = feed.items[ids[tr.id].most_common(1)[0][0]]
            assert abs(tr.cross_time(cam, speed=150.0) - item.time_at_x(cam)) <= 1.0 / FPS


def test_empty_belt_has_no_items():
    feed = ConveyorFeed(size=(W, H), seed=3, fps=FPS, spawn_every_s=50.0)  # first fruit at 25 s
    tracker = Tracker(parse_line(default_line_dict(W, H, feed.lane)), (H, W))
    for k in range(40):
        img, truth = feed.next()
        assert not truth
        active, ended = tracker.update(img, k / FPS)
        assert not active and not ended  # seams, stains and grain are belt, not fruit


def test_lane_view_round_trip():
    img = np.arange(6 * 10 * 3, dtype=np.uint8).reshape(6, 10, 3)
    for d in ("left_to_right", "right_to_left", "top_to_bottom", "bottom_to_top"):
        v = LaneView(d, img.shape[:2])
        lane = v(img)
        box = (2, 1, 5, 3)  # lane-view box
        x0, y0, x1, y1 = v.to_frame(box)
        assert np.array_equal(np.sort(img[y0:y1, x0:x1].ravel()), np.sort(lane[1:3, 2:5].ravel())), d
        assert v.along(v.along(3.5)) == pytest.approx(3.5)

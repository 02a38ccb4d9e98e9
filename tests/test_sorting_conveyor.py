"""foodcam.scenes.conveyor: a deterministic conveyor with exact ground truth, and its synth:// source."""

from __future__ import annotations

import numpy as np
import pytest

from foodcam.runtime.errors import FoodcamError
from foodcam.scenes.conveyor import MIN_GAP_PX, ConveyorFeed
from foodcam.scenes.fruit import FRUITS

FPS = 20.0


def _run(feed: ConveyorFeed, n: int):
    return [feed.next() for _ in range(n)]


def test_deterministic_per_seed():
    a = _run(ConveyorFeed(size=(320, 140), seed=4, fps=FPS), 30)
    b = _run(ConveyorFeed(size=(320, 140), seed=4, fps=FPS), 30)
    c = _run(ConveyorFeed(size=(320, 140), seed=5, fps=FPS), 30)
    assert all(np.array_equal(x[0], y[0]) for x, y in zip(a, b))
    assert [[t.bbox for t in x[1]] for x in a] == [[t.bbox for t in y[1]] for y in b]
    assert not all(np.array_equal(x[0], y[0]) for x, y in zip(a, c))


def test_items_move_at_belt_speed_and_never_overlap():
    feed = ConveyorFeed(size=(320, 140), seed=1, fps=FPS, speed_px_s=120.0, spawn_every_s=0.6)
    frames = _run(feed, 80)
    assert feed.time == pytest.approx(80 / FPS)
    seen = {}
    for k, (img, truth) in enumerate(frames):
        assert img.shape == (140, 320, 3) and img.dtype == np.uint8
        t = k / FPS
        spans = sorted((it.item.bbox_at(t)[0], it.item.bbox_at(t)[2]) for it in truth)
        for (_, right), (left, _) in zip(spans, spans[1:]):
            assert left - right >= MIN_GAP_PX - 1e-6  # belt shows between consecutive fruit
        for it in truth:
            assert it.fruit in FRUITS and isinstance(it.rotten, bool)
            assert it.time_at_x(it.x_centre) == pytest.approx(t)
            if it.id in seen:
                assert it.x_centre - seen[it.id] == pytest.approx(120.0 / FPS)
            seen[it.id] = it.x_centre
    assert len(seen) >= 4


def test_truth_box_covers_the_fruit_and_belt_scrolls():
    feed = ConveyorFeed(size=(320, 140), seed=2, fps=FPS)
    frames = _run(feed, 60)
    img0, _ = frames[0]
    lane_y0, lane_y1 = feed.lane[1], feed.lane[3]
    img1, _ = frames[1]
    assert not np.array_equal(img0[lane_y0:lane_y1], img1[lane_y0:lane_y1])  # the belt texture moves
    assert np.array_equal(img0[:lane_y0], img1[:lane_y0])  # the rails do not
    img, truth = next(f for f in frames if any(t.fully_visible for t in f[1]))
    belt = np.median(img[lane_y0:lane_y1].reshape(-1, 3), axis=0)
    for it in truth:
        if it.fully_visible:
            x0, y0, x1, y1 = it.bbox
            assert lane_y0 <= y0 and y1 <= lane_y1
            inside = img[y0:y1, x0:x1].reshape(-1, 3).astype(float)
            assert np.linalg.norm(inside - belt, axis=1).mean() > 40  # the box holds the fruit, not belt


def test_rotten_ratio_is_respected():
    for ratio in (0.0, 1.0):
        feed = ConveyorFeed(size=(160, 100), seed=0, fps=10, rotten_ratio=ratio, spawn_every_s=0.4)
        _run(feed, 40)
        assert feed.items and all(it.rotten == bool(ratio) for it in feed.items)


def test_bad_arguments():
    with pytest.raises(FoodcamError, match="rotten_ratio"):
        ConveyorFeed(rotten_ratio=1.5)
    with pytest.raises(FoodcamError, match="at least"):
        ConveyorFeed(size=(32, 32))


def test_synth_conveyor_source_keeps_fps_and_truth():
    from foodcam.camera.sources import FileSource, make_grabber, parse_uri

    src = FileSource(make_grabber(parse_uri("synth://conveyor?fps=12&size=200x120&seed=3")))
    frames = [src.read() for _ in range(3)]
    src.close()
    assert src.fps == 12 and [f.index for f in frames] == [0, 1, 2]
    assert frames[0].image.shape == (120, 200, 3)
    feed = ConveyorFeed(size=(200, 120), seed=3, fps=12)
    for f in frames:
        img, truth = feed.next()
        assert np.array_equal(f.image, img) and isinstance(f.truth, list)

"""Overlays: the class colours from the task description land on the right pixels, in every mode."""

from __future__ import annotations

import numpy as np
import pytest

from foodcam.camera.overlay import Visualizer
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.results import ClassificationResult, SegmentationResult
from foodcam.runtime.tasks import FRESHNESS, KITCHEN

H, W = 120, 160


def result() -> SegmentationResult:
    """A 12x16 model mask: left third stirrer, middle third pan, right third food."""
    mask = np.zeros((12, 16), np.uint8)
    mask[:, 5:11] = 1
    mask[:, 11:] = 2
    return SegmentationResult(task=KITCHEN, mask=mask, frame_shape=(H, W))


def bgr(rgb) -> np.ndarray:
    return np.array(rgb[::-1], np.int32)


def test_overlay_blends_class_colours_at_known_pixels():
    frame = np.full((H, W, 3), 100, np.uint8)
    out = Visualizer(KITCHEN, "overlay", alpha=0.5, legend=False, hud=False).draw(frame, result())
    assert out.shape == frame.shape and out is not frame
    colours = KITCHEN.seg_head.colours
    for x, cls in ((20, 0), (80, 1), (150, 2)):  # columns inside each third, at frame resolution
        expect = (0.5 * 100 + 0.5 * bgr(colours[cls])).round()
        assert np.abs(out[60, x].astype(np.int32) - expect).max() <= 1, (x, out[60, x], expect)
    assert (frame == 100).all()  # the frame itself is left untouched


def test_mask_and_side_by_side_modes():
    frame = np.full((H, W, 3), 100, np.uint8)
    mask_img = Visualizer(KITCHEN, "mask", legend=False, hud=False).draw(frame, result())
    assert tuple(mask_img[60, 150]) == (255, 0, 0)  # food is blue (RGB 0,0,255), BGR here
    assert tuple(mask_img[60, 20]) == (0, 0, 255)  # stirrer red
    side = Visualizer(KITCHEN, "side-by-side", alpha=1.0, legend=False, hud=False).draw(frame, result())
    assert side.shape == (H, 2 * W, 3)
    assert (side[:, :W] == 100).all()
    assert tuple(side[60, W + 80]) == (0, 255, 0)  # pan green on the right half


def test_legend_and_hud_are_drawn():
    frame = np.full((H, W, 3), 100, np.uint8)
    plain = Visualizer(KITCHEN, "overlay", legend=False, hud=False).draw(frame, result())
    full = Visualizer(KITCHEN, "overlay").draw(frame, result(), {"fps": 12.5, "latency_ms": 40.0, "frame": 7})
    legend = Visualizer(KITCHEN).legend(0.4)
    lh, lw = legend.shape[:2]
    assert (full[:lh, :lw] == legend).all()  # legend top-left
    assert not (full[-20:, :60] == plain[-20:, :60]).all()  # HUD bottom-left
    assert (full[lh + 5: H - 30, 100:] == plain[lh + 5: H - 30, 100:]).all()  # nothing else changed
    # each class swatch in the legend has its colour
    lut = {tuple(bgr(c)) for c in KITCHEN.seg_head.colours}
    found = {tuple(int(v) for v in legend[r, 9]) for r in range(lh)}
    assert lut <= found


def test_classification_result_is_labelled():
    frame = np.full((H, W, 3), 100, np.uint8)
    res = ClassificationResult(task=FRESHNESS, frame_shape=(H, W), probs={
        "fruit": np.array([0.1, 0.7, 0.1, 0.1], np.float32), "freshness": np.array([0.2, 0.8], np.float32)})
    out = Visualizer(FRESHNESS, hud=False).draw(frame, res)
    assert out.shape == frame.shape and not (out[:40, :] == 100).all() and (out[80:, :] == 100).all()


def test_bad_options_are_clear_errors():
    with pytest.raises(FoodcamError, match="visualize 'blend'"):
        Visualizer(KITCHEN, "blend")
    with pytest.raises(FoodcamError, match="alpha"):
        Visualizer(KITCHEN, alpha=2.0)

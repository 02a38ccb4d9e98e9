"""The overlay's two-step nearest upsampling (across at the mask's height, then whole rows) colours exactly the
pixels of one cv2.resize INTER_NEAREST of the coloured mask, at camera sizes, shipped mask sizes and odd ones.
Whole drawings against the straightforward algorithm: test_overlay_same_picture.py."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from foodcam.camera.overlay import Visualizer, nearest_rows
from foodcam.runtime.results import SegmentationResult
from foodcam.runtime.tasks import KITCHEN


def reference_colour(vis: Visualizer, result: SegmentationResult) -> np.ndarray:
    """The colour mask as one full-size resize: the picture the overlay has always drawn."""
    colour = cv2.LUT(cv2.cvtColor(np.ascontiguousarray(result.mask), cv2.COLOR_GRAY2BGR), vis._lut)
    h, w = result.frame_shape
    return colour if colour.shape[:2] == (h, w) else cv2.resize(colour, (w, h), interpolation=cv2.INTER_NEAREST)


def blobs(shape: tuple[int, int], classes: int, seed: int) -> np.ndarray:
    """A class mask of blobs and single-pixel specks (every row and column boundary matters)."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, classes, (max(1, shape[0] // 7), max(1, shape[1] // 7)), dtype=np.uint8)
    mask = cv2.resize(coarse, shape[::-1], interpolation=cv2.INTER_NEAREST)
    specks = rng.random(shape) < 0.05
    mask[specks] = rng.integers(0, classes, int(specks.sum()), dtype=np.uint8)
    return mask


SIZES = [  # (mask (h, w), frame (h, w))
    ((240, 320), (1080, 1920)), ((240, 320), (720, 1280)), ((256, 256), (1080, 1920)), ((240, 426), (1080, 1920)),
    ((240, 320), (240, 320)), ((240, 320), (480, 320)), ((240, 320), (240, 1000)), ((37, 53), (101, 997)),
    ((360, 480), (240, 320)), ((7, 5), (1080, 1919)),
]


@pytest.mark.parametrize("mask_shape, frame_shape", SIZES)
def test_colour_mask_equals_one_full_resize(mask_shape, frame_shape):
    vis = Visualizer(KITCHEN, "overlay")
    for seed in range(3):
        result = SegmentationResult(task=KITCHEN, mask=blobs(mask_shape, 3, seed), frame_shape=frame_shape)
        assert np.array_equal(vis.colour_mask(result), reference_colour(vis, result))


def test_row_map_is_opencvs():
    for src, dst in ((240, 1080), (256, 1080), (1080, 240), (3, 7), (240, 241)):
        index = np.arange(src, dtype=np.uint16)[:, None].repeat(3, axis=1)
        expected = cv2.resize(index, (5, dst), interpolation=cv2.INTER_NEAREST)[:, 2]  # another width, same rows
        assert np.array_equal(nearest_rows(src, dst), expected)
        assert nearest_rows(src, dst)[0] == 0 and nearest_rows(src, dst)[-1] <= src - 1

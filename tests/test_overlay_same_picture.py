"""The overlay draws the picture of the straightforward algorithm (colour every pixel of the mask, one full-size
nearest resize, blend in floating point), kept here as the reference: the class layout is identical and every
channel is within 1 (rounding), on kitchen frames at camera, odd and mask-sized resolutions, for masks with no
foreground and all foreground, alpha 0 / 0.4 / 0.5 / 1, in every mode, with legend and HUD; buffers reused from
frame to frame never leak into an earlier picture."""

from __future__ import annotations

import threading

import cv2
import numpy as np
import pytest

from foodcam.camera.overlay import MODES, Visualizer, _line_height, _text_block, _text_scale, hud_text
from foodcam.runtime.colour import palette_bgr
from foodcam.runtime.results import SegmentationResult
from foodcam.runtime.tasks import KITCHEN, food_segmentation_task
from foodcam.scenes import KitchenFeed

FOODSEG = food_segmentation_task(["background", *(f"food{i}" for i in range(30))], variant="single-seg")
PAN, FOOD = KITCHEN.seg_head.classes.index("pan"), KITCHEN.seg_head.classes.index("food")
FRAME_SIZES = [(1920, 1080), (641, 479), (320, 240), (333, 1001)]  # (W, H)
DRAWINGS = [("mask", 0.5)] + [(mode, alpha) for mode in ("overlay", "side-by-side") for alpha in (0.0, 0.4, 0.5, 1.0)]
INFO = {"fps": 14.9, "latency_ms": 41.0, "frame": 123}


def reference_colour(task, result: SegmentationResult) -> np.ndarray:
    colour = palette_bgr(task.seg_head)[result.mask]  # every pixel at the mask's resolution
    h, w = result.frame_shape
    return colour if colour.shape[:2] == (h, w) else cv2.resize(colour, (w, h), interpolation=cv2.INTER_NEAREST)


def reference_draw(vis: Visualizer, image: np.ndarray, result: SegmentationResult, info: dict | None) -> np.ndarray:
    colour = reference_colour(vis.task, result)
    blended = np.round(image.astype(np.float64) * (1.0 - vis.alpha) + colour * vis.alpha).clip(0, 255).astype(np.uint8)
    if vis.mode == "mask":
        out = view = colour
    elif vis.mode == "overlay":
        out = view = blended
    else:
        out = np.concatenate([image, blended], axis=1)
        view = out[:, image.shape[1]:]
    scale = _text_scale(image.shape[0])
    if vis.show_legend:
        patch = vis.present_legend(result, scale) if vis.dynamic_legend else vis.legend(scale)
        h, w = min(patch.shape[0], view.shape[0]), min(patch.shape[1], view.shape[1])
        view[:h, :w] = patch[:h, :w]
    if vis.show_hud and info:
        _text_block(out, [hud_text(info)], (8, out.shape[0] - _line_height(scale) - 12), scale)
    return out


@pytest.fixture(scope="module")
def kitchen():
    """Two 1080p kitchen frames with their ground-truth masks."""
    feed = KitchenFeed(size=(1920, 1080), seed=3, prefetch=False)
    return [feed.next() for _ in range(2)]


def masks_for(task, truth: np.ndarray, shape: tuple[int, int]) -> list[np.ndarray]:
    """The scene's own mask at model resolution, a speckled one, no foreground, all foreground."""
    n = task.seg_head.num_classes
    scene = cv2.resize(truth, shape[::-1], interpolation=cv2.INTER_NEAREST) % n
    rng = np.random.default_rng(shape[0])
    specks = scene.copy()
    hit = rng.random(shape) < 0.05
    specks[hit] = rng.integers(0, n, int(hit.sum()), dtype=np.uint8)
    background, foreground = (PAN, FOOD) if task is KITCHEN else (0, 7)
    return [scene, specks, np.full(shape, background, np.uint8), np.full(shape, foreground, np.uint8)]


def assert_same_picture(vis: Visualizer, image: np.ndarray, result: SegmentationResult, info: dict | None) -> None:
    got = vis.draw(image, result, info)
    want = reference_draw(vis, image, result, info)
    assert got.shape == want.shape and got.dtype == np.uint8
    diff = np.abs(got.astype(np.int16) - want).max()
    assert diff <= 1, (vis.mode, vis.alpha, image.shape, result.mask.shape, diff)
    if vis.mode == "mask":
        assert np.array_equal(got, want)


@pytest.mark.parametrize("mode, alpha", DRAWINGS)
def test_kitchen_frames_draw_the_reference_picture(kitchen, mode, alpha):
    vis = Visualizer(KITCHEN, mode, alpha)
    for k, (frame, truth) in enumerate(kitchen):
        for size in FRAME_SIZES:
            image = frame if size == (1920, 1080) else cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
            for mask_shape in ((240, 320), (256, 256), (37, 53)):
                for mask in masks_for(KITCHEN, truth, mask_shape)[k:]:  # the first frame also draws the scene's mask
                    result = SegmentationResult(task=KITCHEN, mask=mask, frame_shape=image.shape[:2])
                    assert_same_picture(vis, image, result, INFO if k else None)


@pytest.mark.parametrize("mode", MODES)
def test_many_class_frames_draw_the_reference_picture(kitchen, mode):
    """foodseg: background 0, a per-frame legend of the classes present."""
    frame, truth = kitchen[0]
    vis = Visualizer(FOODSEG, mode, 0.5)
    for size in ((1920, 1080), (641, 479)):
        image = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
        for mask in masks_for(FOODSEG, truth, (240, 320)):
            assert_same_picture(vis, image, SegmentationResult(task=FOODSEG, mask=mask, frame_shape=image.shape[:2]),
                                INFO)


def test_class_layout_is_identical(kitchen):
    vis = Visualizer(KITCHEN)
    frame, truth = kitchen[0]
    for size in FRAME_SIZES:
        for mask_shape in ((240, 320), (256, 256), (37, 53), (7, 5), (1080, 1920)):
            for mask in masks_for(KITCHEN, truth, mask_shape)[:2]:
                result = SegmentationResult(task=KITCHEN, mask=mask, frame_shape=size[::-1])
                assert np.array_equal(vis.colour_mask(result), reference_colour(KITCHEN, result))


def test_reused_buffers_never_change_an_earlier_picture(kitchen):
    """Each draw returns its own image; drawing the next frame (or another size, and back) leaves it as it was."""
    (f0, t0), (f1, t1) = kitchen
    for mode in MODES:
        vis = Visualizer(KITCHEN, mode, 0.5)
        r0 = SegmentationResult(task=KITCHEN, mask=masks_for(KITCHEN, t0, (240, 320))[0], frame_shape=(1080, 1920))
        r1 = SegmentationResult(task=KITCHEN, mask=masks_for(KITCHEN, t1, (240, 320))[1], frame_shape=(1080, 1920))
        first = vis.draw(f0, r0, INFO)
        kept = first.copy()
        colour = vis.colour_mask(r0)
        kept_colour = colour.copy()
        small = cv2.resize(f1, (641, 479))
        vis.draw(small, SegmentationResult(task=KITCHEN, mask=r1.mask, frame_shape=small.shape[:2]), INFO)
        second = vis.draw(f1, r1, INFO)
        vis.colour_mask(r1)
        assert np.array_equal(first, kept) and np.array_equal(colour, kept_colour)
        assert not np.array_equal(first, second)
        assert_same_picture(vis, f0, r0, INFO)  # back to the first size after another one


def test_threads_sharing_one_visualizer_draw_their_own_pictures(kitchen):
    """The app's request threads share a visualizer: concurrent draws still give each its own picture."""
    vis = Visualizer(KITCHEN, "overlay", 0.5, hud=False)
    jobs = []
    for frame, truth in kitchen:
        for mask in masks_for(KITCHEN, truth, (240, 320)):
            image = cv2.resize(frame, (640, 360))
            jobs.append((image, SegmentationResult(task=KITCHEN, mask=mask, frame_shape=image.shape[:2])))
    expected = [vis.draw(image, result) for image, result in jobs]
    wrong = []

    def worker(offset: int) -> None:
        for n in range(40):
            i = (n + offset) % len(jobs)
            if not np.array_equal(vis.draw(*jobs[i]), expected[i]):
                wrong.append(i)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not wrong

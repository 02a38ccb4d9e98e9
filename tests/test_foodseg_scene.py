"""The plate renderer, both synthetic layouts, the foodseg task description, palette, legend and analytics."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import foodcam

from foodcam.runtime.palette import _lab, distinct_colours
from foodcam.runtime.tasks import TaskSpec, food_segmentation_task
from foodcam.scenes.ingredients import INGREDIENTS, catalogue
from foodcam.scenes.plate import PlateScene


def test_plate_scene_is_deterministic_and_varied():
    scene = PlateScene((96, 80), seed=3, classes=24)
    a, ma = scene.render(5)
    b, mb = scene.render(5)
    assert a.shape == (80, 96, 3) and ma.shape == (80, 96) and ma.dtype == np.uint8
    assert np.array_equal(a, b) and np.array_equal(ma, mb)
    counts, seen = [], set()
    for i in range(30):
        _, m, names = scene.render_with_labels(i)
        ids = set(np.unique(m)) - {0}
        assert ids <= set(range(1, 25))
        counts.append(len(ids))
        seen |= ids
        assert names == [scene.class_names[k] for k in sorted(ids)]
    assert max(counts) <= 6 and min(counts) >= 1 and max(counts) >= 3  # 1-6 foods, several at once
    assert len(seen) >= 18  # the foods are drawn evenly


def test_catalogue_has_distinct_foods_and_extends():
    assert len(INGREDIENTS) >= 24
    assert {i.form for i in INGREDIENTS} == {"pile", "pool", "items", "whole"}
    assert len({(i.colour, i.shape, i.detail) for i in INGREDIENTS}) == len(INGREDIENTS)
    big = catalogue(103)
    assert len(big) == 103 and len({i.name for i in big}) == 103


def test_both_layouts_from_one_renderer(tmp_path):
    pytest.importorskip("pycocotools")
    from foodcam.train.data.food import open_food_data

    a, b = tmp_path / "fs", tmp_path / "coco"
    assert foodcam("synth", "foodseg", "--out", a, "--count", 6, "--classes", 24, "--size", "64x64") == 0
    assert foodcam("synth", "foodseg", "--out", b, "--count", 6, "--classes", 24, "--size", "64x64",
                   "--format", "coco") == 0
    fs, co = open_food_data(a), open_food_data(b)
    assert fs.format == "foodseg103" and co.format == "coco"
    assert len(fs.classes) == len(co.classes) == 25
    assert sorted(fs.splits) == ["test", "train"] and sorted(co.splits) == ["train", "val"]
    assert (a / "category_id.txt").read_text().splitlines()[1] == "1\trice"
    # the same scene through both layouts: COCO polygons decode to (nearly) the same mask
    _, m_fs = fs.split("train").load(0)
    _, m_co = co.split("train").load(0)
    labelled = (m_fs > 0) | (m_co > 0)
    agree = (m_fs == m_co)[labelled].mean() if labelled.any() else 1.0
    assert agree > 0.97  # polygons lose only the holes of regions (a food lying inside another)


def test_foodseg_task_description_round_trip():
    classes = ["background", *(f"food {i}" for i in range(103))]
    spec = food_segmentation_task(classes, "multi").with_threshold("ingredients", 0.35)
    assert [h.name for h in spec.heads] == ["mask", "ingredients"] and spec.multitask
    assert spec.seg_head.num_classes == 104 and spec.head("ingredients").num_classes == 103
    assert spec.seg_head.colours[0] == (0, 0, 0)
    again = TaskSpec.from_dict(spec.to_dict())
    assert again == spec and again.head("ingredients").threshold == 0.35
    assert [h.name for h in food_segmentation_task(classes, "single-labels").heads] == ["ingredients"]
    assert food_segmentation_task(classes, "single-labels").kind == "classification"
    with pytest.raises(Exception, match="threshold"):
        spec.with_threshold("ingredients", 1.5)


def test_palette_distinguishes_100_plus_classes():
    cols = distinct_colours(104)
    assert len(set(cols)) == 104 and cols[0] == (0, 0, 0)
    lab = np.array([_lab(c) for c in cols])
    d = np.sqrt(((lab[:, None] - lab[None]) ** 2).sum(-1))
    np.fill_diagonal(d, np.inf)
    assert d.min() > 10  # CIELAB distance: clearly different side by side


def test_legend_lists_foods_present_and_analytics_events():
    from foodcam.camera.food_analytics import FoodAnalytics
    from foodcam.camera.overlay import Visualizer
    from foodcam.runtime.results import SegmentationResult

    classes = ["background", *(f"food {i}" for i in range(30))]
    task = food_segmentation_task(classes, "multi", (32, 32)).with_threshold("ingredients", 0.5)
    mask = np.zeros((32, 32), np.uint8)
    mask[:16] = 3
    mask[16:20] = 7
    probs = {"ingredients": np.zeros(30, np.float32)}
    probs["ingredients"][[2, 6]] = 0.9
    res = SegmentationResult(task=task, mask=mask, frame_shape=(64, 64), probs=probs)
    assert res.present("ingredients") == [("food 2", pytest.approx(0.9)), ("food 6", pytest.approx(0.9))]
    vis = Visualizer(task)
    assert vis.dynamic_legend
    patch = vis.present_legend(res)
    assert patch.shape[0] < 6 * 30  # three lines (two foods + the label line), not 31 classes
    out = vis.draw(np.full((64, 64, 3), 200, np.uint8), res)
    assert out.shape == (64, 64, 3)
    fa = FoodAnalytics(task, on_frames=2, off_frames=2)
    events = []
    for f in range(3):
        events += fa.update(mask, f, f * 0.1, probs)[1]
    assert len(events) == 1 and events[0]["event"] == "foods_present"
    assert [x["name"] for x in events[0]["foods"]] == ["food 2", "food 6"] and events[0]["added"] == ["food 2", "food 6"]
    assert fa.state["labels"]["ingredients"] == ["food 2", "food 6"]
    empty = np.zeros_like(mask)
    for f in range(3, 6):
        events += fa.update(empty, f, f * 0.1)[1]
    assert events[-1]["removed"] == ["food 2", "food 6"] and events[-1]["foods"] == []

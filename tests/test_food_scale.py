"""The food jobs at the real datasets' class counts: 104 FoodSeg103 classes (103 foods + background) and the
AIcrowd recognition set's 498 foods, on tiny images and tiny ONNX graphs: data, postprocess, legend, eval
tables, top-k and the page's legend."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

from foodcam.runtime.colour import palette_bgr
from foodcam.runtime.draw import Visualizer, _line_height, _text_scale
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.open import open_model
from foodcam.runtime.results import SegmentationResult
from foodcam.runtime.tasks import FOODREC, food_segmentation_task
from foodcam.scenes.plate import PlateScene
from tests.tiny_onnx import _save, cls_onnx

FOODS_SEG, FOODS_REC = 103, 498
SIZE = 32  # model input side
PAD = 6  # runtime/draw.py's legend padding


def _foodseg_onnx(path, task):
    """uint8 NHWC -> "mask" = B channel mod 104 (so a frame chooses its classes) and "ingredients" (103 sigmoids)."""
    n_cls = task.seg_head.num_classes
    w = np.random.default_rng(0).normal(0, 0.05, (3, n_cls - 1)).astype(np.float32)
    nodes = [helper.make_node("Cast", ["images"], ["xi"], to=TensorProto.INT32),
             helper.make_node("Gather", ["xi", "zero"], ["b"], axis=3),
             helper.make_node("Mod", ["b", "ncls"], ["idx"]),
             helper.make_node("Cast", ["idx"], ["mask"], to=TensorProto.UINT8),
             helper.make_node("Cast", ["images"], ["x"], to=TensorProto.FLOAT),
             helper.make_node("ReduceMean", ["x"], ["feat"], axes=[1, 2], keepdims=0),
             helper.make_node("MatMul", ["feat", "w"], ["z"]),
             helper.make_node("Sigmoid", ["z"], ["ingredients"])]
    graph = helper.make_graph(
        nodes, "tiny_foodseg", [helper.make_tensor_value_info("images", TensorProto.UINT8, ["N", SIZE, SIZE, 3])],
        [helper.make_tensor_value_info("mask", TensorProto.UINT8, ["N", SIZE, SIZE]),
         helper.make_tensor_value_info("ingredients", TensorProto.FLOAT, ["N", n_cls - 1])],
        initializer=[numpy_helper.from_array(np.array(0, np.int64), "zero"),
                     numpy_helper.from_array(np.array(n_cls, np.int32), "ncls"), numpy_helper.from_array(w, "w")])
    from foodcam.runtime.backends.onnx_meta import make_metadata

    return _save(graph, path, make_metadata(task, "fp32", source={"checkpoint": "tiny"}))


def _frame(ids: list[int]) -> np.ndarray:
    """A SIZE x SIZE frame whose B channel paints class ids in 4x4 blocks (row-major), the rest background 0."""
    f = np.zeros((SIZE, SIZE, 3), np.uint8)
    for k, c in enumerate(ids):
        y, x = divmod(k, SIZE // 4)
        f[4 * y:4 * y + 4, 4 * x:4 * x + 4, 0] = c
    return f


@pytest.fixture(scope="module")
def foodseg(tmp_path_factory):
    names = PlateScene(size=(64, 64), classes=FOODS_SEG).class_names
    task = food_segmentation_task(names, "multi", (SIZE, SIZE))
    path = _foodseg_onnx(tmp_path_factory.mktemp("fs") / "foodseg104.onnx", task)
    with open_model(path, backend="cpu") as model:
        yield model


def test_104_class_masks_and_colours(foodseg):
    head = foodseg.task.seg_head
    assert head.num_classes == 104 and len(set(head.colours)) == 104  # every class its own colour
    ids = [3, 50, 103, 77]
    res = foodseg.predict(_frame(ids))
    present = {c for c, s in res.shares.items() if s > 0}
    assert present == {"background", *(head.classes[i] for i in ids)}
    assert res.probs["ingredients"].shape == (103,)


@pytest.mark.parametrize("shape", [(32, 32), (96, 128), (240, 320), (720, 1280)])
def test_legend_stays_in_the_frame_and_lists_what_is_present(foodseg, shape):
    ids = list(range(1, 41))  # 40 foods in one frame: more than a legend has rows for
    res = foodseg.predict(_frame(ids))
    view = SegmentationResult(task=foodseg.task, mask=res.mask, frame_shape=shape, probs=res.probs)
    vis = Visualizer(foodseg.task)
    image = np.full((*shape, 3), 128, np.uint8)
    out = vis.draw(image, view, info={"fps": 10.0, "frame": 1})
    assert out.shape == image.shape
    scale = _text_scale(shape[0])
    hud = _line_height(scale) + 12
    patch = vis.present_legend(view, scale, fit=(shape[0] - hud, shape[1]))
    assert patch.shape[0] <= shape[0] - hud and patch.shape[1] <= shape[1]  # above the HUD, inside the frame
    lh = _line_height(scale)
    rows = (patch.shape[0] - PAD) // (lh + PAD)
    if shape[0] - hud < PAD + lh + PAD:  # not one line fits above the HUD: no legend at all
        assert patch.size == 0
        return
    assert 1 <= rows <= 12  # 40 foods, a few lines: "+N more" stands for the rest
    # the food rows come first, then "+N more" and the ingredient line (when there is room for them); each
    # food row's swatch has the colour of a present food, largest first (all equal here: lowest index first)
    n_food = rows - 2 if rows >= 3 else 1
    lut = palette_bgr(foodseg.task.seg_head)
    swatches = [tuple(int(v) for v in patch[PAD + k * (lh + PAD) + lh // 2, PAD + lh // 2]) for k in range(n_food)]
    assert swatches == [tuple(int(v) for v in lut[i]) for i in ids[:n_food]]


def test_legend_of_a_few_foods_lists_only_those(foodseg):
    ids = [7, 90]
    res = foodseg.predict(_frame(ids))
    vis = Visualizer(foodseg.task)
    scale = _text_scale(480)
    patch = vis.present_legend(res, scale, fit=(480, 640))
    lh = _line_height(scale)
    assert (patch.shape[0] - PAD) // (lh + PAD) == len(ids) + 1  # two foods + the ingredient line, no others


def test_eval_table_of_104_classes_shows_the_worst_and_keeps_all_in_json(foodseg):
    from foodcam.train.class_table import MAX_ROWS
    from foodcam.train.foodseg_eval import evaluate_food, format_food

    class Split:  # what evaluate_food reads: classes, len, load -> (frame, true mask)
        classes = list(foodseg.task.seg_head.classes)
        frames = [_frame(list(range(1 + 20 * k, 21 + 20 * k))) for k in range(5)]

        def __len__(self):
            return len(self.frames)

        def load(self, i):
            truth = self.frames[i][:, :, 0].copy()
            truth[truth == 5] = 101  # class 101 (never predicted) is where class 5 is seen: IoU 0, the worst
            return self.frames[i], truth

    m = evaluate_food(foodseg, Split(), progress=False)
    assert len(m["per_class"]) == 104 and len(json.loads(json.dumps(m["per_class"]))) == 104
    text = format_food(m).splitlines()
    rows = text[1:1 + MAX_ROWS]
    assert " ".join(rows[0].split()[:-3]) == foodseg.task.seg_head.classes[101]  # the worst class first
    assert any("worst" in line and "104 classes" in line and "metrics.json" in line for line in text)
    assert len(text) <= MAX_ROWS + 6


@pytest.fixture(scope="module")
def foodrec(tmp_path_factory):
    names = PlateScene(size=(64, 64), classes=FOODS_REC).class_names[1:]
    task = FOODREC.with_head_classes("food", names).with_input_size(16, 16)
    path = cls_onnx(tmp_path_factory.mktemp("rec") / "foodrec498.onnx", task)
    with open_model(path, backend="cpu") as model:
        yield model


def test_498_foods_top_k_sorted_and_on_the_page(foodrec):
    from foodcam.app.analysis import ServedModel

    frame = np.random.default_rng(3).integers(0, 256, (48, 64, 3), dtype=np.uint8)
    res = foodrec.predict(frame)
    top = res.top("food", 5)
    probs = [p for _, p in top]
    assert len(top) == 5 and probs == sorted(probs, reverse=True)
    assert probs[0] == pytest.approx(float(np.max(res.probs["food"])))
    a = ServedModel(foodrec, topk=5).analyse(frame)
    assert list(a.labels["food"]) == [c for c, _ in top]  # the page's label: the same top-5, highest first
    drawn = Visualizer(foodrec.task).draw(frame, res)
    assert drawn.shape == frame.shape


def test_recognition_table_of_498_foods():
    from foodcam.train.class_table import MAX_ROWS
    from foodcam.train.foodrec_task import TopKMeter, format_recognition

    task = FOODREC.with_head_classes("food", [f"food {i}" for i in range(FOODS_REC)])
    meter = TopKMeter(task)
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 60, 300)
    scores = rng.random((300, FOODS_REC))
    scores[np.arange(300), truth] += 0.5 * (truth != 0)  # food 0 is never recognised
    meter.update_scores(scores, truth)
    m = meter.compute()
    assert len(m["per_class"]) == FOODS_REC and 0 <= m["top1"] <= m["top5"] <= 1
    text = format_recognition({**m, "unlabelled_images": 0}).splitlines()
    assert text[1].split()[:2] == ["food", "0"]  # the worst food first
    assert len(text) == 1 + MAX_ROWS + 2 and "498 classes" in text[-2] and "top-5" in text[-1]


def test_page_legend_of_many_classes_lists_only_those_in_the_photo(foodseg):
    from foodcam.app.analysis import ServedModel

    a = ServedModel(foodseg, topk=5).analyse(cv2.resize(_frame([12, 40, 99]), (64, 64),
                                                         interpolation=cv2.INTER_NEAREST))
    shown = [c for c, _ in a.legend_rows()]
    head = foodseg.task.seg_head
    assert set(shown) == {"background", head.classes[12], head.classes[40], head.classes[99]}
    assert [v for _, v in a.legend_rows()] == sorted((v for _, v in a.legend_rows()), reverse=True)
    assert len(a.summary()["areas_percent"]) == 104  # the JSON keeps every class
    assert len(a.labels["ingredients"]) == 5


def test_498_food_coco_set_renders_and_reads(tmp_path):
    from foodcam.train.data.food import open_food_data
    from foodcam.train.foodrec_task import RecognitionSplit
    from foodcam.train.synth import write_foodseg_dataset

    scene = PlateScene(size=(48, 48), classes=FOODS_REC)
    masks = [scene.render(i)[1] for i in range(12)]
    assert masks[0].dtype == np.uint16 and max(int(m.max()) for m in masks) > 255  # no id wraps past a byte
    write_foodseg_dataset(tmp_path / "rec", 6, classes=FOODS_REC, fmt="coco", size=(48, 48), progress=False)
    data = open_food_data(tmp_path / "rec")
    assert len(data.classes) == FOODS_REC + 1
    split = data.split("train")
    rec = RecognitionSplit(split)
    assert len(rec) > 0 and all(0 <= label < FOODS_REC for _, label in rec.items)
    seen = set()
    for i in range(len(split)):  # decoded masks keep ids past 255 (uint16), as the annotations name them
        mask = split.load_mask(i, (48, 48))
        assert set(np.unique(mask[mask > 0]).tolist()) == set(split.areas(i))
        seen |= set(split.areas(i))
    assert max(seen) > 255
    with pytest.raises(FoodcamError, match="1..254 food classes"):
        write_foodseg_dataset(tmp_path / "seg", 4, classes=300, fmt="foodseg103", progress=False)
    with pytest.raises(FoodcamError, match="train foodrec"):
        food_segmentation_task(data.classes)


def test_page_legend_of_many_classes_in_chromium(foodseg):
    """The page's legend HTML of a 104-class model, laid out by real Chromium: a handful of rows, not 104."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (dev extra) not installed")
    pytest.importorskip("gradio", reason="gradio (app extra) not installed")
    from pathlib import Path

    from foodcam.app.analysis import ServedModel
    from foodcam.app.page import CSS, legend_html
    from foodcam.app.screenshot import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.skip(f"no system Chromium at {CHROMIUM}")
    head = foodseg.task.seg_head
    a = ServedModel(foodseg, topk=5).analyse(_frame([12, 40, 99]))
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 800, "height": 600})
            page.set_content(f"<style>{CSS}</style><div id='legend'>{legend_html(a)}</div>")
            names = page.locator("#legend td.foodcam-class").all_inner_texts()
            assert set(names) == {"background", head.classes[12], head.classes[40], head.classes[99]}
            box = page.locator("#legend table").bounding_box()
            assert box is not None and box["height"] < 600  # fits the viewport: no 104-row list
        finally:
            browser.close()

"""The app's Correct tab: decoding the editor's layers to classes, writing label pairs, listing collected frames, and
the real page in Chromium: a stroke painted with the mouse in the stirrer colour is what the saved mask says."""

from __future__ import annotations

import json
from types import SimpleNamespace

import cv2
import numpy as np
import pytest
from ports import free_port

from foodcam.app.correct import (
    JPEG_QUALITY,
    MODEL_ALPHA,
    NOT_PAINTED,
    PAINTED_ALPHA,
    collected_frames,
    corrected_mask,
    mask_layer,
    paint_to_classes,
    save_pair,
)
from foodcam.app.screenshot import CHROMIUM, CHROMIUM_ARGS, editor_geometry
from foodcam.runtime.colour import decode_colour_mask
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import read_image, write_image
from foodcam.runtime.open import open_model
from foodcam.runtime.tasks import FOODSEG, KITCHEN, food_segmentation_task
from foodcam.scenes.kitchen import KitchenScene
from foodcam.shipped import shipped
from tests.test_app import Server, _playwright

HEAD = KITCHEN.seg_head
STIRRER, PAN, FOOD = (HEAD.classes.index(c) for c in ("stirrer", "pan", "food"))


def _jpeg(frame: np.ndarray) -> np.ndarray:
    return cv2.imdecode(cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])[1], cv2.IMREAD_COLOR)


def _rgba(rgb, alpha) -> np.ndarray:
    return np.array([*rgb, alpha], np.uint8)


# ---- the editor's layers -> classes (no browser) --------------------------------------------------------------------

def test_layers_decode_to_exact_class_colours_and_unpainted_keeps_the_model():
    model = np.full((6, 8), PAN, np.uint8)
    model[:, 6:] = FOOD
    layer = mask_layer(model, HEAD)  # the model's layer, as the page sends it: below PAINTED_ALPHA everywhere
    assert (layer[:, :, 3] == MODEL_ALPHA).all() and MODEL_ALPHA < PAINTED_ALPHA
    assert tuple(layer[0, 0, :3]) == HEAD.colours[PAN]
    layer[1, 1] = _rgba((255, 0, 0), 255)  # a stroke's inside: exactly the stirrer colour
    layer[1, 2] = _rgba((251, 4, 0), 153)  # the canvas's alpha rounding of a 0.6-opacity stroke
    layer[1, 3] = _rgba((170, 85, 0), 191)  # red at 0.6 over the green model layer: an in-between colour
    layer[2, 1] = _rgba((90, 60, 160), 200)  # food, anti-aliased towards pan
    layer[2, 2] = _rgba((255, 0, 0), PAINTED_ALPHA - 1)  # a faint stroke edge: not painted
    layer[2, 3] = _rgba((0, 0, 0), 0)  # erased: not painted
    layer[3, 6] = _rgba((0, 250, 5), 255)  # pan painted over the model's food
    painted = paint_to_classes([layer], HEAD)
    expected = np.full((6, 8), NOT_PAINTED, np.uint8)
    expected[1, 1:4] = STIRRER
    expected[2, 1] = FOOD
    expected[3, 6] = PAN
    assert np.array_equal(painted, expected)
    fixed = corrected_mask(model, painted)
    want = model.copy()
    want[1, 1:4], want[2, 1], want[3, 6] = STIRRER, FOOD, PAN
    assert np.array_equal(fixed, want)


def test_the_topmost_painted_layer_wins_and_sizes_must_match():
    low = np.zeros((4, 4, 4), np.uint8)
    low[:, :] = _rgba((0, 0, 255), 255)  # food everywhere
    high = np.zeros((4, 4, 4), np.uint8)
    high[0, 0] = _rgba((255, 0, 0), 255)
    painted = paint_to_classes([low, high], HEAD)
    assert painted[0, 0] == STIRRER and (painted.reshape(-1)[1:] == FOOD).all()
    assert (paint_to_classes([], HEAD, size=(3, 5)) == NOT_PAINTED).all()
    with pytest.raises(FoodcamError, match=r"layer 1: uint8 \(2, 2, 4\); expected uint8 RGBA of 4x4"):
        paint_to_classes([low, np.zeros((2, 2, 4), np.uint8)], HEAD)
    with pytest.raises(FoodcamError, match="has no class colours"):
        paint_to_classes([low], FOODSEG.head("ingredients"))


def test_many_class_palettes_snap_to_the_nearest_class():
    head = food_segmentation_task(["background", *(f"food{i}" for i in range(30))], "single-seg").seg_head
    classes = np.arange(31, dtype=np.uint8).reshape(1, 31)
    layer = mask_layer(classes, head, alpha=255)
    layer[:, :, :3] = np.clip(layer[:, :, :3].astype(int) + 2, 0, 255)  # the canvas's rounding
    assert np.array_equal(paint_to_classes([layer], head), classes)


def test_a_small_edit_copy_is_scaled_to_the_photo():
    model = np.full((40, 60), PAN, np.uint8)
    painted = np.full((20, 30), NOT_PAINTED, np.uint8)
    painted[5, 10] = STIRRER
    fixed = corrected_mask(model, painted)
    assert fixed.shape == (40, 60) and (fixed[10:12, 20:22] == STIRRER).all() and (fixed == STIRRER).sum() == 4


# ---- label pairs and collected frames -----------------------------------------------------------------------------

def test_save_pair_writes_the_user_format_and_a_second_save_replaces(tmp_path):
    frame, truth = KitchenScene(size=(64, 48), seed=1).render(0)
    image, mask = save_pair(tmp_path / "labels", "frame_1", frame, truth, HEAD)
    assert image == (tmp_path / "labels/train/images/frame_1.jpg").resolve()
    assert mask == (tmp_path / "labels/train/masks/frame_1.png").resolve()
    idx, far = decode_colour_mask(cv2.imread(str(mask)), HEAD, max_dist=0.5)
    assert far == 0 and np.array_equal(idx, truth)
    assert np.array_equal(read_image(image), _jpeg(frame))  # the frame, as a JPEG at quality 95
    other = np.full_like(truth, FOOD)
    save_pair(tmp_path / "labels", "frame_1", frame, other, HEAD)
    assert np.array_equal(decode_colour_mask(cv2.imread(str(mask)), HEAD)[0], other)
    assert sorted(p.name for p in (tmp_path / "labels/train").rglob("*")) == ["frame_1.jpg", "frame_1.png", "images",
                                                                              "masks"]  # no temp files left


def test_a_frame_is_either_learnt_from_or_held_back(tmp_path):
    frame, truth = KitchenScene(size=(64, 48), seed=1).render(0)
    save_pair(tmp_path, "f", frame, truth, HEAD)
    image, mask = save_pair(tmp_path, "f", frame, truth, HEAD, "val")
    assert (image, mask) == (tmp_path / "val/images/f.jpg", tmp_path / "val/masks/f.png")
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.*")) == ["val/images/f.jpg", "val/masks/f.png"]
    with pytest.raises(FoodcamError, match="split 'test': expected one of train, val"):
        save_pair(tmp_path, "f", frame, truth, HEAD, "test")


@pytest.mark.parametrize("case, match", [
    ("stem", "'../x': not a usable file stem"),
    ("size", "frame_1: mask 10x10 does not match the image 64x48"),
    ("file", "exists and is not a folder"),
])
def test_save_pair_refuses_bad_input_in_one_line(tmp_path, case, match):
    frame = np.zeros((48, 64, 3), np.uint8)
    mask = np.zeros((10, 10) if case == "size" else (48, 64), np.uint8)
    folder = tmp_path / "labels"
    if case == "file":
        folder.write_text("not a folder")
    with pytest.raises(FoodcamError, match=match):
        save_pair(folder, "../x" if case == "stem" else "frame_1", frame, mask, HEAD)
    if case != "file":
        assert not folder.exists()


def test_collected_frames_least_sure_first(tmp_path):
    for name in ("a.jpg", "b.jpg", "c.jpg", "d.png"):
        write_image(tmp_path / name, np.zeros((20, 20, 3), np.uint8))
    (tmp_path / "index.jsonl").write_text("\n".join(json.dumps(r) for r in (
        {"file": "a.jpg", "uncertainty": 0.1}, {"file": "c.jpg", "uncertainty": 0.7}, {"file": "b.jpg"})) + "\n")
    frames = collected_frames(tmp_path)
    assert [f.path.name for f in frames] == ["c.jpg", "a.jpg", "b.jpg", "d.png"]
    assert frames[0].label == "c.jpg  (uncertainty 0.700)" and frames[2].uncertainty is None
    (tmp_path / "index.jsonl").write_text('{"file": "a.jpg", "unc')  # a cut line: names only, no error
    assert [f.path.name for f in collected_frames(tmp_path)] == ["a.jpg", "b.jpg", "c.jpg", "d.png"]
    with pytest.raises(FoodcamError, match=r"--collected .*absent: no such folder"):
        collected_frames(tmp_path / "absent")


def test_correct_folders_need_a_segmentation_model(tmp_path, monkeypatch):
    from foodcam.app.server import correct_folders
    from foodcam.runtime.tasks import FRESHNESS

    fresh = SimpleNamespace(name="fresh.onnx", seg_head=None, task=FRESHNESS)
    assert correct_folders([fresh], None, None) == (None, None)
    with pytest.raises(FoodcamError, match=r"^--collected runs/c: the Correct tab needs a segmentation model .*"
                                           r"fresh.onnx \(classification\)"):
        correct_folders([fresh], None, "runs/c")
    seg = SimpleNamespace(name="k.onnx", seg_head=HEAD, task=KITCHEN)
    monkeypatch.chdir(tmp_path)  # restored after the test: later tests run from the repository
    assert correct_folders([fresh, seg], None, None) == (tmp_path / "labels", None)
    with pytest.raises(FoodcamError, match="--collected nowhere: no such folder"):
        correct_folders([seg], "mine", "nowhere")


def test_only_segmentation_pages_have_the_correct_tab(tmp_path, monkeypatch):
    pytest.importorskip("gradio", reason="foodcam[app] (gradio) not installed")
    from foodcam.app.server import configure_gradio

    for k in ("GRADIO_ANALYTICS_ENABLED", "HF_HUB_DISABLE_TELEMETRY", "GRADIO_TEMP_DIR"):
        monkeypatch.delenv(k, raising=False)
    configure_gradio(tmp_path / "gradio")
    from foodcam.app.analysis import ServedModel
    from foodcam.app.page import build_page

    def ids(models) -> set[str]:
        page = build_page([ServedModel(open_model(m, backend="cpu")) for m in models], tmp_path)
        return {b.elem_id for b in page.blocks.values() if getattr(b, "elem_id", None)}

    assert "correct-editor" not in ids([shipped("freshness")]) and "photo" in ids([shipped("freshness")])
    both = ids([shipped("freshness"), shipped("kitchen")])
    assert {"tab-correct", "correct-editor", "correct-save", "photo"} <= both


# ---- the real page in Chromium ----------------------------------------------------------------------------------

def _segment_in_pan(model: np.ndarray, radius: int, length: int = 80) -> tuple[int, int, int]:
    """(y, x0, x1): a horizontal stroke whose whole brush band lies where the model says pan."""
    pan = (model == PAN).astype(np.uint8)
    band = cv2.erode(pan, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 7, 2 * radius + 7)),
                     borderType=cv2.BORDER_CONSTANT, borderValue=0)  # the whole brush inside the photo too
    h, w = model.shape
    for y in range(0, h, 4):
        for x0 in range(0, w - length, 4):
            if band[y, x0:x0 + length + 1].all():
                return y, x0, x0 + length
    pytest.fail("the model's mask has no pan region wide enough for the test stroke")


def _distance_to_segment(shape, y: int, x0: int, x1: int) -> np.ndarray:
    yy, xx = np.mgrid[: shape[0], : shape[1]].astype(np.float64) + 0.5  # pixel centres
    dx = np.maximum(np.maximum(x0 - xx, 0), xx - x1)
    return np.hypot(dx, yy - y)


@pytest.mark.slow
def test_correct_tab_in_chromium(tmp_path):
    pytest.importorskip("gradio", reason="foodcam[app] (gradio) not installed")
    sync_api = _playwright()
    from foodcam.app.correct_tab import BRUSH_SIZE

    collected, labels = tmp_path / "collected", tmp_path / "labels"
    frame, _ = KitchenScene(size=(320, 240), seed=5).render(7)
    write_image(collected / "20261207-120000_0000007.jpg", frame, jpeg_quality=95)  # as `--collect` writes it
    (collected / "index.jsonl").write_text(json.dumps({"file": "20261207-120000_0000007.jpg", "uncertainty": 0.52}))
    frame = read_image(collected / "20261207-120000_0000007.jpg")
    with open_model(shipped("kitchen"), backend="cpu") as model:
        expected = model.predict(frame).mask_full
    y, x0, x1 = _segment_in_pan(expected, BRUSH_SIZE)
    stirrer_rgb = "rgb({}, {}, {})".format(*HEAD.colours[STIRRER])

    server = Server([shipped("kitchen")], free_port(), ["--collected", str(collected), "--labels", str(labels)])
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1100})
                page.goto(server.url)
                page.get_by_role("tab", name="Correct").click()
                page.locator("#correct-frame input").click()
                page.get_by_role("option", name="20261207-120000_0000007.jpg").click()
                page.wait_for_selector("#correct-status:has-text('nothing written yet')", timeout=120_000)
                assert page.locator("#correct-stem input").input_value() == "20261207-120000_0000007"
                geo = editor_geometry(page, (320, 240))
                # the brush in the stirrer colour, from the palette the task description gave the editor
                page.get_by_role("button", name="Color").click()
                page.locator(f"#correct-editor button.color[style*='{stirrer_rgb}']").click()
                page.mouse.move(geo["x"] + geo["s"] * x0, geo["y"] + geo["s"] * y)
                page.mouse.down()
                for i in range(1, 5):  # few moves: each repaints the canvas in software WebGL
                    page.mouse.move(geo["x"] + geo["s"] * (x0 + (x1 - x0) * i / 4), geo["y"] + geo["s"] * y)
                page.mouse.up()
                page.locator("#correct-save").click()
                page.wait_for_selector("#correct-status:has-text('Wrote')", timeout=120_000)
                status = page.locator("#correct-status").inner_text()
            finally:
                browser.close()
    finally:
        assert server.stop() == 0, "".join(server.log)
    mask_path = labels.resolve() / "train/masks/20261207-120000_0000007.png"
    image_path = labels.resolve() / "train/images/20261207-120000_0000007.jpg"
    assert str(mask_path) in status and str(image_path) in status  # the page says where it wrote
    assert np.array_equal(read_image(image_path), _jpeg(frame))
    saved = cv2.imread(str(mask_path), cv2.IMREAD_COLOR)
    classes, far = decode_colour_mask(saved, HEAD, max_dist=0.5)
    assert far == 0  # every pixel exactly a class colour
    dist = _distance_to_segment(expected.shape, y, x0, x1)
    assert (classes[dist <= BRUSH_SIZE - 2] == STIRRER).all()  # the stroke, (255, 0, 0) in RGB
    assert (saved[dist <= BRUSH_SIZE - 2] == (0, 0, 255)).all()
    outside = dist > BRUSH_SIZE + 2
    assert np.array_equal(classes[outside], expected[outside])  # the rest is the model's mask
    changed = classes != expected
    assert (classes[changed] == STIRRER).all()


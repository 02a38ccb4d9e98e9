"""Training: data pipeline contract, augmentation, loss, schedule, plots, and `foodcam train` end to end."""

from __future__ import annotations

import csv
import shutil

import cv2
import numpy as np
import pytest

pytest.importorskip("torch")  # the training side: skipped in a torch-free (deployed) install
import torch  # noqa: E402
from torch import nn  # noqa: E402

from foodcam.runtime.errors import FoodcamError  # noqa: E402
from foodcam.runtime.metrics import ConfusionMatrix  # noqa: E402
from foodcam.runtime.tasks import IGNORE_INDEX, KITCHEN  # noqa: E402
from foodcam.train.augment import seg_train_transform  # noqa: E402
from foodcam.train.datasets import SegmentationDataset, class_frequencies  # noqa: E402
from foodcam.train.engine import warmup_cosine  # noqa: E402
from foodcam.train.losses import SegLoss, class_weights  # noqa: E402
from foodcam.train.models.deploy import DeployWrapper  # noqa: E402
from foodcam.train.plots import plot_confusion, plot_curves  # noqa: E402
from tests.conftest import foodcam  # noqa: E402

torch.set_num_threads(1)
STIRRER, PAN, FOOD = 0, 1, 2


class MemFolder:
    """In-memory labelled folder: (BGR, mask) pairs with the KitchenFolder `len`/`load` interface."""

    def __init__(self, items):
        self.items = items

    def __len__(self):
        return len(self.items)

    def load(self, i):
        return self.items[i]


def scene(seed: int, size=(72, 96)) -> tuple[np.ndarray, np.ndarray]:
    """Big blocks: pan (dark green) everywhere, food (bright blue) disc, stirrer (red) bar, some ignored pixels."""
    rng = np.random.default_rng(seed)
    h, w = size
    bgr = np.zeros((h, w, 3), np.uint8)
    bgr[:] = (40, 90, 40)
    mask = np.full((h, w), PAN, np.uint8)
    cx, cy = int(rng.integers(30, 60)), int(rng.integers(25, 45))
    yy, xx = np.mgrid[:h, :w]
    disc = (xx - cx) ** 2 + (yy - cy) ** 2 < 18**2
    bgr[disc], mask[disc] = (230, 60, 30), FOOD
    x0 = int(rng.integers(5, w - 20))
    bgr[:, x0:x0 + 10], mask[:, x0:x0 + 10] = (30, 30, 220), STIRRER
    mask[:2, :5] = IGNORE_INDEX
    bgr = np.clip(bgr + rng.normal(0, 6, bgr.shape), 0, 255).astype(np.uint8)
    return bgr, mask


def test_validation_input_is_exactly_what_the_deployment_wrapper_feeds_the_model():
    bgr, mask = scene(0)
    ds = SegmentationDataset(MemFolder([(bgr, mask)]), (64, 64), KITCHEN.mean, KITCHEN.std)
    x, y = ds[0]
    assert x.shape == (3, 64, 64) and x.dtype == torch.float32
    assert y.shape == (64, 64) and y.dtype == torch.int64

    class Echo(nn.Module):  # returns its (normalised NCHW RGB) input as "logits"
        def forward(self, t):
            return t

    frame = cv2.resize(bgr, (64, 64), interpolation=cv2.INTER_LINEAR)  # what runtime Model.preprocess does
    _, seen = DeployWrapper(Echo(), KITCHEN.with_input_size(64, 64), logits=True)(torch.from_numpy(frame)[None])
    assert torch.allclose(seen[0], x, atol=1e-5)
    expected = cv2.resize(mask, (64, 64), interpolation=cv2.INTER_NEAREST)
    assert np.array_equal(y.numpy(), expected)  # nearest: labels never blended, ignore kept
    assert set(np.unique(y.numpy())) <= {STIRRER, PAN, FOOD, IGNORE_INDEX}


def test_training_augmentation_keeps_image_and_mask_aligned():
    folder = MemFolder([scene(i) for i in range(6)])
    ds = SegmentationDataset(folder, (64, 64), KITCHEN.mean, KITCHEN.std, transform=seg_train_transform((64, 64), seed=0))
    plain = SegmentationDataset(folder, (64, 64), KITCHEN.mean, KITCHEN.std)
    changed, ignored_border, red_gap = 0, 0, []
    for i in range(len(ds)):
        for _ in range(8):
            rgb, m = ds.sample(i)
            assert rgb.shape == (64, 64, 3) and rgb.dtype == np.uint8 and m.shape == (64, 64)
            assert set(np.unique(m)) <= {STIRRER, PAN, FOOD, IGNORE_INDEX}
            changed += not np.array_equal(m, plain.sample(i)[1])
            ignored_border += int((m == IGNORE_INDEX).sum() > 10)
            if (m == STIRRER).sum() > 50 and (m == PAN).sum() > 50:  # red where the stirrer label went
                red = rgb[:, :, 0].astype(float) - rgb[:, :, 1]
                red_gap.append(np.median(red[m == STIRRER]) - np.median(red[m == PAN]))
        x, y = ds[i]
        assert x.shape == (3, 64, 64) and y.dtype == torch.int64
    assert changed > 16  # geometry changes most of the 48 draws
    assert ignored_border > 0  # rotated/shrunk borders are labelled ignore
    assert len(red_gap) > 5 and min(red_gap) > 40


def test_class_frequencies_and_weights_favour_rare_classes():
    folder = MemFolder([scene(i) for i in range(5)])
    freq = class_frequencies(folder, 3, stride=1)
    masks = np.stack([m for _, m in folder.items])
    truth = np.bincount(masks[masks != IGNORE_INDEX].ravel(), minlength=3) / (masks != IGNORE_INDEX).sum()
    assert np.allclose(freq, truth)
    w = class_weights(freq)
    assert w[STIRRER] > w[PAN] and w[FOOD] > w[PAN]
    assert float((torch.tensor(freq, dtype=torch.float32) * w).sum()) == pytest.approx(1.0, rel=1e-5)
    assert float(w.max() / w.min()) <= 10.0 + 1e-4
    w2 = class_weights(np.array([0.0, 0.9, 0.1]))  # an absent class gets the largest weight, not infinity
    assert torch.isfinite(w2).all() and w2[0] == w2.max()


def test_loss_ignores_ignored_pixels_and_rewards_the_right_answer():
    torch.manual_seed(0)
    target = torch.randint(0, 3, (2, 16, 16))
    target[:, :4] = IGNORE_INDEX
    loss = SegLoss(class_weights(np.array([0.1, 0.6, 0.3])))
    logits = torch.randn(2, 3, 16, 16)
    other = logits.clone()
    other[:, :, :4] = torch.randn(2, 3, 4, 16) * 10  # change only ignored pixels
    assert torch.allclose(loss(logits, target), loss(other, target))
    perfect = nn.functional.one_hot(target.clamp(0, 2), 3).permute(0, 3, 1, 2).float() * 20
    assert loss(perfect, target) < 0.05 < loss(logits, target)
    assert loss(logits, torch.full_like(target, IGNORE_INDEX)).item() == 0.0


def test_warmup_then_cosine():
    f = warmup_cosine(100, 10, final_factor=0.01)
    values = [f(s) for s in range(100)]
    assert values[0] == pytest.approx(0.1) and values[9] == pytest.approx(1.0)
    assert all(a >= b for a, b in zip(values[10:], values[11:]))
    assert f(100) == pytest.approx(0.01)


def test_plots_write_pngs(tmp_path):
    rows = [{"epoch": e, "lr": 1e-3, "train_loss": 1 / e, "val_loss": 1.2 / e, "val_miou": 0.2 * e,
             "val_pixel_acc": 0.5, "iou_stirrer": 0.1 * e, "iou_pan": 0.8, "iou_food": 0.3, "seconds": 1.0}
            for e in range(1, 4)]
    plot_curves(rows, tmp_path / "curves.png")
    plot_confusion(np.array([[50, 2, 0], [3, 900, 10], [0, 0, 0]]), ["stirrer", "pan", "food"], tmp_path / "cm.png",
                   title="val")
    for name in ("curves.png", "cm.png"):
        img = cv2.imread(str(tmp_path / name))
        assert img is not None and img.shape[0] > 100 and img.std() > 5
    with pytest.raises(ValueError, match="class names"):
        plot_confusion(np.eye(2), ["a", "b", "c"], tmp_path / "bad.png")


def _rows(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def test_train_cli_writes_a_self_describing_checkpoint_far_above_chance(kitchen_ckpt, kitchen_data):
    from foodcam.train.checkpoint import load_checkpoint
    from foodcam.train.data.kitchen import KitchenFolder

    model, ckpt = load_checkpoint(kitchen_ckpt)
    assert ckpt["task"].name == "kitchen" and ckpt["task"].input_size == (64, 64)
    assert ckpt["task"].mask_size == (72, 96)  # the training frames' size: masks are scored at the camera's
    assert ckpt["arch"] == {"name": "unet", "kwargs": {"width": 8}}
    assert ckpt["config"]["epochs"] == 8 and ckpt["config"]["model"] == "unet"
    m = ckpt["metrics"]
    assert m["miou"] > 0.5  # chance is about 1/3
    assert set(m["iou"]) == {"stirrer", "pan", "food"} and 1 <= m["epoch"] <= 8

    # the recorded metric is what the stored weights really score on the val split
    ds = SegmentationDataset(KitchenFolder(kitchen_data, "val"), (64, 64), KITCHEN.mean, KITCHEN.std)
    cm = ConfusionMatrix(3)
    with torch.no_grad():
        for i in range(len(ds)):
            x, y = ds[i]
            cm.update(model(x[None]).argmax(1)[0].numpy(), y.numpy())
    assert cm.metrics(KITCHEN.seg_head.classes)["miou"] == pytest.approx(m["miou"], abs=1e-6)

    run = kitchen_ckpt.parent
    rows = _rows(run / "metrics.csv")
    assert [int(r["epoch"]) for r in rows] == list(range(1, 9))
    assert {"lr", "train_loss", "val_loss", "val_miou", "val_pixel_acc", "iou_stirrer", "iou_pan", "iou_food",
            "seconds"} <= set(rows[0])
    assert max(float(r["val_miou"]) for r in rows) == pytest.approx(m["miou"], abs=1e-5)
    assert (run / "curves.png").stat().st_size > 1000
    last, last_ckpt = load_checkpoint(run / "last.pt")
    assert last_ckpt["epoch"] == 8 and len(last_ckpt["history"]) == 8 and "optimizer" in last_ckpt


def test_resume_continues_at_the_next_epoch(kitchen_ckpt, kitchen_data, tmp_path):
    from foodcam.train.checkpoint import read_checkpoint

    run = tmp_path / "run"
    shutil.copytree(kitchen_ckpt.parent, run)
    common = ["train", "kitchen", "--data", kitchen_data, "--model", "unet", "--width", 8, "--imgsz", 64,
              "--batch", 8, "--lr", 5e-3, "--out", run, "--seed", 0, "--device", "cpu", "--resume"]
    assert foodcam(*common, "--epochs", 9) == 0
    last = read_checkpoint(run / "last.pt")
    assert last["epoch"] == 9 and [r["epoch"] for r in last["history"]] == list(range(1, 10))
    assert [int(r["epoch"]) for r in _rows(run / "metrics.csv")] == list(range(1, 10))
    # a different run definition is refused, and so is a folder without last.pt
    wider = [16 if a == 8 and common[i - 1] == "--width" else a for i, a in enumerate(common)]
    assert foodcam(*wider, "--epochs", 10) == 2
    assert foodcam(*[a if a != run else tmp_path / "empty" for a in common], "--epochs", 9) == 2


def test_make_train_task_names_missing_trainers(monkeypatch):
    import argparse

    from foodcam.runtime.tasks import FRESHNESS
    from foodcam.train import engine

    monkeypatch.setitem(engine.TASK_MODULES, "classification", "foodcam.train._no_such_trainer")
    with pytest.raises(FoodcamError, match="not available"):
        engine.make_train_task(FRESHNESS, argparse.Namespace())


class CountingFolder(MemFolder):
    def __init__(self, items):
        super().__init__(items)
        self.loads = 0

    def load(self, i):
        self.loads += 1
        return super().load(i)


def test_palette_repaint_moves_colours_and_leaves_labels():
    """palette_p repaints (any hue, shuffled channels, grey); without it the camera faults keep a red thing red."""
    img = np.zeros((32, 32, 3), np.uint8)
    img[:] = (220, 30, 30)  # RGB: red
    mask = np.full((32, 32), PAN, np.uint8)
    mask[8:24, 14:18] = STIRRER
    off_red = {}
    for palette_p in (0.0, 1.0):
        t = seg_train_transform((32, 32), seed=0, p=1.0, palette_p=palette_p)
        off_red[palette_p] = 0
        for _ in range(40):
            out = t(image=img, mask=mask)
            assert set(np.unique(out["mask"])) <= {PAN, STIRRER, IGNORE_INDEX}
            r, g, b = np.median(out["image"][out["mask"] != IGNORE_INDEX].astype(float), 0)
            off_red[palette_p] += not (r > g + 20 and r > b + 20)
    assert off_red[0.0] == 0 and off_red[1.0] >= 20, off_red


def test_kitchen_training_repaints_by_default_and_repaint_0_turns_it_off(kitchen_data):
    import argparse

    from foodcam.train.seg_task import KITCHEN_PALETTE_P, SegTask

    def repaint_of(**kw) -> float | None:
        args = argparse.Namespace(data=str(kitchen_data), cache="off", **kw)
        train, _ = SegTask(KITCHEN, args).datasets(args, seed=0)
        found = [t.p for t in train.transform.transforms
                 if any(type(c).__name__ == "HueSaturationValue" for c in getattr(t, "transforms", []))]
        return found[0] if found else None

    assert repaint_of() == KITCHEN_PALETTE_P > 0
    assert repaint_of(repaint=0.6) == 0.6
    assert repaint_of(repaint=0.0) is None  # and `--repaint 1.5` is refused: tests/test_cli_errors.py


def test_cached_frames_are_decoded_once_and_never_written_by_augmentation():
    folder = CountingFolder([scene(i) for i in range(4)])
    plain = SegmentationDataset(MemFolder(folder.items), (64, 64), KITCHEN.mean, KITCHEN.std)
    ds = SegmentationDataset(folder, (64, 64), KITCHEN.mean, KITCHEN.std, transform=seg_train_transform((64, 64), seed=0))
    assert ds.cache_bytes() == 4 * 64 * 64 * 4
    ds.cache()
    assert folder.loads == 4
    for _ in range(10):
        for i in range(len(ds)):
            ds[i]
    assert folder.loads == 4  # every later sample came from memory
    ds.transform = None
    for i in range(len(ds)):  # and is still the frame as first decoded
        assert all(torch.equal(a, b) for a, b in zip(ds[i], plain[i]))


@pytest.mark.parametrize("mode, limit, cached", [("auto", 10**9, True), ("auto", 1000, False), ("off", 10**9, False),
                                                 ("ram", 1000, True)])
def test_cache_option(monkeypatch, mode, limit, cached):
    import argparse

    from foodcam.train import seg_task

    monkeypatch.setattr(seg_task, "CACHE_AUTO_BYTES", limit)
    train = SegmentationDataset(CountingFolder([scene(i) for i in range(3)]), (64, 64), KITCHEN.mean, KITCHEN.std)
    val = SegmentationDataset(CountingFolder([scene(9)]), (64, 64), KITCHEN.mean, KITCHEN.std)
    seg_task.cache_in_memory(argparse.Namespace(cache=mode), train, val)
    assert (train.folder.loads, val.folder.loads) == ((3, 1) if cached else (0, 0))

"""`foodcam export` FP32: parity with PyTorch on real frames, the graph interface, metadata, failures."""

from __future__ import annotations

import numpy as np
import onnx
import pytest

pytest.importorskip("torch")  # the training side: skipped in a torch-free (deployed) install
import torch  # noqa: E402
from conftest import foodcam  # noqa: E402
from torch import nn  # noqa: E402

from foodcam.runtime.backends.onnx_meta import read_metadata  # noqa: E402
from foodcam.runtime.metrics import agreement  # noqa: E402
from foodcam.runtime.open import open_model  # noqa: E402
from foodcam.runtime.tasks import FRESHNESS, KITCHEN, TaskSpec  # noqa: E402
from foodcam.train.checkpoint import file_sha256, load_checkpoint, save_checkpoint  # noqa: E402
from foodcam.train.models import MODELS, register_model  # noqa: E402


@pytest.fixture(scope="module")
def val(kitchen_data):
    from foodcam.train.data.kitchen import KitchenFolder

    return KitchenFolder(kitchen_data, "val")


def _tensor_type(vi) -> tuple[int, list]:
    t = vi.type.tensor_type
    return t.elem_type, [d.dim_param or d.dim_value for d in t.shape.dim]


# ------------------------------------------------------------------------------- the FP32 artifact


def test_onnx_agrees_with_pytorch_on_val_frames(kitchen_ckpt, kitchen_onnx, val):
    pt = open_model(kitchen_ckpt, device="cpu")
    ox = open_model(kitchen_onnx, backend="cpu")
    scores = [agreement(pt.predict(val.load(i)[0]).mask, ox.predict(val.load(i)[0]).mask) for i in range(len(val))]
    assert len(scores) >= 3
    assert np.mean(scores) >= 0.99
    parity = read_metadata(kitchen_onnx)["export"]["parity"]
    assert parity["agreement"] >= 0.99 and parity["scores"] == "logits"
    assert "val frames" in parity["source"] and parity["max_abs_diff"] < 1e-3


def test_metadata_round_trip(kitchen_ckpt, kitchen_onnx):
    _, ckpt = load_checkpoint(kitchen_ckpt)
    meta = read_metadata(kitchen_onnx)
    task = TaskSpec.from_dict(meta["task"])
    assert task == ckpt["task"] and task.to_dict() == ckpt["task"].to_dict()
    assert meta["precision"] == "fp32" and meta["resize"] == task.resize
    assert meta["source"]["checkpoint"] == kitchen_ckpt.name
    assert meta["source"]["sha256"] == file_sha256(kitchen_ckpt)
    assert meta["export"]["opset"] == 17 and meta["export"]["torch"] == torch.__version__
    assert "TorchScript" in meta["export"]["exporter"] and meta["export"]["date"]
    assert meta["metrics"]["miou"] == pytest.approx(ckpt["metrics"]["miou"])
    assert meta["export"]["gate"]["status"] == "validated"


def test_graph_interface_is_uint8_nhwc_in_uint8_mask_out(kitchen_onnx):
    model = onnx.load(str(kitchen_onnx))
    onnx.checker.check_model(model, full_check=True)
    opset = next(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
    assert opset <= 20
    task = read_metadata(kitchen_onnx)["task"]
    h, w = task["input_size"]
    (inp,) = model.graph.input
    assert inp.name == "images" and _tensor_type(inp) == (onnx.TensorProto.UINT8, [1, h, w, 3])
    assert [o.name for o in model.graph.output] == ["mask"]
    # the mask comes out at the training frames' size (96x72), not the 64x64 input
    assert task["mask_size"] == [72, 96]
    assert _tensor_type(model.graph.output[0]) == (onnx.TensorProto.UINT8, [1, 72, 96])


def test_dynamic_batch_logits_and_imgsz(kitchen_ckpt, tmp_path, capsys):
    out = tmp_path / "dyn.onnx"
    rc = foodcam("export", "--weights", kitchen_ckpt, "--out", out, "--dynamic-batch", "--logits", "--imgsz", 48, 80,
                 "--mask-size", 0, 0)
    assert rc == 0
    printed = capsys.readouterr().out
    assert "synthetic frames" in printed and "no accuracy gate ran" in printed
    assert read_metadata(out)["task"]["input_size"] == [48, 80] and read_metadata(out)["task"]["mask_size"] is None
    m = open_model(out, backend="cpu")
    assert m.input_spec.shape[0] == -1 and (m.input_spec.height, m.input_spec.width) == (48, 80)
    rng = np.random.default_rng(0)
    batch = rng.integers(0, 256, (3, 48, 80, 3), dtype=np.uint8)
    outs = m.infer(batch)
    assert outs["mask"].dtype == np.uint8 and outs["mask"].shape == (3, 48, 80)
    assert outs["logits"].shape == (3, 3, 48, 80)
    np.testing.assert_array_equal(outs["logits"].argmax(1), outs["mask"])
    np.testing.assert_array_equal(m.infer(batch[1:2])["mask"][0], outs["mask"][1])


def test_mask_size_resizes_class_scores_bilinearly_in_the_graph(kitchen_ckpt, kitchen_data, tmp_path, capsys):
    """The mask at the frame's size is the argmax of the input-size scores resized bilinearly, not the input-size
    mask stretched: edges of thin things land between input pixels."""
    import cv2

    from foodcam.train.data.kitchen import KitchenFolder

    small, big = tmp_path / "small.onnx", tmp_path / "big.onnx"
    assert foodcam("export", "--weights", kitchen_ckpt, "--out", small, "--logits", "--mask-size", 0, 0) == 0
    assert foodcam("export", "--weights", kitchen_ckpt, "--out", big, "--logits", "--mask-size", 90, 120) == 0
    assert "mask 90x120" in capsys.readouterr().out
    a, b = open_model(small, backend="cpu"), open_model(big, backend="cpu")
    frame = KitchenFolder(kitchen_data, "val").load(0)[0]
    ra, rb = a.predict(frame), b.predict(frame)
    assert ra.mask.shape == (64, 64) and rb.mask.shape == (90, 120) and rb.logits.shape == (3, 90, 120)
    scores = cv2.resize(ra.logits.transpose(1, 2, 0), (120, 90), interpolation=cv2.INTER_LINEAR)
    assert (scores.argmax(2) == rb.mask).mean() > 0.999
    stretched = cv2.resize(ra.mask, (120, 90), interpolation=cv2.INTER_NEAREST)
    assert (stretched != rb.mask).any()  # and it is not the same as stretching the small mask
    assert rb.mask_full.shape == frame.shape[:2]  # 72x96 frames: the runtime brings it to the frame's size
    assert foodcam("export", "--weights", kitchen_ckpt, "--out", tmp_path / "x.onnx", "--mask-size", 4, 4) == 2
    assert "--mask-size 4 4: expected" in capsys.readouterr().err and not (tmp_path / "x.onnx").exists()


def test_default_output_beside_weights(kitchen_ckpt, tmp_path):
    ckpt = tmp_path / "best.pt"
    ckpt.write_bytes(kitchen_ckpt.read_bytes())
    assert foodcam("export", "--weights", ckpt, "--no-simplify") == 0
    assert (tmp_path / "model.onnx").is_file() and (tmp_path / "model.onnx.report.md").is_file()
    assert read_metadata(tmp_path / "model.onnx")["export"]["simplified"] is False


# ------------------------------------------------------------------------------- classifiers


class _TwoHeads(nn.Module):
    def __init__(self, task: TaskSpec) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.heads = nn.ModuleDict({h.name: nn.Linear(8, h.num_classes) for h in task.heads})

    def forward(self, x):
        z = self.body(x)
        return {name: head(z) for name, head in self.heads.items()}


@pytest.fixture
def registered():
    """Register test-only architectures for one test, so checkpoints of them load; removed afterwards."""
    added = []

    def add(name: str, kind: str, cls) -> None:
        register_model(name, kind)(lambda task: cls(task))
        added.append(name)

    yield add
    for name in added:
        MODELS.pop(name, None)


def test_classifier_exports_one_probability_output_per_head(tmp_path, registered):
    registered("_test_export_two_heads", "classification", _TwoHeads)
    torch.manual_seed(0)
    task = FRESHNESS.with_input_size(32, 32)
    net = _TwoHeads(task)
    save_checkpoint(tmp_path / "cls.pt", {"task": task.to_dict(), "arch": {"name": "_test_export_two_heads", "kwargs": {}},
                                          "state_dict": net.state_dict(), "config": {}, "metrics": {}, "epoch": 0})
    for precision in ("fp32", "fp16"):
        assert foodcam("export", "--weights", tmp_path / "cls.pt", "--precision", precision) == 0
    for name in ("model.onnx", "model.fp16.onnx"):
        model = onnx.load(str(tmp_path / name))
        assert [o.name for o in model.graph.output] == ["fruit", "freshness"]
        assert all(o.type.tensor_type.elem_type == onnx.TensorProto.FLOAT for o in model.graph.output)
        m = open_model(tmp_path / name, backend="cpu")
        res = m.predict(np.full((50, 70, 3), 120, np.uint8))
        for head in task.heads:
            assert res.probs[head.name].shape == (head.num_classes,)
            assert res.probs[head.name].sum() == pytest.approx(1.0, abs=1e-3)


# ------------------------------------------------------------------------------- failures


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("foodcam export: error:")
    return err[0]


def test_corrupt_or_foreign_checkpoint_exits_2_and_writes_nothing(tmp_path, capsys):
    (tmp_path / "garbage.pt").write_bytes(b"\x00not a checkpoint" * 50)
    assert foodcam("export", "--weights", tmp_path / "garbage.pt", "--out", tmp_path / "a.onnx") == 2
    assert "garbage.pt" in _one_line_error(capsys)
    torch.save({"state_dict": {}}, tmp_path / "foreign.pt")
    assert foodcam("export", "--weights", tmp_path / "foreign.pt", "--out", tmp_path / "b.onnx") == 2
    assert "not a foodcam checkpoint" in _one_line_error(capsys)
    assert foodcam("export", "--weights", tmp_path / "missing.pt") == 2
    _one_line_error(capsys)
    assert not list(tmp_path.glob("*.onnx")) and not list(tmp_path.glob(".*"))


class _Noisy(nn.Module):
    """A model whose every run differs (random scores): no exported graph can agree with it."""

    def __init__(self, task: TaskSpec) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, task.seg_head.num_classes, 1)

    def forward(self, x):
        y = self.conv(x)
        return y + 100.0 * torch.rand_like(y)


def test_failed_parity_exits_nonzero_and_leaves_no_file(tmp_path, capsys, registered):
    registered("_test_export_noisy", "segmentation", _Noisy)
    task = KITCHEN.with_input_size(32, 32)
    save_checkpoint(tmp_path / "noisy.pt", {"task": task.to_dict(), "arch": {"name": "_test_export_noisy", "kwargs": {}},
                                            "state_dict": _Noisy(task).state_dict(), "config": {}, "metrics": {}})
    assert foodcam("export", "--weights", tmp_path / "noisy.pt", "--out", tmp_path / "noisy.onnx") == 2
    assert "parity check failed" in _one_line_error(capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["noisy.pt"]


def test_bad_options_are_one_line_errors(kitchen_ckpt, tmp_path, capsys):
    assert foodcam("export", "--weights", kitchen_ckpt, "--out", tmp_path / "m.onnx", "--opset", 21) == 2
    assert "--opset 21" in _one_line_error(capsys)
    assert foodcam("export", "--weights", kitchen_ckpt, "--out", tmp_path / "m.txt") == 2
    assert ".onnx" in _one_line_error(capsys)
    assert foodcam("export", "--weights", kitchen_ckpt, "--out", tmp_path / "m.int8.onnx", "--precision", "int8") == 2
    assert "--calib" in _one_line_error(capsys)
    assert foodcam("export", "--weights", kitchen_ckpt, "--out", tmp_path / "m.onnx", "--data", tmp_path / "nope") == 2
    assert "nope" in _one_line_error(capsys)
    assert not list(tmp_path.iterdir())

"""Reproduced hostile-input cases, one regression test each (the line-config cases live with the line's tests)."""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import onnx
import pytest
from conftest import foodcam
from onnx import numpy_helper
from tiny_onnx import CLS_TASK, SEG_TASK, cls_onnx, seg_onnx

from foodcam.camera.sorting.trigger import TriggerInput, parse_state
from foodcam.runtime.backends.onnx_meta import make_metadata, parse_metadata_json, read_metadata
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.open import open_model
from foodcam.runtime.tasks import FRESHNESS, KITCHEN, TaskSpec


def _one_line(e: pytest.ExceptionInfo, *names: str) -> str:
    msg = str(e.value)
    assert "\n" not in msg and all(n in msg for n in names), msg
    return msg


# --- trigger datagrams ----------------------------------------------------------------------------------------

def test_a_datagram_of_brackets_is_malformed_not_fatal():
    assert parse_state(b"[" * 1500) is None
    assert parse_state(b"{" * 200 + b"}" * 200) is None
    assert parse_state(b'{"beam": {"beam": "blocked"}}') is None
    assert parse_state(b"1" * 300) is None  # over the size limit
    trig = TriggerInput()
    trig._receive(b"[" * 1500, 0.0)
    trig._receive(b'{"beam": "blocked"}', 1.0)
    assert trig.malformed == 1 and trig.poll() == [(1.0, True)]


# --- task descriptions: one validator for checkpoints, ONNX metadata and sidecars --------------------------

BAD_TASKS = {
    "a string": "kitchen",
    "a list": [KITCHEN.to_dict()],
    "no heads": {**KITCHEN.to_dict(), "heads": []},
    "no classes": {**KITCHEN.to_dict(), "heads": [{**KITCHEN.to_dict()["heads"][0], "classes": [], "colours": None}]},
    "input_size [0, 0]": {**KITCHEN.to_dict(), "input_size": [0, 0]},
    "input_size [96]": {**KITCHEN.to_dict(), "input_size": [96]},
    "mask_size [0, 320]": {**KITCHEN.to_dict(), "mask_size": [0, 320]},
    "mask_size as text": {**KITCHEN.to_dict(), "mask_size": "240x320"},
    "colours as strings": {**KITCHEN.to_dict(), "heads": [{**KITCHEN.to_dict()["heads"][0],
                                                            "colours": ["red", "green", "blue"]}]},
    "NaN mean": {**KITCHEN.to_dict(), "mean": [float("nan"), 0.4, 0.4]},
    "mean beyond a float": {**KITCHEN.to_dict(), "mean": [10**400, 0.4, 0.4]},  # found by the long fuzz run
    "zero std": {**FRESHNESS.to_dict(), "std": [0, 0.2, 0.2]},
    "unknown head kind": {**FRESHNESS.to_dict(), "heads": [{"name": "x", "kind": "boxes", "classes": ["a"]}]},
}


@pytest.mark.parametrize("case", sorted(BAD_TASKS))
def test_bad_task_descriptions_are_one_line_errors(case):
    with pytest.raises(FoodcamError) as e:
        TaskSpec.from_dict(BAD_TASKS[case], "model.onnx")
    _one_line(e, "model.onnx", "task description")


@pytest.mark.parametrize("case", ["a string", "input_size [0, 0]", "input_size [96]", "colours as strings"])
def test_bad_task_in_onnx_metadata_fails_at_open(tmp_path, case):
    meta = {**make_metadata(SEG_TASK, "fp32"), "task": BAD_TASKS[case]}
    path = seg_onnx(tmp_path / "m.onnx", meta=None)
    proto = onnx.load(str(path))
    onnx.helper.set_model_props(proto, {"foodcam": json.dumps(meta)})
    onnx.save(proto, str(path))
    with pytest.raises(FoodcamError) as e:
        open_model(path)
    _one_line(e, str(path))


def test_deeply_nested_metadata_is_a_one_line_error(tmp_path):
    text = '{"schema": 1, "task": ' + "[" * 5000 + "]" * 5000 + "}"
    with pytest.raises(FoodcamError) as e:
        parse_metadata_json(text, "x.engine.json")
    assert "nests 5001 levels" in _one_line(e, "x.engine.json")


def test_bad_task_in_a_sidecar_fails_before_tensorrt(tmp_path):
    engine = tmp_path / "m.engine"
    engine.write_bytes(b"plan")
    (tmp_path / "m.engine.json").write_text(json.dumps({**make_metadata(SEG_TASK, "fp16"), "task": "kitchen"}))
    with pytest.raises(FoodcamError) as e:
        open_model(engine)
    _one_line(e, "m.engine.json", "task description")


# --- checkpoints ------------------------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _one_torch_thread():
    """Tiny convolutions: more threads only add overhead (and contention on a shared 2-core machine)."""
    try:
        import torch
    except ImportError:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def tiny_ckpt():
    import torch

    from foodcam.train.checkpoint import FORMAT, VERSION
    from foodcam.train.models import build_model

    task = KITCHEN.with_input_size(16, 16)
    net = build_model("unet", task, width=4)
    return {"format": FORMAT, "version": VERSION, "task": task.to_dict(), "arch": {"name": "unet", "kwargs": {"width": 4}},
            "state_dict": {k: v.clone() for k, v in net.state_dict().items()}, "config": {}, "epoch": 1,
            "_torch": torch}


def _save(ckpt: dict, path):
    import torch

    torch.save({k: v for k, v in ckpt.items() if k != "_torch"}, path)
    return path


def _load(path):
    from foodcam.runtime.open import open_model

    return open_model(path, device="cpu")


@pytest.mark.parametrize("key", ["task", "arch", "state_dict"])
def test_checkpoint_without_a_key(tiny_ckpt, tmp_path, key):
    path = _save({k: v for k, v in tiny_ckpt.items() if k != key}, tmp_path / "c.pt")
    with pytest.raises(FoodcamError) as e:
        _load(path)
    _one_line(e, str(path), repr(key))


@pytest.mark.parametrize("kwargs", [{"width": "wide"}, {"width": -4}, {"width": 8}, {"depth": 3}, {"width": [4]}])
def test_checkpoint_with_bad_arch_kwargs(tiny_ckpt, tmp_path, kwargs):
    path = _save({**tiny_ckpt, "arch": {"name": "unet", "kwargs": kwargs}}, tmp_path / "c.pt")
    with pytest.raises(FoodcamError) as e:
        _load(path)
    _one_line(e, str(path))


def test_checkpoint_with_a_flipped_bit_in_data_pkl(tiny_ckpt, tmp_path):
    buf = io.BytesIO()
    tiny_ckpt["_torch"].save({k: v for k, v in tiny_ckpt.items() if k != "_torch"}, buf)
    data = bytearray(buf.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = next(i for i in z.infolist() if i.filename.endswith("data.pkl"))
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    failures = 0
    for offset in range(0, info.file_size, max(1, info.file_size // 10)):
        flipped = bytearray(data)
        flipped[start + offset] ^= 0x10
        path = tmp_path / f"flip{offset}.pt"
        path.write_bytes(bytes(flipped))
        try:
            _load(path).close()
        except FoodcamError as e:
            assert "\n" not in str(e) and str(path) in str(e)
            failures += 1
    assert failures > 0  # each flip is either a one-line error or (a flip inside a string value) harmless


def test_checkpoint_with_nan_weights_is_refused(tiny_ckpt, tmp_path):
    sd = dict(tiny_ckpt["state_dict"])
    key = next(k for k in sd if k.endswith("weight"))
    sd[key] = sd[key].clone().fill_(float("nan"))
    path = _save({**tiny_ckpt, "state_dict": sd}, tmp_path / "nan.pt")
    with pytest.raises(FoodcamError) as e:
        _load(path)
    _one_line(e, str(path), "NaN")


# --- deployment artifacts: corrupted weights, class counts, integrity --------------------------------------------

def _with_initializer(path, fill) -> None:
    proto = onnx.load(str(path))
    init = proto.graph.initializer[0]
    arr = numpy_helper.to_array(init).copy()
    arr[...] = fill
    init.CopyFrom(numpy_helper.from_array(arr, init.name))
    onnx.save(proto, str(path))


def test_onnx_with_nan_weights_is_refused(tmp_path):
    path = cls_onnx(tmp_path / "nan.onnx")
    _with_initializer(path, np.nan)
    with pytest.raises(FoodcamError) as e:
        open_model(path, backend="cpu")
    _one_line(e, str(path), "corrupted weights")


def test_class_count_that_disagrees_with_the_outputs_is_refused(tmp_path):
    path = cls_onnx(tmp_path / "cls.onnx")  # outputs 4 fruit probabilities
    task = CLS_TASK.with_head_classes("fruit", ["apple", "banana", "orange"])
    proto = onnx.load(str(path))
    onnx.helper.set_model_props(proto, {"foodcam": json.dumps(make_metadata(task, "fp32"))})
    onnx.save(proto, str(path))
    with pytest.raises(FoodcamError) as e:
        open_model(path, backend="cpu")
    _one_line(e, str(path), "3 classes")


def test_segmentation_mask_beyond_the_class_count_is_refused(tmp_path):
    d = SEG_TASK.to_dict()
    task = TaskSpec.from_dict({**d, "heads": [{**d["heads"][0], "classes": ["a", "b"], "colours": None}]})
    path = seg_onnx(tmp_path / "seg.onnx", task=task)  # the tiny graph's mask takes values 0..2
    with pytest.raises(FoodcamError) as e:
        open_model(path, backend="cpu")
    _one_line(e, str(path), "2 classes")


@pytest.fixture
def stamped_onnx(tmp_path):
    """A tiny classifier saved through export's save_onnx: its metadata carries the integrity record."""
    from foodcam.export.onnx_export import save_onnx

    path = cls_onnx(tmp_path / "cls.onnx")
    save_onnx(onnx.load(str(path)), path)
    return path


def test_export_records_the_weights_sha256_and_verify_checks_it(stamped_onnx):
    meta = read_metadata(stamped_onnx)
    assert len(meta["integrity"]["graph_sha256"]) == 64 and meta["integrity"]["graph_bytes"] > 0
    open_model(stamped_onnx, backend="cpu", verify=True).close()
    data = bytearray(stamped_onnx.read_bytes())
    raw = numpy_helper.to_array(onnx.load(str(stamped_onnx)).graph.initializer[0]).astype("<f4").tobytes()
    at = bytes(data).index(raw)
    data[at + 1] ^= 0x01  # one flipped bit in a weight: still finite, same size
    stamped_onnx.write_bytes(bytes(data))
    open_model(stamped_onnx, backend="cpu").close()  # the size check cannot see it ...
    with pytest.raises(FoodcamError) as e:
        open_model(stamped_onnx, backend="cpu", verify=True)  # ... the hash does
    _one_line(e, str(stamped_onnx), "sha256")


def test_verify_flag_on_the_cli(stamped_onnx, tmp_path, capsys):
    import cv2

    images = tmp_path / "imgs"
    images.mkdir()
    cv2.imwrite(str(images / "a.png"), np.zeros((12, 12, 3), np.uint8))
    assert foodcam("predict", "--weights", stamped_onnx, "--source", images, "--out", tmp_path / "o", "--verify") == 0
    data = bytearray(stamped_onnx.read_bytes())
    data[len(data) // 2] ^= 0x40
    stamped_onnx.write_bytes(bytes(data))
    capsys.readouterr()
    assert foodcam("predict", "--weights", stamped_onnx, "--source", images, "--out", tmp_path / "o", "--verify") == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("foodcam predict: error:") and len(err.splitlines()) == 1


def test_engine_whose_size_differs_from_its_sidecar(tmp_path):
    from foodcam.runtime.integrity import plan_record

    engine = tmp_path / "m.engine"
    engine.write_bytes(b"plan" * 100)
    sidecar = {**make_metadata(SEG_TASK, "fp16"), "integrity": plan_record(b"plan" * 99)}
    (tmp_path / "m.engine.json").write_text(json.dumps(sidecar))
    with pytest.raises(FoodcamError) as e:
        open_model(engine)
    _one_line(e, str(engine), "bytes")


def test_odd_frames_are_one_line_errors(tmp_path):
    with open_model(seg_onnx(tmp_path / "s.onnx"), backend="cpu") as model:
        for frame in (np.zeros((0, 5, 3), np.uint8), np.zeros((4, 4, 2), np.uint8), "frame",
                      np.full((4, 4, 3), np.nan, np.float32)):
            with pytest.raises(FoodcamError) as e:
                model.predict(frame)
            _one_line(e, "s.onnx")
        assert model.predict(np.zeros((9, 9), np.uint8)).mask.shape == (16, 20)  # gray is converted


# --- bench --compare ----------------------------------------------------------------------------------------------

ROW = {"name": "m.onnx", "format": "onnx", "precision": "fp32", "backend": "cpu", "imgsz": [64, 64], "batch": 1,
       "status": "validated", "latency_ms": {"median": 8.0}, "miou": 0.8}
BAD_REPORTS = {
    "rows not a list": {"rows": {"a": 1}},
    "row not an object": {"rows": ["row"]},
    "no name": {"rows": [{**ROW, "name": None}]},
    "imgsz a string": {"rows": [{**ROW, "imgsz": "64x64"}]},
    "batch a string": {"rows": [{**ROW, "batch": "1"}]},
    "latency a list": {"rows": [{**ROW, "latency_ms": [8.0]}]},
    "median a string": {"rows": [{**ROW, "latency_ms": {"median": "8"}}]},
    "median zero": {"rows": [{**ROW, "latency_ms": {"median": 0}}]},
    "miou a string": {"rows": [{**ROW, "miou": "80%"}]},
    "machine an object": {"machine": {"cpu": 1}, "rows": [ROW]},
    "precision a number": {"rows": [{**ROW, "precision": 16}]},
    "format missing": {"rows": [{k: v for k, v in ROW.items() if k != "format"}]},
}


@pytest.mark.parametrize("case", sorted(BAD_REPORTS) + ["not UTF-8", "nested 3000 deep", "NaN median"])
def test_bench_compare_on_malformed_reports(tmp_path, capsys, case):
    from foodcam.benchmarks.report import SCHEMA

    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps({"schema": SCHEMA, "machine": "m", "rows": [ROW]}))
    if case == "not UTF-8":
        bad.write_bytes(b'{"schema": "\xff\xfe"}')
    elif case == "nested 3000 deep":
        bad.write_text(f'{{"schema": "{SCHEMA}", "rows": [{"[" * 3000 + "]" * 3000}]}}')
    elif case == "NaN median":
        bad.write_text(json.dumps({"schema": SCHEMA, "rows": [{**ROW, "latency_ms": {"median": float("nan")}}]}))
    else:
        bad.write_text(json.dumps({"schema": SCHEMA, **BAD_REPORTS[case]}))
    assert foodcam("bench", "--compare", good, bad) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "bad.json" in err, err

"""foodcam.runtime.open_model on deployment ONNX files through ONNX Runtime (CPU here), and its error messages."""

from __future__ import annotations

import json

import cv2
import numpy as np
import onnx
import pytest
from tiny_onnx import (
    CLS_TASK,
    SEG_TASK,
    cls_onnx,
    cls_reference,
    random_frames,
    seg_onnx,
    seg_reference,
)

from foodcam.runtime.backends.onnx_meta import (
    make_metadata,
    metadata_to_props,
    read_metadata,
    read_onnx_props,
)
from foodcam.runtime.backends.onnxrt import CPU_EP, CUDA_EP, TRT_EP, select_providers
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.model import METADATA_KEY


@pytest.fixture(scope="module")
def seg_path(tmp_path_factory):
    return seg_onnx(tmp_path_factory.mktemp("seg") / "seg.onnx")


@pytest.fixture(scope="module")
def cls_path(tmp_path_factory):
    return cls_onnx(tmp_path_factory.mktemp("cls") / "cls.onnx")


@pytest.fixture(scope="module")
def seg_model(seg_path):
    from foodcam.runtime import open_model

    with open_model(seg_path, threads=1) as m:
        yield m


def test_metadata_read_without_onnx_package_matches_onnx(seg_path):
    props = read_onnx_props(seg_path)
    assert props == {p.key: p.value for p in onnx.load(str(seg_path)).metadata_props}
    meta = read_metadata(seg_path)
    assert meta["schema"] == 1 and meta["precision"] == "fp32"
    assert meta == make_metadata(SEG_TASK, "fp32", source={"checkpoint": "tiny", "sha256": "0" * 64})
    assert json.loads(metadata_to_props(meta)[METADATA_KEY]) == meta


def test_make_metadata_rejects_unknown_precision():
    with pytest.raises(FoodcamError, match="precision 'bf16'"):
        make_metadata(SEG_TASK, "bf16")


def test_open_picks_cpu_provider_and_describes_itself(seg_model, seg_path):
    assert seg_model.backend == f"onnxruntime:{CPU_EP}"
    assert seg_model.providers[0] == CPU_EP
    assert seg_model.task == SEG_TASK
    assert seg_model.path == str(seg_path)
    assert seg_model.input_spec.shape == (-1, 16, 20, 3)
    assert seg_model.output_names == ["mask", "logits"]
    opts = seg_model.session.get_session_options()
    assert opts.intra_op_num_threads == 1
    import onnxruntime as ort

    assert opts.graph_optimization_level == ort.GraphOptimizationLevel.ORT_ENABLE_ALL


def test_provider_order_by_availability(tmp_path):
    sha = "ab12" * 16
    chosen = select_providers([CPU_EP, CUDA_EP, TRT_EP], trt_engine_cache_dir=tmp_path / "c",
                              trt_timing_cache=tmp_path / "t", fp16=True, device_id=1, onnx_sha256=sha)
    assert [p if isinstance(p, str) else p[0] for p in chosen] == [TRT_EP, CUDA_EP, CPU_EP]
    trt_opts = chosen[0][1]
    assert trt_opts["trt_engine_cache_enable"] and trt_opts["trt_engine_cache_path"] == str(tmp_path / "c" / sha[:16])
    assert (tmp_path / "c" / sha[:16]).is_dir()
    assert trt_opts["trt_timing_cache_path"] == str(tmp_path / "t") and trt_opts["trt_fp16_enable"]
    assert trt_opts["trt_int8_enable"] is False
    assert trt_opts["device_id"] == 1 and chosen[1] == (CUDA_EP, {"device_id": 1})
    assert select_providers([CPU_EP, CUDA_EP], device="cpu") == [CPU_EP]
    assert [p if isinstance(p, str) else p[0] for p in select_providers([CPU_EP, CUDA_EP, TRT_EP], device="cuda")] == [
        CUDA_EP, CPU_EP]
    assert select_providers(["AzureExecutionProvider", CPU_EP]) == [CPU_EP]
    with pytest.raises(FoodcamError, match="no CUDA provider"):
        select_providers([CPU_EP], device="cuda")
    with pytest.raises(FoodcamError, match="sha256"):
        select_providers([CPU_EP, TRT_EP], trt_engine_cache_dir=tmp_path / "c")


def test_tensorrt_ep_gets_one_cache_folder_per_onnx_and_int8_for_qdq(tmp_path, monkeypatch):
    """The options OnnxRuntimeModel asks for when the TensorRT EP is available (recorded; the session itself
    runs on the CPU here)."""
    import onnxruntime as ort

    from foodcam.runtime import open_model
    from foodcam.runtime.backends import onnxrt
    from foodcam.runtime.backends.onnx_meta import file_sha256

    asked = []

    def recording_select(available, device, device_id, cache_dir, timing, fp16=False, onnx_sha256=None, int8=False):
        asked.append(select_providers(available, device, device_id, cache_dir, timing, fp16, onnx_sha256, int8))
        return [CPU_EP]

    monkeypatch.setattr(ort, "get_available_providers", lambda: [TRT_EP, CUDA_EP, CPU_EP])
    monkeypatch.setattr(onnxrt, "select_providers", recording_select)
    paths = {}
    for precision in ("fp32", "fp16", "int8"):
        paths[precision] = seg_onnx(tmp_path / f"{precision}.onnx", meta=make_metadata(SEG_TASK, precision))
        with open_model(paths[precision], trt_engine_cache_dir=tmp_path / "engines"):
            pass
    retrained = seg_onnx(tmp_path / "fp32.onnx", meta=make_metadata(SEG_TASK, "fp32", source={"checkpoint": "v2"}))
    with open_model(retrained, trt_engine_cache_dir=tmp_path / "engines"):
        pass
    opts = [a[0][1] for a in asked]
    assert [(o["trt_fp16_enable"], o["trt_int8_enable"]) for o in opts] == [
        (False, False), (True, False), (False, True), (False, False)]
    folders = [o["trt_engine_cache_path"] for o in opts]
    assert len(set(folders)) == 4  # same file name, new weights: a new folder, never the stale engine
    assert folders[3] == str(tmp_path / "engines" / file_sha256(retrained)[:16])


def test_segmentation_infer_matches_numpy(seg_model):
    images = random_frames(3, 16, 20, seed=1)
    out = seg_model.infer(images)
    ref = seg_reference(images)
    assert out["mask"].dtype == np.uint8 and out["mask"].shape == (3, 16, 20)
    np.testing.assert_array_equal(out["mask"], ref["mask"])
    np.testing.assert_array_equal(out["logits"], ref["logits"])


def test_predict_resizes_to_model_and_back_to_frame(seg_model):
    frame = random_frames(1, 45, 70, seed=2)[0]
    res = seg_model.predict(frame)
    small = cv2.resize(frame, (20, 16), interpolation=cv2.INTER_LINEAR)
    np.testing.assert_array_equal(res.mask, small.argmax(-1).astype(np.uint8))
    assert res.mask_full.shape == (45, 70)
    np.testing.assert_array_equal(res.mask_full, cv2.resize(res.mask, (70, 45), interpolation=cv2.INTER_NEAREST))
    shares = res.shares
    assert set(shares) == set(SEG_TASK.seg_head.classes)
    assert sum(shares.values()) == pytest.approx(1.0)
    assert shares["stirrer"] == pytest.approx(float((res.mask == 0).mean()))


def test_classifier_heads_probabilities_and_topk(cls_path):
    from foodcam.runtime import open_model

    with open_model(cls_path, backend="cpu") as m:
        assert m.output_names == ["fruit", "freshness"]
        images = random_frames(2, 12, 12, seed=3)
        out = m.infer(images)
        ref = cls_reference(images)
        for head in ("fruit", "freshness"):
            assert out[head].shape == (2, CLS_TASK.head(head).num_classes)
            np.testing.assert_allclose(out[head].sum(1), 1.0, rtol=1e-5)
            np.testing.assert_allclose(out[head], ref[head], rtol=1e-4, atol=1e-6)
        frame = random_frames(1, 30, 40, seed=4)[0]
        res = m.predict(frame)
        p = cls_reference(cv2.resize(frame, (12, 12), interpolation=cv2.INTER_LINEAR)[None])["fruit"][0]
        order = np.argsort(-p)
        top = res.top("fruit", 3)
        assert [name for name, _ in top] == [CLS_TASK.head("fruit").classes[i] for i in order[:3]]
        assert [s for _, s in top] == sorted((s for _, s in top), reverse=True)
        assert res.label("freshness") in ("fresh", "rotten")


def test_fixed_batch_model_rejects_other_batch_sizes(tmp_path):
    from foodcam.runtime import open_model

    path = seg_onnx(tmp_path / "fixed.onnx", dynamic=False)
    with open_model(path) as m:
        assert m.input_spec.shape == (1, 16, 20, 3)
        assert m.infer(random_frames(1, 16, 20))["mask"].shape == (1, 16, 20)
        with pytest.raises(FoodcamError, match="exactly 1") as e:
            m.infer(random_frames(2, 16, 20))
        assert str(path) in str(e.value)


@pytest.mark.parametrize(
    "images, pattern",
    [
        (np.zeros((1, 16, 20, 3), np.float32), "dtype is float32"),
        (np.zeros((1, 20, 16, 3), np.uint8), r"shape is \(1, 20, 16, 3\)"),
        (np.zeros((16, 20, 3), np.uint8), "one frame"),
        (np.zeros((1, 16, 20, 4), np.uint8), "expected uint8"),
        ([[0]], "numpy array"),
    ],
)
def test_infer_validates_the_batch(seg_model, seg_path, images, pattern):
    with pytest.raises(FoodcamError, match=pattern) as e:
        seg_model.infer(images)
    assert str(seg_path) in str(e.value)


def _open_error(path, **kw) -> str:
    from foodcam.runtime import open_model

    with pytest.raises(FoodcamError) as e:
        open_model(path, **kw)
    msg = str(e.value)
    assert str(path) in msg and "\n" not in msg
    return msg


def test_missing_file(tmp_path):
    assert "no such model file" in _open_error(tmp_path / "absent.onnx")


def test_garbage_bytes(tmp_path):
    path = tmp_path / "garbage.onnx"
    path.write_bytes(bytes(range(256)) * 3)
    assert "not an ONNX model" in _open_error(path)


def test_truncated_protobuf(tmp_path, seg_path):
    path = tmp_path / "truncated.onnx"
    path.write_bytes(seg_path.read_bytes()[: seg_path.stat().st_size // 2])
    assert "not an ONNX model" in _open_error(path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.onnx"
    path.write_bytes(b"")
    assert "empty file" in _open_error(path)


def test_onnx_without_foodcam_metadata(tmp_path):
    path = seg_onnx(tmp_path / "plain.onnx", meta=None)
    assert "foodcam export" in _open_error(path)


def test_unknown_metadata_schema(tmp_path):
    meta = make_metadata(SEG_TASK, "fp32")
    meta["schema"] = 99
    path = tmp_path / "future.onnx"
    model = onnx.load(str(seg_onnx(path)))
    del model.metadata_props[:]
    onnx.helper.set_model_props(model, {METADATA_KEY: json.dumps(meta)})
    onnx.save(model, str(path))
    assert "schema 99" in _open_error(path)


def test_metadata_not_json(tmp_path):
    path = tmp_path / "notjson.onnx"
    model = onnx.load(str(seg_onnx(path)))
    del model.metadata_props[:]
    onnx.helper.set_model_props(model, {METADATA_KEY: "{not json"})
    onnx.save(model, str(path))
    assert "not valid JSON" in _open_error(path)


def test_input_not_uint8(tmp_path):
    path = seg_onnx(tmp_path / "float_in.onnx", input_type=onnx.TensorProto.FLOAT)
    assert "expected uint8 (N, H, W, 3)" in _open_error(path)


def test_missing_output_for_task(tmp_path):
    path = seg_onnx(tmp_path / "wrong_task.onnx", meta=make_metadata(CLS_TASK, "fp32"))
    assert "lack ['fruit', 'freshness']" in _open_error(path)


def test_bad_backend_suffix_and_options(tmp_path, seg_path):
    assert "unknown option" in _open_error(seg_path, threadz=2)
    with pytest.raises(FoodcamError, match="backend 'tpu'"):
        from foodcam.runtime import open_model

        open_model(seg_path, backend="tpu")
    other = tmp_path / "model.tflite"
    other.write_bytes(b"x")
    assert "unknown model file kind" in _open_error(other)
    ckpt = tmp_path / "best.pt"
    ckpt.write_bytes(b"x")
    assert "PyTorch checkpoint runs on PyTorch" in _open_error(ckpt, backend="cpu")
    engine = tmp_path / "model.engine"
    engine.write_bytes(b"x")
    assert "tensorrt backend only" in _open_error(engine, backend="cpu")


def test_a_checkpoint_without_torch_is_a_one_line_error(tmp_path, monkeypatch):
    """The one entry point opens .pt files through the training side, imported only for them."""
    import sys

    ckpt = tmp_path / "best.pt"
    ckpt.write_bytes(b"x")
    monkeypatch.setitem(sys.modules, "foodcam.train.torch_model", None)  # as on a Jetson without torch
    msg = _open_error(ckpt)
    assert "PyTorch checkpoint needs the training side" in msg and "foodcam export" in msg and "\n" not in msg

"""The Triton model-repository writer and the client's URL handling (no server needed)."""

from __future__ import annotations

import json

import pytest
from ports import free_port
from tiny_onnx import CLS_TASK, SEG_TASK, cls_onnx, seg_onnx

from foodcam.cli import main
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.open import open_model

pytest.importorskip("tritonclient.grpc", reason="pip install 'foodcam[triton]'")

from foodcam.export.triton_repo import parse_config, write_repository  # noqa: E402
from foodcam.runtime.backends.triton import parse_url  # noqa: E402


def test_segmentation_repository_config_parses_back(tmp_path, capsys):
    onnx_path = seg_onnx(tmp_path / "tiny.onnx")
    rc = main(["export", "--onnx", str(onnx_path), "--triton-repo", str(tmp_path / "repo"), "--name", "kitchen",
               "--max-batch", "4", "--fp16-accelerator"])
    assert rc == 0 and "wrote Triton model 'kitchen'" in capsys.readouterr().out
    cfg = parse_config((tmp_path / "repo" / "kitchen" / "config.pbtxt").read_text())
    assert (tmp_path / "repo" / "kitchen" / "1" / "model.onnx").read_bytes() == onnx_path.read_bytes()
    assert cfg.name == "kitchen" and cfg.platform == "onnxruntime_onnx" and cfg.max_batch_size == 4
    h, w = SEG_TASK.input_size
    (inp,) = cfg.input
    assert inp.name == "images" and list(inp.dims) == [h, w, 3]
    assert inp.data_type == 2  # TYPE_UINT8
    outs = {o.name: (o.data_type, list(o.dims)) for o in cfg.output}
    assert outs == {"mask": (2, [h, w]), "logits": (11, [3, h, w])}  # TYPE_UINT8, TYPE_FP32
    assert cfg.HasField("dynamic_batching") and max(cfg.dynamic_batching.preferred_batch_size) == 4
    assert cfg.instance_group[0].kind == 1  # KIND_GPU
    (acc,) = cfg.optimization.execution_accelerators.gpu_execution_accelerator
    assert acc.name == "tensorrt" and acc.parameters["precision_mode"] == "FP16"
    meta = json.loads(cfg.parameters["foodcam"].string_value)
    assert meta["task"] == json.loads(json.dumps(SEG_TASK.to_dict()))


def test_classifier_repository_on_cpu_and_fixed_batch(tmp_path):
    cfg = parse_config(write_repository(tmp_path / "r", cls_onnx(tmp_path / "c.onnx"), kind="cpu").read_text())
    assert cfg.name == CLS_TASK.name and cfg.instance_group[0].kind == 2  # KIND_CPU
    assert {o.name: list(o.dims) for o in cfg.output} == {h.name: [len(h.classes)] for h in CLS_TASK.heads}
    assert not cfg.optimization.HasField("execution_accelerators")
    fixed = parse_config(write_repository(tmp_path / "r", seg_onnx(tmp_path / "f.onnx", dynamic=False),
                                          name="fixed").read_text())
    assert fixed.max_batch_size == 0 and not fixed.HasField("dynamic_batching")
    assert list(fixed.input[0].dims) == [1, *SEG_TASK.input_size, 3]  # no batching: full dims


def test_repository_writer_refuses_bad_input(tmp_path, capsys):
    onnx_path = seg_onnx(tmp_path / "tiny.onnx")
    with pytest.raises(FoodcamError, match="--instance-kind gpu"):
        write_repository(tmp_path / "r", onnx_path, kind="cpu", fp16_accelerator=True)
    with pytest.raises(FoodcamError, match="--max-batch 0"):
        write_repository(tmp_path / "r", onnx_path, max_batch=0)
    assert main(["export", "--onnx", str(onnx_path)]) == 2
    assert "--triton-repo" in capsys.readouterr().err
    assert main(["export", "--onnx", str(onnx_path), "--weights", "x.pt", "--triton-repo", "r"]) == 2
    assert "exactly one of" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


def test_urls_parse_and_bad_ones_are_named():
    u = parse_url("grpc://gpu-box/kitchen/2?shm=1")
    assert (u["address"], u["model"], u["version"], u["shm"]) == ("gpu-box:8001", "kitchen", "2", True)
    assert parse_url("http://127.0.0.1:9000/fresh")["address"] == "127.0.0.1:9000"
    for bad in ("grpc://host", "grpc://host:8001/a/b/c", "http://h/m/v1", "grpc://h/m?color=1"):
        with pytest.raises(FoodcamError, match="grpc://HOST|version|unknown option"):
            parse_url(bad)


@pytest.mark.parametrize("scheme", ["grpc", "http"])
def test_server_down_at_start_is_one_line_naming_the_url(scheme, capsys):
    url = f"{scheme}://127.0.0.1:{free_port()}/kitchen?timeout=2"
    with pytest.raises(FoodcamError, match="Triton server not reachable") as e:
        open_model(url)
    assert url in str(e.value) and "\n" not in str(e.value)
    assert main(["run", "--model", url, "--source", "synth://kitchen", "--max-frames", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and url in err[0]

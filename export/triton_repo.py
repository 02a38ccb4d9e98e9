"""Deployment ONNX or TensorRT engine -> a Triton Inference Server model repository.

    write_repository("models/", "kitchen.onnx", name="kitchen", max_batch=8, kind="gpu", fp16_accelerator=True)
    # models/kitchen/config.pbtxt + models/kitchen/1/model.onnx   (an engine: 1/model.plan, "tensorrt_plan")

The config is a `ModelConfig` protobuf message (the types tritonclient ships, tritonclient.grpc.model_config_pb2)
written in the protobuf text format Triton parses: input/output names, data types and dims (batch axis left out)
read from the model itself, `max_batch_size` + `dynamic_batching` for a dynamic-batch model (a fixed batch-1
model gets max_batch_size 0 and its full dims: served, not batched), `instance_group` (KIND_GPU | KIND_CPU),
the TensorRT accelerator with FP16 for the ONNX platform when asked, and the foodcam description (the same JSON
as the ONNX metadata / engine sidecar) in `parameters["foodcam"]`, from which a client recovers the task.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import atomic_path, write_text_atomic
from foodcam.runtime.model import (
    INPUT_NAME,
    LOGITS_OUTPUT,
    METADATA_KEY,
    UNCERTAINTY_OUTPUT,
    deployment_outputs,
    distance_output,
    needs_distance,
)

PARAM_KEY = METADATA_KEY  # config.parameters key holding the foodcam description (JSON)
KINDS = ("gpu", "cpu")
ONNX_PLATFORM, PLAN_PLATFORM = "onnxruntime_onnx", "tensorrt_plan"
# ONNX TensorProto element types -> Triton data types
_ONNX_TO_TRITON = {1: "TYPE_FP32", 2: "TYPE_UINT8", 3: "TYPE_INT8", 6: "TYPE_INT32", 7: "TYPE_INT64",
                   10: "TYPE_FP16", 9: "TYPE_BOOL"}


def model_config_pb2():
    """The ModelConfig message types (tritonclient); one-line error naming the extra when absent."""
    try:
        from tritonclient.grpc import model_config_pb2 as pb
    except ImportError:
        raise FoodcamError("a Triton model repository needs tritonclient: pip install 'foodcam[triton]'") from None
    return pb


def _onnx_io(path: Path) -> tuple[list[tuple[str, str, list[int]]], list[tuple[str, str, list[int]]]]:
    """(inputs, outputs) of an ONNX graph as (name, Triton type, dims with the batch axis; -1 when symbolic)."""
    import onnx

    try:
        proto = onnx.load(str(path), load_external_data=False)
    except Exception as e:  # noqa: BLE001 - any parse failure: name the file
        raise FoodcamError(f"{path}: not a readable ONNX model ({type(e).__name__})") from None

    def describe(values) -> list[tuple[str, str, list[int]]]:
        out = []
        for v in values:
            t = v.type.tensor_type
            if t.elem_type not in _ONNX_TO_TRITON:
                raise FoodcamError(f"{path}: tensor {v.name!r} has ONNX type {t.elem_type}, which foodcam does not serve")
            dims = [d.dim_value if d.HasField("dim_value") else -1 for d in t.shape.dim]
            out.append((v.name, _ONNX_TO_TRITON[t.elem_type], dims))
        return out

    inits = {i.name for i in proto.graph.initializer}
    return describe([i for i in proto.graph.input if i.name not in inits]), describe(proto.graph.output)


def _engine_io(meta: dict) -> tuple[list, list, int]:
    """(inputs, outputs, max batch) of an engine from its sidecar: the deployment contract (runtime/model.py)
    at the task's input size, with logits / uncertainty when the ONNX it was built from had them."""
    from foodcam.runtime.backends.onnx_meta import task_from_metadata

    task = task_from_metadata(meta, "engine sidecar")
    h, w = task.input_size
    oh, ow = task.output_size
    export = meta.get("export", {})
    names = deployment_outputs(task, bool(export.get("logits")), bool(export.get("uncertainty")))
    heads = {hd.name: hd for hd in task.heads}
    seg = next((hd for hd in task.heads if hd.kind == "segmentation"), None)
    distances = {distance_output(hd.name) for hd in task.heads if needs_distance(hd)}
    outputs = []
    for n in names:
        if n == LOGITS_OUTPUT:
            outputs.append((n, "TYPE_FP32", [-1, len(seg.classes), oh, ow]))
        elif n == UNCERTAINTY_OUTPUT:
            outputs.append((n, "TYPE_FP32", [-1, oh, ow]))
        elif n in heads and heads[n].kind != "segmentation":
            outputs.append((n, "TYPE_FP32", [-1, len(heads[n].classes)]))
        elif n in distances:  # the mahalanobis unsure score of a calibrated head (runtime/calibration.py)
            outputs.append((n, "TYPE_FP32", [-1]))
        else:
            outputs.append((n, "TYPE_UINT8", [-1, oh, ow]))
    profile = meta.get("build", {}).get("batch_profile") or {}
    max_batch = profile.get("max", [meta.get("build", {}).get("max_batch", 1)])
    max_batch = int(max_batch[0] if isinstance(max_batch, (list, tuple)) else max_batch)
    return [(INPUT_NAME, "TYPE_UINT8", [-1, h, w, 3])], outputs, max_batch


def build_config(name: str, platform: str, inputs: list, outputs: list, meta: dict, *, max_batch: int,
                 kind: str = "gpu", count: int = 1, fp16_accelerator: bool = False, dynamic: bool = True,
                 queue_delay_us: int = 500):
    """The ModelConfig message. `dynamic`: the model's batch axis is free (else max_batch_size 0, full dims)."""
    pb = model_config_pb2()
    if kind not in KINDS:
        raise FoodcamError(f"--instance-kind {kind!r}: expected one of {', '.join(KINDS)}")
    if max_batch < 1:
        raise FoodcamError(f"--max-batch {max_batch}: expected at least 1")
    if fp16_accelerator and platform != ONNX_PLATFORM:
        raise FoodcamError("--fp16-accelerator applies to an ONNX model (Triton's ONNX Runtime backend with the "
                           "TensorRT accelerator); an engine's precision was fixed when it was built")
    if fp16_accelerator and kind != "gpu":
        raise FoodcamError("--fp16-accelerator needs --instance-kind gpu (TensorRT runs on a GPU)")
    cfg = pb.ModelConfig(name=name, platform=platform, max_batch_size=max_batch if dynamic else 0)
    dtype = pb.DataType.Value
    for where, tensors in ((cfg.input, inputs), (cfg.output, outputs)):
        for tname, ttype, dims in tensors:
            if dynamic and (not dims or dims[0] not in (-1, 0)):
                raise FoodcamError(f"tensor {tname!r} dims {dims}: expected a free batch axis first")
            where.add(name=tname, data_type=dtype(ttype), dims=dims[1:] if dynamic else dims)
    if dynamic:
        cfg.dynamic_batching.max_queue_delay_microseconds = int(queue_delay_us)
        cfg.dynamic_batching.preferred_batch_size.extend(sorted({max(1, max_batch // 2), max_batch}))
    group = cfg.instance_group.add(count=int(count))
    group.kind = pb.ModelInstanceGroup.Kind.Value("KIND_GPU" if kind == "gpu" else "KIND_CPU")
    if fp16_accelerator:
        acc = cfg.optimization.execution_accelerators.gpu_execution_accelerator.add(name="tensorrt")
        acc.parameters["precision_mode"] = "FP16"
        acc.parameters["max_workspace_size_bytes"] = str(2 << 30)
    cfg.parameters[PARAM_KEY].string_value = json.dumps(meta, sort_keys=True, separators=(",", ":"))
    return cfg


def config_text(cfg) -> str:
    from google.protobuf import text_format

    return text_format.MessageToString(cfg)


def parse_config(text: str, where: str = "config.pbtxt"):
    """config.pbtxt text -> ModelConfig (what Triton does when it loads the repository)."""
    from google.protobuf import text_format

    pb = model_config_pb2()
    try:
        return text_format.Parse(text, pb.ModelConfig())
    except text_format.ParseError as e:
        raise FoodcamError(f"{where}: not a valid Triton model config ({e})") from None


def write_repository(repo: str | Path, model: str | Path, *, name: str | None = None, version: int = 1,
                     max_batch: int = 8, kind: str = "gpu", count: int = 1,
                     fp16_accelerator: bool = False) -> Path:
    """Write REPO/<name>/config.pbtxt and REPO/<name>/<version>/model.onnx|model.plan; return the config path."""
    from foodcam.runtime.open import ENGINE_SUFFIXES, check_artifact

    src = Path(model)
    if not src.is_file():
        raise FoodcamError(f"{src}: no such model file")
    suffix = src.suffix.lower()
    if suffix not in (".onnx", *ENGINE_SUFFIXES):
        raise FoodcamError(f"{src}: a Triton repository takes a deployment .onnx or a TensorRT .engine/.plan")
    meta = check_artifact(src)  # the foodcam description (ONNX metadata / engine sidecar), size checked
    name = name or str(meta.get("task", {}).get("name") or src.stem.split(".")[0])
    if not name or "/" in name or name.startswith("."):
        raise FoodcamError(f"--name {name!r}: expected a plain model name (a folder in the repository)")
    if int(version) < 1:
        raise FoodcamError(f"version {version}: Triton model versions start at 1")
    if suffix == ".onnx":
        platform, file_name = ONNX_PLATFORM, "model.onnx"
        inputs, outputs = _onnx_io(src)
        dynamic = all(d[0] == -1 for _, _, d in inputs + outputs if d)
    else:
        platform, file_name = PLAN_PLATFORM, "model.plan"
        inputs, outputs, engine_max = _engine_io(meta)
        dynamic = True
        if max_batch > engine_max:
            raise FoodcamError(f"--max-batch {max_batch}: the engine {src.name} was built for batches up to "
                               f"{engine_max} (foodcam build --max-batch)")
    if len(inputs) != 1 or inputs[0][1] != "TYPE_UINT8" or inputs[0][2][-1:] != [3]:
        raise FoodcamError(f"{src}: expected one uint8 (N, H, W, 3) input; export it with `foodcam export`")
    cfg = build_config(name, platform, inputs, outputs, meta, max_batch=max_batch, kind=kind, count=count,
                       fp16_accelerator=fp16_accelerator, dynamic=dynamic)
    text = config_text(cfg)
    parse_config(text)  # the text we write is the text Triton will read back
    folder = Path(repo) / name
    (folder / str(int(version))).mkdir(parents=True, exist_ok=True)
    with atomic_path(folder / str(int(version)) / file_name) as tmp:
        shutil.copyfile(src, tmp)
    write_text_atomic(folder / "config.pbtxt", text)
    return folder / "config.pbtxt"

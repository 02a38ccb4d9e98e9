"""`foodcam export`'s and `foodcam build`'s one schema: the flags, the `--config FILE.yaml` keys and the Python
keywords (`model.export(...)`) are ExportConfig's and BuildConfig's fields (foodcam/verbconfig.py). Light: no torch or onnx import, so the CLI builds its parser fast."""

from __future__ import annotations

from typing import Annotated, Literal

from foodcam.argtypes import FiniteFloat, NonNegativeInt, PositiveFloat, PositiveInt, field_check, int_range
from foodcam.verbconfig import VerbConfig, opt


class ExportConfig(VerbConfig):
    """A checkpoint export (and/or a Triton model repository); export/verb.py's export_model runs it."""

    verb = "export"

    weights: str | None = opt(None, "a foodcam .pt checkpoint")
    onnx: str | None = opt(None, "--triton-repo from an existing deployment ONNX (no export)")
    engine: str | None = opt(None, "--triton-repo from an existing TensorRT engine + sidecar")
    imgsz: list[PositiveInt] | None = opt(None, "input size (default: trained size)", nargs=2, metavar=("H", "W"),
                                          min_length=2, max_length=2)
    mask_size: list[NonNegativeInt] | None = opt(
        None, "segmentation: the mask (and logits) at this size, class scores resized bilinearly in the graph "
        "(default: the checkpoint's, the training frames' size; 0 0: at the input size)", nargs=2,
        metavar=("H", "W"), min_length=2, max_length=2)
    opset: PositiveInt = opt(17, "ONNX opset (<= 20 for TensorRT 10.3)")
    out: str | None = opt(None, "output .onnx (default: beside the weights, model[.fp16|.int8].onnx; for the shipped "
                          "models a new runs/export/exportN/); an existing file is overwritten, with a warning")
    precision: Literal["fp32", "fp16", "int8"] = "fp32"
    target: Literal["tensorrt", "cpu"] = opt(
        "tensorrt", "int8: tensorrt = symmetric S8S8 Q/DQ (what TensorRT builds from); cpu = the ONNX Runtime CPU "
        "form (U8S8 Q/DQ or QOperator, per-channel/tensor, reduce_range) with the least CPU time per frame among "
        "those that pass the gate")
    calib: str | None = opt(None, "int8: folder of real frames for calibration")
    calib_count: PositiveInt = 64
    calib_method: Literal["entropy", "percentile", "minmax"] = "percentile"
    logits: bool = opt(False, "also output raw class scores")
    uncertainty: bool = opt(False, "segmentation: also output per-pixel entropy / log(C) (float, 0..1) for "
                            "`run --collect-by uncertain`")
    dynamic_batch: bool = False
    no_simplify: bool = False
    force: bool = opt(False, "export a fine-tuned checkpoint even though it scored below its base on the held-back "
                      "frames")
    data: str | None = opt(None, "labelled dataset folder for parity and the accuracy gate")
    split: str = "val"
    max_drop: FiniteFloat | None = opt(None, "allowed metric drop vs FP32, points (fp16 0.2, int8 1.0; negative: "
                                       "demand a gain)")
    # a Triton model repository (pip install 'foodcam[triton]')
    triton_repo: str | None = opt(None, "also write REPO/<name>/config.pbtxt + REPO/<name>/<version>/model.onnx|"
                                  "model.plan (from --weights the ONNX is exported with a dynamic batch)",
                                  metavar="REPO")
    name: str | None = opt(None, "Triton: model name in the repository (default: the task name)")
    triton_version: PositiveInt = opt(1, "Triton: model version folder (default 1)", flag="--version")
    max_batch: PositiveInt = opt(8, "Triton max_batch_size with dynamic batching (default 8)")
    instance_kind: Literal["gpu", "cpu"] = opt("gpu", "Triton: instance_group kind (default gpu)")
    instances: PositiveInt = opt(1, "Triton: model instances per device (default 1)")
    fp16_accelerator: bool = opt(False, "Triton, ONNX on a GPU: Triton's ONNX Runtime backend builds TensorRT FP16 "
                                 "engines")


OptLevel = Annotated[int, field_check(int_range(0, 5), int)]


class BuildConfig(VerbConfig):
    """`foodcam build ONNX`: a deployment ONNX -> TensorRT engine; export/trt_build.py's build_engine runs it."""

    verb = "build"

    onnx: str = opt(..., "deployment ONNX from `foodcam export`", positional=True)
    out: str | None = opt(None, "output .engine (default: beside the ONNX; for the shipped models a new "
                          "runs/build/buildN/)")
    workspace: PositiveFloat = opt(2.0, "workspace pool limit, GiB")
    timing_cache: str | None = opt(None, "timing cache file, read and updated")
    opt_level: OptLevel = opt(3, "builder optimisation level 0-5")
    dla: NonNegativeInt | None = opt(None, "Jetson DLA core (GPU fallback allowed)", metavar="CORE")
    max_batch: PositiveInt | None = opt(None, "largest batch of a dynamic-batch ONNX (default 8; on a DLA the fixed "
                                        "batch, default 1)")
    device: NonNegativeInt | None = opt(None, "CUDA device to build on (default: the current, 0)")
    verbose: bool = opt(False, "TensorRT's own log (foodcam -v)", hidden=True)

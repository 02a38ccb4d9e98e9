"""Verbs of the deployment side: export (ONNX + precision ladder + gate; flags from export/config.py's ExportConfig,
run by export/verb.py) and build (TensorRT engine: BuildConfig, run by export/trt_build.py)."""

from __future__ import annotations

from foodcam.export.config import BuildConfig, ExportConfig
from foodcam.verbconfig import add_verb


def _export(cfg: ExportConfig) -> int:
    from foodcam.export.verb import export_model

    return export_model(cfg)[0]


def _build(cfg: BuildConfig) -> int:
    from foodcam.export.trt_build import build_engine

    return build_engine(cfg)[0]


def register(sub) -> None:
    add_verb(sub, "export", ExportConfig, _export,
             help="checkpoint -> deployment ONNX (fp32 | fp16 | int8 Q/DQ), gated on accuracy")

    add_verb(sub, "build", BuildConfig, _build, help="ONNX -> TensorRT engine (plain plan + sidecar JSON)")

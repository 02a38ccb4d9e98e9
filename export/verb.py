"""`foodcam export` and `model.export(...)`: the one core both faces call, from an ExportConfig.

    foodcam export --weights best.pt --triton-repo models --name kitchen --max-batch 8      # export + repository
    foodcam export --onnx model.onnx --triton-repo models --instance-kind cpu               # existing ONNX
    foodcam export --engine model.engine --triton-repo models                               # existing engine

A checkpoint's export is export/main.py; with --triton-repo the result (or the ONNX / engine given) is also
written into a Triton model repository (export/triton_repo.py).
"""

from __future__ import annotations

from pathlib import Path

from foodcam.export.config import ExportConfig
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.outdir import check_writable, inside_package, print_wrote, run_dir


def _export_out(cfg: ExportConfig, weights: Path) -> ExportConfig:
    """Where a checkpoint's export goes, checked writable before the work (a new run folder for the shipped models)."""
    if cfg.out:
        check_writable(cfg.out, "--out", kind="file")
    elif inside_package(weights):  # e.g. the shipped model: never write into the installed package
        suffix = "" if cfg.precision == "fp32" else f".{cfg.precision}"
        return cfg.model_copy(update={"out": str(run_dir("export") / f"model{suffix}.onnx")})
    else:
        check_writable(weights.parent / "model.onnx", "output folder (beside --weights)", kind="file")
    return cfg


def _source(cfg: ExportConfig) -> str:
    """Which of weights / onnx / engine was given: exactly one, and onnx / engine only for a Triton repository."""
    given = [f for f in ("weights", "onnx", "engine") if getattr(cfg, f)]
    if len(given) != 1:
        raise FoodcamError("foodcam export: give exactly one of --weights CKPT, --onnx MODEL.onnx, --engine MODEL.engine"
                           + (f" (got {', '.join('--' + g for g in given)})" if given else ""))
    if given[0] != "weights" and not cfg.triton_repo:
        raise FoodcamError(f"--{given[0]} is for writing a Triton repository: add --triton-repo REPO")
    return given[0]


def export_model(cfg: ExportConfig) -> tuple[int, dict | None]:
    """Export (and/or write the Triton repository) as configured; (exit code, what export/main.py reports: the
    paths and the gate's report, or {"refused": why}; None for a repository from an existing file)."""
    weights = Path(cfg.weights) if cfg.weights else None  # None: --onnx / --engine into a Triton repository
    if weights is not None:
        cfg = _export_out(cfg, weights)
    if cfg.triton_repo:
        check_writable(cfg.triton_repo, "--triton-repo", kind="dir")
    given = _source(cfg)
    if cfg.triton_repo:
        from foodcam.export.triton_repo import model_config_pb2

        model_config_pb2()  # "install foodcam[triton]" before a long export, not after it
    rc, result = 0, None
    if weights is not None:
        from foodcam.export.main import export_checkpoint, output_paths

        if cfg.triton_repo and not cfg.dynamic_batch:
            print("--triton-repo: exporting with a dynamic batch axis (Triton batches requests)")
            cfg = cfg.model_copy(update={"dynamic_batch": True})
        rc, result = export_checkpoint(cfg)
        if rc == 0 and cfg.triton_repo:
            _write_repository(cfg, output_paths(weights, cfg.out, cfg.precision)[0])
        if not (result or {}).get("refused"):
            print_wrote("export", *dict.fromkeys(output_paths(weights, cfg.out, cfg.precision)))
        return rc, result
    _write_repository(cfg, Path(str(getattr(cfg, given))))
    return rc, result


def _write_repository(cfg: ExportConfig, model: Path) -> None:
    from foodcam.export.triton_repo import write_repository

    assert cfg.triton_repo is not None
    config = write_repository(cfg.triton_repo, model, name=cfg.name, version=cfg.triton_version,
                              max_batch=cfg.max_batch, kind=cfg.instance_kind, count=cfg.instances,
                              fp16_accelerator=cfg.fp16_accelerator)
    print(f"wrote Triton model {config.parent.name!r}: {config} + {config.parent / str(cfg.triton_version)}/")

"""`foodcam export`: checkpoint -> FP32 deployment ONNX -> (FP16 | INT8 Q/DQ) -> accuracy gate -> report.

    foodcam export --weights runs/unet/best.pt --data data/kitchen                      # model.onnx
    foodcam export --weights best.pt --precision fp16 --data data/kitchen               # + model.fp16.onnx
    foodcam export --weights best.pt --precision int8 --calib frames/ --data data/kitchen  # + model.int8.onnx

The FP32 graph is always made first, checked against PyTorch on real frames, and kept as the reference
the lower precisions are converted from and gated against. Exit codes: 0 exported (and validated when
--data is given), 1 the accuracy gate failed (artifact and report kept, marked failed) or the
checkpoint is a fine-tune that scored below its base on the user's held-back frames (train/finetune_gate.py;
nothing written, --force exports it anyway), 2 bad input or a failed export (nothing written for it).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import onnx

from foodcam.export.config import ExportConfig
from foodcam.export.graph_rules import enforce_trt_graph
from foodcam.export.onnx_export import (
    EXPORTER,
    check_graph,
    export_graph,
    save_onnx,
    set_metadata,
    simplify,
    smoke_run,
)
from foodcam.export.parity import PARITY_MIN_AGREEMENT, check_frames, graph_vs_graph, torch_vs_graph
from foodcam.export.report import write_report
from foodcam.runtime.backends.onnx_meta import make_metadata
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import json_safe
from foodcam.runtime.tasks import TaskSpec


def output_paths(weights: Path, out: str | None, precision: str) -> tuple[Path, Path]:
    """(artifact, FP32 reference): model[.fp16|.int8].onnx beside the weights by default; a reference
    beside an explicit --out drops the .fp16/.int8 part of its name, or adds .fp32."""
    suffix = "" if precision == "fp32" else f".{precision}"
    artifact = Path(out) if out else weights.parent / f"model{suffix}.onnx"
    if artifact.suffix.lower() != ".onnx":
        raise FoodcamError(f"--out {artifact}: expected a .onnx file name")
    if precision == "fp32":
        return artifact, artifact
    name = artifact.name
    ref = name[: -len(f"{suffix}.onnx")] + ".onnx" if name.endswith(f"{suffix}.onnx") else f"{artifact.stem}.fp32.onnx"
    return artifact, artifact.with_name(ref)


def _summary(metrics: dict | None) -> dict:
    """Training metrics worth carrying: scalars and per-class IoU (no confusion matrices or histories)."""
    out: dict = {}
    for k, v in (metrics or {}).items():
        if isinstance(v, (int, float, str, bool)) or v is None:
            out[k] = v
        elif k == "per_class" and isinstance(v, dict):
            out[k] = {c: r.get("iou") for c, r in v.items() if isinstance(r, dict)}
    return json_safe(out)


def _config(config: dict | None) -> dict:
    return json_safe({k: (v if isinstance(v, (int, float, str, bool)) or v is None else str(v))
                      for k, v in (config or {}).items()})


def _describe_parity(p: dict, what: str) -> str:
    diff = "n/a" if p.get("max_abs_diff") is None else f"{p['max_abs_diff']:.2e}"
    return f"{what}: {100 * p['agreement']:.3f}% agreement, max |Δ {p.get('scores') or 'score'}| {diff} on {p['source']}"


def _stamp(proto: onnx.ModelProto, task: TaskSpec, precision: str, source: dict, metrics: dict, export: dict) -> None:
    meta = make_metadata(task, precision, source=source, metrics=metrics, export=export)
    meta["resize"] = task.resize
    set_metadata(proto, json_safe(meta))


def _lower(precision: str, fp32: onnx.ModelProto, task: TaskSpec, cfg: ExportConfig, frames: list, frames_from: str):
    """FP16 or INT8 graph from the FP32 reference, checked; (graph, what to record in its metadata)."""
    if precision == "fp16":
        from foodcam.export.fp16 import check_fp16, to_fp16

        graph = to_fp16(fp32)
        check_graph(graph, "FP16 graph")
        info = {"fp16": check_fp16(graph)}
    else:
        from foodcam.export.calib import FrameReader, calibration_images, default_calibration_folder
        from foodcam.export.int8 import QUANTIZATION, check_qdq, quantize_int8
        from foodcam.export.parity import GraphModel

        # default: the training frames (segmentation keeps them in DATA/train; classifiers draw splits from DATA)
        if cfg.calib:
            calib = Path(cfg.calib)
        else:
            assert cfg.data is not None  # export_checkpoint refuses int8 without --calib or --data
            calib = default_calibration_folder(task, cfg.data)
        paths = calibration_images(calib, cfg.calib_count)
        print(f"INT8: calibrating on {len(paths)} frames below {calib} ({cfg.calib_method})")
        reader = FrameReader(paths, GraphModel(fp32, task).preprocess, fp32.graph.input[0].name, progress=True)
        calibration = {"frames": len(paths), "method": cfg.calib_method, "folder": str(calib)}
        if cfg.target == "cpu":
            from foodcam.export.gate import open_split
            from foodcam.export.int8_select import choose_cpu_form

            dataset = open_split(task, cfg.data, cfg.split) if cfg.data and task.kind == "segmentation" else None
            print("INT8 (cpu): making, gating and timing every CPU form (export/int8_cpu.py)")
            graph, record = choose_cpu_form(fp32, task, reader, cfg.calib_method, frames, frames_from, dataset,
                                            cfg.max_drop)
            info = {"int8_cpu": record, "quantization": record["quantization"], "calibration": calibration}
        else:
            graph = quantize_int8(fp32, reader, cfg.calib_method)
            check_graph(graph, "INT8 graph")
            info = {"int8": check_qdq(graph), "quantization": QUANTIZATION, "calibration": calibration}
    if not (precision == "int8" and cfg.target == "cpu"):  # CPU forms are not for TensorRT
        enforce_trt_graph(graph, f"{precision.upper()} graph")
    smoke_run(graph, f"{precision.upper()} graph")
    if "int8_cpu" in info:  # compared (masks) while choosing the form
        info["vs_fp32"] = next(r["vs_fp32"] for r in info["int8_cpu"]["forms"] if r["form"] == info["int8_cpu"]["form"])
    else:
        info["vs_fp32"] = {**graph_vs_graph(task, fp32, graph, frames, precision), "source": frames_from}
    print(_describe_parity(info["vs_fp32"], f"{precision.upper()} vs FP32 (ONNX Runtime CPU)"))
    return graph, info


def _export_fp32(model, task: TaskSpec, cfg: ExportConfig, frames: list, frames_from: str):
    """The FP32 deployment graph, checked against PyTorch on `frames`; (graph, export record)."""
    import torch

    uncertainty = bool(cfg.uncertainty) and task.has_segmentation
    graph = export_graph(model, task, opset=cfg.opset, logits=cfg.logits, dynamic_batch=cfg.dynamic_batch,
                         uncertainty=uncertainty)
    check_graph(graph)
    simplified = False
    if not cfg.no_simplify:
        graph, simplified = simplify(graph)
    enforce_trt_graph(graph, "FP32 graph")  # what TensorRT's ONNX parser would refuse, before anything is written
    parity = {**torch_vs_graph(model, task, graph, frames), "source": frames_from}
    print(_describe_parity(parity, "parity PyTorch vs ONNX Runtime"))
    if not parity["agreement"] >= PARITY_MIN_AGREEMENT:
        unit = "pixels" if task.kind == "segmentation" else "labels"
        raise FoodcamError(
            f"export parity check failed: ONNX agrees with PyTorch on {100 * parity['agreement']:.2f}% of {unit} "
            f"(< {100 * PARITY_MIN_AGREEMENT:.0f}%) on {frames_from}; nothing written"
        )
    export = {"opset": cfg.opset, "torch": torch.__version__, "onnx": onnx.__version__, "exporter": EXPORTER,
              "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
              "dynamic_batch": bool(cfg.dynamic_batch), "logits": bool(cfg.logits), "uncertainty": uncertainty,
              "simplified": simplified,
              "parity": parity}
    return graph, export


def _verdict(report: dict) -> dict:
    """What the artifact's own metadata says about its gate."""
    gate = report["gate"]
    verdict = {"status": report["status"], "ran": gate["ran"]}
    if gate["ran"]:
        keys = ("reason", "miou", "reference_miou", "drop_points", "agreement", "accuracy", "reference_accuracy",
                "metrics", "reference_metrics")
        verdict.update({k: report[k] for k in keys if k in report})
        verdict.update({k: gate[k] for k in ("data", "split", "images", "max_drop_points")})
    return verdict


def export_checkpoint(cfg: ExportConfig) -> tuple[int, dict]:
    """The export of cfg.weights (module doc); (exit code, the paths and the report, or {"refused": why})."""
    from foodcam.export.gate import not_gated, open_labelled, run_gate
    from foodcam.train.checkpoint import file_sha256, load_checkpoint
    from foodcam.train.finetune_gate import refusal

    assert cfg.weights is not None  # export/verb.py checked it
    weights = Path(cfg.weights)
    precision = cfg.precision
    if precision == "int8" and not cfg.calib and not cfg.data:
        raise FoodcamError("--precision int8 needs --calib DIR (real frames to calibrate on) or --data DIR (uses its train split)")
    if cfg.calib_count < 1:
        raise FoodcamError(f"--calib-count {cfg.calib_count}: expected at least 1")
    artifact, reference = output_paths(weights, cfg.out, precision)
    for existing in [p for p in dict.fromkeys((reference, artifact)) if p.exists()]:
        print(f"foodcam export: warning: {existing} exists and will be overwritten", file=sys.stderr, flush=True)
    model, ckpt = load_checkpoint(weights)
    refused = refusal(ckpt, weights)  # a fine-tune that scored below its base on the user's held-back frames
    if refused and not cfg.force:
        print(f"foodcam export: {refused}", file=sys.stderr, flush=True)
        return 1, {"refused": refused}  # nothing written
    if refused:
        print(f"foodcam export: warning: --force: {refused.split(': refused: ', 1)[-1]}", file=sys.stderr, flush=True)
    task: TaskSpec = ckpt["task"]
    if cfg.imgsz:
        h, w = cfg.imgsz
        if h < 8 or w < 8:
            raise FoodcamError(f"--imgsz {h} {w}: expected a height and width of at least 8 pixels")
        task = task.with_input_size(h, w)
    if cfg.mask_size:
        h, w = cfg.mask_size
        if (h, w) != (0, 0) and (h < 8 or w < 8):
            raise FoodcamError(f"--mask-size {h} {w}: expected a height and width of at least 8 pixels, or 0 0")
        if not task.has_segmentation:
            raise FoodcamError(f"--mask-size: task {task.name!r} has no segmentation head")
        task = task.with_mask_size(None if (h, w) == (0, 0) else (h, w))
    opened = open_labelled(task, cfg.data, cfg.split) if cfg.data else None  # a bad --data fails here, first
    frames, frames_from = check_frames(task, cfg.data, cfg.split, opened=opened)

    # 1. the FP32 deployment graph: checked against PyTorch, then written as the reference
    graph, export = _export_fp32(model, task, cfg, frames, frames_from)
    source = {"checkpoint": weights.name, "sha256": file_sha256(weights), "arch": ckpt.get("arch", {}),
              "epoch": ckpt.get("epoch"), "config": _config(ckpt.get("config"))}
    metrics = _summary(ckpt.get("metrics"))
    _stamp(graph, task, "fp32", source, metrics, export)
    save_onnx(graph, reference)
    masks = f", mask {task.mask_size[0]}x{task.mask_size[1]}" if task.mask_size else ""
    print(f"wrote {reference} (fp32, {task.input_size[0]}x{task.input_size[1]}{masks}, opset {cfg.opset})")

    # 2. the precision ladder, from the reference
    if precision != "fp32":
        graph, info = _lower(precision, graph, task, cfg, frames, frames_from)
        export = {**export, **info, "reference": {"file": reference.name, "sha256": file_sha256(reference)}}
        _stamp(graph, task, precision, source, metrics, export)
        save_onnx(graph, artifact)
        print(f"wrote {artifact} ({precision})")

    # 3. the accuracy gate; the artifact's metadata and its report say how it went
    if cfg.data:
        report = run_gate(task, reference, artifact, precision, cfg.data, cfg.split, cfg.max_drop, opened)
    else:
        report = not_gated(artifact, precision)
    report["parity"] = export["parity"]
    if "int8_cpu" in export:
        report["int8_cpu"] = export["int8_cpu"]
    _stamp(graph, task, precision, source, metrics, {**export, "gate": _verdict(report)})
    save_onnx(graph, artifact)
    md = write_report(artifact, report)[1]
    result = {"onnx": artifact, "reference": reference, "report": report, "report_md": md}
    gate = report["gate"]
    if not gate["ran"]:
        print(f"no accuracy gate ran ({gate['why']}); status: exported; report {md}")
        return 0, result
    print(report["summary"])
    if report["status"] == "failed":
        print(f"foodcam export: accuracy gate failed: {artifact.name} {report['reason']} vs FP32 on "
              f"{gate['split']} (status failed; see {md})", file=sys.stderr)
        return 1, result
    print(f"accuracy gate passed: {artifact.name} validated; report {md}")
    return 0, result

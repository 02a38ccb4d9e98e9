"""Which rows a benchmark has: every artifact x every backend that can run it x input size x batch.

A row is a plain dict (it travels to a worker process as JSON). Rows that cannot run here are kept and
say why (status "skipped": no TensorRT, no CUDA provider, ...; "failed": a missing file), so a table from
a CPU laptop and one from a Jetson have the same shape.
"""

from __future__ import annotations

import functools
import importlib.util
import shutil
from collections.abc import Sequence
from pathlib import Path

from foodcam.runtime.errors import FoodcamError

BACKENDS = ("cpu", "cuda", "tensorrt", "torch")
FORMATS = {".pt": "pytorch", ".pth": "pytorch", ".onnx": "onnx", ".engine": "tensorrt", ".plan": "tensorrt"}
# format -> backend -> what runs it
RUNNERS = {
    "pytorch": {"torch": "PyTorch eager, CPU", "cuda": "PyTorch eager, CUDA"},
    "onnx": {"cpu": "ONNX Runtime CPU EP", "cuda": "ONNX Runtime CUDA EP", "tensorrt": "TensorRT (engine built from the ONNX)"},
    "tensorrt": {"tensorrt": "TensorRT"},
    "triton": {"triton": "Triton Inference Server (tritonclient; timed calls include the network)"},
}
# the device a row computes on (comparisons pair rows on the same device)
DEVICE = {"cpu": "cpu", "torch": "cpu", "cuda": "cuda", "tensorrt": "cuda", "triton": "server"}


def artifact_format(path: str | Path) -> str | None:
    from foodcam.runtime.open import is_model_url

    if is_model_url(path):
        return "triton"
    return FORMATS.get(Path(path).suffix.lower())


def row_device(row: dict) -> str:
    return DEVICE[row["backend"]]


@functools.lru_cache(maxsize=1)
def ort_providers() -> tuple[str, ...]:
    try:
        import onnxruntime as ort
    except ImportError:
        return ()
    return tuple(ort.get_available_providers())


@functools.lru_cache(maxsize=1)
def torch_cuda() -> bool:
    """PyTorch sees a CUDA GPU. Without an NVIDIA device node or nvidia-smi, torch is not even imported."""
    if importlib.util.find_spec("torch") is None:
        return False
    if not (Path("/dev/nvidia0").exists() or Path("/dev/nvhost-ctrl").exists() or shutil.which("nvidia-smi")):
        return False
    import torch

    return bool(torch.cuda.is_available())


def has_tensorrt() -> bool:
    return importlib.util.find_spec("tensorrt") is not None


def unavailable(fmt: str, backend: str) -> str | None:
    """Why `backend` cannot run a `fmt` artifact on this machine, or None when it can."""
    if backend == "tensorrt" and not has_tensorrt():
        from foodcam.runtime.backends.trt_build import NO_TENSORRT

        return NO_TENSORRT
    if fmt == "onnx":
        if not ort_providers():
            return "onnxruntime is not installed"
        if backend == "cuda" and "CUDAExecutionProvider" not in ort_providers():
            return f"ONNX Runtime has no CUDA provider here (has {', '.join(ort_providers())}); install onnxruntime-gpu"
    if fmt == "pytorch":
        if importlib.util.find_spec("torch") is None:
            return "PyTorch is not installed (pip install foodcam[train])"
        if backend == "cuda" and not torch_cuda():
            return "no CUDA GPU is available to PyTorch"
    return None


def describe_artifact(path: Path, fmt: str, verify: bool = False) -> dict:
    """precision and source checkpoint hash, read from the artifact without loading a runtime.
    verify: also the recorded size and full sha256 of an ONNX / engine (runtime.open.check_artifact)."""
    if verify and fmt != "pytorch":
        from foodcam.runtime.open import check_artifact

        check_artifact(path, verify=True)
    if fmt == "pytorch":
        from foodcam.runtime.backends.onnx_meta import file_sha256

        return {"precision": "fp32", "source_sha256": file_sha256(path)}
    if fmt == "onnx":
        from foodcam.runtime.backends.onnx_meta import read_metadata

        meta = read_metadata(path)
    else:
        from foodcam.runtime.backends.tensorrt import read_sidecar

        meta = read_sidecar(path)
    return {"precision": str(meta.get("precision", "fp32")),
            "source_sha256": (meta.get("source") or {}).get("sha256"),
            "task": (meta.get("task") or {}).get("name")}


def unique_names(paths: list[Path]) -> list[str]:
    """Short display names: the file name, with parent folders added until the names differ."""
    names = [p.name for p in paths]
    depth = 1
    while len(set(names)) < len(names) and depth < 6:
        depth += 1
        names = ["/".join(p.parts[-depth:]) for p in paths]
    return names


def _model_ref(model: str | Path) -> str | Path:
    from foodcam.runtime.open import is_model_url

    return model if is_model_url(model) else Path(model)  # a URL stays a str: Path() would fold its '//'


def _names(paths: list) -> list[str]:
    """unique_names for the files; a served model is named by its URL."""
    files = [p for p in paths if isinstance(p, Path)]
    by_file = dict(zip(files, unique_names(files)))
    return [by_file.get(p, str(p)) for p in paths]


def _served_rows(url: str, sizes: list, batches: list[int], verify: bool = False) -> list[dict]:
    """Rows of a Triton-served model (format and backend "triton"): the worker times the remote calls; precision
    and task come from the server's model config when the row runs. With --verify they are skipped: there is no
    file here to hash, and a row must not look verified when it was not."""
    from foodcam.runtime.open import SERVED_NOT_VERIFIABLE

    base = {"model": url, "name": url, "format": "triton", "precision": None, "source_sha256": None,
            "backend": "triton", "runner": RUNNERS["triton"]["triton"]}
    reason = None
    if verify:
        reason = SERVED_NOT_VERIFIABLE
    elif importlib.util.find_spec("tritonclient") is None:
        reason = "tritonclient is not installed (pip install 'foodcam[triton]')"
    return [{**base, "imgsz": None if size is None else [size, size], "batch": batch,
             "status": "skipped" if reason else None, "reason": reason} for size in sizes for batch in batches]


def plan_rows(models: Sequence[str], backends: Sequence[str] | None = None, imgsz: Sequence[int] | None = None,
              batches: Sequence[int] | None = None, verify: bool = False) -> list[dict]:
    """The rows to measure, in argument order; each with status None (to run) or skipped/failed + reason."""
    if not models:
        raise FoodcamError("--models: give at least one .pt, .onnx or .engine file")
    backends = list(backends or BACKENDS)
    bad = [b for b in backends if b not in BACKENDS]
    if bad:
        raise FoodcamError(f"--backends {bad[0]!r}: expected some of {', '.join(BACKENDS)}")
    sizes = [None] if not imgsz else [int(s) for s in imgsz]
    if any(s is not None and s < 8 for s in sizes):
        raise FoodcamError(f"--imgsz {sizes}: expected sizes of at least 8 pixels")
    batches = [int(b) for b in (batches or [1])]
    if any(b < 1 for b in batches):
        raise FoodcamError(f"--batch {batches}: expected batch sizes of at least 1")

    paths = list(dict.fromkeys(_model_ref(m) for m in models))  # the same file named twice is measured once
    rows = []
    for path, name in zip(paths, _names(paths)):
        fmt = artifact_format(path)
        if fmt == "triton":  # a served model: always its one backend, whatever --backends says; no file to read
            rows += _served_rows(path, sizes, batches, verify)
            continue
        base = {"model": str(path), "name": name, "format": fmt or path.suffix.lstrip(".") or "?",
                "precision": None, "source_sha256": None}
        if fmt is None:
            rows.append({**base, "backend": "-", "imgsz": None, "batch": None, "status": "failed",
                         "reason": f"unknown model file kind {path.suffix or '(no suffix)'!r}; "
                                   "expected .pt, .onnx or .engine"})
            continue
        runs = [b for b in backends if b in RUNNERS[fmt]]
        if not runs:
            rows.append({**base, "backend": "-", "imgsz": None, "batch": None, "status": "skipped",
                         "reason": f"none of --backends {' '.join(backends)} runs a {fmt} artifact "
                                   f"(use {' or '.join(RUNNERS[fmt])})"})
            continue
        status, reason = None, None
        if not path.is_file():
            status, reason = "failed", f"{path}: no such file"
        else:
            try:
                base.update(describe_artifact(path, fmt, verify))
            except FoodcamError as e:
                status, reason = "failed", str(e)
        for backend in runs:
            why = reason or unavailable(fmt, backend)
            for size in sizes:
                for batch in batches:
                    rows.append({**base, "backend": backend, "runner": RUNNERS[fmt][backend],
                                 "imgsz": None if size is None else [size, size], "batch": batch,
                                 "status": status if reason else ("skipped" if why else None), "reason": why})
    return rows


def row_key(row: dict) -> str:
    size = "x".join(str(v) for v in row["imgsz"]) if row.get("imgsz") else "-"
    batch = row.get("batch") or "-"
    return f"{row['name']} | {row['format']} {row.get('precision') or '-'} | {row['backend']} | {size} | b{batch}"

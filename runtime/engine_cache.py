"""Engines built once and reused: `open_model("x.onnx", backend="tensorrt")` goes through here.

An engine is tied to the exact ONNX bytes, the TensorRT version and the GPU, so the cache key is
sha256(ONNX) + TensorRT version + GPU name + compute capability (+ DLA core). A later call with the same
key reuses the engine; a change in any part gives a new key and a fresh build. The sidecar beside each
cached engine is checked against the key too, so a half-written or foreign entry is rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path

from foodcam.runtime.backends.onnx_meta import file_sha256, read_metadata
from foodcam.runtime.errors import FoodcamError

log = logging.getLogger("foodcam.runtime")

DEFAULT_CACHE_DIR = Path("~/.cache/foodcam/engines")
KEY_FIELDS = ("onnx_sha256", "tensorrt", "gpu", "compute_capability")


def cache_key(onnx_sha256: str, tensorrt: str, gpu: str, compute_capability: str, dla_core: int | None = None) -> str:
    """A short stable hex key for one (ONNX, TensorRT, GPU, DLA core) combination."""
    parts = {"onnx_sha256": onnx_sha256, "tensorrt": tensorrt, "gpu": gpu,
             "compute_capability": compute_capability, "dla_core": dla_core}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:20]


def _sidecar_matches(sidecar: Path, expected: dict) -> bool:
    from foodcam.runtime.jsonsafe import load_json

    try:
        data = load_json(sidecar.read_bytes(), sidecar, "sidecar")
    except (OSError, FoodcamError):
        return False
    return isinstance(data, dict) and all(str(data.get(k)) == str(v) for k, v in expected.items())


def cached_engine(
    onnx_path: str | Path,
    cache_dir: str | Path | None = None,
    *,
    dla_core: int | None = None,
    device_id: int = 0,
    env: dict | None = None,
    build: Callable[..., tuple[Path, dict]] | None = None,
    **build_options,
) -> Path:
    """The cached engine for `onnx_path` on this machine, built first if absent or stale.

    env: {"tensorrt", "gpu", "compute_capability"} (default: those of CUDA device `device_id`, which the
    caller has made current so the build runs there).
    build: the builder (default `trt_build.build_engine_file`); build_options go to it.
    """
    onnx = Path(onnx_path)
    read_metadata(onnx)  # a clear error for a missing / foreign / unlabelled file before any build
    if env is None or build is None:
        from foodcam.runtime.backends import trt_build

        env = env if env is not None else trt_build.environment(device_id)
        build = build or trt_build.build_engine_file
    directory = Path(cache_dir or DEFAULT_CACHE_DIR).expanduser()
    sha = file_sha256(onnx)
    key = cache_key(sha, env["tensorrt"], env["gpu"], env["compute_capability"], dla_core)
    path = directory / f"{onnx.stem}-{key}.engine"
    expected = {"onnx_sha256": sha, **{k: env[k] for k in KEY_FIELDS[1:]}}
    if path.is_file() and _sidecar_matches(Path(str(path) + ".json"), expected):
        log.debug("reusing cached engine %s", path)
        return path
    log.info("building a TensorRT engine for %s (once per ONNX, TensorRT and GPU) -> %s", onnx, path)
    directory.mkdir(parents=True, exist_ok=True)
    out, _ = build(onnx, path, dla_core=dla_core, **build_options)
    if not _sidecar_matches(Path(str(out) + ".json"), expected):
        raise FoodcamError(f"{out}: the engine just built does not match this machine ({expected}); is the GPU shared?")
    return Path(out)

"""Engines built once and reused: `open_model("x.onnx", backend="tensorrt")` goes through here.

An engine is tied to the exact ONNX bytes, the TensorRT version, the GPU model and the options it was built
with, so the cache key covers all of them: sha256(ONNX) and its precision, the environment
(trt_build.ENV_FIELDS: TensorRT version, GPU name, compute capability, SM count, memory) and the build
options (trt_build.BUILD_FIELDS: workspace, optimisation level, DLA core, max batch), defaults resolved.
A later call with the same key reuses the engine; a change in any part gives a new key and a fresh build.
The sidecar beside each cached engine is checked against every part too, so a half-written or foreign entry
is rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path

from foodcam.runtime.backends.onnx_meta import file_sha256, read_metadata
from foodcam.runtime.backends.trt_build import BUILD_FIELDS, ENV_FIELDS, resolve_build_options
from foodcam.runtime.errors import FoodcamError

log = logging.getLogger("foodcam.runtime")

DEFAULT_CACHE_DIR = Path("~/.cache/foodcam/engines")


def cache_key(parts: dict) -> str:
    """A short stable hex key for one combination of ONNX, environment and build options."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:20]


def expected_sidecar(onnx_sha256: str, precision: str, env: dict, options: dict) -> dict:
    """What the sidecar of the matching engine must say: {"top": {...}, "build": {...}}."""
    missing = [k for k in ENV_FIELDS if k not in env]
    if missing:
        raise FoodcamError(f"engine cache: environment lacks {', '.join(missing)}")
    top = {"onnx_sha256": onnx_sha256, "precision": precision, **{k: str(env[k]) for k in ENV_FIELDS}}
    return {"top": top, "build": {k: options[k] for k in BUILD_FIELDS}}


def sidecar_matches(sidecar: Path, expected: dict) -> bool:
    from foodcam.runtime.jsonsafe import load_json

    try:
        data = load_json(sidecar.read_bytes(), sidecar, "sidecar")
    except (OSError, FoodcamError):
        return False
    if not isinstance(data, dict) or not isinstance(data.get("build"), dict):
        return False
    top_ok = all(str(data.get(k)) == str(v) for k, v in expected["top"].items())
    build = json.loads(json.dumps(expected["build"]))  # as it reads back from JSON
    return top_ok and all(data["build"].get(k) == v for k, v in build.items())


def cached_engine(
    onnx_path: str | Path,
    cache_dir: str | Path | None = None,
    *,
    device_id: int = 0,
    env: dict | None = None,
    build: Callable[..., tuple[Path, dict]] | None = None,
    workspace_gib: float = 2.0,
    opt_level: int | None = 3,
    dla_core: int | None = None,
    max_batch: int | None = None,
    **build_extras,
) -> Path:
    """The cached engine for `onnx_path` on this machine, built first if absent or stale.

    env: the environment (ENV_FIELDS; default: TensorRT and CUDA device `device_id`, which is where the
    build runs). build: the builder (default `trt_build.build_engine_file`); it receives the resolved
    options, device_id and build_extras (timing_cache, verbose), which do not change the engine.
    """
    onnx = Path(onnx_path)
    meta = read_metadata(onnx)  # a clear error for a missing / foreign / unlabelled file before any build
    options = resolve_build_options(workspace_gib, opt_level, dla_core, max_batch)
    if env is None or build is None:
        from foodcam.runtime.backends import trt_build

        env = env if env is not None else trt_build.environment(device_id)
        build = build or trt_build.build_engine_file
    directory = Path(cache_dir or DEFAULT_CACHE_DIR).expanduser()
    expected = expected_sidecar(file_sha256(onnx), str(meta.get("precision", "fp32")), env, options)
    key = cache_key({**expected["top"], **expected["build"]})
    path = directory / f"{onnx.stem}-{key}.engine"
    if path.is_file() and sidecar_matches(Path(str(path) + ".json"), expected):
        log.debug("reusing cached engine %s", path)
        return path
    log.info("building a TensorRT engine for %s (once per ONNX, build options, TensorRT and GPU) -> %s", onnx, path)
    directory.mkdir(parents=True, exist_ok=True)
    out, _ = build(onnx, path, device_id=device_id, **options, **build_extras)
    if not sidecar_matches(Path(str(out) + ".json"), expected):
        raise FoodcamError(
            f"{out}: the engine just built does not match what was asked for ({expected['top']}, "
            f"{expected['build']}); is the GPU shared?"
        )
    return Path(out)

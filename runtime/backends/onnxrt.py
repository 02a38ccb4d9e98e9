"""ONNX Runtime backend: one session per model, created once, graph optimisation ALL.

Execution providers by availability: TensorRT EP (engines cached on disk), then CUDA EP, then CPU.
`providers=` overrides the choice; `backend="cpu"` / `"cuda"` in `open_model` pins the device.

The TensorRT EP's engine cache names engines by graph name and ORT/TensorRT versions, not by weights, so a
retrained model.onnx with the same graph would silently reuse the stale engine: every ONNX file gets its own
cache folder, named by its sha256. ORT sets TensorRT's INT8 flag only from `trt_int8_enable`, so an INT8
Q/DQ model gets it (and an FP16 model `trt_fp16_enable`), from the precision in the ONNX metadata.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from foodcam.runtime.backends import check_batch, check_input_layout, is_dynamic
from foodcam.runtime.backends.onnx_meta import file_sha256, read_metadata, task_from_metadata
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.model import InputSpec, Model

log = logging.getLogger("foodcam.runtime")

TRT_EP, CUDA_EP, CPU_EP = "TensorrtExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider"
DEFAULT_ORT_TRT_CACHE = Path("~/.cache/foodcam/ort-trt")


def _import_ort():
    try:
        import onnxruntime as ort
    except ImportError:
        raise FoodcamError("onnxruntime is not installed: pip install onnxruntime (or onnxruntime-gpu)") from None
    return ort


def select_providers(
    available: list[str],
    device: str | None = None,
    device_id: int = 0,
    trt_engine_cache_dir: str | Path | None = None,
    trt_timing_cache: str | Path | None = None,
    fp16: bool = False,
    onnx_sha256: str | None = None,
    int8: bool = False,
) -> list:
    """Providers (with options) for InferenceSession: TensorRT EP, CUDA EP, CPU — those available.

    device: None (best available), "cpu" (CPU only) or "cuda" (CUDA EP, no TensorRT EP).
    onnx_sha256: the model file's hash; its TensorRT EP engines live in trt_engine_cache_dir/<sha256[:16]>.
    int8 / fp16: set TensorRT's INT8 / FP16 flags (an INT8 Q/DQ model needs trt_int8_enable).
    """
    if device not in (None, "cpu", "cuda"):
        raise FoodcamError(f"ONNX Runtime device {device!r}: expected cpu or cuda")
    if device == "cpu":
        return [CPU_EP]
    chosen: list = []
    if device is None and TRT_EP in available:
        if not onnx_sha256:
            raise FoodcamError("TensorRT EP: the model's sha256 is needed to give its engines their own cache folder")
        cache = Path(trt_engine_cache_dir or DEFAULT_ORT_TRT_CACHE).expanduser() / onnx_sha256[:16]
        cache.mkdir(parents=True, exist_ok=True)
        opts = {
            "device_id": int(device_id),
            "trt_engine_cache_enable": True,
            "trt_engine_cache_path": str(cache),
            "trt_fp16_enable": bool(fp16),
            "trt_int8_enable": bool(int8),
        }
        if trt_timing_cache:
            timing = Path(trt_timing_cache).expanduser()
            timing.mkdir(parents=True, exist_ok=True)
            opts.update(trt_timing_cache_enable=True, trt_timing_cache_path=str(timing))
        chosen.append((TRT_EP, opts))
    if CUDA_EP in available:
        chosen.append((CUDA_EP, {"device_id": int(device_id)}))
    elif device == "cuda":
        raise FoodcamError(
            f"ONNX Runtime has no CUDA provider here (available: {', '.join(available)}); "
            "install onnxruntime-gpu or use the CPU"
        )
    return chosen + [CPU_EP]


class OnnxRuntimeModel(Model):
    """A deployment ONNX run by ONNX Runtime."""

    def __init__(
        self,
        path: str | Path,
        *,
        device: str | None = None,
        providers: list | None = None,
        threads: int | None = None,
        device_id: int = 0,
        trt_engine_cache_dir: str | Path | None = None,
        trt_timing_cache: str | Path | None = None,
        fp16: bool | None = None,
        spin: bool = True,
    ) -> None:
        """fp16: TensorRT EP FP16 flag; None: on for an FP16 ONNX (INT8 Q/DQ ONNX get the INT8 flag)."""
        ort = _import_ort()
        p = Path(path)
        self.path = str(p)
        self.meta = read_metadata(p)  # missing / not ONNX / no metadata / schema: clear errors first
        self.task = task_from_metadata(self.meta, p)

        so = ort.SessionOptions()
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        so.log_severity_level = 3
        if threads is not None:
            if isinstance(threads, bool) or not isinstance(threads, int) or not 1 <= threads <= 1024:
                raise FoodcamError(f"threads={str(threads)[:24]}: expected a number of threads 1-1024")
            so.intra_op_num_threads = threads
        if not spin:  # idle worker threads sleep instead of spinning: leaves the cores to capture/render threads
            so.add_session_config_entry("session.intra_op.allow_spinning", "0")
        available = ort.get_available_providers()
        if providers is None:
            precision = self.meta.get("precision", "fp32")
            use_trt = device is None and TRT_EP in available
            providers = select_providers(
                available, device, device_id, trt_engine_cache_dir, trt_timing_cache,
                fp16=precision == "fp16" if fp16 is None else fp16,
                onnx_sha256=file_sha256(p) if use_trt else None, int8=precision == "int8",
            )
        else:
            names = [pr[0] if isinstance(pr, (tuple, list)) else pr for pr in providers]
            missing = [n for n in names if n not in available]
            if missing:
                raise FoodcamError(f"{p}: ONNX Runtime providers {missing} not available (have {', '.join(available)})")
        try:
            self.session = ort.InferenceSession(str(p), sess_options=so, providers=providers)
        except Exception as e:  # ORT raises its own Fail/InvalidGraph/... types
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise FoodcamError(f"{p}: ONNX Runtime could not load the model ({first})") from None
        self.backend = f"onnxruntime:{self.session.get_providers()[0]}"

        inputs = self.session.get_inputs()
        if len(inputs) != 1:
            raise FoodcamError(f"{p}: model has {len(inputs)} inputs, expected one uint8 (N, H, W, 3) image input")
        inp = inputs[0]
        dtype = inp.type.removeprefix("tensor(").removesuffix(")")
        check_input_layout(tuple(inp.shape), dtype, str(p))
        n, h, w = inp.shape[:3]
        th, tw = self.task.input_size
        h = th if is_dynamic(h) else int(h)
        w = tw if is_dynamic(w) else int(w)
        self.input_spec = InputSpec(inp.name, (-1 if is_dynamic(n) else int(n), h, w, 3), "uint8")

        self._outputs = self.select_outputs([o.name for o in self.session.get_outputs()], f"{p}: model")
        log.debug("opened %s with %s", p, self.session.get_providers())

    @property
    def output_names(self) -> list[str]:
        return list(self._outputs)

    @property
    def providers(self) -> list[str]:
        return list(self.session.get_providers())

    def infer(self, images: np.ndarray) -> dict[str, np.ndarray]:
        images = check_batch(images, self.input_spec, self.path)
        try:
            outs = self.session.run(self._outputs, {self.input_spec.name: images})
        except Exception as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise FoodcamError(f"{self.path}: ONNX Runtime failed on a batch of {images.shape[0]} ({first})") from None
        return dict(zip(self._outputs, outs))

    def close(self) -> None:
        self.session = None  # type: ignore[assignment]


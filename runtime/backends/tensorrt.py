"""Native TensorRT backend: a plain plan file + its sidecar JSON, run with cuda-python buffers on one stream.

Per call: pinned host input -> device (H2D), execute_async_v3 (or a captured CUDA graph), device -> pinned
host outputs (D2H), one synchronize. Buffers are allocated once at the largest batch the engine accepts.
`last_timings` holds the CUDA-event times of the last call: h2d_ms, compute_ms, d2h_ms, total_ms.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from foodcam.runtime.backends import check_batch, check_input_layout, is_dynamic
from foodcam.runtime.backends.onnx_meta import parse_metadata_json, task_from_metadata
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.model import InputSpec, Model

log = logging.getLogger("foodcam.tensorrt")


def read_sidecar(engine: str | Path) -> dict:
    """The validated metadata beside an engine (x.engine.json)."""
    from foodcam.runtime.backends.trt_build import sidecar_path

    p = Path(engine)
    side = sidecar_path(p)
    if not side.is_file():
        raise FoodcamError(
            f"{p}: no sidecar {side.name} beside the engine (it carries the task description); "
            "build engines with `foodcam build`"
        )
    try:
        text = side.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise FoodcamError(f"{side}: unreadable sidecar ({e})") from None
    return parse_metadata_json(text, side)


def check_compatible(sidecar: dict, env: dict, engine: str | Path) -> None:
    """An engine runs only with the TensorRT version and the GPU model it was built for (ENV_FIELDS)."""
    from foodcam.runtime.backends.trt_build import ENV_FIELDS

    wanted = {k: sidecar.get(k) for k in ENV_FIELDS}
    missing = [k for k, v in wanted.items() if v is None]
    if missing:
        raise FoodcamError(
            f"{engine}: sidecar lacks {', '.join(missing)} (what the engine was built for); rebuild with `foodcam build`"
        )
    diffs = [f"{k} {wanted[k]} vs {env.get(k)} here" for k in wanted if str(wanted[k]) != str(env.get(k))]
    if diffs:
        raise FoodcamError(
            f"{engine}: engine built for another TensorRT/GPU ({'; '.join(diffs)}); "
            "rebuild it from the .onnx with `foodcam build` on this machine"
        )


class TensorRTModel(Model):
    """A serialized TensorRT engine (.engine / .plan) with a foodcam sidecar."""

    def __init__(
        self,
        path: str | Path,
        *,
        device_id: int = 0,
        cuda_graph: bool = False,
        verbose: bool = False,
        threads: int | None = None,
        spin: bool | None = None,
    ) -> None:
        """device_id: CUDA device, made current in whichever thread calls infer(); cuda_graph: replay the engine
        as a CUDA graph captured in thread-local mode (fixed shapes per capture); threads, spin: accepted for a
        uniform CLI, unused (TensorRT does not run on CPU threads). A DLA engine runs on the DLA core recorded
        in its sidecar."""
        p = Path(path)
        if not p.is_file():
            raise FoodcamError(f"{p}: no such engine file")
        self.path = str(p)
        self.meta = read_sidecar(p)
        self.task = task_from_metadata(self.meta, p)
        self.backend = "tensorrt"
        self.cuda_graph = bool(cuda_graph)
        self.device_id = int(device_id)
        self.last_timings: dict[str, float] = {}
        self._buffers: dict = {}
        self._graph = None
        self._events: list = []
        self.stream = self.context = self.engine = None

        from foodcam.runtime.backends import cuda_mem
        from foodcam.runtime.backends.trt_build import environment, get_logger, import_tensorrt

        trt = import_tensorrt()
        self._cuda = cuda_mem
        cuda_mem.set_device(device_id)
        check_compatible(self.meta, environment(device_id), p)
        self.runtime = trt.Runtime(get_logger(verbose))
        dla_core = (self.meta.get("build") or {}).get("dla_core")
        if dla_core is not None:  # must be set before deserializing a DLA engine
            self._set_dla_core(int(dla_core), p)
        self.engine = self.runtime.deserialize_cuda_engine(p.read_bytes())
        if self.engine is None:
            raise FoodcamError(
                f"{p}: TensorRT could not deserialize the engine (corrupt file, or built by another TensorRT "
                "version / for another GPU); rebuild it with `foodcam build`"
            )
        self.context = self.engine.create_execution_context()
        if self.context is None:
            raise FoodcamError(f"{p}: TensorRT could not create an execution context (out of GPU memory?)")
        try:
            self._setup(trt, p)
        except BaseException:
            self.close()
            raise

    def _set_dla_core(self, core: int, p: Path) -> None:
        cores = int(getattr(self.runtime, "num_DLA_cores", 0))
        if not 0 <= core < cores:
            raise FoodcamError(f"{p}: engine was built for DLA core {core}, but this device has {cores} DLA core(s)")
        self.runtime.DLA_core = core

    def _setup(self, trt, p: Path) -> None:
        engine, cuda = self.engine, self._cuda
        names = [engine.get_tensor_name(i) for i in range(engine.num_io_tensors)]
        inputs = [n for n in names if engine.get_tensor_mode(n) == trt.TensorIOMode.INPUT]
        outputs = [n for n in names if n not in inputs]
        if len(inputs) != 1:
            raise FoodcamError(f"{p}: engine has {len(inputs)} inputs, expected one uint8 (N, H, W, 3) image input")
        name = inputs[0]
        shape = tuple(engine.get_tensor_shape(name))
        check_input_layout(shape, np.dtype(trt.nptype(engine.get_tensor_dtype(name))).name, str(p))
        dynamic = is_dynamic(shape[0])
        if dynamic:  # the profile's (min, opt, max); DLA engines have min = opt = max: a fixed batch
            low, _, shape = (tuple(s) for s in engine.get_tensor_profile_shape(name, 0))
            self._dynamic = int(low[0]) != int(shape[0])
        else:
            self._dynamic = False
        self.max_batch, h, w = int(shape[0]), int(shape[1]), int(shape[2])
        self.input_spec = InputSpec(name, (-1 if self._dynamic else self.max_batch, h, w, 3), "uint8")

        self._outputs = self.select_outputs(list(outputs), f"{p}: engine")

        if dynamic and not self.context.set_input_shape(name, (self.max_batch, h, w, 3)):
            raise FoodcamError(f"{p}: TensorRT rejected input shape {(self.max_batch, h, w, 3)}")
        self._bound = self.max_batch
        self.stream = cuda.CudaStream()
        self._events = [cuda.CudaEvent() for _ in range(4)]
        self._buffers[name] = cuda.HostDeviceBuffer((self.max_batch, h, w, 3), np.uint8)
        for out in outputs:  # every output needs an address, also those foodcam does not read
            oshape = tuple(self.context.get_tensor_shape(out))
            if any(d < 0 for d in oshape):
                raise FoodcamError(f"{p}: output {out!r} has a data-dependent shape {oshape}; not supported")
            self._buffers[out] = cuda.HostDeviceBuffer(oshape, trt.nptype(engine.get_tensor_dtype(out)))
        for tensor, buf in self._buffers.items():
            if not self.context.set_tensor_address(tensor, buf.device):
                raise FoodcamError(f"{p}: TensorRT rejected the device address of tensor {tensor!r}")

    @property
    def output_names(self) -> list[str]:
        return list(self._outputs)

    def _bind(self, n: int) -> None:
        """Set the batch size of a dynamic-batch engine (a captured graph is only valid for its shape)."""
        if not self._dynamic or n == self._bound:
            return
        spec = self.input_spec
        if not self.context.set_input_shape(spec.name, (n, spec.height, spec.width, 3)):
            raise FoodcamError(f"{self.path}: TensorRT rejected a batch of {n}")
        self._bound = n
        self._drop_graph()

    def _enqueue(self) -> None:
        if not self.context.execute_async_v3(self.stream.ptr):
            raise FoodcamError(f"{self.path}: TensorRT execute_async_v3 failed (see the TensorRT log)")

    def _compute(self) -> None:
        if not self.cuda_graph:
            self._enqueue()
        elif self._graph is not None:
            self._graph.launch(self.stream)
        else:
            self._enqueue()  # warm-up: TensorRT finishes deferred setup outside the capture; computes this call
            try:
                self._graph = self._cuda.CudaGraph(self.stream, self._enqueue)
            except FoodcamError as e:
                log.warning("%s: CUDA graph capture failed (%s); running without graphs", self.path, e)
                self.cuda_graph = False

    def infer(self, images: np.ndarray) -> dict[str, np.ndarray]:
        images = check_batch(images, self.input_spec, self.path, max_batch=self.max_batch)
        self._cuda.ensure_device(self.device_id)  # CUDA's current device is per thread: the camera loop's too
        n = images.shape[0]
        self._bind(n)
        inp = self._buffers[self.input_spec.name]
        inp.host[:n] = images
        ev = self._events
        ev[0].record(self.stream)
        inp.to_device(self.stream, images.nbytes)
        ev[1].record(self.stream)
        self._compute()
        ev[2].record(self.stream)
        for name in self._outputs:
            buf = self._buffers[name]
            buf.to_host(self.stream, buf.nbytes // buf.shape[0] * n)
        ev[3].record(self.stream)
        self.stream.synchronize()
        self.last_timings = {
            "h2d_ms": ev[1].elapsed_ms(ev[0]),
            "compute_ms": ev[2].elapsed_ms(ev[1]),
            "d2h_ms": ev[3].elapsed_ms(ev[2]),
            "total_ms": ev[3].elapsed_ms(ev[0]),
        }
        return {name: self._buffers[name].host[:n].copy() for name in self._outputs}

    def _drop_graph(self) -> None:
        if self._graph is not None:
            graph, self._graph = self._graph, None
            graph.close()

    def close(self) -> None:
        """Free the graph, buffers, events and stream, then the context and engine (idempotent)."""
        try:
            if self.stream is not None:
                self._cuda.ensure_device(self.device_id)
                self.stream.synchronize()
            self._drop_graph()
            for buf in self._buffers.values():
                buf.free()
            for ev in self._events:
                ev.close()
            if self.stream is not None:
                self.stream.close()
        finally:
            self._buffers, self._events, self.stream = {}, [], None
            self.context = self.engine = None


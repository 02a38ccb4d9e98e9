"""CUDA buffers, streams, events and graphs through cuda-python's runtime API (cudart).

Allocated once, reused every frame, freed on close — the TensorRT samples' pattern:
pinned host memory (cudaMallocHost) seen from Python as a numpy array, device memory (cudaMalloc),
asynchronous copies on one stream, CUDA events for per-stage timings, and optional CUDA-graph replay.
Every cudart call's error code is checked; a failure raises CudaError naming the call.

Threads: CUDA's current device is per host thread, so the thread that runs inference calls
`ensure_device` first. Graphs are captured in thread-local mode: another thread's cudaMalloc (a camera
thread, PyTorch, CuPy) during a capture neither fails nor invalidates it.
"""

from __future__ import annotations

import ctypes
import math

import numpy as np

from foodcam.runtime.errors import FoodcamError

_CUDART = None


class CudaError(FoodcamError):
    """A CUDA runtime call failed (no GPU, out of memory, a bad launch...)."""


def import_cudart():
    """cuda-python's runtime module: `cuda.bindings.runtime` (12.6+), else the legacy `cuda.cudart`."""
    global _CUDART
    if _CUDART is None:
        try:
            from cuda.bindings import runtime as cudart
        except ImportError:
            try:
                from cuda import cudart  # cuda-python < 12.6
            except ImportError:
                raise FoodcamError(
                    "cuda-python is not installed: pip install cuda-python (or foodcam[gpu]) to run TensorRT engines"
                ) from None
        _CUDART = cudart
    return _CUDART


def check(result, call: str):
    """cuda-python returns (error, *values): raise CudaError naming `call` on failure, else the value(s)."""
    cudart = import_cudart()
    err, *values = result if isinstance(result, tuple) else (result,)
    if err != cudart.cudaError_t.cudaSuccess:
        try:
            name = cudart.cudaGetErrorName(err)[1]
            name = name.decode() if isinstance(name, bytes) else str(name)
        except Exception:
            name = str(err)
        raise CudaError(f"CUDA call {call} failed: {name}")
    if not values:
        return None
    return values[0] if len(values) == 1 else tuple(values)


def device_count() -> int:
    """Number of CUDA devices; 0 without cuda-python, a driver or a GPU."""
    try:
        return int(check(import_cudart().cudaGetDeviceCount(), "cudaGetDeviceCount"))
    except FoodcamError:
        return 0


def set_device(device: int = 0) -> None:
    """Make `device` current for the calling host thread (CUDA's current device is per thread)."""
    check(import_cudart().cudaSetDevice(int(device)), "cudaSetDevice")


def current_device() -> int:
    """The calling thread's current CUDA device (0 in a thread that never chose one)."""
    return int(check(import_cudart().cudaGetDevice(), "cudaGetDevice"))


def ensure_device(device: int) -> None:
    """set_device(device) unless it is already current in this thread (cudaGetDevice is cheap, no sync)."""
    if current_device() != int(device):
        set_device(device)


def driver_version() -> int:
    """CUDA version the driver supports, as 1000 * major + 10 * minor (12060 = 12.6); 0 without a driver."""
    return int(check(import_cudart().cudaDriverGetVersion(), "cudaDriverGetVersion"))


def device_info(device: int = 0) -> dict[str, str]:
    """What identifies a CUDA device's model: {"gpu": name, "compute_capability": "8.7", "sm_count": "16",
    "memory_mib": "62841"}. Name and compute capability alone do not tell Jetson AGX Orin, Orin NX and Orin
    Nano apart (all "Orin", 8.7); SM count and total memory do."""
    prop = check(import_cudart().cudaGetDeviceProperties(int(device)), "cudaGetDeviceProperties")
    name = prop.name
    name = name.split(b"\0", 1)[0].decode(errors="replace") if isinstance(name, bytes) else str(name)
    return {"gpu": name.strip(), "compute_capability": f"{prop.major}.{prop.minor}",
            "sm_count": str(int(prop.multiProcessorCount)), "memory_mib": str(int(prop.totalGlobalMem) >> 20)}


class CudaStream:
    """One non-blocking stream; `handle` goes to cudart calls, `ptr` (an int) to TensorRT."""

    def __init__(self) -> None:
        cudart = import_cudart()
        self.handle = check(cudart.cudaStreamCreateWithFlags(cudart.cudaStreamNonBlocking), "cudaStreamCreateWithFlags")

    @property
    def ptr(self) -> int:
        return int(self.handle)

    def synchronize(self) -> None:
        check(import_cudart().cudaStreamSynchronize(self.handle), "cudaStreamSynchronize")

    def close(self) -> None:
        if self.handle is not None:
            check(import_cudart().cudaStreamDestroy(self.handle), "cudaStreamDestroy")
            self.handle = None


class CudaEvent:
    """A timing event recorded on a stream."""

    def __init__(self) -> None:
        self.handle = check(import_cudart().cudaEventCreate(), "cudaEventCreate")

    def record(self, stream: CudaStream) -> None:
        check(import_cudart().cudaEventRecord(self.handle, stream.handle), "cudaEventRecord")

    def elapsed_ms(self, since: CudaEvent) -> float:
        """Milliseconds from `since` to this event (both recorded and completed)."""
        return float(check(import_cudart().cudaEventElapsedTime(since.handle, self.handle), "cudaEventElapsedTime"))

    def close(self) -> None:
        if self.handle is not None:
            check(import_cudart().cudaEventDestroy(self.handle), "cudaEventDestroy")
            self.handle = None


class HostDeviceBuffer:
    """A pinned host array (`host`, numpy) and a device allocation (`device`, int pointer) of one shape."""

    def __init__(self, shape: tuple[int, ...], dtype: np.dtype | type | str) -> None:
        cudart = import_cudart()
        self.shape = tuple(int(s) for s in shape)
        self.dtype = np.dtype(dtype)
        count = math.prod(self.shape)
        self.nbytes = count * self.dtype.itemsize
        alloc = max(1, self.nbytes)
        self.host_ptr = self.device = None
        self.host_ptr = int(check(cudart.cudaMallocHost(alloc), "cudaMallocHost"))
        try:
            raw = (ctypes.c_ubyte * alloc).from_address(self.host_ptr)
            self.host = np.frombuffer(raw, dtype=self.dtype, count=count).reshape(self.shape)
            self.device = int(check(cudart.cudaMalloc(alloc), "cudaMalloc"))
        except BaseException:
            self.free()
            raise

    def _copy(self, dst: int, src: int, nbytes: int | None, kind, stream: CudaStream, call: str) -> None:
        n = self.nbytes if nbytes is None else int(nbytes)
        if not 0 <= n <= self.nbytes:
            raise ValueError(f"copy of {n} bytes from a buffer of {self.nbytes}")
        if n:
            check(import_cudart().cudaMemcpyAsync(dst, src, n, kind, stream.handle), call)

    def to_device(self, stream: CudaStream, nbytes: int | None = None) -> None:
        """Asynchronous host -> device copy of the first `nbytes` (default all) on `stream`."""
        kind = import_cudart().cudaMemcpyKind.cudaMemcpyHostToDevice
        self._copy(self.device, self.host_ptr, nbytes, kind, stream, "cudaMemcpyAsync(HostToDevice)")

    def to_host(self, stream: CudaStream, nbytes: int | None = None) -> None:
        """Asynchronous device -> host copy of the first `nbytes` (default all) on `stream`."""
        kind = import_cudart().cudaMemcpyKind.cudaMemcpyDeviceToHost
        self._copy(self.host_ptr, self.device, nbytes, kind, stream, "cudaMemcpyAsync(DeviceToHost)")

    def free(self) -> None:
        cudart = import_cudart()
        self.host = None
        if self.device is not None:
            ptr, self.device = self.device, None
            check(cudart.cudaFree(ptr), "cudaFree")
        if self.host_ptr is not None:
            ptr, self.host_ptr = self.host_ptr, None
            check(cudart.cudaFreeHost(ptr), "cudaFreeHost")


CAPTURE_MODES = {"thread_local": "cudaStreamCaptureModeThreadLocal", "global": "cudaStreamCaptureModeGlobal",
                 "relaxed": "cudaStreamCaptureModeRelaxed"}


class CudaGraph:
    """Work enqueued by `enqueue()` on `stream`, captured once and replayed by `launch`.

    mode "thread_local" (default): only this thread's unsafe calls are barred during the capture, so other
    threads may allocate meanwhile. "global" is CUDA's default and is kept only to show the difference.
    Capture and end happen in the calling thread (required for any mode but "relaxed").
    """

    def __init__(self, stream: CudaStream, enqueue, mode: str = "thread_local") -> None:
        cudart = import_cudart()
        if mode not in CAPTURE_MODES:
            raise ValueError(f"capture mode {mode!r}: expected one of {', '.join(CAPTURE_MODES)}")
        mode = getattr(cudart.cudaStreamCaptureMode, CAPTURE_MODES[mode])
        self.graph = self.exec = None
        check(cudart.cudaStreamBeginCapture(stream.handle, mode), "cudaStreamBeginCapture")
        try:
            enqueue()
        except BaseException:
            ended = cudart.cudaStreamEndCapture(stream.handle)  # leave capture mode, drop the partial graph
            if ended[0] == cudart.cudaError_t.cudaSuccess and ended[1] is not None:
                cudart.cudaGraphDestroy(ended[1])
            raise
        self.graph = check(cudart.cudaStreamEndCapture(stream.handle), "cudaStreamEndCapture")
        try:
            made = check(cudart.cudaGraphInstantiateWithFlags(self.graph, 0), "cudaGraphInstantiateWithFlags")
        except BaseException:
            self.close()
            raise
        self.exec = made[0] if isinstance(made, tuple) else made

    def launch(self, stream: CudaStream) -> None:
        check(import_cudart().cudaGraphLaunch(self.exec, stream.handle), "cudaGraphLaunch")

    def close(self) -> None:
        cudart = import_cudart()
        if self.exec is not None:
            ex, self.exec = self.exec, None
            check(cudart.cudaGraphExecDestroy(ex), "cudaGraphExecDestroy")
        if self.graph is not None:
            g, self.graph = self.graph, None
            check(cudart.cudaGraphDestroy(g), "cudaGraphDestroy")

"""cuda-python buffers, streams, events and graphs (runtime/backends/cuda_mem.py)."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from foodcam.runtime.errors import FoodcamError


def _has_cuda_python() -> bool:
    try:
        from foodcam.runtime.backends.cuda_mem import import_cudart

        import_cudart()
        return True
    except (FoodcamError, ImportError):
        return False


HAS_CUDA_PYTHON = importlib.util.find_spec("cuda") is not None and _has_cuda_python()


def _gpus() -> int:
    from foodcam.runtime.backends.cuda_mem import device_count

    return device_count()


needs_gpu = pytest.mark.skipif(
    not HAS_CUDA_PYTHON or _gpus() == 0, reason="needs cuda-python and a CUDA GPU"
)


@pytest.mark.skipif(not HAS_CUDA_PYTHON, reason="needs cuda-python")
def test_check_names_the_failing_call():
    from foodcam.runtime.backends.cuda_mem import CudaError, check, import_cudart

    cudart = import_cudart()
    assert check((cudart.cudaError_t.cudaSuccess, 7), "cudaFoo") == 7
    assert check((cudart.cudaError_t.cudaSuccess,), "cudaFoo") is None
    assert check((cudart.cudaError_t.cudaSuccess, 1, 2), "cudaFoo") == (1, 2)
    with pytest.raises(CudaError, match="cudaMalloc failed: cudaErrorMemoryAllocation"):
        check((cudart.cudaError_t.cudaErrorMemoryAllocation, None), "cudaMalloc")


@pytest.mark.skipif(not HAS_CUDA_PYTHON or _gpus() > 0, reason="checks the behaviour without a usable GPU")
def test_no_gpu_reads_as_zero_devices_and_clear_errors():
    from foodcam.runtime.backends.cuda_mem import CudaStream, device_count

    assert device_count() == 0
    with pytest.raises(FoodcamError, match="cudaStreamCreateWithFlags failed"):
        CudaStream()


@needs_gpu
def test_round_trip_through_pinned_and_device_buffers():
    from foodcam.runtime.backends.cuda_mem import CudaEvent, CudaStream, HostDeviceBuffer

    stream = CudaStream()
    src = HostDeviceBuffer((3, 8, 10, 3), np.uint8)
    dst = HostDeviceBuffer((3, 8, 10, 3), np.uint8)
    start, end = CudaEvent(), CudaEvent()
    try:
        data = np.random.default_rng(0).integers(0, 256, src.shape, dtype=np.uint8)
        src.host[...] = data
        dst.host[...] = 0
        start.record(stream)
        src.to_device(stream)
        _copy_device(dst.device, src.device, src.nbytes, stream)
        dst.to_host(stream)
        end.record(stream)
        stream.synchronize()
        np.testing.assert_array_equal(dst.host, data)
        assert end.elapsed_ms(start) >= 0

        half = src.nbytes // 3  # partial copies: the first item only
        src.host[...] = 255 - data
        dst.host[...] = 0
        src.to_device(stream, half)
        _copy_device(dst.device, src.device, half, stream)
        dst.to_host(stream, half)
        stream.synchronize()
        np.testing.assert_array_equal(dst.host[0], 255 - data[0])
        assert not dst.host[1:].any()
    finally:
        for obj in (src, dst):
            obj.free()
        for ev in (start, end):
            ev.close()
        stream.close()
    src.free()  # freeing twice is harmless


@needs_gpu
def test_cuda_graph_replays_captured_work():
    from foodcam.runtime.backends.cuda_mem import CudaGraph, CudaStream, HostDeviceBuffer

    stream = CudaStream()
    a = HostDeviceBuffer((256,), np.float32)
    b = HostDeviceBuffer((256,), np.float32)
    try:
        graph = CudaGraph(stream, lambda: _copy_device(b.device, a.device, a.nbytes, stream))
        for value in (1.5, -2.0):
            a.host[...] = value
            a.to_device(stream)
            graph.launch(stream)
            b.to_host(stream)
            stream.synchronize()
            assert (b.host == value).all()
        graph.close()
    finally:
        a.free()
        b.free()
        stream.close()


@needs_gpu
def test_device_info_names_the_gpu():
    from foodcam.runtime.backends.cuda_mem import device_info

    info = device_info(0)
    assert info["gpu"] and info["compute_capability"].count(".") == 1


def _copy_device(dst: int, src: int, nbytes: int, stream) -> None:
    from foodcam.runtime.backends.cuda_mem import check, import_cudart

    cudart = import_cudart()
    kind = cudart.cudaMemcpyKind.cudaMemcpyDeviceToDevice
    check(cudart.cudaMemcpyAsync(dst, src, nbytes, kind, stream.handle), "cudaMemcpyAsync(DeviceToDevice)")

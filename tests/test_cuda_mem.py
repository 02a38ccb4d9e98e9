"""cuda-python buffers, streams, events and graphs (runtime/backends/cuda_mem.py).

The GPU tests need cuda-python and a CUDA GPU only (no TensorRT): buffers, streams and events; CUDA-graph
capture in thread-local mode from a worker thread while another thread allocates; the device chosen per
thread. Run them with tests/gpu_check.sh on a GPU machine.
"""

from __future__ import annotations

import importlib.util
import threading

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


@pytest.mark.skipif(not HAS_CUDA_PYTHON, reason="needs cuda-python")
def test_unknown_capture_mode_is_refused_before_any_cuda_call():
    from foodcam.runtime.backends.cuda_mem import CudaGraph

    with pytest.raises(ValueError, match="capture mode 'bogus'"):
        CudaGraph(None, lambda: None, mode="bogus")


@needs_gpu
def test_device_info_names_the_gpu():
    from foodcam.runtime.backends.cuda_mem import device_info

    info = device_info(0)
    assert info["gpu"] and info["compute_capability"].count(".") == 1
    assert int(info["sm_count"]) > 0 and int(info["memory_mib"]) > 0
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():  # an independent reading of the same properties
        props = torch.cuda.get_device_properties(0)
        assert int(info["sm_count"]) == props.multi_processor_count
        assert int(info["memory_mib"]) == props.total_memory >> 20
        assert info["compute_capability"] == f"{props.major}.{props.minor}"


@needs_gpu
def test_cuda_python_fits_the_driver_where_a_gpu_works():
    from foodcam.runtime.backends.cuda_compat import cuda_python_status

    ok, reason = cuda_python_status()
    assert ok, reason


def _capture_while_another_thread_allocates(mode: str) -> dict:
    """A worker thread captures a graph (a device-to-device copy) on its own stream; while the capture is open,
    a second thread calls cudaMalloc. Returns what each thread saw and what the graph replayed."""
    from foodcam.runtime.backends.cuda_mem import (
        CudaError,
        CudaGraph,
        CudaStream,
        HostDeviceBuffer,
        check,
        import_cudart,
        set_device,
    )

    cudart = import_cudart()
    seen: dict = {"replayed": []}
    ready, capturing, allocated, ended = (threading.Event() for _ in range(4))

    def allocator() -> None:
        set_device(0)  # this thread's context exists before the capture begins
        ready.set()
        capturing.wait(30)
        ptr = None
        try:
            ptr = check(cudart.cudaMalloc(1 << 20), "cudaMalloc")  # during the other thread's capture
            seen["alloc"] = "ok"
        except CudaError as e:
            seen["alloc"] = str(e)
        finally:
            allocated.set()
        ended.wait(30)
        if ptr is not None:
            check(cudart.cudaFree(ptr), "cudaFree")  # after the capture: only cudaMalloc is under test

    def worker() -> None:
        stream = a = b = graph = None
        try:
            set_device(0)
            stream = CudaStream()
            a, b = HostDeviceBuffer((1024,), np.float32), HostDeviceBuffer((1024,), np.float32)
            ready.wait(30)

            def enqueue() -> None:
                _copy_device(b.device, a.device, a.nbytes, stream)
                capturing.set()
                allocated.wait(30)  # the other thread allocates while this capture is open

            graph = CudaGraph(stream, enqueue, mode=mode)
            ended.set()
            for value in (3.0, -1.5):
                a.host[...] = value
                a.to_device(stream)
                graph.launch(stream)
                b.to_host(stream)
                stream.synchronize()
                seen["replayed"].append(bool((b.host == value).all()))
        except CudaError as e:
            seen["capture"] = str(e)
        finally:
            capturing.set()
            ended.set()
            if graph is not None:
                graph.close()
            for buf in (a, b):
                if buf is not None:
                    buf.free()
            if stream is not None:
                stream.close()

    threads = [threading.Thread(target=allocator), threading.Thread(target=worker)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads), "capture test threads hung"
    return seen


@needs_gpu
def test_thread_local_capture_survives_another_threads_allocation():
    seen = _capture_while_another_thread_allocates("thread_local")
    assert seen.get("alloc") == "ok", seen  # the other thread was allowed to allocate ...
    assert "capture" not in seen and seen["replayed"] == [True, True], seen  # ... and the graph is intact


@needs_gpu
def test_global_capture_is_what_thread_local_avoids():
    """CUDA's default (global) mode: while one thread captures, another thread's cudaMalloc is a prohibited
    'potentially unsafe' call (cudaThreadExchangeStreamCaptureMode), so the allocation or the capture fails.
    This is why foodcam captures thread-locally."""
    seen = _capture_while_another_thread_allocates("global")
    assert seen.get("alloc") != "ok" or "capture" in seen, seen


@needs_gpu
def test_device_is_chosen_per_thread():
    from foodcam.runtime.backends.cuda_mem import (
        HostDeviceBuffer,
        check,
        current_device,
        ensure_device,
        import_cudart,
        set_device,
    )

    cudart = import_cudart()
    last = _gpus() - 1
    set_device(0)
    seen: dict = {}

    def inference_thread() -> None:
        seen["start"] = current_device()  # a new host thread starts on device 0
        ensure_device(last)
        seen["after"] = current_device()
        buf = HostDeviceBuffer((16,), np.uint8)
        try:
            seen["on"] = int(check(cudart.cudaPointerGetAttributes(buf.device), "cudaPointerGetAttributes").device)
        finally:
            buf.free()

    t = threading.Thread(target=inference_thread)
    t.start()
    t.join(60)
    assert seen == {"start": 0, "after": last, "on": last}
    assert current_device() == 0  # the main thread's choice is its own


@pytest.mark.skipif(not HAS_CUDA_PYTHON or _gpus() < 2, reason="needs cuda-python and two CUDA GPUs")
def test_device_info_of_a_second_gpu():
    from foodcam.runtime.backends.cuda_mem import current_device, device_info, set_device

    set_device(1)
    try:
        assert current_device() == 1 and device_info(1)["gpu"]
    finally:
        set_device(0)


def _copy_device(dst: int, src: int, nbytes: int, stream) -> None:
    from foodcam.runtime.backends.cuda_mem import check, import_cudart

    cudart = import_cudart()
    kind = cudart.cudaMemcpyKind.cudaMemcpyDeviceToDevice
    check(cudart.cudaMemcpyAsync(dst, src, nbytes, kind, stream.handle), "cudaMemcpyAsync(DeviceToDevice)")

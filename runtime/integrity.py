"""Is this model file the one that was exported? Sizes and hashes recorded at export, checked at open.

A deployment ONNX cannot hash itself, but its weights live in one field, the serialized graph: export
records that field's length and sha256 in the foodcam metadata (`integrity`), which sits beside the graph
in the file. An engine's sidecar records the plan's length and sha256.

    open:      size checks (free: the graph's length comes from the metadata scan; the plan's from stat),
               and for ONNX a scan of the weights for NaN / Inf (one read of the file);
    --verify:  the full sha256 as well.
"""

from __future__ import annotations

import hashlib
import mmap
from pathlib import Path

import numpy as np

from foodcam.runtime.backends.onnx_meta import _fields, _scan_model, _WireError, scan_onnx
from foodcam.runtime.errors import FoodcamError

INTEGRITY_KEY = "integrity"
_INITIALIZER = 5  # GraphProto.initializer
_T_DIMS, _T_TYPE, _T_FLOATS, _T_NAME, _T_RAW, _T_DOUBLES = 1, 2, 4, 8, 9, 10  # TensorProto fields
_FLOAT, _FLOAT16, _DOUBLE, _BFLOAT16 = 1, 10, 11, 16  # TensorProto.DataType


def onnx_record(data: bytes) -> dict:
    """{"graph_sha256", "graph_bytes"} of a serialized ModelProto (what export stores in the metadata)."""
    try:
        _, _, (start, stop) = _scan_model(data, len(data))
    except _WireError as e:
        raise FoodcamError(f"serialized model is not an ONNX ModelProto ({e})") from None
    return {"graph_sha256": hashlib.sha256(memoryview(data)[start:stop]).hexdigest(), "graph_bytes": stop - start}


def check_onnx(path: str | Path, meta: dict, verify: bool = False) -> None:
    """Graph length against the record (always), its sha256 too when `verify`; FoodcamError naming `path`."""
    p = Path(path)
    record = meta.get(INTEGRITY_KEY)
    if not isinstance(record, dict):
        if verify:
            raise FoodcamError(f"{p}: --verify: the metadata has no integrity record (exported by an older "
                               "foodcam); re-export it with `foodcam export`")
        return
    _, (start, stop) = scan_onnx(p)
    if record.get("graph_bytes") != stop - start:
        raise FoodcamError(f"{p}: the graph is {stop - start} bytes but was exported as {record.get('graph_bytes')}: "
                           "the file was altered or damaged; export it again")
    if verify:
        with open(p, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
            digest = hashlib.sha256(buf[start:stop]).hexdigest()
        if digest != record.get("graph_sha256"):
            raise FoodcamError(f"{p}: --verify: the weights' sha256 is {digest[:12]}… but was exported as "
                               f"{str(record.get('graph_sha256'))[:12]}…: the file was altered or damaged")


def nonfinite_weights(path: str | Path) -> list[tuple[str, int]]:
    """[(initializer name, count of NaN/Inf values)] of an ONNX file's float weights (FP32/FP16/BF16/FP64)."""
    p = Path(path)
    _, (start, stop) = scan_onnx(p)
    bad: list[tuple[str, int]] = []
    with open(p, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
        try:
            for number, wire, value in _fields(buf, start, stop):
                if number == _INITIALIZER and wire == 2:
                    name, count = _tensor_nonfinite(buf, *value)
                    if count:
                        bad.append((name, count))
        except (_WireError, ValueError):
            raise FoodcamError(f"{p}: the graph's weights are not a readable protobuf (damaged file)") from None
    return bad


def _tensor_nonfinite(buf, start: int, stop: int) -> tuple[str, int]:
    dtype, name, chunks = None, "", []
    for number, wire, value in _fields(buf, start, stop):
        if number == _T_TYPE and wire == 0:
            dtype = value
        elif number == _T_NAME and wire == 2:
            name = bytes(buf[value[0]: value[1]]).decode("utf-8", "replace")
        elif number in (_T_RAW, _T_FLOATS, _T_DOUBLES) and wire == 2:
            chunks.append((number, value))
    count = 0
    for number, (a, b) in chunks:
        raw = buf[a:b]
        if number == _T_FLOATS or (number == _T_RAW and dtype == _FLOAT):
            count += _count(raw, "<f4")
        elif number == _T_DOUBLES or (number == _T_RAW and dtype == _DOUBLE):
            count += _count(raw, "<f8")
        elif number == _T_RAW and dtype == _FLOAT16:
            count += _count(raw, "<f2")
        elif number == _T_RAW and dtype == _BFLOAT16:
            bits = np.frombuffer(raw[: len(raw) // 2 * 2], "<u2")
            count += int(((bits & 0x7F80) == 0x7F80).sum())
    return name, count


def _count(raw: bytes, dtype: str) -> int:
    size = np.dtype(dtype).itemsize
    return int((~np.isfinite(np.frombuffer(raw[: len(raw) // size * size], dtype))).sum())


def check_weights_finite(path: str | Path) -> None:
    bad = nonfinite_weights(path)
    if bad:
        names = ", ".join(f"{n or '?'} ({c})" for n, c in bad[:3])
        raise FoodcamError(f"{path}: corrupted weights: {len(bad)} tensor(s) hold NaN/Inf values: {names}")


def plan_record(plan: bytes) -> dict:
    """{"plan_sha256", "plan_bytes"} of a serialized TensorRT engine (what the sidecar stores)."""
    return {"plan_sha256": hashlib.sha256(plan).hexdigest(), "plan_bytes": len(plan)}


def check_plan(path: str | Path, sidecar: dict, verify: bool = False) -> None:
    """Engine size against the sidecar (always), its sha256 too when `verify`."""
    from foodcam.runtime.backends.onnx_meta import file_sha256

    p = Path(path)
    record = sidecar.get(INTEGRITY_KEY)
    if not isinstance(record, dict) or "plan_bytes" not in record:
        if verify:
            raise FoodcamError(f"{p}: --verify: the sidecar has no integrity record; rebuild with `foodcam build`")
        return
    size = p.stat().st_size
    if size != record.get("plan_bytes"):
        raise FoodcamError(f"{p}: the engine is {size} bytes but was built as {record.get('plan_bytes')}: "
                           "the file was altered or damaged; build it again")
    if verify and file_sha256(p) != record.get("plan_sha256"):
        raise FoodcamError(f"{p}: --verify: the engine's sha256 differs from its sidecar's: altered or damaged")

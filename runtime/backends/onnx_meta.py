"""The foodcam description inside a deployment ONNX: read and validate it without torch or the onnx package.

A deployment ONNX carries, in `ModelProto.metadata_props`, the key "foodcam" (runtime.model.METADATA_KEY)
holding versioned JSON:

    {"schema": 1, "task": TaskSpec.to_dict(), "precision": "fp32" | "fp16" | "int8",
     "source": {"checkpoint": name, "sha256": ...}, "metrics": {...}, "export": {...}}

The writer (export/) turns the dict into metadata_props with `metadata_to_props`; the readers here parse
the ONNX protobuf wire format directly (top-level fields only, the graph is skipped by its length), so the
Jetson side needs neither `onnx` nor `torch`, and a garbage or truncated file gets a clear error before
any runtime tries to load it.
"""

from __future__ import annotations

import hashlib
import json
import mmap
from pathlib import Path

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.jsonsafe import load_json
from foodcam.runtime.model import METADATA_KEY
from foodcam.runtime.tasks import TaskSpec

METADATA_SCHEMA = 1
PRECISIONS = ("fp32", "fp16", "int8")

# ModelProto / StringStringEntryProto field numbers (onnx/onnx.proto)
_IR_VERSION, _GRAPH, _OPSET_IMPORT, _METADATA_PROPS = 1, 7, 8, 14
_ENTRY_KEY, _ENTRY_VALUE = 1, 2


def make_metadata(
    task: TaskSpec,
    precision: str,
    source: dict | None = None,
    metrics: dict | None = None,
    export: dict | None = None,
) -> dict:
    """The metadata dict a deployment ONNX carries (and an engine sidecar repeats)."""
    if precision not in PRECISIONS:
        raise FoodcamError(f"precision {precision!r}: expected one of {', '.join(PRECISIONS)}")
    meta = {
        "schema": METADATA_SCHEMA,
        "task": task.to_dict(),
        "precision": precision,
        "source": dict(source or {}),
        "metrics": dict(metrics or {}),
        "export": dict(export or {}),
    }
    return json.loads(json.dumps(meta))  # plain JSON types (lists, not tuples): equal to what is read back


def metadata_to_props(meta: dict) -> dict[str, str]:
    """metadata dict -> ONNX metadata_props entries ({"foodcam": json}); validated first."""
    validate_metadata(meta, "metadata")
    return {METADATA_KEY: json.dumps(meta, sort_keys=True, separators=(",", ":"))}


def validate_metadata(meta: object, where: str | Path) -> dict:
    """Check schema, task and precision; return the dict. Errors name `where` (a file)."""
    if not isinstance(meta, dict):
        raise FoodcamError(f"{where}: foodcam metadata is not a JSON object")
    schema = meta.get("schema")
    if schema != METADATA_SCHEMA:
        raise FoodcamError(
            f"{where}: foodcam metadata schema {schema!r} is not supported (expected {METADATA_SCHEMA}); "
            "re-export it with this version's `foodcam export`"
        )
    if not isinstance(meta.get("task"), dict):
        raise FoodcamError(f"{where}: foodcam metadata has no task description")
    task_from_metadata(meta, where)
    for key in ("source", "metrics", "export", "integrity"):
        if meta.get(key) is not None and not isinstance(meta[key], dict):
            raise FoodcamError(f"{where}: foodcam metadata {key!r} is {type(meta[key]).__name__}, expected an object")
    precision = meta.get("precision", "fp32")
    if precision not in PRECISIONS:
        raise FoodcamError(f"{where}: precision {precision!r} in metadata is not one of {', '.join(PRECISIONS)}")
    return meta


def task_from_metadata(meta: dict, where: str | Path) -> TaskSpec:
    return TaskSpec.from_dict(meta.get("task") if isinstance(meta, dict) else None, where)


def parse_metadata_json(text: str | bytes, where: str | Path) -> dict:
    """Metadata JSON (ONNX metadata_props or an engine sidecar) -> validated dict; limits in runtime.jsonsafe."""
    return validate_metadata(load_json(text, where, "foodcam metadata"), where)


# --- protobuf wire format ----------------------------------------------------------------------------------


class _WireError(ValueError):
    pass


def _varint(buf, pos: int, end: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        if pos >= end or shift > 63:
            raise _WireError("bad varint")
        b = buf[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return value, pos
        shift += 7


def _fields(buf, pos: int, end: int):
    """Yield (field_number, wire_type, value): int for varints, (start, stop) for length-delimited."""
    while pos < end:
        tag, pos = _varint(buf, pos, end)
        number, wire = tag >> 3, tag & 7
        if number == 0:
            raise _WireError("field number 0")
        if wire == 0:
            value, pos = _varint(buf, pos, end)
        elif wire == 1:
            value, pos = None, pos + 8
        elif wire == 5:
            value, pos = None, pos + 4
        elif wire == 2:
            size, pos = _varint(buf, pos, end)
            value, pos = (pos, pos + size), pos + size
        else:  # groups (3, 4) never appear in ONNX; 6, 7 are invalid
            raise _WireError(f"wire type {wire}")
        if pos > end:
            raise _WireError("field runs past the end")
        yield number, wire, value


def _scan_model(buf, size: int) -> tuple[dict[str, str], int, tuple[int, int]]:
    """(metadata_props, ir_version, graph byte range) of a serialized ModelProto; _WireError when it is not one."""
    props: dict[str, str] = {}
    ir_version, has_graph, has_opset, graph = None, False, False, (0, 0)
    for number, wire, value in _fields(buf, 0, size):
        if number == _IR_VERSION and wire == 0:
            ir_version = value
        elif number == _GRAPH and wire == 2:
            has_graph, graph = True, value
        elif number == _OPSET_IMPORT and wire == 2:
            has_opset = True
        elif number == _METADATA_PROPS and wire == 2:
            key = val = ""
            for n, w, v in _fields(buf, *value):
                if w == 2 and n in (_ENTRY_KEY, _ENTRY_VALUE):
                    text = bytes(buf[v[0]: v[1]]).decode("utf-8")
                    key, val = (text, val) if n == _ENTRY_KEY else (key, text)
            props[key] = val
    if ir_version is None or not has_graph or not has_opset:
        raise _WireError("no ir_version, graph or opset_import")
    return props, int(ir_version), graph


def read_onnx_props(path: str | Path) -> dict[str, str]:
    """All metadata_props of an ONNX file; FoodcamError for a missing, empty, garbage or truncated file."""
    return scan_onnx(path)[0]


def scan_onnx(path: str | Path) -> tuple[dict[str, str], tuple[int, int]]:
    """(metadata_props, byte range of the serialized graph) of an ONNX file; FoodcamError as read_onnx_props."""
    p = Path(path)
    if not p.is_file():
        raise FoodcamError(f"{p}: no such ONNX file")
    size = p.stat().st_size
    if size == 0:
        raise FoodcamError(f"{p}: empty file, not an ONNX model")
    with open(p, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
        try:
            props, _, graph = _scan_model(buf, size)
        except (_WireError, UnicodeDecodeError):
            raise FoodcamError(f"{p}: not an ONNX model (garbage bytes or a truncated protobuf)") from None
    return props, graph


def read_metadata(path: str | Path) -> dict:
    """The validated foodcam metadata of a deployment ONNX."""
    p = Path(path)
    props = read_onnx_props(p)
    if METADATA_KEY not in props:
        raise FoodcamError(
            f"{p}: an ONNX model without foodcam metadata (no task description); export it with `foodcam export`"
        )
    return parse_metadata_json(props[METADATA_KEY], p)


def file_sha256(path: str | Path) -> str:
    """Hex sha256 of a file, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()

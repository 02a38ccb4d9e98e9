"""The audit log: one JSON object per item, one line each, appended and flushed as soon as it is final.

Each line is written with a single `write` on a file opened for appending, so a reader (or a crash) never
sees half a record, and a restarted line adds to the same log rather than replacing it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import threading
from pathlib import Path

from foodcam.runtime.errors import FoodcamError


class AuditLog:
    """`write(record)` appends one complete line; `None` path: records are only counted."""

    def __init__(self, path: str | Path | None, fsync: bool = False) -> None:
        self.path = Path(path) if path else None
        self.fsync = fsync
        self.lines = 0
        self._lock = threading.Lock()
        self._fd = None
        if self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            except OSError as e:
                raise FoodcamError(f"{self.path}: cannot open the audit log ({e.strerror})") from None

    def write(self, record: dict) -> None:
        rec = {"logged_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds"), **record}
        line = (json.dumps(_clean(rec), separators=(",", ":"), sort_keys=False) + "\n").encode("utf-8")
        with self._lock:
            self.lines += 1
            if self._fd is None:
                return
            os.write(self._fd, line)
            if self.fsync:
                os.fsync(self._fd)

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def read_audit(path: str | Path) -> list[dict]:
    """Every record of an audit log (FoodcamError naming the line that is not complete JSON)."""
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                out.append(json.loads(line))
            except (ValueError, RecursionError):
                raise FoodcamError(f"{path}:{n}: not a complete JSON line") from None
    return out


def _clean(v):
    """JSON-safe: NaN/inf -> None, numpy scalars -> Python, floats rounded to microseconds."""
    if isinstance(v, dict):
        return {str(k): _clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()
    if isinstance(v, float):
        return None if not math.isfinite(v) else round(v, 6)
    return v

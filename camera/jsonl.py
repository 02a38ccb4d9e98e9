"""JSON Lines files: one complete JSON object per line, for the run's events and the sorting line's audit.

Each record is written with a single `write` on a file descriptor and is never split, so a reader tailing
the file, or one reading it after a crash, sees only whole records. Values go through `json_safe`
(NaN/inf -> null, numpy scalars -> Python), floats rounded to `digits` decimals.

    with JsonLines("audit.jsonl", append=True) as out:   # append: a restarted line adds to its log
        out.write({"id": 3, "decision": "reject"})
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.jsonsafe import json_safe


class JsonLines:
    """`write(record)` adds one line (thread-safe); path None: records are only counted."""

    def __init__(self, path: str | os.PathLike | None, append: bool = False, fsync: bool = False,
                 digits: int | None = 6, what: str = "JSON Lines file") -> None:
        self.path = Path(path) if path else None
        self.fsync, self.digits = fsync, digits
        self.lines = 0
        self.bytes_written = 0  # bytes written to the file (what --rotate SIZE measures)
        self._lock = threading.Lock()
        self._fd: int | None = None
        if self.path is not None:
            flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fd = os.open(self.path, flags, 0o644)
            except OSError as e:
                raise FoodcamError(f"{self.path}: cannot open the {what} ({e.strerror})") from None

    def write(self, record: dict) -> None:
        line = json.dumps(json_safe(record, self.digits), separators=(",", ":"), allow_nan=False) + "\n"
        data = line.encode("utf-8")
        with self._lock:
            self.lines += 1
            if self._fd is None:
                return
            os.write(self._fd, data)
            self.bytes_written += len(data)
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


def read_jsonl(path: str | os.PathLike) -> list[dict]:
    """Every record of a JSON Lines file (FoodcamError naming the line that is not complete JSON)."""
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                out.append(json.loads(line))
            except (ValueError, RecursionError):
                raise FoodcamError(f"{path}:{n}: not a complete JSON line") from None
    return out

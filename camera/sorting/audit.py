"""The audit log: one JSON object per item, one line each, appended and flushed as soon as it is final.

A restarted line adds to the same log rather than replacing it; every line is whole (camera/jsonl.py).
"""

from __future__ import annotations

import datetime as dt
import os

from foodcam.camera.jsonl import JsonLines, read_jsonl

__all__ = ["AuditLog", "read_audit"]

read_audit = read_jsonl


class AuditLog(JsonLines):
    """`write(record)` appends one complete line stamped `logged_at`; `None` path: records are only counted."""

    def __init__(self, path: str | os.PathLike | None, fsync: bool = False) -> None:
        super().__init__(path, append=True, fsync=fsync, what="audit log")

    def write(self, record: dict) -> None:
        super().write({"logged_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds"), **record})

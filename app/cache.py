"""The app's temporary folder kept small: uploads and results older than MAX_AGE_S, and the oldest files beyond
MAX_BYTES in all, are removed by a background sweep (every SWEEP_S), so a page that runs for weeks holds a
bounded amount of disk however many photos are sent to it.

    stop = start_sweeper(workdir)     # a daemon thread; stop.set() ends it
    trim(workdir)                     # one sweep (what the thread runs)
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

log = logging.getLogger("foodcam.app")

MAX_BYTES = 200 << 20
MAX_AGE_S = 900.0
SWEEP_S = 30.0


def trim(folder: str | Path, max_bytes: int = MAX_BYTES, max_age_s: float = MAX_AGE_S) -> int:
    """Remove files older than `max_age_s`, then the oldest until the rest fit in `max_bytes`; bytes removed."""
    files = []
    for p in Path(folder).rglob("*"):
        try:
            if p.is_file() and not p.is_symlink():
                st = p.stat()
                files.append((st.st_mtime, st.st_size, p))
        except OSError:
            continue  # removed meanwhile
    files.sort()
    now, total, removed = time.time(), sum(f[1] for f in files), 0
    for mtime, size, p in files:
        if now - mtime <= max_age_s and total <= max_bytes:
            break
        try:
            p.unlink()
        except OSError:
            continue
        total -= size
        removed += size
    if removed:
        log.info("app cache: removed %.1f MB (%.1f MB left)", removed / 1e6, total / 1e6)
    return removed


def start_sweeper(folder: str | Path, every_s: float = SWEEP_S) -> threading.Event:
    stop = threading.Event()

    def run() -> None:
        while not stop.wait(every_s):
            try:
                trim(folder)
            except Exception as e:  # noqa: BLE001 - a failed sweep is retried next time
                log.warning("app cache: sweep failed: %s", e)

    threading.Thread(target=run, name="app-cache", daemon=True).start()
    return stop

"""A model that can be replaced while the camera keeps running: `HotModel`, the loop's model object.

    mv new.onnx.tmp model.onnx        # atomic rename over the file given as --model
    kill -HUP <pid of foodcam run>    # or ask for a reload explicitly

A watcher thread notices a new file at the model's path (its mtime, inode and size, polled every `poll_s`,
default once a second; os.stat only) or a `reload()` (SIGHUP). It opens the new file on that thread with the
loop's own options, which runs the self-test (runtime/selftest.py), and checks that it has the running model's
task (same task name, heads and classes). A model that passes waits; the loop's thread calls `between_frames()`
before each frame's work, and the swap happens there: the frame before ran entirely on the old model, the
frame after entirely on the new one, none dropped or run twice. A file that fails to open, fails its
self-test or has another task is refused in one log line; the old model keeps running.

`between_frames()` returns the records for the outputs: `model_swapped` (old and new sha256) and
`model_swap_refused` (the file's sha256 and why). A served model (Triton URL) has no file to watch.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from foodcam.runtime.backends.onnx_meta import file_sha256
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.model import Model

log = logging.getLogger("foodcam.camera")

POLL_S = 1.0
SETTLE_S = 0.1  # a file still growing (copied, not renamed, into place) is read again after this


def file_stamp(path: Path) -> tuple[int, int, int] | None:
    """(mtime ns, inode, size) of `path`, None when it is not there."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_ino, st.st_size


def _heads(task) -> list[tuple]:
    return [(h.name, h.kind, tuple(h.classes)) for h in task.heads]


def task_mismatch(running, new) -> str | None:
    """Why a model of task `new` cannot take over from one of task `running`, or None."""
    if new.name != running.name:
        return f"it is a {new.name!r} model and the running one is {running.name!r}"
    if _heads(new) != _heads(running):
        have = "; ".join(f"{n} [{', '.join(c)}]" for n, _, c in _heads(new))
        want = "; ".join(f"{n} [{', '.join(c)}]" for n, _, c in _heads(running))
        return f"its heads/classes ({have}) differ from the running model's ({want})"
    return None


def _sha(path: Path) -> str | None:
    try:
        return file_sha256(path)
    except OSError:
        return None


class HotModel:
    """The running model, replaced between two frames when its file is replaced or on `reload()`.

    Reads like the model it holds (task, input_spec, preprocess, infer, postprocess ... are the current
    model's); `opener(path) -> Model` opens and self-tests a file with the loop's options."""

    def __init__(self, model: Model, path: str | os.PathLike, opener: Callable[[Path], Model],
                 poll_s: float = POLL_S, pinned: str | None = None) -> None:
        self.current = model
        self.pinned = pinned  # --model-sha256: no other file may take over
        self.path = Path(path)
        self.sha256 = _sha(self.path)
        self.poll_s = float(poll_s)
        self.swaps = self.refusals = 0
        self._opener = opener
        self._stamp = file_stamp(self.path)
        self._lock = threading.Lock()
        self._pending: tuple[Model, str | None, str] | None = None
        self._events: list[dict] = []
        self._asked: str | None = None
        self._wake, self._stop = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._watch, name="model-watch", daemon=True)
        self._thread.start()

    def __getattr__(self, name: str):
        if name == "current":  # not set yet (during __init__)
            raise AttributeError(name)
        return getattr(self.current, name)

    def __repr__(self) -> str:
        return repr(self.current)

    # --- any thread ---------------------------------------------------------------------------------
    def reload(self, why: str = "reload asked") -> None:
        """Open the file again (whether or not it changed) and swap it in if it passes; safe from a signal handler."""
        self._asked = why
        self._wake.set()

    @property
    def pending(self) -> bool:
        """A new model passed its checks and waits for the next frame."""
        return self._pending is not None

    # --- the loop's thread --------------------------------------------------------------------------
    def between_frames(self) -> list[dict]:
        """Swap in a model that passed its checks (call between two frames); the records that arose."""
        with self._lock:
            events, self._events = self._events, []
            pending, self._pending = self._pending, None
        if pending is not None:
            new, sha, why = pending
            old, old_sha = self.current, self.sha256
            self.current, self.sha256 = new, sha
            self.swaps += 1
            old.close()  # its last frame's outputs are already copied out of it
            log.info("model swapped (%s): %s sha256 %s -> %s", why, self.path, _short(old_sha), _short(sha))
            events.append({"event": "model_swapped", "path": str(self.path), "old_sha256": old_sha,
                           "new_sha256": sha, "why": why})
        return events

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=5)
        with self._lock:
            pending, self._pending = self._pending, None
        if pending is not None:
            pending[0].close()
        self.current.close()

    def __enter__(self) -> HotModel:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- the watcher thread -------------------------------------------------------------------------
    def _watch(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.poll_s if self.poll_s > 0 else None)
            self._wake.clear()
            if self._stop.is_set():
                return
            asked, self._asked = self._asked, None
            stamp = file_stamp(self.path)
            if asked is None:
                if stamp is None or stamp == self._stamp:
                    continue
                time.sleep(SETTLE_S)
                if file_stamp(self.path) != stamp:
                    continue  # still being written: the next poll sees it finished
            self._stamp = stamp
            try:
                self._load(asked or "file replaced")
            except Exception as e:  # noqa: BLE001 - the watcher must outlive any one bad file
                self._refuse(asked or "file replaced", None, f"{type(e).__name__}: {e}")

    def _load(self, why: str) -> None:
        sha = _sha(self.path)
        if self.pinned and sha != self.pinned:
            return self._refuse(why, sha, f"its sha256 {_short(sha)} is not the pinned --model-sha256 "
                                          f"{_short(self.pinned)}")
        try:
            new = self._opener(self.path)
        except FoodcamError as e:
            return self._refuse(why, sha, str(e).splitlines()[0] if str(e) else type(e).__name__)
        except Exception as e:  # noqa: BLE001 - a backend's own error for a file it cannot read
            return self._refuse(why, sha, f"cannot open it ({type(e).__name__}: {' '.join(str(e).split())[:160]})")
        problem = task_mismatch(self.current.task, new.task)
        if problem:
            new.close()
            return self._refuse(why, sha, problem)
        with self._lock:
            stale, self._pending = self._pending, (new, sha, why)
        if stale is not None:
            stale[0].close()
        log.info("model %s (%s): opened and self-tested; it takes over at the next frame", self.path, why)

    def _refuse(self, why: str, sha: str | None, reason: str) -> None:
        self.refusals += 1
        log.warning("model swap refused: %s (%s): %s; the running model (sha256 %s) carries on", self.path, why,
                    reason, _short(self.sha256))
        with self._lock:
            self._events.append({"event": "model_swap_refused", "path": str(self.path), "sha256": sha,
                                 "running_sha256": self.sha256, "why": why, "reason": reason})


def _short(sha: str | None) -> str:
    return sha[:12] if sha else "?"


def swap_point(model) -> list[dict]:
    """Between two frames: a HotModel's swap and its records; nothing for any other model."""
    between = getattr(model, "between_frames", None)
    return between() if callable(between) else []


def watch(model: Model, path, opener: Callable[[Path], Model], poll_s: float = POLL_S, pinned: str | None = None):
    """`model` as a HotModel watching `path`, or `model` itself for a served model (no file to watch).
    `pinned`: the sha256 every file taking over must have (--model-sha256)."""
    from foodcam.runtime.open import is_model_url

    if is_model_url(path) or not Path(path).is_file():
        return model
    return HotModel(model, path, opener, poll_s, pinned)


@contextlib.contextmanager
def reload_on_sighup(model) -> Iterator[None]:
    """SIGHUP asks a HotModel to open its file again (main thread only; elsewhere nothing to install)."""
    if (not isinstance(model, HotModel) or not hasattr(signal, "SIGHUP")
            or threading.current_thread() is not threading.main_thread()):
        yield
        return

    def on_hup(_signum, _frame) -> None:
        model.reload("SIGHUP")

    old = signal.signal(signal.SIGHUP, on_hup)
    try:
        yield
    finally:
        signal.signal(signal.SIGHUP, old)

"""Where a verb writes, checked before it works.

Without --out a verb writes into the next free folder under ./runs/<verb>/ in the current directory:
runs/<verb>/<verb>, then <verb>2, <verb>3, ... (`foodcam bench` -> runs/bench/bench, runs/bench/bench2).
Nothing is ever written inside the installed package. Every output location (folder or file) is checked for
writability at the verb's boundary, before models load or data is read, so a read-only folder, a path through a
regular file or a missing permission is one line (FoodcamError -> `foodcam VERB: error: ...`, exit 2), not a
traceback after minutes of work. Torch-free: the deployed side checks its outputs the same way.
"""

from __future__ import annotations

import contextlib
import errno
import importlib.util
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from foodcam.runtime.errors import FoodcamError

RUNS = Path("runs")
_claimed: list[Path] = []  # run folders made by run_dir in this process (release_empty_runs removes unused ones)


def package_dirs() -> list[Path]:
    """The folders of foodcam's installed packages: `foodcam` and each package inside it (found without importing
    them: no torch). A strict editable install (`make install`) lays them out as links under build/: the folders the
    links point into count too."""
    dirs: list[Path] = []
    root = sys.modules.get("foodcam")  # imported (this module's parent): its __path__, link tree included
    if root is not None:
        locations = list(getattr(root, "__path__", []))
    else:
        try:
            spec = importlib.util.find_spec("foodcam")
        except (ImportError, ValueError):
            return dirs
        locations = list(spec.submodule_search_locations or []) if spec else []
    for loc in locations:
        top = Path(loc)
        for d in [top, *sorted(p for p in top.iterdir() if (p / "__init__.py").is_file())]:
            for found in (d.resolve(), (d / "__init__.py").resolve().parent):
                if found not in dirs:
                    dirs.append(found)
    return dirs


def inside_package(path: str | os.PathLike) -> bool:
    """True when `path` lies inside one of foodcam's installed package folders."""
    p = Path(path).resolve()
    return any(p == d or d in p.parents for d in package_dirs())


def run_dir(verb: str, root: str | os.PathLike | None = None) -> Path:
    """Claim the next free runs/<verb>/<verb>[N] under `root` (default: the current directory) and return it
    (relative when `root` is None). The folder is created here, so two runs never share one."""
    base = RUNS / verb
    parent = Path(root) / base if root is not None else base
    try:
        check_writable(parent, "default output folder", kind="dir")
    except FoodcamError as e:
        raise FoodcamError(f"{e} (run from a writable folder, or pass --out)") from None
    for n in range(1, 100_000):
        name = verb if n == 1 else f"{verb}{n}"
        try:
            (parent / name).mkdir(parents=True, exist_ok=False)
        except FileExistsError:
            continue
        except OSError as e:
            raise FoodcamError(f"{parent / name}: cannot create the output folder ({_reason(e)})") from None
        _claimed.append(parent / name)
        return base / name if root is None else parent / name
    raise FoodcamError(f"{parent}: no free run folder name left; clean up old runs")


def release_empty_runs() -> None:
    """After a verb failed: remove the run folders it claimed but left empty (no runs/eval/eval7 per typo)."""
    while _claimed:
        with contextlib.suppress(OSError):
            _claimed.pop().rmdir()  # only succeeds when empty


def output_dir(out: str | os.PathLike | None, verb: str, flag: str = "--out") -> Path:
    """The folder a verb writes into: `out` when given (checked writable), else a new runs/<verb>/<verb>N."""
    if out is None or str(out) == "":
        return run_dir(verb)
    check_writable(out, flag, kind="dir")
    return Path(out)


def check_writable(path: str | os.PathLike, what: str, kind: str = "file") -> None:
    """Raise FoodcamError (one line naming `what` and the path) unless `path` can be written: an existing
    `kind` ("file" or "dir") that is writable, or a new one whose nearest existing parent is a writable folder.
    Creates nothing lasting: a new path is probed with a temporary file in its nearest existing parent."""
    p = Path(path)
    if p.exists():
        if kind == "dir" and not p.is_dir():
            raise FoodcamError(f"{what} {p}: is a file, expected a folder")
        if kind == "file" and p.is_dir():
            raise FoodcamError(f"{what} {p}: is a folder, expected a file name")
        if kind == "file":
            if not os.access(p, os.W_OK):
                raise FoodcamError(f"{what} {p}: the file exists and is not writable (permission denied)")
            parent = p.parent
        else:
            parent = p
    else:
        parent = p.parent
    ancestor = parent
    while not ancestor.exists():  # the folders still to create: their nearest existing ancestor decides
        if ancestor == ancestor.parent:
            break
        ancestor = ancestor.parent
    if ancestor.exists() and not ancestor.is_dir():
        raise FoodcamError(f"{what} {p}: {ancestor} is a file, not a folder")
    _probe(ancestor, what, p)


def _probe(folder: Path, what: str, target: Path) -> None:
    try:
        fd, tmp = tempfile.mkstemp(prefix=".foodcam-write-check-", dir=folder)
    except OSError as e:
        where = "" if folder == target else f" ({folder})"
        raise FoodcamError(f"{what} {target}: cannot write there{where}: {_reason(e)}") from None
    os.close(fd)
    os.unlink(tmp)


def check_outputs(outputs: Iterable[tuple[str, object, str]]) -> None:
    """check_writable for each (what, path or list of paths, kind) whose path is set; stream URLs are skipped
    (their sinks report their own errors)."""
    for what, value, kind in outputs:
        for v in value if isinstance(value, (list, tuple)) else [value]:
            if v is None or str(v) == "" or "://" in str(v):
                continue
            check_writable(v, what, kind)


def _reason(e: OSError) -> str:
    names = {errno.EACCES: "permission denied", errno.EPERM: "permission denied", errno.EROFS: "read-only file system",
             errno.ENOSPC: "no space left on device", errno.ENOTDIR: "a part of the path is a file",
             errno.EDQUOT: "disk quota exceeded"}
    return names.get(e.errno, e.strerror or type(e).__name__)


def os_error_message(e: OSError) -> str:
    """One line for an OS error on a file: the path(s) and the reason (the CLI's catch-all for outputs)."""
    names = [str(n) for n in (e.filename, e.filename2) if n is not None]
    return f"{' -> '.join(names) + ': ' if names else ''}{_reason(e)} ({type(e).__name__}, errno {e.errno})"


def print_wrote(verb: str, *paths: object) -> None:
    """The one line every verb ends with: where it wrote (`foodcam bench: wrote runs/bench/bench3`)."""
    written = [str(p) for p in paths if p is not None and str(p) != ""]
    if written:
        print(f"foodcam {verb}: wrote {', '.join(written)}", flush=True)

"""Keep the strict editable install's link tree in step with the source folders.

`make install` installs foodcam in setuptools' strict editable mode: build/__editable__.foodcam-*/foodcam/ holds one
link per installed file, laid out as the package is installed (runtime/x.py -> foodcam/runtime/x.py), so mypy,
pyright and editors resolve every `foodcam.*` import. Edits show at once (links), but a file added or removed since
the install does not: this script finds such files and reinstalls (no dependencies, seconds). `make install` and
`make test` run it.

    python .ci/linktree.py          # reinstall when the link tree misses a file or holds a dangling link
    python .ci/linktree.py --check  # only say so (exit 1)
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INSTALL = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "-e", str(ROOT),
           "--config-settings", "editable_mode=strict"]


def package_dirs() -> dict[str, str]:
    """import package -> its folder in the repository, from pyproject.toml (the one package list). Read with a
    pattern, not a TOML library: Python 3.10 has none built in, and a lean install (`make demo`) adds none."""
    text = (ROOT / "pyproject.toml").read_text()
    section = text.split("[tool.setuptools.package-dir]", 1)[1].split("\n[", 1)[0]
    return dict(re.findall(r'^"?([\w.]+)"?\s*=\s*"([^"]+)"', section, flags=re.M))


def link_root() -> Path | None:
    """The folder holding the installed `foodcam` package's links, or None when it is not a link tree."""
    spec = importlib.util.find_spec("foodcam")
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        return None
    pkg = Path(locations[0])
    if pkg.resolve() == (ROOT / "foodcam").resolve():  # lenient editable install: the source folder itself
        return None
    return pkg.parent


def problems() -> list[str]:
    """What the link tree lacks (source .py files without a link) or holds in excess (dangling links)."""
    root = link_root()
    if root is None:
        return ["foodcam is not installed in strict editable mode (no link tree)"]
    out = []
    for package, folder in package_dirs().items():
        linked = root / package.replace(".", "/")
        src = ROOT / folder
        for f in src.rglob("*.py"):
            rel = f.relative_to(src)
            if "__pycache__" in rel.parts or not (f.parent / "__init__.py").exists():
                continue
            if not (linked / rel).exists():
                out.append(f"{f.relative_to(ROOT)} has no link in {root}")
    for link in (root / "foodcam").rglob("*.py"):
        if link.is_symlink() and not link.exists():
            out.append(f"{link} links to a removed file")
    return out


def main(argv: list[str]) -> int:
    found = problems()
    if not found:
        return 0
    for line in found[:5]:
        print(f"linktree: {line}")
    if "--check" in argv:
        return 1
    print("linktree: reinstalling foodcam (strict editable, no dependencies)")
    proc = subprocess.run(INSTALL, capture_output=True, text=True)  # quiet: setuptools warns on every strict install
    if proc.returncode != 0:
        print(proc.stdout + proc.stderr)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

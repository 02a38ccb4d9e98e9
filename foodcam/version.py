"""`foodcam.__version__`: one source, the installed package's metadata (pyproject.toml's version)."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path


def _version() -> str:
    try:
        return metadata.version("foodcam")
    except metadata.PackageNotFoundError:  # a source tree on sys.path, not installed: read pyproject.toml
        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        try:
            found = re.search(r'^version\s*=\s*"([^"]+)"', pyproject.read_text(encoding="utf-8"), re.M)
        except OSError:
            found = None
        return found.group(1) if found else "0+unknown"


__version__ = _version()

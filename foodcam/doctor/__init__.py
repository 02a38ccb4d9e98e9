"""`foodcam doctor`: what works on this box, one line per part, each ✅ / ⚠️ / ❌ with the fix when it is not ✅.

Every probe goes through `Env` (where /dev, /etc, /proc, /sys are, how modules are imported, which programs exist
and what they print), so tests can put the checks in front of a Jetson, a GPU server or a bare CPU box.
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType

ICONS = {"ok": "✅", "warn": "⚠️", "fail": "❌"}


@dataclass
class Check:
    name: str
    status: str  # ok | warn | fail
    detail: str
    fix: str = ""
    data: dict = field(default_factory=dict)

    def line(self) -> str:
        text = f"{ICONS[self.status]} {self.name:<13} {self.detail}"
        return text + (f"\n   {'fix' if self.status == 'fail' else 'hint'}: {self.fix}" if self.fix else "")


def _run(argv: list[str]) -> str | None:
    """A program's stdout, or None if it is missing, fails or hangs."""
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return p.stdout if p.returncode == 0 else None


def _version(dist: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


@dataclass
class Env:
    """The machine as the checks see it (replaced in tests)."""

    root: Path = Path("/")
    import_module: Callable[[str], ModuleType] = importlib.import_module
    which: Callable[[str], str | None] = shutil.which
    run: Callable[[list[str]], str | None] = _run
    version: Callable[[str], str | None] = _version
    recordings: Path = Path(".")

    def path(self, p: str) -> Path:
        return self.root / p.lstrip("/")

    def load(self, name: str) -> ModuleType | None:
        """The module, or None when it (or a library under it) cannot be imported."""
        try:
            return self.import_module(name)
        except (ImportError, OSError, RuntimeError):
            return None


def run_checks(env: Env | None = None, model: str | None = None) -> list[Check]:
    from foodcam.doctor import gpu, system

    env = env or Env()
    checks = system.checks(env)
    checks += gpu.checks(env, model, jetson=any(c.data.get("jetson") for c in checks))
    return checks


def report(checks: list[Check]) -> str:
    fails = sum(c.status == "fail" for c in checks)
    warns = sum(c.status == "warn" for c in checks)
    tail = f"{fails} problem(s) to fix, {warns} warning(s)" if fails or warns else "everything foodcam uses works here"
    return "\n".join([c.line() for c in checks] + [tail])


def as_json(checks: list[Check]) -> list[dict]:
    return [asdict(c) for c in checks]

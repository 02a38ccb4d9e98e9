"""Run foodcam in a child process with a memory cap and a time limit, so that a runaway allocation or a hang
is a test failure instead of a killed test run.

    r = run_cli("data", "import", "coco", bad_json, "--out", out)   # Capped(rc, out, err, verdict)
    assert r.verdict == "exit" and r.rc == 2 and "Infinity" in r.err and "Traceback" not in r.err

verdict: "exit" (the process exited by itself), "hang" (still running after `timeout` s, killed), "crash"
(killed by a signal: a segfault, or the kernel), "oom" (a MemoryError traceback under the cap).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEM_MB = int(os.environ.get("FOODCAM_CAP_MB", 3000))


@dataclass
class Capped:
    rc: int | None
    out: str
    err: str
    verdict: str

    @property
    def clean(self) -> bool:
        """Exited with one-line errors only: no traceback, nothing killed."""
        return self.verdict == "exit" and "Traceback (most recent call last)" not in self.out + self.err


def limit(mem_mb: int = MEM_MB):
    """A preexec_fn capping the child's address space at `mem_mb` MiB."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (mem_mb << 20, mem_mb << 20))

    return cap


def run_python(args: list[str], mem_mb: int = MEM_MB, timeout: float = 120, stdin: str | None = None,
               env: dict | None = None) -> Capped:
    cmd = [sys.executable, *args]
    full_env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONIOENCODING": "utf-8", **(env or {})}
    try:
        p = subprocess.run(cmd, input=stdin, capture_output=True, text=True, errors="replace", timeout=timeout,
                           preexec_fn=limit(mem_mb), cwd=ROOT, env=full_env)
    except subprocess.TimeoutExpired as e:
        def text(b):
            return b.decode("utf-8", "replace") if isinstance(b, bytes) else (b or "")

        return Capped(None, text(e.stdout), text(e.stderr), "hang")
    if p.returncode < 0:
        verdict = "crash"
    elif "MemoryError" in p.stderr:
        verdict = "oom"
    else:
        verdict = "exit"
    return Capped(p.returncode, p.stdout, p.stderr, verdict)


def run_cli(*argv: object, mem_mb: int = MEM_MB, timeout: float = 120, env: dict | None = None) -> Capped:
    """`python -m foodcam ARGV...` under the cap."""
    return run_python(["-m", "foodcam", *(str(a) for a in argv)], mem_mb, timeout, env=env)

"""The entry of a benchmark subprocess: `python -m foodcam.benchmarks.<module> job.json result.json`."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from foodcam.runtime.imageio import write_text_atomic


def job_main(argv: list[str] | None, module: str, handle: Callable[[dict], object]) -> int:
    """Read the job JSON, run `handle(job)`, write its result JSON atomically; 2 on a wrong command line."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print(f"usage: python -m foodcam.benchmarks.{module} job.json result.json", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    job = json.loads(Path(argv[0]).read_text())
    write_text_atomic(argv[1], json.dumps(handle(job), default=str) + "\n")
    return 0

"""Fuzz cases run in child processes under a memory cap and a time limit (tests/fuzz_worker.py does the work).

    tally = run_cases("coco", cases)          # many cases per child; a crash or hang costs one case, not the run
    tally.check()                             # AssertionError listing the findings, crashes and hangs

A case that kills its child (segfault, the RLIMIT_AS cap) is a crash, one without an outcome after
CASE_WALL_S seconds a hang; the child is restarted at the next case.
"""

from __future__ import annotations

import json
import os
import pickle
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from capped import MEM_MB, ROOT, limit

WORKER = Path(__file__).resolve().parent / "fuzz_worker.py"
CASE_WALL_S = float(os.environ.get("FOODCAM_FUZZ_CASE_WALL_S", 60))


@dataclass
class Tally:
    kind: str
    counts: Counter = field(default_factory=Counter)
    findings: list[str] = field(default_factory=list)

    def add(self, i: int, outcome: str, label: str = "") -> None:
        head = outcome.split(":")[0]
        self.counts[head if head in ("accepted", "rejected", "crash", "hang") else "traceback"] += 1
        if head not in ("accepted", "rejected"):
            self.findings.append(f"case {i}{' ' + label if label else ''}: {outcome}")

    def summary(self) -> str:
        c = self.counts
        return (f"fuzz {self.kind}: {sum(c.values())} cases, {c['accepted']} accepted, {c['rejected']} rejected; "
                f"tracebacks {c['traceback']}, crashes {c['crash']}, hangs {c['hang']}")

    def check(self) -> None:
        print(self.summary())
        if self.findings:
            raise AssertionError(self.summary() + "\n" + "\n".join(self.findings[:15]))


def _reader(stream, q: queue.Queue) -> None:
    for line in stream:
        q.put(line)
    q.put(None)


def run_cases(kind: str, cases: list, labels: list[str] | None = None, mem_mb: int = MEM_MB,
              case_wall_s: float = CASE_WALL_S) -> Tally:
    tally = Tally(kind)
    with tempfile.TemporaryDirectory(prefix="fuzz-cases-") as tmp:
        path = Path(tmp) / "cases.pickle"
        path.write_bytes(pickle.dumps(cases))
        start = 0
        env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
        while start < len(cases):
            p = subprocess.Popen([sys.executable, str(WORKER), kind, str(path), str(start)], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, preexec_fn=limit(mem_mb), cwd=ROOT, env=env)
            q: queue.Queue = queue.Queue()
            threading.Thread(target=_reader, args=(p.stdout, q), daemon=True).start()
            err_lines: list[str] = []
            threading.Thread(target=err_lines.extend, args=(p.stderr,), daemon=True).start()
            nxt = start
            while nxt < len(cases):
                try:
                    line = q.get(timeout=case_wall_s)
                except queue.Empty:
                    p.kill()
                    p.wait()
                    tally.add(nxt, f"hang: no outcome after {case_wall_s:g} s", _label(labels, nxt))
                    nxt += 1
                    break
                if line is None:  # the child died on case `nxt`
                    rc = p.wait()
                    why = "MemoryError" if any("MemoryError" in ln for ln in err_lines[-20:]) else f"exit {rc}"
                    tally.add(nxt, f"crash: {why}: {''.join(err_lines[-3:])[-200:]!r}", _label(labels, nxt))
                    nxt += 1
                    break
                rec = json.loads(line)
                tally.add(rec["i"], rec["outcome"], _label(labels, rec["i"]))
                nxt = rec["i"] + 1
            else:
                p.wait(timeout=30)
            start = nxt
            time.sleep(0)
    return tally


def _label(labels: list[str] | None, i: int) -> str:
    return labels[i] if labels and i < len(labels) else ""

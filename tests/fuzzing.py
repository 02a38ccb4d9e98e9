"""A small seeded fuzzer for the boundaries foodcam reads from outside (used by tests/test_fuzz*.py).

Mutators change a structure (a task description, a report, a checkpoint dict) or the bytes of a file;
`Fuzz.case(label, fn)` runs one input and sorts the outcome: accepted (fn returned), rejected (a
FoodcamError with a one-line message naming the input) or a finding (any other exception, a multi-line
or anonymous message, or a case that runs past CPU_S of CPU / WALL_S of wall time). `Fuzz.check()` fails the test with the findings.

    FOODCAM_FUZZ=N   N cases per kind instead of each test's default (a long run: FOODCAM_FUZZ=2000)
"""

from __future__ import annotations

import copy
import math
import os
import random
import signal
import traceback

from foodcam.runtime.errors import FoodcamError

# A case is a hang when it uses CPU_S seconds of CPU (a runaway loop) or WALL_S of wall time (a deadlock);
# CPU time, not wall time, so a shared, contended machine does not turn slow cases into findings.
CPU_S = float(os.environ.get("FOODCAM_FUZZ_CPU_S", 30))
WALL_S = int(os.environ.get("FOODCAM_FUZZ_WALL_S", 600))


def count(default: int) -> int:
    return int(os.environ.get("FOODCAM_FUZZ") or default)


class _Hang(BaseException):
    pass


def _alarm(signum, frame):
    raise _Hang()


def deep(n: int):
    x: list = []
    for _ in range(n):
        x = [x]
    return x


NASTY = [None, True, False, 0, -1, 1, 3, 2**63, -(2**63), 10**400, 1e308, -1e308, math.nan, math.inf, -math.inf,
         0.5, -0.0, "", " ", "x", "stirrer", "A" * 5000, "\x00", "\udcff", "💥", "{", "[", [], {}, [0, 0], [96],
         [0], [-1, -1], [1e9, 1e9], ["a", "b"], [None], [[1, 2, 3]], {"a": 1}, {"": None}, [["255", "0", "0"]]]


def nasty(rng: random.Random):
    r = rng.random()
    if r < 0.05:
        return deep(rng.choice([40, 200, 600]))  # deeper ones come from the byte mutators
    return copy.deepcopy(rng.choice(NASTY))


def _nodes(obj) -> list[tuple[object, object]]:
    """(container, key) of every node below `obj`, iteratively (no recursion on deep inputs)."""
    out, stack = [], [(obj, 0)]
    while stack and len(out) < 10_000:
        node, depth = stack.pop()
        if depth > 50:
            continue
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for k, v in items:
            out.append((node, k))
            stack.append((v, depth + 1))
    return out


def mutate_obj(rng: random.Random, obj, ops: int | None = None):
    """A copy of a JSON-like `obj` with 1..4 random edits: replace, delete, insert, retype, scale, wrap."""
    obj = copy.deepcopy(obj)
    for _ in range(ops or rng.randint(1, 4)):
        nodes = _nodes(obj)
        if not nodes:
            return nasty(rng)
        parent, key = rng.choice(nodes)
        value = parent[key]
        op = rng.random()
        if op < 0.35:
            parent[key] = nasty(rng)
        elif op < 0.5:
            del parent[key]
        elif op < 0.6:
            if isinstance(parent, dict):
                parent[rng.choice(["extra", "x", "", "heads", "task"])] = nasty(rng)
            else:
                parent.insert(rng.randint(0, len(parent)), nasty(rng))
        elif op < 0.72 and isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                parent[key] = rng.choice([value * -1, value + 1, value * 1e9, float(value), str(value), value - 0.5])
            except OverflowError:
                parent[key] = nasty(rng)
        elif op < 0.82:
            parent[key] = [value] if rng.random() < 0.5 else {"v": value}
        elif op < 0.9 and isinstance(value, str):
            parent[key] = rng.choice([value.upper(), value[::-1], value * 50, value.encode("utf-8", "surrogatepass").hex(), ""])
        elif isinstance(value, list) and value:
            parent[key] = value[: rng.randint(0, len(value))] if rng.random() < 0.5 else value * rng.randint(2, 300)
        else:
            parent[key] = nasty(rng)
    return obj


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    """`data` with 1..3 random byte edits: bit flips, overwrite, truncate, insert, duplicate, zero a run."""
    b = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        if not b:
            b = bytearray(rng.randbytes(rng.randint(0, 64)))
            continue
        i = rng.randrange(len(b))
        op = rng.random()
        if op < 0.35:
            for _ in range(rng.randint(1, 8)):
                j = rng.randrange(len(b))
                b[j] ^= 1 << rng.randrange(8)
        elif op < 0.5:
            n = rng.randint(1, 64)
            b[i:i + n] = rng.randbytes(n)
        elif op < 0.62:
            del b[rng.randrange(len(b)):]
        elif op < 0.75:
            b[i:i] = rng.choice([rng.randbytes(rng.randint(1, 64)), b"[" * 3000, b"\xff" * 16, b"\x00" * 64])
        elif op < 0.87:
            n = rng.randint(1, 256)
            b[i:i] = b[i:i + n]
        else:
            n = rng.randint(1, 512)
            b[i:i + n] = bytes(len(b[i:i + n]))
    return bytes(b)


class Fuzz:
    """Outcome bookkeeping for one kind of input."""

    def __init__(self, kind: str, seed: int = 0) -> None:
        self.kind, self.rng = kind, random.Random(f"{kind}-{seed}")
        self.accepted = self.rejected = 0
        self.findings: list[str] = []

    def case(self, label: str, fn, *args, name: str | None = None, **kwargs):
        """Run fn(*args, **kwargs); a FoodcamError must be one line and contain `name` (default: label)."""
        name = label if name is None else name
        old = signal.signal(signal.SIGALRM, _alarm), signal.signal(signal.SIGPROF, _alarm)
        signal.alarm(WALL_S)
        signal.setitimer(signal.ITIMER_PROF, CPU_S)
        try:
            result = fn(*args, **kwargs)
        except FoodcamError as e:
            msg = str(e)
            if not msg.strip() or "\n" in msg or (name and name not in msg):
                self.findings.append(f"{label}: FoodcamError not one line naming {name!r}: {msg[:300]!r}")
                return None
            self.rejected += 1
            return None
        except _Hang:
            self.findings.append(f"{label}: still running after {CPU_S:g} s of CPU or {WALL_S} s")
            return None
        except Exception as e:  # noqa: BLE001 - every other exception is a finding
            where = traceback.extract_tb(e.__traceback__)[-1]
            self.findings.append(f"{label}: {type(e).__name__}: {str(e)[:200]} at {where.filename}:{where.lineno}")
            return None
        finally:
            signal.alarm(0)
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGALRM, old[0])
            signal.signal(signal.SIGPROF, old[1])
        self.accepted += 1
        return result

    def finding(self, label: str, text: str) -> None:
        self.findings.append(f"{label}: {text}")

    def summary(self) -> str:
        total = self.accepted + self.rejected + len(self.findings)
        return (f"fuzz {self.kind}: {total} inputs, {self.accepted} accepted, {self.rejected} rejected with "
                f"FoodcamError, {len(self.findings)} findings")

    def check(self) -> None:
        print(self.summary())
        if self.findings:
            raise AssertionError(self.summary() + "\n" + "\n".join(self.findings[:15]))

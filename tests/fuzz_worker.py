"""Runs a batch of fuzz cases of one kind in this process, one JSON line of outcome per case on stdout.

    python tests/fuzz_worker.py KIND CASES.pickle START      # started by tests/fuzz_capped.py under a memory cap

Outcomes: "accepted", "rejected" (a one-line FoodcamError, an argparse error, or an import's list of one-line
problems) or "finding: ..." (any other exception, a multi-line message, a case past CPU_S of CPU). A case that
kills the process (a segfault, the memory cap) or hangs is detected by the parent from the missing line.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import pickle
import signal
import sys
import tempfile
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
CPU_S = float(os.environ.get("FOODCAM_FUZZ_CPU_S", 20))


class _Hang(BaseException):
    pass


def _alarm(signum, frame):
    raise _Hang()


def _one_line(msg: str) -> bool:
    return bool(msg.strip()) and "\n" not in msg and len(msg) < 2000


def _problems(problems) -> str:
    bad = [e for e in problems.errors if not _one_line(e)]
    if bad:
        return f"finding: problem not one short line: {bad[0][:200]!r}"
    return "rejected" if problems.errors else "accepted"


def _draw(items) -> None:
    for it in items:
        if it.size is None:
            continue
        for sh in it.shapes:
            sh.draw(*it.size)


def case_line_yaml(text: str, tmp: Path) -> str:
    from foodcam.camera.sorting.line import load_line

    p = tmp / "line.yaml"
    p.write_text(text, encoding="utf-8", errors="surrogateescape")
    line = load_line(p)
    line.check_frame_rate(30.0)
    line.check_frame_size((240, 640))
    return "accepted"


def case_config_yaml(text: str, tmp: Path) -> str:
    from foodcam.cli import build_parser
    from foodcam.config import apply_config

    p = tmp / "run.yaml"
    p.write_text(text, encoding="utf-8", errors="surrogateescape")
    apply_config(build_parser(), ["run", "--config", str(p)])
    return "accepted"


def case_argv(argv: list[str], tmp: Path) -> str:
    from foodcam.camera.sources import make_grabber, parse_uri
    from foodcam.cli import build_parser
    from foodcam.config import apply_config

    parser = build_parser()
    with contextlib.redirect_stderr(io.StringIO()) as err:
        try:
            apply_config(parser, argv)
            args, _ = parser.parse_known_args(argv)
        except SystemExit as e:
            text = err.getvalue().strip().splitlines()
            if e.code == 2 and text and "Traceback" not in err.getvalue():
                return "rejected"
            return f"finding: argparse exit {e.code}: {err.getvalue()[-200:]!r}"
    source = getattr(args, "source", None)
    for uri in source if isinstance(source, list) else [source] if source else []:
        if str(uri).startswith("synth://"):
            make_grabber(parse_uri(uri))
    return "accepted"


def case_coco(text: str, tmp: Path) -> str:
    import cv2
    import numpy as np

    from foodcam.train.data.imports.coco import read_coco
    from foodcam.train.data.imports.common import Problems

    cv2.imwrite(str(tmp / "a.jpg"), np.zeros((30, 40, 3), np.uint8))
    (tmp / "ann.json").write_text(text, encoding="utf-8", errors="surrogateescape")
    problems = Problems()
    _draw(read_coco(tmp / "ann.json", problems))
    return _problems(problems)


def case_labelme(text: str, tmp: Path) -> str:
    import cv2
    import numpy as np

    from foodcam.train.data.imports.common import Problems
    from foodcam.train.data.imports.labelme import read_labelme

    cv2.imwrite(str(tmp / "frame.jpg"), np.zeros((30, 40, 3), np.uint8))
    (tmp / "frame.json").write_text(text, encoding="utf-8", errors="surrogateescape")
    problems = Problems()
    _draw(read_labelme(tmp / "frame.json", problems))
    return _problems(problems)


def case_cvat(data: bytes, tmp: Path) -> str:
    from foodcam.train.data.imports.common import Problems
    from foodcam.train.data.imports.cvat import opened, read_cvat

    p = tmp / "task.zip"
    p.write_bytes(data)
    problems = Problems()
    with opened(p) as root:
        _draw(read_cvat(root, problems))
    return _problems(problems)


def case_image(data: bytes, tmp: Path) -> str:
    from foodcam.runtime.imageio import decode_image

    decode_image(data, "image")
    return "accepted"


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


def run_one(kind: str, payload, tmp: Path) -> str:
    from foodcam.runtime.errors import FoodcamError

    signal.signal(signal.SIGPROF, _alarm)
    signal.setitimer(signal.ITIMER_PROF, CPU_S)
    try:
        return CASES[kind](payload, tmp)
    except FoodcamError as e:
        return "rejected" if _one_line(str(e)) else f"finding: FoodcamError not one line: {str(e)[:200]!r}"
    except _Hang:
        return f"finding: hang (over {CPU_S:g} s of CPU)"
    except MemoryError:
        return "finding: MemoryError"
    except Exception as e:  # noqa: BLE001 - every other exception is a finding
        where = traceback.extract_tb(e.__traceback__)[-1]
        return f"finding: {type(e).__name__}: {str(e)[:160]} at {Path(where.filename).name}:{where.lineno}"
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)


def main() -> None:
    import logging

    logging.disable(logging.CRITICAL)  # outcomes are judged by what is raised, not by log lines
    import cv2

    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
    kind, cases_path, start = sys.argv[1], sys.argv[2], int(sys.argv[3])
    cases = pickle.loads(Path(cases_path).read_bytes())
    out = sys.stdout
    sys.stdout = io.StringIO()  # what a case prints is not an outcome line
    for i in range(start, len(cases)):
        with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
            outcome = run_one(kind, cases[i], Path(tmp))
        sys.stdout = io.StringIO()
        out.write(json.dumps({"i": i, "outcome": outcome}) + "\n")
        out.flush()


if __name__ == "__main__":
    main()

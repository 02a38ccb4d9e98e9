"""`foodcam doctor [--model x.engine] [--json]`: what works on this box. DoctorConfig is the verb's one schema
(foodcam/verbconfig.py); `doctor(cfg)` is its core. Imports nothing heavy at registration."""

from __future__ import annotations

import json

from foodcam.verbconfig import VerbConfig, add_verb, opt


class DoctorConfig(VerbConfig):
    """`foodcam doctor`: the checks of this box, and optionally of one model file."""

    verb = "doctor"

    model: str | None = opt(None, "also check that this .onnx runs / this .engine deserialises here")
    recordings: str = opt(".", "where --save/--events will write (free disk)", metavar="DIR")
    as_json: bool = opt(False, "the checks as JSON, for scripts", flag="--json")


def doctor(cfg: DoctorConfig) -> tuple[int, list]:
    """Run every check and print them (a table, or JSON); (1 when a problem was found else 0, the checks)."""
    from pathlib import Path

    from foodcam.doctor import Env, as_json, report, run_checks

    checks = run_checks(Env(recordings=Path(cfg.recordings)), model=cfg.model)
    if cfg.as_json:
        print(json.dumps(as_json(checks), indent=2, default=str))
    else:
        print(report(checks))
    return (1 if any(c.status == "fail" for c in checks) else 0), checks


def _doctor(cfg: DoctorConfig) -> int:
    return doctor(cfg)[0]


def register(sub) -> None:
    add_verb(sub, "doctor", DoctorConfig, _doctor,
             help="what works on this box: OpenCV/GStreamer, cameras, ONNX Runtime, GPU, cuda-python, TensorRT, "
                  "actuator libraries, disk",
             description="One line per part, each OK / warning / problem with the fix. Exit 1 when a problem was "
                         "found.")

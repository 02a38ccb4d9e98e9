"""`foodcam doctor [--model x.engine] [--json]`: what works on this box. Imports nothing heavy at registration."""

from __future__ import annotations

import json


def _doctor(args) -> int:
    from pathlib import Path

    from foodcam.doctor import Env, as_json, report, run_checks

    checks = run_checks(Env(recordings=Path(args.recordings)), model=args.model)
    if args.json:
        print(json.dumps(as_json(checks), indent=2, default=str))
    else:
        print(report(checks))
    return 1 if any(c.status == "fail" for c in checks) else 0


def register(sub) -> None:
    p = sub.add_parser("doctor", help="what works on this box: OpenCV/GStreamer, cameras, ONNX Runtime, GPU, "
                                      "cuda-python, TensorRT, actuator libraries, disk",
                       description="One line per part, each OK / warning / problem with the fix. Exit 1 when a "
                                   "problem was found.")
    p.add_argument("--model", default=None, help="also check that this .onnx runs / this .engine deserialises here")
    p.add_argument("--recordings", default=".", metavar="DIR", help="where --save/--events will write (free disk)")
    p.add_argument("--json", action="store_true", help="the checks as JSON, for scripts")
    p.set_defaults(func=_doctor)

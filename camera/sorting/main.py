"""The `foodcam sort` handler: open the line's parts, run it, print the summary."""

from __future__ import annotations

import json
import logging

from foodcam.camera.actuators import open_actuator
from foodcam.camera.sorting.app import format_summary, open_line_source, run_line
from foodcam.camera.sorting.audit import AuditLog
from foodcam.camera.sorting.line import load_line
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import write_text_atomic

log = logging.getLogger("foodcam.sorting")


def main(args) -> int:
    from foodcam.runtime.open import open_model

    if args.max_frames is not None and args.max_frames < 1:
        raise FoodcamError(f"--max-frames {args.max_frames}: expected a positive number of frames")
    if args.max_seconds is not None and args.max_seconds <= 0:
        raise FoodcamError(f"--max-seconds {args.max_seconds}: expected a positive number of seconds")
    line = load_line(args.line)
    act_cfg = {"type": "dryrun", "pulse_ms": line.pulse_ms} if args.dry_run else line.actuator
    model = open_model(args.model, backend=args.backend)
    actuator = open_actuator(act_cfg, line=line.name, where=str(args.line))
    audit = AuditLog(args.audit)
    try:
        if not actuator.connect():
            log.warning("actuator %s not connected yet; deciding anyway, commands are missed until it is",
                        actuator.kind)
        with open_line_source(args.source, realtime=args.realtime) as source:
            summary = run_line(model, source, line, actuator, audit, max_frames=args.max_frames,
                               max_seconds=args.max_seconds)
    finally:
        actuator.close()
        audit.close()
        model.close()
    summary["audit"] = args.audit
    print(format_summary(summary))
    if args.audit:
        print(f"audit log: {args.audit} ({audit.lines} item line(s) added)")
    if args.json:
        write_text_atomic(args.json, json.dumps(summary, indent=2, default=str))
    return 0

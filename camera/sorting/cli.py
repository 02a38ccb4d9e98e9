"""`foodcam sort`: run a sorting line (camera -> freshness model -> ejector). Imports nothing heavy.
Its flags are SortConfig's fields (camera/sorting/config.py): every flag of `foodcam run`'s loop and the line's."""

from __future__ import annotations

import argparse


def _sort(cfg) -> int:
    """The CLI face: the config parsed from the flags (and --config), the core run, the summary printed."""
    from foodcam.camera.loop import check_loop_outputs
    from foodcam.camera.sorting.app import report, sort_line
    from foodcam.runtime.outdir import print_wrote

    written = check_loop_outputs(cfg, ("--audit", cfg.audit, "file"))
    rc = report(sort_line(cfg))
    print_wrote("sort", *written)
    return rc


def register(sub) -> None:
    from foodcam.camera.sorting.config import SortConfig
    from foodcam.verbconfig import add_verb

    add_verb(
        sub, "sort", SortConfig, _sort,
        help="sort fruit on a conveyor: track, classify, eject the rotten ones",
        description="Track items crossing the lane, classify each on every frame it is seen, decide by vote "
                    "when it leaves, and fire the ejector after the belt's travel time. Every item goes to "
                    "the audit log. synth://conveyor is a simulated line with ground truth (accuracy and "
                    "timing in the summary). Every source and output flag of `foodcam run` works here.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  foodcam sort --model fresh.onnx --source 'synth://conveyor?fps=30&size=640x240' "
               "--line line.yaml --audit audit.jsonl --max-seconds 20\n"
               "  foodcam sort --model fresh.onnx --source csi://0 --line line.yaml --save line.mp4 --serve 0.0.0.0:8080 "
               "--retry --summary sort.json",
    )

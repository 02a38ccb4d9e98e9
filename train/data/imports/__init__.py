"""`foodcam data import {cvat,labelme,coco,labelstudio} SRC --out DIR`: annotations from the tools people label
with -> the kitchen mask format (DIR/<split>/{images,masks}/<stem>.jpg|.png, colour-coded), checked like
`data check`; a Label Studio export of classified images -> the freshness folders (DIR/<fresh|rotten><fruit>/).

    foodcam data import cvat task_export.zip --out my_kitchen --map "spatula=stirrer,wok=pan"
    foodcam data import labelme frames/ --out my_kitchen --split train
    foodcam data import coco annotations/instances_default.json --out my_kitchen --map "*=ignore,rice=food"
    foodcam data import labelstudio export.json --out my_kitchen --images frames/ --map "Spoon=stirrer"
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from foodcam.train.data.imports.common import ImportProblems, Item, Problems, write_items
from foodcam.train.data.imports.mapping import LabelMap, parse_map
from foodcam.train.dataconfig import DataImportConfig

FORMATS = ("cvat", "labelme", "coco", "labelstudio")


def import_annotations(fmt: str, src: str | Path, out: str | Path, mapping: dict[str, str] | None = None,
                       split: str = "auto", images: str | Path | None = None, seed: int = 0,
                       line_width: int = 10, progress: bool = True) -> dict:
    """Read SRC in `fmt`, map its labels and write OUT; ImportProblems (listing each) when anything is wrong."""
    problems = Problems()
    src = Path(src)
    if fmt == "labelstudio":
        from foodcam.train.data.labelstudio.importer import import_labelstudio

        return import_labelstudio(src, out, mapping, split, images, seed, progress, problems)
    labels = LabelMap(mapping)
    with contextlib.ExitStack() as stack:
        if fmt == "cvat":
            from foodcam.train.data.imports.cvat import opened, read_cvat

            items = read_cvat(stack.enter_context(opened(src)), problems, images)
        elif fmt == "labelme":
            from foodcam.train.data.imports.labelme import read_labelme

            items = read_labelme(src, problems, line_width)
        elif fmt == "coco":
            from foodcam.train.data.imports.coco import read_coco

            items = read_coco(src, problems, images)
        else:
            raise ValueError(f"unknown format {fmt!r}")
        report = write_items(items, out, labels, split, seed, problems, progress)
        report["labels"] = label_table(items, labels)
    return report


def label_table(items: list[Item], labels: LabelMap) -> dict[str, dict]:
    counts: dict[str, int] = {}
    for it in items:
        for sh in it.shapes:
            counts[sh.label] = counts.get(sh.label, 0) + 1
    return {label: {"target": labels.target(label), "shapes": n} for label, n in sorted(counts.items())}


def import_data(cfg: DataImportConfig) -> int:
    """`foodcam data import`: --out checked writable, the annotations imported and checked; 1 when the check
    found errors, else 0."""
    from foodcam.runtime.outdir import check_writable, print_wrote

    check_writable(cfg.out, "--out", kind="dir")
    rc = _import(cfg)
    print_wrote("data import", cfg.out)
    return rc


def _import(args: DataImportConfig) -> int:
    from foodcam.train.data.kitchen import scan_dataset
    from foodcam.train.datacheck import format_kitchen_report

    try:
        report = import_annotations(args.format, args.src, args.out, parse_map(args.map), args.split, args.images,
                                    args.seed, args.line_width)
    except ImportProblems as e:
        for line in e.problems.errors:
            print(f"  error   {line}", file=sys.stderr)
        for line in e.problems.warnings:
            print(f"  warning {line}", file=sys.stderr)
        raise
    if report.get("task") == "freshness":
        return _freshness_done(args, report)
    for label, row in report["labels"].items():
        print(f"  {label!r} -> {row['target']} ({row['shapes']} shapes)")
    for line in report["warnings"]:
        print(f"  warning {line}")
    parts = ", ".join(f"{s} {n}" for s, n in report["splits"].items() if n)
    print(f"imported {report['images']} images from {args.src} ({args.format}) into {args.out}: {parts}")
    check = scan_dataset(args.out, progress=False)
    print(format_kitchen_report(check))
    return 1 if check["errors"] else 0


def _freshness_done(args: DataImportConfig, report: dict) -> int:
    from foodcam.train.data.fruit import load_freshness
    from foodcam.train.data.fruit_report import format_report

    for folder, n in report["folders"].items():
        print(f"  {folder}: {n} images")
    for line in report["warnings"]:
        print(f"  warning {line}")
    print(f"imported {report['images']} images from {args.src} ({args.format}) into {args.out}")
    text, errors = format_report(load_freshness(args.out))
    print(text)
    return 1 if errors else 0

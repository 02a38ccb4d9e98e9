"""`foodcam data import labelstudio export.json --out DIR`: a Label Studio JSON export -> a foodcam dataset.

Regions (brush, polygon, rectangle) become the kitchen mask format through the importers' one writer
(`imports.common.write_items`: labels mapped with --map, everything checked before anything is written);
choices become the freshness folders (`labelstudio.freshness`).
"""

from __future__ import annotations

from pathlib import Path

from foodcam.train.data.imports.common import ImportProblems, Problems, write_items
from foodcam.train.data.imports.mapping import LabelMap
from foodcam.train.data.labelstudio.reader import read_labelstudio


def import_labelstudio(src: str | Path, out: str | Path, mapping: dict[str, str] | None = None,
                       split: str = "auto", images: str | Path | None = None, seed: int = 0,
                       progress: bool = True, problems: Problems | None = None) -> dict:
    """Read the export and write OUT; the report says which task it was ("kitchen" or "freshness")."""
    from foodcam.train.data.imports import label_table

    problems = problems or Problems()
    export = read_labelstudio(src, problems, images)
    if export.task == "freshness":
        from foodcam.train.data.labelstudio.freshness import write_choices

        return {"task": "freshness", **write_choices(export.choices, out, mapping, problems)}
    labels = LabelMap(mapping)
    if problems.errors and not export.items:
        raise ImportProblems(problems)
    report = write_items(export.items, out, labels, split, seed, problems, progress)
    report["labels"] = label_table(export.items, labels)
    return {"task": "kitchen", **report}

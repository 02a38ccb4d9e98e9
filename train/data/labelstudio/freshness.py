"""Classified images -> the freshness folder layout `data check freshness` and `train freshness` read:
OUT/<fresh|rotten><fruit>/<stem>.<ext> (the flat layout), each image copied byte for byte.

Choices are read per head: the `freshness` head's value must be fresh or rotten, the `fruit` head's a fruit name
("Apples" -> apple); a config whose Choices have other names is read by value (fresh/rotten, or a fruit).
`--map "Apfel=apple,Faul=rotten"` renames values first. Everything is checked before anything is written; files
are staged in a hidden folder inside OUT and moved into place only when all are ready.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import write_bytes_atomic
from foodcam.train.data.fruit import FRESHNESS_CLASSES, fruit_name
from foodcam.train.data.imports.common import Problems, decode_image
from foodcam.train.data.imports.mapping import norm
from foodcam.train.data.labelstudio.reader import Choice


def labels_of(choice: Choice, mapping: dict[str, str]) -> tuple[str | None, str | None]:
    """(fruit, fresh|rotten) of one image; None where its choices do not say."""
    renamed = {norm(k): v for k, v in mapping.items()}
    fruit = state = None
    for head, raw in choice.choices.items():
        value = renamed.get(norm(raw), raw)
        if norm(head) == "freshness" or norm(value) in FRESHNESS_CLASSES:
            state = norm(value)
        else:
            fruit = fruit_name(value) or value
    return fruit, state


def write_choices(choices: list[Choice], out: str | Path, mapping: dict[str, str] | None,
                  problems: Problems) -> dict:
    """Check every image's labels and file, then write OUT; FoodcamError (after listing problems) when wrong."""
    from foodcam.train.data.imports.common import ImportProblems

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise FoodcamError(f"--out {out}: exists and is not a folder")
    ready, seen = [], set()
    for c in choices:
        fruit, state = labels_of(c, mapping or {})
        if state not in FRESHNESS_CLASSES:
            problems.error(c.source, f"freshness {state!r} is not one of {', '.join(FRESHNESS_CLASSES)} "
                           "(add --map \"VALUE=fresh|rotten\")")
            continue
        if fruit is None or fruit_name(fruit) is None:
            problems.error(c.source, f"fruit {fruit!r} is not a fruit name (letters, e.g. apple; add --map \"VALUE=apple\")")
            continue
        if c.image is None:
            continue  # the reader has said why
        try:
            decode_image(c.image, str(c.image))
        except FoodcamError as e:
            problems.error(c.source, str(e))
            continue
        dst = out / f"{state}{fruit_name(fruit)}" / f"{c.stem}{c.image.suffix.lower()}"
        if dst.exists() or dst in seen:
            problems.error(c.source, f"{dst} already exists (or two tasks share the name); import into a new folder")
            continue
        seen.add(dst)
        ready.append((c, dst))
    if problems.errors:
        raise ImportProblems(problems)
    if not ready:
        raise FoodcamError("no annotated images found to import")
    out.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".import-", dir=out))
    counts: dict[str, int] = {}
    try:
        staged = []
        for k, (c, dst) in enumerate(ready):
            tmp = stage / f"{k}{dst.suffix}"
            write_bytes_atomic(tmp, Path(c.image).read_bytes())
            staged.append((tmp, dst))
            counts[dst.parent.name] = counts.get(dst.parent.name, 0) + 1
        for tmp, dst in staged:
            dst.parent.mkdir(parents=True, exist_ok=True)
            tmp.replace(dst)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return {"out": str(out), "images": len(ready), "folders": dict(sorted(counts.items())),
            "warnings": list(problems.warnings)}

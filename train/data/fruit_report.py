"""`foodcam data check freshness DIR`: class counts, duplicates, skipped files and the split's overlap check."""

from __future__ import annotations

from pathlib import Path

from foodcam.train.data.fruit import FRESHNESS_CLASSES, FreshnessData

EXAMPLES = 5


def _rel(path: str | Path, root: Path) -> str:
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return str(path)


def problems(data: FreshnessData) -> list[tuple[str, str]]:
    """(level, message) for everything wrong: corrupt images and train/val leaks are errors."""
    s, root = data.scan, data.scan.root
    out: list[tuple[str, str]] = []
    if s.corrupt:
        eg = ", ".join(_rel(p, root) for p, _ in s.corrupt[:EXAMPLES])
        out.append(("error", f"{len(s.corrupt)} image file(s) cannot be decoded (skipped): {eg}"))
    for kind, pairs in data.overlap.items():
        if pairs:
            eg = " <-> ".join(_rel(p, root) for p in pairs[0][:2])
            out.append(("error", f"train and val share {len(pairs)} image(s) by {kind}, e.g. {eg}"))
    if data.dedup.conflicts:
        g = data.dedup.conflicts[0]
        eg = ", ".join(f"{_rel(s.paths[i], root)} ({s.fruit[i]} {FRESHNESS_CLASSES[int(s.rotten[i])]})" for i in g[:3])
        out.append(("warning", f"{len(data.dedup.conflicts)} duplicate group(s) carry different labels, e.g. {eg}"))
    kept = data.counts("all")
    for fruit in sorted(set(s.fruit)):
        for fresh in FRESHNESS_CLASSES:
            n = kept.get((fruit, fresh), 0)
            if n < 2:
                out.append(("warning", f"{fruit} {fresh}: {n} image(s) after de-duplication; "
                                       "it cannot appear in both train and val"))
    if s.not_images:
        eg = ", ".join(_rel(p, root) for p in s.not_images[:EXAMPLES])
        out.append(("warning", f"{len(s.not_images)} file(s) are not images (skipped): {eg}"))
    if s.unlabelled:
        eg = ", ".join(_rel(p, root) for p in s.unlabelled[:EXAMPLES])
        out.append(("warning", f"{len(s.unlabelled)} image(s) sit in no <Fruit>/<Fresh|Rotten> or freshapples-style "
                               f"folder (skipped): {eg}"))
    return out


def format_report(data: FreshnessData) -> tuple[str, int]:
    """(the report text, number of errors)."""
    s, root, d = data.scan, data.scan.root, data.dedup
    layouts = ", ".join(f"{k} {v}" for k, v in sorted(s.layouts.items()))
    lines = [f"freshness dataset {root}  ({len(s.paths)} labelled images; layout: {layouts})"]
    found: dict[tuple[str, str], int] = {}
    for f, r in s.labels:
        key = (f, FRESHNESS_CLASSES[int(r)])
        found[key] = found.get(key, 0) + 1
    tables = {"found": found, "kept": data.counts("all"), "train": data.counts("train"), "val": data.counts("val")}
    cols = [f"{t} {c}" for t in tables for c in FRESHNESS_CLASSES]
    w = max(10, *(len(f) for f in data.fruits))
    lines.append(f"{'fruit':<{w}} " + " ".join(f"{c:>12}" for c in cols))
    for fruit in [*data.fruits, "all"]:
        cells = []
        for t in tables.values():
            for c in FRESHNESS_CLASSES:
                cells.append(sum(v for (f, cc), v in t.items() if cc == c and (fruit == "all" or f == fruit)))
        lines.append(f"{fruit:<{w}} " + " ".join(f"{v:>12}" for v in cells))
    links = ", ".join(f"{k} {v}" for k, v in d.links.items())
    lines.append(f"duplicates: {len(d.groups)} group(s), {d.dropped} image(s) dropped (links: {links}; "
                 f"pHash threshold {data.threshold} bits)")
    for g in d.groups[:EXAMPLES]:
        lines.append("  " + "  =  ".join(_rel(s.paths[i], root) for i in g[:4]) + (" ..." if len(g) > 4 else ""))
    lines.append(f"skipped: {len(s.not_images)} not images, {len(s.corrupt)} corrupt, {len(s.unlabelled)} unlabelled")
    lines.append(f"split: seed {data.seed}, val fraction {data.val_fraction:g}, stratified by fruit x freshness: "
                 f"{len(data.train)} train / {len(data.val)} val")
    leaks = {k: len(v) for k, v in data.overlap.items()}
    verdict = "zero overlap" if not data.leaks() else "OVERLAP"
    lines.append(f"overlap check (train vs val): path {leaks['path']}, stem {leaks['stem']}, "
                 f"pHash<={data.threshold} {leaks['phash']} -> {verdict}")
    found_problems = problems(data)
    errors = sum(1 for level, _ in found_problems if level == "error")
    if found_problems:
        lines.append(f"problems: {errors} error(s), {len(found_problems) - errors} warning(s)")
        lines += [f"  {level:<7} {msg}" for level, msg in found_problems]
    else:
        lines.append("no problems found")
    return "\n".join(lines), errors

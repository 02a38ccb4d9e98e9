"""`foodcam data check TASK DIR`: counts, class pixel shares and every problem found; exit 1 on errors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foodcam.runtime.fmt import share

if TYPE_CHECKING:
    from foodcam.train.dataconfig import DataCheckConfig


def format_kitchen_report(report: dict) -> str:
    """The scan of `train.data.kitchen.scan_dataset` as a table followed by one line per problem."""
    classes = report["classes"]
    cols = ["split", "images", "masks", "pairs", *classes, "ignored"]
    rows = []
    for split, s in report["splits"].items():
        px = s["class_pixels"]
        rows.append([split, s["images"], s["masks"], s["pairs"], *(share(v, sum(px)) for v in px)])
    if len(rows) > 1:
        px = report["class_pixels"]
        tot = [sum(s[k] for s in report["splits"].values()) for k in ("images", "masks", "pairs")]
        rows.append(["all", *tot, *(share(v, sum(px)) for v in px)])
    widths = [max(len(str(c)), *(len(str(r[i])) for r in rows)) for i, c in enumerate(cols)]
    line = "  ".join
    out = [f"kitchen dataset {report['root']}", line(str(c).ljust(w) for c, w in zip(cols, widths))]
    out[-1] = out[-1].rstrip()
    out += [line(str(v).ljust(w) for v, w in zip(r, widths)).rstrip() for r in rows]
    problems = report["problems"]
    if problems:
        out.append(f"problems: {report['errors']} error(s), {report['warnings']} warning(s)")
        out += [f"  {p['level']:<7} {p['split']}: {p['message']}" for p in problems]
    else:
        out.append("no problems found")
    return "\n".join(out)


def _kitchen(args: DataCheckConfig) -> int:
    from foodcam.train.data.kitchen import scan_dataset

    report = scan_dataset(args.root, max_dist=args.max_dist)
    print(format_kitchen_report(report))
    return 1 if report["errors"] else 0


# task -> checker; each data format adds its own entry
CHECKS = {"kitchen": _kitchen}


def _freshness(args: DataCheckConfig) -> int:
    from foodcam.train.data.fruit import load_freshness
    from foodcam.train.data.fruit_report import format_report

    text, errors = format_report(load_freshness(args.root))
    print(text)
    return 1 if errors else 0


CHECKS["freshness"] = _freshness


def _food(expect: str):
    def run(args: DataCheckConfig) -> int:
        from foodcam.train.data.food_report import check

        text, errors = check(args.root, expect)
        print(text)
        return 1 if errors else 0

    return run


CHECKS["foodseg"] = _food("foodseg103")
CHECKS["coco"] = _food("coco")


def check_data(cfg: DataCheckConfig) -> int:
    """`foodcam data check`: the report printed; 1 when it found errors, else 0."""
    return CHECKS[cfg.task](cfg)  # DataCheckConfig's choices are CHECKS' keys

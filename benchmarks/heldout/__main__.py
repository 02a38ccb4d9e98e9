"""`python -m foodcam.benchmarks.heldout --model M [--model M2] [--seed S] [--out DIR]`: every model on every blind
held-out set of its task, one table (markdown + JSON)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from foodcam.benchmarks.heldout import SEED, SETS, HeldoutSet, sets_for
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import write_json_atomic


def score(model_path: str, hs: HeldoutSet, data: Path, out: Path) -> dict:
    """One model on one set: the numbers of its table row (percent)."""
    import foodcam

    model = foodcam.load(model_path)
    if hs not in sets_for(model.task.name):
        raise FoodcamError(f"{model_path}: a {model.task.name} model has no {hs.task} held-out sets")
    m = dict(model.eval(str(data), split=hs.split, out=str(out)))
    if hs.task == "kitchen":
        pc = m["per_class"]
        row = {"mIoU": m["miou"], **{f"{k} IoU": v["iou"] for k, v in pc.items()},
               "stirrer recall": pc["stirrer"]["recall"], "stirrer precision": pc["stirrer"]["precision"]}
    elif model.task.name == "foodseg":  # the mask's mIoU and each label head's micro-F1, as far as the model has them
        row = {"mIoU": m["miou"]} if "miou" in m else {}
        row.update({f"{h} micro-F1": v["micro_f1"] for h, v in m.get("labels", {}).items()})
    elif model.task.name == "foodrec":  # the food covering the largest area, as foodcam eval scores it
        row = {"top-1": m["top1"], "top-5": m["top5"]}
    else:
        row = {f"{h} acc": v["accuracy"] for h, v in m["heads"].items()}
    return {"model": str(model_path), "set": hs.name, "images": m["images"],
            **{k: round(100 * float(v), 2) for k, v in row.items()}}


def table(rows: list[dict]) -> str:
    cols = [c for c in rows[0] if c != "model"]
    lines = ["| model | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    lines += [f"| {Path(r['model']).name} | " + " | ".join(str(r.get(c, "")) for c in cols) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m foodcam.benchmarks.heldout", description=__doc__)
    p.add_argument("--model", action="append", required=True, help=".pt, .onnx or .engine (repeat for several)")
    p.add_argument("--seed", type=int, default=SEED, help=f"the sets' seed (default {SEED}: the canonical sets)")
    p.add_argument("--set", action="append", default=None, metavar="NAME",
                   help=f"score only these sets (default: every set of the model's task: {', '.join(s.name for s in SETS)})")
    p.add_argument("--out", default="runs/heldout", help="where the sets are drawn (once) and the table written")
    a = p.parse_args(argv)
    unknown = sorted(set(a.set or ()) - {s.name for s in SETS})
    if unknown:
        p.error(f"--set {unknown[0]}: no such set (sets: {', '.join(s.name for s in SETS)})")
    out = Path(a.out)
    try:
        import foodcam

        rows = []
        for path in a.model:
            task = foodcam.load(path).task.name
            sets = [s for s in sets_for(task) if a.set is None or s.name in a.set]
            if not sets:
                raise FoodcamError(f"{path}: no blind held-out sets for task {task!r}")
            for hs in sets:
                data = hs.render(out / "sets", a.seed)
                rows.append(score(path, hs, data, out / "eval" / f"{Path(path).stem}-{hs.name}"))
    except FoodcamError as e:
        print(f"heldout: {e}", file=sys.stderr)
        return 2
    for columns in dict.fromkeys(tuple(r) for r in rows):  # one table per kind of row (a task's numbers)
        print(table([r for r in rows if tuple(r) == columns]))
    write_json_atomic(out / "heldout.json", {"seed": a.seed, "rows": rows})
    print(f"wrote {out / 'heldout.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

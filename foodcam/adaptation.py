"""`foodcam adapt`: the field loop's middle in one verb: the user's labels -> a fine-tune of the shipped model ->
the before/after gate on the user's held-back frames -> the deployment ONNX, refused when it got worse.

    foodcam adapt --labels export.zip --labels-format cvat              # CVAT export -> runs/adapt/adaptN/
    foodcam adapt --data my_kitchen/ --epochs 8 --out runs/adapt/home   # already in the kitchen layout
    foodcam.adapt(labels="export.zip", labels_format="cvat")            # the Python twin -> AdaptResult

Steps, one line each (the verbs' own output goes to OUT/adapt.log):
  1. labels   `foodcam data import FORMAT SRC --out OUT/data` (only with --labels; kitchen)
  2. finetune `foodcam train TASK --from CKPT --data DATA --out OUT/train` (holds back --holdout of the frames)
  3. gate     the before/after of OUT/train/best.pt on the held-back frames (train/finetune_gate.py)
  4. export   `foodcam export --weights OUT/train/best.pt --out OUT/model.onnx --data DATA` (refused when the
              fine-tune scored below its base, unless --force)
OUT/adapt.json records the steps, the gate and the paths. Exit codes: 0 exported, 1 not exported (worse than
the base, or the export's accuracy gate failed), 2 bad input or a step that failed.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Literal

from pydantic import model_validator

from foodcam.argtypes import NonNegativeInt, PositiveFloat, PositiveInt
from foodcam.runtime.errors import FoodcamError
from foodcam.verbconfig import VerbConfig, add_verb, opt

TASKS = ("kitchen", "freshness")


class AdaptConfig(VerbConfig):
    """Everything `foodcam adapt` takes; the CLI's flags, `--config` keys and the Python keywords are these fields."""

    verb = "adapt"

    task: Literal["kitchen", "freshness"] = "kitchen"
    data: str | None = opt(None, "the labelled frames in the task's layout (with --labels: where the import writes "
                           "them; default OUT/data)")
    labels: str | None = opt(None, "an annotation export to import first (kitchen): CVAT zip/folder, LabelMe "
                             "JSON(s), COCO JSON")
    labels_format: Literal["cvat", "labelme", "coco"] | None = None
    label_map: str | None = opt(None, "as `foodcam data import --map`", metavar="LABEL=TARGET,...")
    images: str | None = opt(None, "cvat/coco: the images when the export lacks them")
    from_ckpt: str | None = opt(None, "the checkpoint to fine-tune (default: the shipped model of --task)",
                                flag="--from", metavar="CKPT")
    out: str | None = opt(None, "output folder (default: a new runs/adapt/adaptN)")
    epochs: PositiveInt | None = opt(None, "as `foodcam train --from` (default 12)")
    imgsz: PositiveInt | None = opt(None, "default: the checkpoint's")
    batch: PositiveInt = 8
    lr: PositiveFloat | None = opt(None, "default: 0.2x the checkpoint's")
    replay: NonNegativeInt | None = opt(None, "kitchen: synthetic frames mixed in (default 64)")
    holdout: str | None = opt(None, "frames held back for the before/after gate (default 0.2 of the train frames)",
                              metavar="SHARE|DIR")  # a share (0.2) or a labelled folder; "0": no gate
    freeze_encoder: bool = False
    precision: Literal["fp32", "fp16", "int8"] = "fp32"
    calib: str | None = opt(None, "int8: calibration frames (default: the data's train split)")
    force: bool = opt(False, "export even when the fine-tune scored below its base")
    seed: NonNegativeInt = 0
    device: str | None = opt(None, "cpu | cuda | cuda:N")
    threads: PositiveInt | None = opt(None, "CPU threads for torch")

    @model_validator(mode="after")
    def _inputs(self) -> AdaptConfig:
        if self.data is None and self.labels is None:
            raise ValueError("give data= (labelled frames in the task's layout) or labels= (an annotation export)")
        if self.labels is not None and self.labels_format is None:
            raise ValueError("labels= needs labels_format= (cvat, labelme or coco)")
        if self.labels is not None and self.task != "kitchen":
            raise ValueError("labels= imports kitchen masks; for freshness give data= (<Fruit>/<Fresh|Rotten>/ photos)")
        return self


def _frames(data: Path) -> int:
    return sum(1 for d in data.glob("*/images") for p in d.iterdir() if p.is_file()) if data.is_dir() else 0


class _Steps:
    """Runs the verbs with their output in OUT/adapt.log; prints one line per step."""

    def __init__(self, out: Path) -> None:
        self.out, self.log = out, out / "adapt.log"
        self.done: list[dict] = []

    def verb(self, name: str, argv: list) -> int:
        from foodcam.cli import main as foodcam

        argv = [str(a) for a in argv]
        logger = logging.getLogger("foodcam")
        with open(self.log, "a", encoding="utf-8") as f, contextlib.redirect_stdout(f):
            handler = logging.StreamHandler(f)
            handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
            logger.addHandler(handler)
            propagate, logger.propagate = logger.propagate, False  # the verb's log lines: the file only
            try:
                print(f"$ foodcam {' '.join(argv)}", flush=True)
                return foodcam(argv)
            finally:
                logger.removeHandler(handler)
                logger.propagate = propagate

    def say(self, step: str, line: str, **record) -> None:
        print(f"adapt {len(self.done) + 1}/4 {step}: {line}", flush=True)
        self.done.append({"step": step, "line": line, **{k: str(v) if isinstance(v, Path) else v
                                                        for k, v in record.items()}})

    def failed(self, step: str, rc: int) -> FoodcamError:
        return FoodcamError(f"step {step} failed (exit {rc}); its output is in {self.log}")


def adapt(cfg: AdaptConfig) -> dict:
    """Import -> fine-tune -> gate -> export, as configured; the record written to OUT/adapt.json."""
    from foodcam.runtime.imageio import write_json_atomic
    from foodcam.runtime.outdir import output_dir
    from foodcam.shipped import shipped

    base = Path(cfg.from_ckpt) if cfg.from_ckpt else shipped(cfg.task, "pt")
    if not base.is_file():
        raise FoodcamError(f"--from {base}: no such checkpoint")
    out = output_dir(cfg.out, "adapt")
    out.mkdir(parents=True, exist_ok=True)
    steps = _Steps(out)
    data = Path(cfg.data) if cfg.data else out / "data"

    # 1. labels -> the task's layout
    if cfg.labels is not None:
        had = _frames(data)
        argv: list = ["data", "import", cfg.labels_format, cfg.labels, "--out", data, "--seed", cfg.seed]
        argv += (["--map", cfg.label_map] if cfg.label_map else []) + (["--images", cfg.images] if cfg.images else [])
        rc = steps.verb("data import", argv)
        if rc != 0:
            raise steps.failed("1 labels (foodcam data import)", rc)
        steps.say("labels", f"imported {_frames(data) - had} frames from {cfg.labels} ({cfg.labels_format}) -> {data}",
                  data=data)
    else:
        steps.say("labels", f"none to import; the labelled frames are {data}", data=data)

    # 2. fine-tune from the base checkpoint
    run = out / "train"
    argv = ["train", cfg.task, "--from", base, "--data", data, "--out", run, "--batch", cfg.batch, "--seed", cfg.seed]
    for flag, value in (("--epochs", cfg.epochs), ("--imgsz", cfg.imgsz), ("--lr", cfg.lr), ("--replay", cfg.replay),
                        ("--holdout", cfg.holdout), ("--device", cfg.device), ("--threads", cfg.threads)):
        if value is not None:
            argv += [flag, value]
    argv += ["--freeze-encoder"] if cfg.freeze_encoder else []
    rc = steps.verb("train", argv)
    if rc != 0:
        raise steps.failed("2 finetune (foodcam train --from)", rc)
    best = run / "best.pt"
    steps.say("finetune", f"from {base} on {data} -> {best}", checkpoint=best)

    # 3. the before/after gate recorded in best.pt
    from foodcam.train.checkpoint import read_checkpoint
    from foodcam.train.finetune_gate import format_table, refusal

    ckpt = read_checkpoint(best)
    gate = ckpt.get("finetune_gate")
    if gate:
        m = gate["metric"]
        label = "mIoU" if m == "miou" else "mean accuracy"
        b, a = gate["before"][m], gate["after"][m]
        verdict = "better or equal" if gate["better"] else "WORSE than the base"
        steps.say("gate", f"{label} {b:.4f} -> {a:.4f} on {gate['holdout']['frames']} held-back frames: {verdict} "
                  f"(recorded in {best})", gate=gate)
        print("\n".join("  " + line for line in format_table(gate).splitlines()[1:]), flush=True)
    else:
        steps.say("gate", "no held-back frames (holdout 0): nothing to compare", gate=None)

    # 4. export, unless the fine-tune got worse
    suffix = "" if cfg.precision == "fp32" else f".{cfg.precision}"
    onnx = out / f"model{suffix}.onnx"
    status, refused = "exported", refusal(ckpt, best)
    if refused and not cfg.force:
        status = "refused"
        steps.say("export", f"refused: {refused.split(': refused: ', 1)[1]}", onnx=None)
    else:
        argv = ["export", "--weights", best, "--out", onnx, "--precision", cfg.precision, "--data", data]
        argv += (["--calib", cfg.calib] if cfg.calib else []) + (["--force"] if cfg.force else [])
        rc = steps.verb("export", argv)
        if rc not in (0, 1):
            raise steps.failed("4 export (foodcam export)", rc)
        status = "exported" if rc == 0 else "gate failed"
        from foodcam.export.report import report_paths

        report = report_paths(onnx)[1]
        what = "forced past the gate" if refused else "validated" if rc == 0 else "FAILED its accuracy gate"
        steps.say("export", f"{onnx} ({cfg.precision}, {what} on {data}; report {report})", onnx=onnx)
    record = {"status": status, "out": str(out), "data": str(data), "base": str(base), "checkpoint": str(best),
              "onnx": str(onnx) if status != "refused" else None, "gate": gate, "steps": steps.done,
              "log": str(steps.log)}
    write_json_atomic(out / "adapt.json", record)
    return record


def _adapt(cfg: AdaptConfig) -> int:
    from foodcam.runtime.outdir import print_wrote

    record = adapt(cfg)
    print_wrote("adapt", record["out"])
    if record["status"] != "exported":
        print(f"foodcam adapt: not exported ({record['status']}); see {Path(record['out']) / 'adapt.json'}")
    return 0 if record["status"] == "exported" else 1


def register(sub) -> None:
    add_verb(sub, "adapt", AdaptConfig, _adapt,
             help="labels -> fine-tune from the shipped model -> before/after gate -> export")

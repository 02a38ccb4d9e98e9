"""Verbs of the PyTorch side: synth, data, train, eval, predict. Heavy imports happen inside each handler."""

from __future__ import annotations

import argparse

from foodcam.argtypes import (
    finite_float,
    fraction,
    nonnegative_float,
    nonnegative_int,
    positive_float,
    positive_int,
    thread_count,
)
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.outdir import check_writable, output_dir, print_wrote
from foodcam.train.configs import EvalConfig, PredictConfig
from foodcam.verbconfig import add_verb


def _size(text: str) -> tuple[int, int]:
    # imported here: it imports cv2, and the verb must exist (and say what to install) without OpenCV
    from foodcam.runtime.imageio import parse_size

    try:
        return parse_size(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _synth(args):
    args.out = str(output_dir(args.out, "synth"))  # default runs/synth/synthN; checked before any work
    from foodcam.train.synth import main

    rc = main(args)
    print_wrote("synth", args.out)
    return rc


def _data(args):
    from foodcam.train.datacheck import main

    return main(args)


def _lr(text: str):
    """--lr: a positive rate or "find" (the learning-rate finder)."""
    if str(text).strip().lower() == "find":
        return "find"
    try:
        return positive_float(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"expected a positive learning rate (e.g. 2e-3) or 'find', got {text!r}") from None


def _data_import(args):
    check_writable(args.out, "--out", kind="dir")
    from foodcam.train.data.imports import main

    rc = main(args)
    print_wrote("data import", args.out)
    return rc


def _data_export(args):
    check_writable(args.out, "--out", kind="file")
    if args.config_out:
        check_writable(args.config_out, "--config-out", kind="file")
    from foodcam.train.data.labelstudio.prelabel import ExportConfig, export_tasks

    cfg = ExportConfig(model=args.model, frames=args.frames, out=args.out, config_out=args.config_out,
                       document_root=args.document_root, model_version=args.model_version, device=args.device)
    report = export_tasks(cfg)
    print(f"wrote {report['tasks']} {report['task']} tasks with {report['model_version']} pre-annotations to "
          f"{report['out']} and the labelling config to {report['config']} (image URLs under document root "
          f"{report['document_root']})")
    return 0


def _train(args):
    if args.resume and not args.out:
        raise FoodcamError("--resume continues OUT/last.pt: give the run folder with --out")
    args.out = str(output_dir(args.out, "train"))  # default runs/train/trainN; checked before torch loads
    from foodcam.train.engine import main

    rc = main(args)
    print_wrote("train", args.out)
    return rc


def _eval(cfg: EvalConfig) -> int:
    from foodcam.train.evaluate import eval_model

    return eval_model(cfg)[0]


def _predict(cfg: PredictConfig) -> int:
    from foodcam.train.predict import predict_files

    return predict_files(cfg)[0]


def register(sub) -> None:
    p = sub.add_parser("synth", help="write a procedural dataset in the real data's layout")
    p.add_argument("task", choices=["kitchen", "fruit", "foodseg"], help="which scene to render")
    p.add_argument("--out", default=None, help="output dataset folder (default: a new runs/synth/synthN)")
    p.add_argument("--count", type=positive_int, default=600, help="number of images in all splits")
    p.add_argument("--seed", type=nonnegative_int, default=0)
    p.add_argument("--size", type=_size, default=None,
                   help="frame size WxH (kitchen default 320x240, fruit 224x224, foodseg 256x256)")
    p.add_argument("--styles", default=None,
                   help="kitchen: comma-separated styles home,wok,pot,night,closeup | train (all but the held-out "
                        "closeup) | all (default home); fruit: table,belt,bunch,studio,plate | train (all but the "
                        "held-out plate) | all (default table)")
    p.add_argument("--format", default="foodseg103", choices=["foodseg103", "coco"],
                   help="foodseg: write the FoodSeg103 layout or the AIcrowd food-recognition (COCO) layout")
    p.add_argument("--classes", type=positive_int, default=24, help="foodseg: number of food classes (24 distinct foods; "
                   "more are colour variants)")
    p.set_defaults(func=_synth)

    p = sub.add_parser("data", help="inspect a dataset folder")
    dsub = p.add_subparsers(dest="data_verb", metavar="ACTION")
    dsub.required = True
    c = dsub.add_parser("check", help="counts, class shares and every problem found; non-zero exit on errors")
    c.add_argument("task", choices=["kitchen", "freshness", "foodseg", "coco"],
                   help="foodseg: the FoodSeg103 layout; coco: the AIcrowd food-recognition (COCO) layout")
    c.add_argument("root", help="dataset folder (for foodseg/coco also the zip's outer folder)")
    c.add_argument("--max-dist", type=nonnegative_float, default=100.0, help="mask colour tolerance (RGB distance)")
    c.set_defaults(func=_data)
    c = dsub.add_parser("import", help="annotations from CVAT, LabelMe, COCO or Label Studio -> the kitchen mask "
                        "format (Label Studio choices: the freshness folders)")
    c.add_argument("format", choices=["cvat", "labelme", "coco", "labelstudio"],
                   help="cvat (Segmentation mask 1.1 export), labelme (JSON per image), coco (instances JSON), "
                        "labelstudio (the project's JSON export: brush, polygon, rectangle or choices)")
    c.add_argument("src", help="cvat: the export .zip or folder; labelme: a .json or a folder of them; coco, "
                   "labelstudio: the .json")
    c.add_argument("--out", required=True, help="dataset folder to write (adds new stems; never overwrites)")
    c.add_argument("--map", default=None, metavar="LABEL=TARGET,...",
                   help="label -> stirrer|pan|food|background|ignore|void, '*=TARGET' for all others "
                        "(defaults: spatula, spoon, ladle, whisk, chopsticks... = stirrer; wok, pot = pan; hand = background)")
    c.add_argument("--split", default="auto", choices=["train", "val", "test", "auto"],
                   help="auto: seeded shuffle, train 62.5%% / val 19.5%% / test 18%% (at least one val)")
    c.add_argument("--images", default=None, help="cvat/coco/labelstudio: folder with the images when the export "
                   "lacks them (labelstudio: the local-files document root, or the frames' folder)")
    c.add_argument("--seed", type=nonnegative_int, default=0, help="shuffle seed of --split auto")
    c.add_argument("--line-width", type=positive_int, default=10, help="labelme: width of line/linestrip shapes in pixels")
    c.set_defaults(func=_data_import)
    c = dsub.add_parser("export", help="frames + a model -> Label Studio tasks with the model's guess as "
                        "pre-annotations, and the project's labelling config")
    c.add_argument("format", choices=["labelstudio"], help="labelstudio: tasks JSON + label_config.xml")
    c.add_argument("--model", required=True, help=".onnx, .engine or .pt (an .onnx needs no PyTorch)")
    c.add_argument("--frames", required=True, help="image file, folder or glob")
    c.add_argument("--out", required=True, help="tasks JSON to write (e.g. tasks.json)")
    c.add_argument("--config-out", default=None, help="labelling config XML (default: label_config.xml beside --out)")
    c.add_argument("--document-root", default=None, help="folder Label Studio serves local files from "
                   "(default: $LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT, else the frames' folder)")
    c.add_argument("--model-version", default=None, help="the predictions' model_version (default: the model's file name)")
    c.add_argument("--device", default=None, help="cpu | cuda | cuda:N")
    c.set_defaults(func=_data_export)

    p = sub.add_parser("train", help="train a model for a task")
    p.add_argument("task", choices=["kitchen", "freshness", "foodseg", "foodrec"])
    p.add_argument("--data", required=True, help="dataset folder (foodseg/foodrec: FoodSeg103 or COCO layout)")
    p.add_argument("--model", default=None,
                   help="kitchen: thinseg (default) | unet | lraspp | deeplabv3; freshness, foodrec: mobilenetv3 "
                        "(default) | resnet18 | resnet50; foodseg: foodseg-edge (default) | foodseg-edge-small | "
                        "foodseg-r50; with --from: the checkpoint's")
    p.add_argument("--task", dest="variant", default="multi", choices=["single-seg", "single-labels", "multi"],
                   help="foodseg: train the mask head, the ingredient-label head, or both on one encoder")
    p.add_argument("--mask-evidence", action="store_true", help="foodseg --task multi: the ingredient head also "
                   "reads each food's peak probability in the mask head's output")
    p.add_argument("--init-from", default=None, help="foodseg: initialise the encoder from a foodcam checkpoint "
                   "(e.g. a single-seg run's best.pt)")
    p.add_argument("--imgsz", type=positive_int, default=None, help="square input size (default 256; with --from: the checkpoint's)")
    p.add_argument("--epochs", type=positive_int, default=None, help="default 30; with --from: 12; with --time-budget: "
                   "a ceiling (default 1000)")
    p.add_argument("--time-budget", type=positive_float, default=None, metavar="MIN",
                   help="end the run within MIN minutes of wall-clock time: the LR schedule follows the clock "
                        "and the last epoch is cut short so its validation still fits")
    p.add_argument("--threads", type=thread_count, default=None, help="CPU threads for torch (default: torch's own choice)")
    p.add_argument("--batch", type=positive_int, default=8)
    p.add_argument("--lr", type=_lr, default=None, help="learning rate (default 2e-3; with --from: 0.2x the "
                   "checkpoint's), or 'find' for a short LR sweep (lr_find.png) whose suggestion is used")
    p.add_argument("--from", dest="from_ckpt", default=None, metavar="CKPT",
                   help="fine-tune this checkpoint: its weights, task and architecture, a short schedule")
    p.add_argument("--holdout", default=None, metavar="SHARE|DIR",
                   help="with --from (kitchen, freshness): the user's frames held back from training to compare the "
                        "base and the fine-tuned model on at the end: a share of the train frames (default 0.2, at "
                        "least 2; seeded by --seed), a labelled folder of their own, or 0 for no comparison")
    p.add_argument("--freeze-encoder", action="store_true", help="with --from: keep the backbone fixed, train the rest")
    p.add_argument("--replay", type=nonnegative_int, default=None, metavar="N",
                   help="kitchen: mix N synthetic frames of the training styles into every epoch, so a fine-tune on a "
                        "few frames keeps what the base knew (default: 64 with --from, else 0)")
    p.add_argument("--weight-decay", type=nonnegative_float, default=1e-4)
    p.add_argument("--width", type=positive_float, default=None, help="unet: base channels (default 32); thinseg: channel multiplier (default 1.0)")
    p.add_argument("--init", default=None, help="local backbone state dict (weights only); nothing is downloaded")
    p.add_argument("--pretrained", action="store_true",
                   help="ImageNet backbone weights through torchvision's weights API: read from torch's cache "
                        "($TORCH_HOME/hub/checkpoints), downloaded there only when absent (mobilenetv3, resnet18/50, "
                        "lraspp, deeplabv3, foodseg-*)")
    p.add_argument("--out", default=None,
                   help="run folder (best.pt, last.pt, metrics.csv, curves.png; default: a new runs/train/trainN)")
    p.add_argument("--resume", action="store_true", help="continue from OUT/last.pt")
    p.add_argument("--seed", type=nonnegative_int, default=0)
    p.add_argument("--workers", type=nonnegative_int, default=0, help="data loader worker processes")
    p.add_argument("--cache", default=None, choices=["auto", "ram", "off"],
                   help="kitchen: decode every frame once, into memory (default auto: when they fit in 2 GiB)")
    p.add_argument("--device", default=None, help="cpu | cuda | cuda:N (default: cuda when present)")
    p.add_argument("--max-dist", type=nonnegative_float, default=100.0, help="mask colour tolerance (RGB distance)")
    p.add_argument("--boundary-weight", type=nonnegative_float, default=2.0,
                   help="segmentation: extra cross-entropy weight on pixels within 2 px of a class edge (0: off)")
    p.add_argument("--tools", type=fraction, default=None, metavar="P",
                   help="kitchen: share of training frames into which procedural tools (any head, handle, material "
                        "and colour; lit, shadowed, partly buried, sometimes held) are pasted (default 0: off)")
    p.add_argument("--copy-paste", type=fraction, default=None, metavar="P",
                   help="kitchen, with --from: share of training frames into which the user's own labelled tools, cut "
                        "from their frames, are pasted at a random place, scale and angle (default 0.5 with --from)")
    p.add_argument("--repaint", type=fraction, default=None, metavar="P",
                   help="kitchen: share of augmented frames repainted (any hue, shuffled channels or grey) so the "
                        "model finds things by shape (default 0.3; 0: off, to lean on your kitchen's own colours)")
    p.add_argument("--class-weight-power", type=finite_float, default=None,
                   help="segmentation: cross-entropy class weights ~ pixel share^-P (default 0: unweighted; 0.5: 1/sqrt)")
    p.add_argument("--loss-weights", default=None, help="per-head loss weights, e.g. fruit=1,freshness=2 or "
                   "mask=1,ingredients=0.5 (foodseg: CE on the mask + BCE on the labels)")
    p.add_argument("--freeze", action="store_true", help="classifiers: freeze the backbone's stem and early stages")
    p.add_argument("--finetune-last", action="store_true", help="classifiers: train only the last stage and the heads")
    p.set_defaults(func=_train)

    add_verb(sub, "eval", EvalConfig, _eval, help="metrics of a checkpoint, ONNX file or engine on a labelled split")
    add_verb(sub, "predict", PredictConfig, _predict,
             help="colour-coded masks (or labels) for an image, folder or glob")

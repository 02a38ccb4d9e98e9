"""Verbs of the PyTorch side: synth, data, train, eval, predict. Heavy imports happen inside each handler."""

from __future__ import annotations

import argparse

from foodcam.runtime.imageio import parse_size


def _size(text: str) -> tuple[int, int]:
    try:
        return parse_size(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _synth(args):
    from foodcam.train.synth import main

    return main(args)


def _data(args):
    from foodcam.train.datacheck import main

    return main(args)


def _train(args):
    from foodcam.train.engine import main

    return main(args)


def _eval(args):
    from foodcam.train.evaluate import main

    return main(args)


def _predict(args):
    from foodcam.train.predict import main

    return main(args)


def register(sub) -> None:
    p = sub.add_parser("synth", help="write a procedural dataset in the real data's layout")
    p.add_argument("task", choices=["kitchen", "fruit"], help="which scene to render")
    p.add_argument("--out", required=True, help="output dataset folder")
    p.add_argument("--count", type=int, default=600, help="number of images in all splits")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--size", type=_size, default=None, help="frame size WxH (kitchen default 320x240)")
    p.set_defaults(func=_synth)

    p = sub.add_parser("data", help="inspect a dataset folder")
    dsub = p.add_subparsers(dest="data_verb", metavar="ACTION")
    dsub.required = True
    c = dsub.add_parser("check", help="counts, class shares and every problem found; non-zero exit on errors")
    c.add_argument("task", choices=["kitchen", "freshness"])
    c.add_argument("root", help="dataset folder")
    c.add_argument("--max-dist", type=float, default=100.0, help="mask colour tolerance (RGB distance)")
    c.set_defaults(func=_data)

    p = sub.add_parser("train", help="train a model for a task")
    p.add_argument("task", choices=["kitchen", "freshness"])
    p.add_argument("--data", required=True, help="dataset folder")
    p.add_argument("--model", default="unet", help="unet | lraspp | deeplabv3 (kitchen); mobilenetv3 | resnet18 | resnet50 (freshness)")
    p.add_argument("--imgsz", type=int, default=256, help="square input size")
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--weight-decay", type=float, default=1e-4)
    p.add_argument("--width", type=int, default=32, help="unet base width (channels of the first stage)")
    p.add_argument("--init", default=None, help="local backbone state dict (weights only); nothing is downloaded")
    p.add_argument("--out", required=True, help="run folder (best.pt, last.pt, metrics.csv, curves.png)")
    p.add_argument("--resume", action="store_true", help="continue from OUT/last.pt")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workers", type=int, default=0, help="data loader worker processes")
    p.add_argument("--device", default=None, help="cpu | cuda | cuda:N (default: cuda when present)")
    p.add_argument("--max-dist", type=float, default=100.0, help="mask colour tolerance (RGB distance)")
    p.add_argument("--loss-weights", default=None, help="classifiers: per-head loss weights, e.g. fruit=1,freshness=2")
    p.add_argument("--freeze", action="store_true", help="classifiers: freeze the backbone's stem and early stages")
    p.add_argument("--finetune-last", action="store_true", help="classifiers: train only the last stage and the heads")
    p.set_defaults(func=_train)

    p = sub.add_parser("eval", help="metrics of a checkpoint, ONNX file or engine on a labelled split")
    p.add_argument("--weights", required=True, help=".pt, .onnx or .engine")
    p.add_argument("--data", required=True, help="dataset folder")
    p.add_argument("--split", default="val")
    p.add_argument("--out", default=None, help="folder for metrics.json and confusion.png (default: beside weights)")
    p.add_argument("--device", default=None)
    p.add_argument("--verify", action="store_true", help="also compare the model file's full sha256 with the one recorded at export/build")
    p.set_defaults(func=_eval)

    p = sub.add_parser("predict", help="colour-coded masks (or labels) for an image, folder or glob")
    p.add_argument("--weights", required=True, help=".pt, .onnx or .engine")
    p.add_argument("--source", required=True, help="image file, folder or glob")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--overlay", action="store_true", help="also write the mask blended over the image")
    p.add_argument("--alpha", type=float, default=0.5)
    p.add_argument("--topk", type=int, default=2, help="classifiers: labels printed per head")
    p.add_argument("--device", default=None)
    p.add_argument("--verify", action="store_true", help="also compare the model file's full sha256 with the one recorded at export/build")
    p.set_defaults(func=_predict)

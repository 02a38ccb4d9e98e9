"""Verbs of the PyTorch side: synth, data, train, eval, predict. Heavy imports happen inside each handler."""

from __future__ import annotations

from foodcam.argtypes import nonnegative_float, nonnegative_int, positive_int
from foodcam.runtime.outdir import check_writable, print_wrote
from foodcam.train.configs import CalibrateConfig, EvalConfig, PredictConfig, SynthConfig, TrainConfig
from foodcam.verbconfig import add_verb


def _synth(cfg: SynthConfig) -> int:
    from foodcam.train.synth import synth_dataset

    return synth_dataset(cfg)[0]


def _data(args):
    from foodcam.train.datacheck import main

    return main(args)


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


def _train(cfg: TrainConfig) -> int:
    from foodcam.train.verb import train_model

    return train_model(cfg)[0]


def _eval(cfg: EvalConfig) -> int:
    from foodcam.train.evaluate import eval_model

    return eval_model(cfg)[0]


def _calibrate(cfg: CalibrateConfig) -> int:
    check_writable(cfg.out, "--out", kind="file")
    from foodcam.train.calibrate import run_config

    return run_config(cfg)


def _predict(cfg: PredictConfig) -> int:
    from foodcam.train.predict import predict_files

    return predict_files(cfg)[0]


def register(sub) -> None:
    add_verb(sub, "synth", SynthConfig, _synth, help="write a procedural dataset in the real data's layout")

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

    add_verb(sub, "train", TrainConfig, _train, help="train a model for a task")
    add_verb(sub, "eval", EvalConfig, _eval, help="metrics of a checkpoint, ONNX file or engine on a labelled split")
    add_verb(sub, "predict", PredictConfig, _predict,
             help="colour-coded masks (or labels) for an image, folder or glob")
    add_verb(sub, "calibrate", CalibrateConfig, _calibrate,
             help="fit each classification head's temperature and 'unsure' threshold on val (docs/unsure.md)")

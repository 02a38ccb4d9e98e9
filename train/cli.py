"""Verbs of the PyTorch side: synth, data, train, eval, predict. Heavy imports happen inside each handler."""

from __future__ import annotations

from foodcam.runtime.outdir import check_writable
from foodcam.train.configs import CalibrateConfig, EvalConfig, PredictConfig, SynthConfig, TrainConfig
from foodcam.train.dataconfig import DataCheckConfig, DataImportConfig, LabelExportConfig
from foodcam.verbconfig import add_verb


def _synth(cfg: SynthConfig) -> int:
    from foodcam.train.synth import synth_dataset

    return synth_dataset(cfg)[0]


def _data_check(cfg: DataCheckConfig) -> int:
    from foodcam.train.datacheck import check_data

    return check_data(cfg)


def _data_import(cfg: DataImportConfig) -> int:
    from foodcam.train.data.imports import import_data

    return import_data(cfg)


def _data_export(cfg: LabelExportConfig) -> int:
    from foodcam.train.data.labelstudio.prelabel import export_labelstudio

    export_labelstudio(cfg)
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
    add_verb(dsub, "check", DataCheckConfig, _data_check,
             help="counts, class shares and every problem found; non-zero exit on errors")
    add_verb(dsub, "import", DataImportConfig, _data_import,
             help="annotations from CVAT, LabelMe, COCO or Label Studio -> the kitchen mask format (Label Studio "
                  "choices: the freshness folders)")
    add_verb(dsub, "export", LabelExportConfig, _data_export,
             help="frames + a model -> Label Studio tasks with the model's guess as pre-annotations, and the "
                  "project's labelling config")

    add_verb(sub, "train", TrainConfig, _train, help="train a model for a task")
    add_verb(sub, "eval", EvalConfig, _eval, help="metrics of a checkpoint, ONNX file or engine on a labelled split")
    add_verb(sub, "predict", PredictConfig, _predict,
             help="colour-coded masks (or labels) for an image, folder or glob")
    add_verb(sub, "calibrate", CalibrateConfig, _calibrate,
             help="fit each classification head's temperature and 'unsure' threshold on val (docs/unsure.md)")

"""The typed configs of `foodcam data check | import | export` (foodcam/verbconfig.py): each sub-command's flags,
`--config FILE.yaml` keys and Python keywords. Light: no torch import, so the CLI builds its parsers fast."""

from __future__ import annotations

from typing import Literal

from foodcam.argtypes import NonNegativeFloat, NonNegativeInt, PositiveInt
from foodcam.verbconfig import VerbConfig, opt


class DataCheckConfig(VerbConfig):
    """`foodcam data check TASK ROOT`: train/datacheck.py's check_data runs it."""

    verb = "data check"

    task: Literal["kitchen", "freshness", "foodseg", "coco"] = opt(
        ..., "foodseg: the FoodSeg103 layout; coco: the AIcrowd food-recognition (COCO) layout", positional=True)
    root: str = opt(..., "dataset folder (for foodseg/coco also the zip's outer folder)", positional=True)
    max_dist: NonNegativeFloat = opt(100.0, "mask colour tolerance (RGB distance)")


class DataImportConfig(VerbConfig):
    """`foodcam data import FORMAT SRC --out DIR`: train/data/imports' import_data runs it."""

    verb = "data import"

    format: Literal["cvat", "labelme", "coco", "labelstudio"] = opt(
        ..., "cvat (Segmentation mask 1.1 export), labelme (JSON per image), coco (instances JSON), labelstudio (the "
             "project's JSON export: brush, polygon, rectangle or choices)", positional=True)
    src: str = opt(..., "cvat: the export .zip or folder; labelme: a .json or a folder of them; coco, labelstudio: "
                   "the .json", positional=True)
    out: str = opt(..., "dataset folder to write (adds new stems; never overwrites)")
    map: str | None = opt(None, "label -> stirrer|pan|food|background|ignore|void, '*=TARGET' for all others "
                          "(defaults: spatula, spoon, ladle, whisk, chopsticks... = stirrer; wok, pot = pan; hand = "
                          "background)", metavar="LABEL=TARGET,...")
    split: Literal["train", "val", "test", "auto"] = opt(
        "auto", "auto: seeded shuffle, train 62.5%% / val 19.5%% / test 18%% (at least one val)")
    images: str | None = opt(None, "cvat/coco/labelstudio: folder with the images when the export lacks them "
                             "(labelstudio: the local-files document root, or the frames' folder)")
    seed: NonNegativeInt = opt(0, "shuffle seed of --split auto")
    line_width: PositiveInt = opt(10, "labelme: width of line/linestrip shapes in pixels")


class LabelExportConfig(VerbConfig):
    """`foodcam data export labelstudio`: frames + a model -> Label Studio tasks with pre-annotations;
    train/data/labelstudio/prelabel.py's export_labelstudio runs it."""

    verb = "data export"

    format: Literal["labelstudio"] = opt(..., "labelstudio: tasks JSON + label_config.xml", positional=True)
    model: str = opt(..., ".onnx, .engine or .pt (an .onnx needs no PyTorch)")
    frames: str = opt(..., "image file, folder or glob")
    out: str = opt(..., "tasks JSON to write (e.g. tasks.json)")
    config_out: str | None = opt(None, "labelling config XML (default: label_config.xml beside --out)")
    document_root: str | None = opt(None, "folder Label Studio serves local files from (default: "
                                    "$LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT, else the frames' folder)")
    model_version: str | None = opt(None, "the predictions' model_version (default: the model's file name)")
    device: str | None = opt(None, "cpu | cuda | cuda:N")

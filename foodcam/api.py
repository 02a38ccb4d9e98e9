"""The Python API: each CLI verb as a call taking the same arguments (flag names with `_` for `-`) and
returning objects instead of printing only. docs/python.md shows every call.

    model = foodcam.load("model.onnx")        # .pt, .onnx, .engine: runtime/open.py's open_model
    model.predict(image | [images] | "img.jpg" | "folder/")   -> SegmentationResult / ClassificationResult (list)
    model.eval(data, split="val")             # foodcam eval   -> EvalResult (metrics.json as a mapping)
    model.predict_files("folder/", out=...)   # foodcam predict -> PredictResult (masks / labels written)
    model.export(precision="fp16", data=...)  # foodcam export -> ExportResult (.path, .reference, .status)
    model.bench(backends=["cpu"], ...)        # foodcam bench  -> BenchResult (report + files)
    foodcam.run("synth://kitchen", model, save="out.mp4", max_frames=100)  # foodcam run -> RunSummary
    model.run("synth://kitchen", max_frames=100)  # the same, with this model as it is
    foodcam.sort("synth://conveyor", fresh, line="line.yaml", max_seconds=10)  # foodcam sort -> RunSummary
    foodcam.synth("kitchen", out="data/kitchen", count=12)  # foodcam synth -> SynthResult
    foodcam.train_model("kitchen", data="data/kitchen", epochs=2)  # foodcam train -> TrainResult (.out, .best...)
    foodcam.adapt(data="my_kitchen/")         # foodcam adapt  -> AdaptResult (.onnx, .checkpoint, .status, .gate)

A module of a missing extra (cv2, torch, gradio, paho...) is a MissingExtra (a FoodcamError) saying what to
install, as the CLI says it.

run, sort, train, eval, export and predict_files build the verb's typed config (foodcam/verbconfig.py: RunConfig,
SortConfig, TrainConfig, EvalConfig, ExportConfig, PredictConfig), bench and synth too (BenchConfig, SynthConfig), from
their keywords and call the core function the CLI calls, so defaults, checks and files written are the CLI's.
Images are OpenCV's convention: BGR uint8 (pass rgb=True for RGB/RGBA).
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from foodcam.outcomes import (
    AdaptResult,
    BenchResult,
    EvalResult,
    ExportResult,
    Outcome,
    PredictResult,
    RunSummary,
    SynthResult,
    TrainResult,
)
from foodcam.runtime.errors import FoodcamError, missing_extra

WHAT_TO_PASS = ("a uint8 image array (BGR HxWx3 as cv2.imread gives, grey HxW or HxWx1, BGRA HxWx4; "
                "rgb=True for RGB/RGBA), a list of them, an image file, a folder or a glob")


def _extras(fn):
    """`fn`, with an import that fails for want of an optional extra raised as MissingExtra: one line naming the
    module and what to install (`pip install foodcam` brings no OpenCV), never a traceback out of the runtime."""

    @functools.wraps(fn)
    def call(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ModuleNotFoundError as e:
            err = missing_extra(e)
            if err is None or err is e:
                raise
            raise err from e

    return call


@_extras
def load(path: str | os.PathLike, backend: str | None = None, device: str | None = None, **options) -> FoodcamModel:
    """Open a checkpoint (.pt), a deployment ONNX or a TensorRT engine: `foodcam.load("kitchen.onnx")`.
    backend / device / options as `open_model` (runtime/open.py): backend "cpu", "cuda", "tensorrt"...;
    device "cpu", "cuda:0"; threads=N for ONNX Runtime."""
    return FoodcamModel(path, backend=backend, device=device, **options)


class FoodcamModel:
    """A loaded model with the CLI's verbs as methods. `.model` is the runtime `Model` (infer, preprocess...)."""

    @_extras
    def __init__(self, path: str | os.PathLike, backend: str | None = None, device: str | None = None,
                 **options) -> None:
        from foodcam.runtime.open import is_model_url, open_model

        if not isinstance(path, (str, os.PathLike)):
            raise FoodcamError(f"foodcam.load(): expected a model file path (.pt, .onnx, .engine) or a Triton URL, "
                               f"got {type(path).__name__}")
        self.path = path if is_model_url(path) else Path(path)  # a Path would fold grpc:// into grpc:/
        self.device, self._backend_choice, self._threads = device, backend, options.get("threads")
        self.model = open_model(self.path, backend=backend, device=device, **options)

    # what the model is -------------------------------------------------------------------------------
    @property
    def task(self):
        return self.model.task

    @property
    def backend(self) -> str:
        return self.model.backend

    @property
    def input_size(self) -> tuple[int, int]:
        """(width, height) frames are resized to."""
        return self.model.input_spec.width, self.model.input_spec.height

    @property
    def classes(self) -> list[str] | dict[str, list[str]]:
        """The class names: a list for a single-head model, else head name -> classes."""
        heads = self.task.heads
        return list(heads[0].classes) if len(heads) == 1 else {h.name: list(h.classes) for h in heads}

    def __repr__(self) -> str:
        heads = "; ".join(f"{h.name} [{', '.join(h.classes[:6])}{', ...' if len(h.classes) > 6 else ''}]"
                          for h in self.task.heads)
        w, h = self.input_size
        return (f"FoodcamModel({self.task.name} {self.task.kind}: {heads}, input {w}x{h}, "
                f"{self.backend} {self.model.precision}, {self.path})")

    def close(self) -> None:
        self.model.close()

    def __enter__(self) -> FoodcamModel:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # predict -----------------------------------------------------------------------------------------
    @_extras
    def predict(self, source, rgb: bool = False):
        """One result for one image (array or file); a list for a list, a batch array (N,H,W,C), a folder or a
        glob. Each result keeps its frame (`result.plot()`), `source` (file name) and `latency_ms`."""
        if isinstance(source, np.ndarray) and source.ndim == 4:
            return [self._one(_frame(f, f"predict(): image {i}", rgb), None) for i, f in enumerate(source)]
        if isinstance(source, np.ndarray):
            return self._one(_frame(source, "predict()", rgb), None)
        if isinstance(source, (str, os.PathLike)):
            paths = _image_paths(source)
            if paths is None:  # one file
                return self._read_one(Path(source), rgb)
            return [self._read_one(p, rgb) for p in paths]
        if isinstance(source, Sequence) and not isinstance(source, (bytes, bytearray)):
            out = []
            for i, item in enumerate(source):
                if isinstance(item, np.ndarray):
                    out.append(self._one(_frame(item, f"predict(): item {i}", rgb), None))
                elif isinstance(item, (str, os.PathLike)):
                    out.append(self._read_one(Path(item), rgb))
                else:
                    raise FoodcamError(f"predict(): item {i} is a {type(item).__name__}; pass {WHAT_TO_PASS}")
            return out
        raise FoodcamError(f"predict(): got a {type(source).__name__}; pass {WHAT_TO_PASS}")

    def _read_one(self, path: Path, rgb: bool):
        from foodcam.runtime.imageio import read_image

        return self._one(read_image(path), str(path))  # files are decoded as BGR whatever `rgb` says

    def _one(self, frame: np.ndarray, source: str | None):
        t0 = time.perf_counter()
        res = self.model.predict(frame)
        res.latency_ms = 1000.0 * (time.perf_counter() - t0)
        res.image, res.source = frame, source
        return res

    # the verbs ---------------------------------------------------------------------------------------
    @_extras
    def eval(self, data: str | os.PathLike, split: str = "val", **flags) -> EvalResult:
        """`foodcam eval --weights THIS --data DATA --split SPLIT [--out ...]`: metrics.json (and its plots)
        written, the metrics returned."""
        if self.device is not None:
            flags.setdefault("device", self.device)
        from foodcam.train.configs import EvalConfig
        from foodcam.train.evaluate import eval_model

        rc, r = eval_model(EvalConfig.make("eval()", weights=self.path, data=data, split=split, **flags))
        return EvalResult(r["metrics"], r["json"], r["out"], rc)

    @_extras
    def predict_files(self, source: str | os.PathLike, **flags) -> PredictResult:
        """`foodcam predict --weights THIS --source SOURCE [--out ... --overlay --topk K]`: a mask (or the labels)
        written per image of a file, folder or glob, as the CLI writes them; where they went returned."""
        if self.device is not None:
            flags.setdefault("device", self.device)
        from foodcam.train.configs import PredictConfig
        from foodcam.train.predict import predict_files

        rc, r = predict_files(PredictConfig.make("predict_files()", weights=self.path, source=source, **flags))
        return PredictResult(r, rc)

    @_extras
    def calibrate(self, data: str | os.PathLike, out: str | os.PathLike, **flags) -> dict:
        """`foodcam calibrate --weights THIS --data DATA --out OUT [--score ... --max-flagged ...]`: each
        classification head's temperature and unsure threshold fitted on DATA's val split (docs/unsure.md); the
        calibrated model written to OUT (same kind of file), the numbers returned."""
        from foodcam.train.calibrate import calibrate_config
        from foodcam.train.configs import CalibrateConfig

        return calibrate_config(CalibrateConfig.make("calibrate()", weights=self.path, data=data, out=out, **flags))

    def export(self, precision: str = "fp32", **flags) -> ExportResult:
        """`foodcam export --weights THIS --precision P [--data ... --out ... --calib ...]` from a checkpoint;
        the deployment ONNX written (and gated with data=), its report returned (`status` failed when the
        accuracy gate failed: the CLI's exit 1)."""
        if Path(self.path).suffix.lower() not in (".pt", ".pth"):
            raise FoodcamError(f"export(): {self.path} is a {Path(self.path).suffix or 'served'} model; export starts from the PyTorch "
                               "checkpoint (.pt) it was made from: foodcam.load('best.pt').export(...)")
        from foodcam.export.config import ExportConfig
        from foodcam.export.verb import export_model

        rc, r = export_model(ExportConfig.make("export()", weights=self.path, precision=precision, **flags))
        if r and r.get("refused"):  # a fine-tune worse than its base on the held-back frames (force=True exports it)
            raise FoodcamError(r["refused"])
        assert r is not None  # a checkpoint's export always reports
        return ExportResult(r["report"], r["onnx"], r["reference"], r["report_md"], rc)

    @_extras
    def run(self, source: str | Sequence[str], **flags) -> RunSummary:
        """`foodcam run` with this model, used as it is (not reopened): foodcam.run(source, self, ...)."""
        return run(source, self, **flags)

    @_extras
    def bench(self, verbose: bool = False, **flags) -> Outcome:
        """`foodcam bench --models THIS [...]` (models=[...] to measure others beside it): the report
        (bench.json/csv/md) written and returned. Quiet but for the progress bar: the tables the CLI prints are
        in `.text` (print(report.text)); verbose=True prints them as the CLI does."""
        from foodcam.benchmarks.config import BenchConfig
        from foodcam.benchmarks.run import bench

        models = [self.path, *[m for m in flags.pop("models", None) or [] if str(m) != str(self.path)]]
        cfg = BenchConfig.make("bench()", models=models, **flags)
        printed = io.StringIO()
        with contextlib.nullcontext() if verbose else contextlib.redirect_stdout(printed):
            rc, r = bench(cfg)
        out = Outcome({}, rc) if r is None else BenchResult(r["report"], r["paths"], r["out"], rc)
        out.text = printed.getvalue()
        return out


def _loop_model(model):
    """(the --model path, the open model to use or None): a `foodcam.load` model runs as it is, not reopened."""
    if isinstance(model, FoodcamModel):
        return model.path, model.model
    return model, None


@_extras
def run(source: str | Sequence[str], model, **flags) -> RunSummary:
    """`foodcam run --source SOURCE --model MODEL [--save ... --events ... --serve ... --max-frames N]`:
    the same loop (camera/app.py's run_loop), its exit summary returned. `model`: a path (opened, and swapped
    when its file is replaced, as the CLI does) or a `foodcam.load` model (used as it is). Keywords: RunConfig's
    fields (camera/loopconfig.py), the flags' names with `_`; save= takes a path or a list; serve=True serves on
    127.0.0.1:8080; source= a list runs several streams; config="run.yaml" reads keywords from a file (the
    keywords given win)."""
    from foodcam.camera.app import report, run_loop
    from foodcam.camera.loopconfig import RunConfig

    path, loaded = _loop_model(model)
    cfg = RunConfig.make("foodcam.run()", source=source, model=path, **flags)
    summary = run_loop(cfg, model=loaded)
    return RunSummary(summary, report(summary))


@_extras
def sort(source: str, model, line: str | os.PathLike, **flags) -> RunSummary:
    """`foodcam sort --source SOURCE --model MODEL --line LINE [...]`: the sorting line in the same loop
    (camera/sorting/app.py's sort_line), its summary returned (items, rejected, fired, vs ground truth...).
    `model` as for `run`. Keywords: SortConfig's fields (camera/sorting/config.py)."""
    from foodcam.camera.sorting.app import report, sort_line
    from foodcam.camera.sorting.config import SortConfig

    path, loaded = _loop_model(model)
    cfg = SortConfig.make("foodcam.sort()", source=source, model=path, line=line, **flags)
    summary = sort_line(cfg, model=loaded)
    return RunSummary(summary, report(summary))


@_extras
def synth(task: str, out: str | os.PathLike | None = None, **flags) -> SynthResult:
    """`foodcam synth TASK --out OUT [--count N --size WxH --seed S --styles ...]`: a labelled procedural
    dataset (kitchen, fruit or foodseg) written in the real data's layout; what was written returned."""
    from foodcam.train.configs import SynthConfig
    from foodcam.train.synth import synth_dataset

    rc, result = synth_dataset(SynthConfig.make("foodcam.synth()", task=task, out=out, **flags))
    return SynthResult(result, rc)


@_extras
def train_model(task: str, data: str | os.PathLike, **flags) -> TrainResult:
    """`foodcam train TASK --data DATA [--epochs N --out ... --from CKPT ...]`: the same run (train/engine.py),
    its folder returned. Keywords: TrainConfig's fields (train/configs.py), the flags with `_` for `-`
    (from_ckpt= for --from, variant= for foodseg's --task). Not `foodcam.train`: that is the training package."""
    from foodcam.train.configs import TrainConfig
    from foodcam.train.verb import train_model as run_training

    rc, r = run_training(TrainConfig.make("foodcam.train_model()", task=task, data=data, **flags))
    return TrainResult(r, rc)


@_extras
def adapt(**flags) -> AdaptResult:
    """`foodcam adapt` (foodcam/adaptation.py): labels= (an annotation export, optional) -> fine-tune from_ckpt=
    (default: the shipped model) on data= -> the before/after gate on the held-back frames -> export, refused
    when the fine-tune scored below its base unless force=True. Keywords: AdaptConfig's fields."""
    from foodcam.adaptation import AdaptConfig
    from foodcam.adaptation import adapt as run_adapt

    record = run_adapt(AdaptConfig.make("foodcam.adapt()", **flags))
    return AdaptResult(record, 0 if record["status"] == "exported" else 1)


def _frame(img: np.ndarray, where: str, rgb: bool) -> np.ndarray:
    """An image array as the BGR uint8 (H, W, 3) frame models take; FoodcamError saying what to pass."""
    import cv2

    ok = img.ndim == 2 or (img.ndim == 3 and img.shape[2] in (1, 3, 4))
    if img.dtype != np.uint8 or not ok or img.size == 0:
        hint = " (scale 0..1 floats with (img * 255).astype(np.uint8))" if img.dtype.kind == "f" else ""
        raise FoodcamError(f"{where}: got a {img.dtype} array of shape {img.shape}; pass {WHAT_TO_PASS}{hint}")
    if img.ndim == 2 or img.shape[2] == 1:
        return cv2.cvtColor(np.ascontiguousarray(img.reshape(img.shape[:2])), cv2.COLOR_GRAY2BGR)
    if img.shape[2] == 4:
        return cv2.cvtColor(img, cv2.COLOR_RGBA2BGR if rgb else cv2.COLOR_BGRA2BGR)
    return cv2.cvtColor(img, cv2.COLOR_RGB2BGR) if rgb else np.ascontiguousarray(img)


def _image_paths(source: str | os.PathLike) -> list[Path] | None:
    """None for one image file; the images of a folder or glob; FoodcamError when it names nothing."""
    from foodcam.runtime.imageio import list_images

    s = str(source)
    if "://" in s:
        raise FoodcamError(f"predict(): {s} is a stream; run it with foodcam.run({s!r}, model, ...)")
    p = Path(s)
    if p.is_file():
        return None
    try:
        paths = list_images(s)
    except FoodcamError:
        raise FoodcamError(f"predict(): {s}: no such file, folder or glob; pass {WHAT_TO_PASS}") from None
    if not paths:
        raise FoodcamError(f"predict(): {s}: no images there (looked for .jpg, .png, .bmp, .tif, .webp)")
    return paths

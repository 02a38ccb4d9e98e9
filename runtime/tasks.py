"""The task descriptions: defined once here, read by every package (train, export, runtime, camera).

A task says what a model sees (input size, normalisation, resize mode) and what it says: its heads.
It travels inside checkpoints, ONNX metadata and engine sidecars as versioned JSON.

Heads, and the deployment output each one becomes (runtime.model):

  kind            per     deployment output                     decision
  segmentation    pixel   "mask": uint8 (N, H, W) class index   argmax (in the graph)
  classification  image   <head name>: float (N, K) softmax     top-1 / top-k
  multilabel      image   <head name>: float (N, K) sigmoid     every class with p >= head.threshold

A task has at most one segmentation head; it may have several image-level heads besides it:
  kitchen    (mask)                    one segmentation head, fixed classes and colours
  freshness  (fruit, freshness)        two classification heads from one backbone
  foodseg    (mask, ingredients)       segmentation + multi-label head on one encoder; `--task single-seg`
                                       keeps only "mask", `single-labels` only "ingredients"
  foodrec    (food)                    one classification head (what food is this), top-k

Tasks whose classes come from the data (freshness, foodseg, foodrec) hold a placeholder class list here;
training replaces it with the data's own (`with_head_classes`, `food_segmentation_task`) and the
checkpoint/ONNX carry the result. Class index 0 of a food segmentation head is "background"; its
multi-label head lists the same foods without the background, in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace

from foodcam.runtime.calibration_spec import Calibration
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.palette import distinct_colours

SCHEMA_VERSION = 1
IMAGENET_MEAN = (0.485, 0.456, 0.406)  # RGB, on 0..1 pixels
IMAGENET_STD = (0.229, 0.224, 0.225)
IGNORE_INDEX = 255  # label for pixels that belong to no class (ignored in loss and metrics)


@dataclass(frozen=True)
class Head:
    """One output of a model: per-pixel classes (segmentation) or per-image classes (classification)."""

    name: str
    kind: str  # "segmentation" | "classification" | "multilabel"
    classes: tuple[str, ...]
    colours: tuple[tuple[int, int, int], ...] | None = None  # RGB per class, segmentation only
    threshold: float | None = None  # multilabel: a class is present when its probability >= this (chosen on val)
    # classification: temperature + "unsure" score and threshold, fitted on val (runtime/calibration.py); None:
    # probabilities as the graph gives them, never unsure
    calibration: Calibration | None = None

    def __post_init__(self) -> None:
        if self.kind not in HEAD_KINDS:
            raise FoodcamError(f"head {self.name!r}: unknown kind {self.kind!r}")
        if self.colours is not None and len(self.colours) != len(self.classes):
            raise FoodcamError(f"head {self.name!r}: {len(self.classes)} classes but {len(self.colours)} colours")
        if self.threshold is not None and not (0.0 < float(self.threshold) < 1.0):
            raise FoodcamError(f"head {self.name!r}: threshold {self.threshold} is not inside 0..1")
        if self.calibration is not None and self.kind != "classification":
            raise FoodcamError(f"head {self.name!r}: only classification heads take a calibration ({self.kind})")

    @property
    def num_classes(self) -> int:
        return len(self.classes)

    @property
    def decision_threshold(self) -> float:
        """The multi-label threshold, 0.5 when none was chosen."""
        return DEFAULT_THRESHOLD if self.threshold is None else float(self.threshold)


HEAD_KINDS = ("segmentation", "classification", "multilabel")
DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True)
class TaskSpec:
    """Everything a package needs to know about a task, in one place."""

    name: str
    heads: tuple[Head, ...]
    input_size: tuple[int, int] = (256, 256)  # (height, width) the model sees
    # (height, width) of the per-pixel outputs when not the input size: the camera frame's, so class scores are
    # resized bilinearly to it in the graph before the argmax (a thin stirrer keeps sub-pixel edges); None: input size
    mask_size: tuple[int, int] | None = None
    mean: tuple[float, float, float] = IMAGENET_MEAN
    std: tuple[float, float, float] = IMAGENET_STD
    resize: str = "stretch"  # how a frame reaches input_size: "stretch" (cv2.resize, aspect not kept)
    description: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def kind(self) -> str:
        """"segmentation" when the first head is per-pixel, else "classification"."""
        return "segmentation" if self.heads[0].kind == "segmentation" else "classification"

    @property
    def seg_head(self) -> Head:
        for h in self.heads:
            if h.kind == "segmentation":
                return h
        raise FoodcamError(f"task {self.name!r} has no segmentation head")

    @property
    def has_segmentation(self) -> bool:
        return any(h.kind == "segmentation" for h in self.heads)

    @property
    def image_heads(self) -> tuple[Head, ...]:
        """The per-image heads (classification and multilabel), in order."""
        return tuple(h for h in self.heads if h.kind != "segmentation")

    @property
    def multitask(self) -> bool:
        """A segmentation head and at least one per-image head on one model."""
        return self.has_segmentation and bool(self.image_heads)

    def with_heads(self, names: Sequence[str]) -> TaskSpec:
        """The same task keeping only the heads `names` (in the task's order); e.g. a single-task variant."""
        unknown = [n for n in names if n not in {h.name for h in self.heads}]
        if unknown or not names:
            raise FoodcamError(f"task {self.name!r}: no head(s) {unknown or '(none given)'} "
                               f"(has {[h.name for h in self.heads]})")
        return replace(self, heads=tuple(h for h in self.heads if h.name in names))

    def with_threshold(self, head: str, threshold: float) -> TaskSpec:
        """The same task with multi-label head `head` deciding at `threshold`."""
        if self.head(head).kind != "multilabel":
            raise FoodcamError(f"task {self.name!r}: head {head!r} is not a multilabel head")
        heads = tuple(replace(h, threshold=float(threshold)) if h.name == head else h for h in self.heads)
        return replace(self, heads=heads)

    def with_calibration(self, head: str, calibration: Calibration | None) -> TaskSpec:
        """The same task with classification head `head` calibrated (None: the calibration removed)."""
        if self.head(head).kind != "classification":
            raise FoodcamError(f"task {self.name!r}: head {head!r} is not a classification head")
        heads = tuple(replace(h, calibration=calibration) if h.name == head else h for h in self.heads)
        return replace(self, heads=heads)

    def head(self, name: str) -> Head:
        for h in self.heads:
            if h.name == name:
                return h
        raise FoodcamError(f"task {self.name!r} has no head {name!r} (has {[h.name for h in self.heads]})")

    def with_input_size(self, height: int, width: int) -> TaskSpec:
        return replace(self, input_size=(int(height), int(width)))

    def with_mask_size(self, size: tuple[int, int] | None) -> TaskSpec:
        """Per-pixel outputs at `size` (height, width); None or the input size: at the input size."""
        size = None if size is None else (int(size[0]), int(size[1]))
        return replace(self, mask_size=None if size == tuple(self.input_size) else size)

    @property
    def output_size(self) -> tuple[int, int]:
        """(height, width) of the mask / logits / uncertainty outputs."""
        return tuple(self.mask_size) if self.mask_size else tuple(self.input_size)

    def with_head_classes(self, head: str, classes: Sequence[str],
                          colours: Sequence[tuple[int, int, int]] | None = None) -> TaskSpec:
        """The same task with head `head` listing `classes`; a coloured head gets `colours` or, when their
        number changes, a fresh distinct palette."""
        self.head(head)

        def renamed(h: Head) -> Head:
            cols = h.colours
            if colours is not None:
                cols = tuple(tuple(int(v) for v in c) for c in colours)
            elif cols is not None and len(cols) != len(classes):
                cols = distinct_colours(len(classes))
            return replace(h, classes=tuple(classes), colours=cols)

        return replace(self, heads=tuple(renamed(h) if h.name == head else h for h in self.heads))

    def to_dict(self) -> dict:
        d = asdict(self)
        for h in d["heads"]:  # an uncalibrated head is described as before calibrations existed
            if h.get("calibration") is None:
                h.pop("calibration", None)
        d["schema"] = SCHEMA_VERSION
        return d

    @staticmethod
    def from_dict(d: dict, where: object = "") -> TaskSpec:
        """A TaskSpec from its JSON form, validated first (runtime.task_check); errors name `where`."""
        from foodcam.runtime.task_check import check_task_dict

        prefix = f"{where}: " if where != "" else ""
        if not isinstance(d, dict):
            check_task_dict(d, where)  # raises: not an object
        schema = d.get("schema")
        if schema != SCHEMA_VERSION:
            raise FoodcamError(f"{prefix}task description schema {schema!r} is not supported (expected {SCHEMA_VERSION})")
        check_task_dict(d, where)
        heads = tuple(
            Head(
                name=h["name"],
                kind=h["kind"],
                classes=tuple(h["classes"]),
                colours=tuple(tuple(int(v) for v in c) for c in h["colours"]) if h.get("colours") else None,
                threshold=h.get("threshold"),
                calibration=Calibration.from_dict(h["calibration"]) if h.get("calibration") is not None else None,
            )
            for h in d["heads"]
        )
        return TaskSpec(
            name=d["name"],
            heads=heads,
            input_size=(int(d["input_size"][0]), int(d["input_size"][1])),
            mask_size=(int(d["mask_size"][0]), int(d["mask_size"][1])) if d.get("mask_size") else None,
            mean=tuple(float(v) for v in d["mean"]),
            std=tuple(float(v) for v in d["std"]),
            resize=d.get("resize", "stretch"),
            description=d.get("description", ""),
            extra=dict(d.get("extra", {})),
        )


KITCHEN = TaskSpec(
    name="kitchen",
    heads=(
        Head(
            name="mask",
            kind="segmentation",
            classes=("stirrer", "pan", "food"),  # "pan" is pan + background
            colours=((255, 0, 0), (0, 255, 0), (0, 0, 255)),
        ),
    ),
    input_size=(256, 256),
    description="Camera over a cooking pan: per-pixel stirrer / pan+background / food.",
)

FRESHNESS = TaskSpec(
    name="freshness",
    heads=(
        Head(name="fruit", kind="classification", classes=("apple", "banana", "orange", "strawberry")),
        Head(name="freshness", kind="classification", classes=("fresh", "rotten")),
    ),
    input_size=(224, 224),
    description="Fruit type and fresh/rotten from one shared backbone with two heads.",
)

FOODSEG = TaskSpec(
    name="foodseg",
    heads=(
        # placeholders: training takes the class list from the data (FoodSeg103: 104 ids, 0 = background)
        Head(name="mask", kind="segmentation", classes=("background",), colours=distinct_colours(1)),
        Head(name="ingredients", kind="multilabel", classes=()),
    ),
    input_size=(256, 256),
    description="Foods on a plate: per-pixel ingredient mask and the list of ingredients present (multi-label).",
)

FOODREC = TaskSpec(
    name="foodrec",
    heads=(Head(name="food", kind="classification", classes=()),),  # the data's categories (AIcrowd: 498)
    input_size=(224, 224),
    description="Food recognition: which food is in the photo (the category covering the largest area), top-k.",
)

TASKS: dict[str, TaskSpec] = {t.name: t for t in (KITCHEN, FRESHNESS, FOODSEG, FOODREC)}

# `foodcam train foodseg --task VARIANT`: the heads each variant keeps
FOODSEG_VARIANTS: dict[str, tuple[str, ...]] = {
    "single-seg": ("mask",),
    "single-labels": ("ingredients",),
    "multi": ("mask", "ingredients"),
}


def food_segmentation_task(classes: Sequence[str], variant: str = "multi",
                           input_size: tuple[int, int] = (256, 256)) -> TaskSpec:
    """The foodseg task for a dataset whose classes (index 0 = background) are `classes`.

    "mask" gets every class with a distinct colour (background black); "ingredients" every class but the
    background. `variant` picks the heads (FOODSEG_VARIANTS)."""
    if len(classes) < 2:
        raise FoodcamError(f"foodseg needs a background and at least one food class, got {list(classes)}")
    if variant not in FOODSEG_VARIANTS:
        raise FoodcamError(f"--task {variant!r}: expected one of {', '.join(FOODSEG_VARIANTS)}")
    if len(classes) > IGNORE_INDEX:
        raise FoodcamError(f"foodseg: {len(classes) - 1} food classes; its masks are 8-bit class ids (255 = ignore), "
                           f"at most {IGNORE_INDEX - 1} foods (for a recognition set such as AIcrowd's 498 foods, "
                           "train foodrec)")
    spec = FOODSEG.with_head_classes("mask", list(classes)).with_head_classes("ingredients", list(classes[1:]))
    return spec.with_heads(FOODSEG_VARIANTS[variant]).with_input_size(*input_size)


def get_task(name: str) -> TaskSpec:
    """The task description by name; a clear error for an unknown name."""
    try:
        return TASKS[name]
    except KeyError:
        raise FoodcamError(f"unknown task {name!r}; known tasks: {', '.join(sorted(TASKS))}") from None

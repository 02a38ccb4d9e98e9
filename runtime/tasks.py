"""The task descriptions: defined once here, read by every package (train, export, runtime, camera).

A task says what a model sees (input size, normalisation, resize mode) and what it says
(heads: segmentation with a colour per class, or classification with named classes).
It travels inside checkpoints, ONNX metadata and engine sidecars as versioned JSON.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from foodcam.runtime.errors import FoodcamError

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

    def __post_init__(self) -> None:
        if self.kind not in ("segmentation", "classification", "multilabel"):
            raise FoodcamError(f"head {self.name!r}: unknown kind {self.kind!r}")
        if self.colours is not None and len(self.colours) != len(self.classes):
            raise FoodcamError(f"head {self.name!r}: {len(self.classes)} classes but {len(self.colours)} colours")

    @property
    def num_classes(self) -> int:
        return len(self.classes)


@dataclass(frozen=True)
class TaskSpec:
    """Everything a package needs to know about a task, in one place."""

    name: str
    heads: tuple[Head, ...]
    input_size: tuple[int, int] = (256, 256)  # (height, width) the model sees
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

    def head(self, name: str) -> Head:
        for h in self.heads:
            if h.name == name:
                return h
        raise FoodcamError(f"task {self.name!r} has no head {name!r} (has {[h.name for h in self.heads]})")

    def with_input_size(self, height: int, width: int) -> TaskSpec:
        return replace(self, input_size=(int(height), int(width)))

    def with_head_classes(self, head: str, classes: list[str]) -> TaskSpec:
        heads = tuple(replace(h, classes=tuple(classes)) if h.name == head else h for h in self.heads)
        return replace(self, heads=heads)

    def to_dict(self) -> dict:
        d = asdict(self)
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
            )
            for h in d["heads"]
        )
        return TaskSpec(
            name=d["name"],
            heads=heads,
            input_size=(int(d["input_size"][0]), int(d["input_size"][1])),
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

TASKS: dict[str, TaskSpec] = {t.name: t for t in (KITCHEN, FRESHNESS)}


def get_task(name: str) -> TaskSpec:
    """The task description by name; a clear error for an unknown name."""
    try:
        return TASKS[name]
    except KeyError:
        raise FoodcamError(f"unknown task {name!r}; known tasks: {', '.join(sorted(TASKS))}") from None

"""PNG plots a person reads faster than numbers: training curves and confusion matrices (matplotlib, Agg)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from foodcam.runtime.imageio import atomic_path  # noqa: E402

LOSS_KEYS = ("train_loss", "val_loss")
NOT_PLOTTED = {"epoch", "lr", "seconds"}


def _save(fig, path: str | Path) -> None:
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)


def _series(rows: Sequence[dict], key: str) -> np.ndarray:
    out = []
    for r in rows:
        try:
            out.append(float(r.get(key, "nan")))
        except (TypeError, ValueError):
            out.append(math.nan)
    return np.asarray(out)


def class_colours(spec) -> dict[str, tuple[int, int, int]]:
    """Class name -> RGB of a task's segmentation head (runtime/tasks.py): the colours its masks are drawn in."""
    if not getattr(spec, "has_segmentation", False) or spec.seg_head.colours is None:
        return {}
    return dict(zip(spec.seg_head.classes, spec.seg_head.colours))


def plot_curves(rows: Sequence[dict], path: str | Path, title: str = "",
                colours: dict[str, tuple[int, int, int]] | None = None) -> None:
    """Loss (train/val), the main validation metrics (val_* columns) and the per-class columns
    (iou_<class> or any other column) against epoch, one panel each, from metrics.csv-style rows.
    `colours` (class name -> RGB, `class_colours(spec)`) draws each class's curve in its mask colour."""
    if not rows:
        return
    keys = list(rows[0].keys())
    epochs = _series(rows, "epoch")
    val_keys = [k for k in keys if k.startswith("val_") and k not in LOSS_KEYS]
    other = [k for k in keys if k not in NOT_PLOTTED and k not in LOSS_KEYS and k not in val_keys]
    panels = [("loss", [k for k in LOSS_KEYS if k in keys]), ("validation", val_keys), ("per class", other)]
    panels = [(name, ks) for name, ks in panels if ks]
    fig, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 3.8), squeeze=False)
    for ax, (name, ks) in zip(axes[0], panels):
        for k in ks:
            label = k if name == "loss" else k.removeprefix("iou_").removeprefix("val_")
            rgb = (colours or {}).get(label) if name == "per class" else None
            ax.plot(epochs, _series(rows, k), marker="o" if len(rows) < 30 else None, ms=3, label=label,
                    color=None if rgb is None else tuple(c / 255 for c in rgb))
        ax.set_title(name)
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
        if name != "loss":
            ax.set_ylim(0, 1.02)
        ax.legend(fontsize=8, loc="best")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    _save(fig, path)


def plot_confusion(matrix: np.ndarray, class_names: Sequence[str], path: str | Path, title: str = "") -> None:
    """Row-normalised confusion matrix (rows: truth, columns: prediction) as a heatmap; each cell shows
    its share of the row in percent and its count. Large class sets drop the cell text."""
    m = np.asarray(matrix, np.float64)
    n = len(class_names)
    if m.shape != (n, n):
        raise ValueError(f"confusion matrix is {m.shape}, expected ({n}, {n}) for {n} class names")
    rows = m.sum(1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(rows > 0, m / rows, 0.0)
    side = min(2.0 + 0.6 * n, 30.0)
    fig, ax = plt.subplots(figsize=(side + 1.5, side))
    im = ax.imshow(share, cmap="Blues", vmin=0.0, vmax=1.0)
    fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04, label="share of true class")
    ticks = np.arange(n)
    ax.set_xticks(ticks, labels=list(class_names), rotation=45 if n > 4 else 0, ha="right" if n > 4 else "center")
    ax.set_yticks(ticks, labels=list(class_names))
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    if n <= 20:
        for i in range(n):
            for j in range(n):
                colour = "white" if share[i, j] > 0.5 else "black"
                ax.text(j, i, f"{100 * share[i, j]:.1f}%\n{int(m[i, j]):,}", ha="center", va="center",
                        fontsize=8, color=colour)
    ax.set_title(title or "confusion matrix (row-normalised)")
    fig.tight_layout()
    _save(fig, path)

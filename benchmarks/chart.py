"""The benchmark chart: median latency against mIoU, one labelled point per row that ran (p50-p99 as a
horizontal bar); without accuracy, latency bars per row. Written atomically as PNG."""

from __future__ import annotations

import math
from pathlib import Path

from foodcam.runtime.imageio import atomic_path

BACKEND_COLOURS = {"cpu": "#1f77b4", "cuda": "#2ca02c", "tensorrt": "#d62728", "torch": "#7f7f7f"}


def _label(row: dict) -> str:
    size = "x".join(map(str, row["imgsz"])) if row.get("imgsz") else ""
    batch = f" b{row['batch']}" if row.get("batch", 1) != 1 else ""
    return f"{row['name']} {row.get('precision') or ''} {row['backend']} {size}{batch}".replace("  ", " ")


def write_chart(rows: list[dict], path: str | Path, title: str = "foodcam bench") -> bool:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ran = [r for r in rows if r.get("latency_ms")]
    scored = [r for r in ran if r.get("miou") is not None]
    fig, ax = plt.subplots(figsize=(9, max(3.5, 0.45 * len(ran) + 1.5)) if not scored else (9, 6), dpi=110)
    try:
        if scored:
            placed: list[tuple[float, float]] = []
            ys = [100.0 * r["miou"] for r in scored]
            near_y = max(0.5, 0.03 * (max(ys) - min(ys)))
            for r, y in sorted(zip(scored, ys), key=lambda p: (p[1], p[0]["latency_ms"]["median"])):
                lat = r["latency_ms"]
                c = BACKEND_COLOURS.get(r["backend"], "black")
                ax.plot([lat["median"], lat["p99"]], [y, y], color=c, alpha=0.35, lw=3)
                ax.scatter([lat["median"]], [y], color=c, s=40, zorder=3)
                # points with about the same mIoU and latency get their labels stacked, not overprinted
                k = sum(abs(py - y) < near_y and abs(math.log10(px / lat["median"])) < 0.6 for px, py in placed)
                placed.append((lat["median"], y))
                ax.annotate(_label(r), (lat["median"], y), textcoords="offset points", xytext=(6, 5 + 12 * k),
                            fontsize=8, arrowprops={"arrowstyle": "-", "color": c, "alpha": 0.5} if k else None)
            ax.set_xlabel("latency per call, ms (dot: median, bar to p99)")
            ax.set_ylabel("mIoU, %")
            ax.set_xscale("log")
            for b, c in BACKEND_COLOURS.items():
                if any(r["backend"] == b for r in scored):
                    ax.scatter([], [], color=c, label=b)
            ax.legend(title="backend", fontsize=8, loc="lower right")
            ax.grid(alpha=0.3, which="both")
        elif ran:
            labels = [_label(r) for r in ran]
            med = [r["latency_ms"]["median"] for r in ran]
            p99 = [r["latency_ms"]["p99"] for r in ran]
            ys = list(range(len(ran)))[::-1]
            ax.barh(ys, med, color=[BACKEND_COLOURS.get(r["backend"], "black") for r in ran], alpha=0.8)
            ax.scatter(p99, ys, marker="|", s=200, color="black", label="p99")
            ax.set_yticks(ys, labels, fontsize=8)
            ax.set_xlabel("latency per call, ms (bar: median, tick: p99)")
            ax.legend(fontsize=8, loc="lower right")
            ax.grid(alpha=0.3, axis="x")
        else:
            ax.text(0.5, 0.5, "no row ran (see the report's status column)", ha="center", va="center")
            ax.set_axis_off()
        ax.set_title(title)
        fig.tight_layout()
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format="png")
    finally:
        plt.close(fig)
    return True

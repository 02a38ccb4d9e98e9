"""What the Python API's verbs return: the verb's own report as a read-only mapping, with a one-line repr and
the paths it wrote as attributes. `dict(result)` (or `result.data`) is the same dict the verb writes as JSON."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path


class Outcome(Mapping):
    """A verb's report (a dict) plus the files it wrote; read like a dict, printed as one line."""

    text = ""  # what the verb printed, where a Python twin keeps it instead (bench)

    def __init__(self, data: dict, rc: int = 0) -> None:
        self.data, self.rc = data, rc

    def __getitem__(self, key: str):
        return self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._line()})"

    def _line(self) -> str:
        return ", ".join(sorted(self.data)[:8])


def _num(v, fmt: str = ".3f") -> str:
    return format(v, fmt) if isinstance(v, (int, float)) else "-"


class EvalResult(Outcome):
    """`foodcam eval`'s metrics.json (mIoU, per-class IoU / per-head accuracy...) and where it went."""

    def __init__(self, data: dict, json_path: Path, out: Path, rc: int = 0) -> None:
        super().__init__(data, rc)
        self.json, self.out = Path(json_path), Path(out)

    def _line(self) -> str:
        d = self.data
        if "miou" in d:
            score = f"mIoU {_num(d['miou'])}"
        elif "heads" in d:
            score = ", ".join(f"{h} acc {_num(r.get('accuracy'))}" for h, r in d["heads"].items()
                              if isinstance(r, dict))
        else:
            score = ", ".join(f"{k} {_num(v)}" for k, v in d.items() if isinstance(v, float))[:120]
        return f"{d.get('task', '?')} on {d.get('data')} ({d.get('split')}): {score or '-'}; wrote {self.json}"


class ExportResult(Outcome):
    """`foodcam export`'s report (status, gate, parity...): `path` the artifact, `reference` its FP32 ONNX,
    `report_md` the markdown report; `status` exported / validated / failed."""

    def __init__(self, report: dict, path: Path, reference: Path, report_md: Path, rc: int = 0) -> None:
        super().__init__(report, rc)
        self.path, self.reference, self.report_md = Path(path), Path(reference), Path(report_md)

    @property
    def status(self) -> str:
        return str(self.data.get("status", "?"))

    def _line(self) -> str:
        extra = f", reference {self.reference}" if self.reference != self.path else ""
        return f"{self.data.get('precision', '?')} {self.status}: {self.path}{extra}"


class PredictResult(Outcome):
    """`foodcam predict`'s files: `out` the folder, `written` how many images, `failed` (path, why) of the rest."""

    def __init__(self, data: dict, rc: int = 0) -> None:
        super().__init__({"out": str(data["out"]), "written": data["written"],
                          "failed": [(str(p), why) for p, why in data["failed"]]}, rc)
        self.out = Path(data["out"])

    @property
    def written(self) -> int:
        return int(self.data["written"])

    @property
    def failed(self) -> list[tuple[str, str]]:
        return list(self.data["failed"])

    def _line(self) -> str:
        return f"{self.written} written, {len(self.failed)} failed; wrote {self.out}"


class TrainResult(Outcome):
    """`foodcam train`'s run folder: `out`, and in it `best` (best.pt), `last` (last.pt), `metrics_csv`."""

    def __init__(self, data: dict, rc: int = 0) -> None:
        super().__init__({k: str(v) for k, v in data.items()}, rc)
        self.out, self.best, self.last = Path(data["out"]), Path(data["best"]), Path(data["last"])
        self.metrics_csv = Path(data["metrics_csv"])

    def _line(self) -> str:
        return f"wrote {self.out}: best.pt, last.pt, metrics.csv"


class BenchResult(Outcome):
    """`foodcam bench`'s report (rows per artifact x backend x size x batch, comparisons, system info) and
    its files: `paths` {"json", "csv", "md"[, "png"]}."""

    def __init__(self, report: dict, paths: dict, out: Path, rc: int = 0) -> None:
        super().__init__(report, rc)
        self.paths, self.out = {k: Path(v) for k, v in paths.items()}, Path(out)

    @property
    def rows(self) -> list[dict]:
        return list(self.data.get("rows", []))

    def _line(self) -> str:
        rows = self.rows
        ran = [r for r in rows if r.get("status") in ("ran", "validated")]  # benchmarks/comparisons.py RAN
        return f"{len(rows)} rows ({len(ran)} measured) on {self.data.get('machine')}; wrote {self.out}"


class RunSummary(Outcome):
    """`foodcam run`'s exit summary: frames, fps, events per kind, files written, failed outputs."""

    @property
    def frames(self) -> int:
        return int(self.data.get("frames", 0))

    @property
    def fps(self) -> float:
        return float(self.data.get("fps") or 0.0)

    @property
    def events(self) -> dict[str, int]:
        return dict(self.data.get("events") or {})

    @property
    def outputs(self) -> list[Path]:
        """Every file the run wrote: the video or image pattern, the events file, the collected frames."""
        found = []
        for key in ("video", "images", "events_file", "collected"):
            o = self.data.get(key)
            if isinstance(o, dict) and (o.get("path") or o.get("pattern")):
                found.append(Path(o.get("path") or o.get("pattern")))
        return found

    def _line(self) -> str:
        events = sum(self.events.values())
        out = ", ".join(str(p) for p in self.outputs) or "no files"
        return (f"{self.frames} frames, {self.fps:.1f} fps, {events} events, {out}, "
                f"stopped by {self.data.get('stopped_by')}")


class SynthResult(Outcome):
    """`foodcam synth`'s dataset: `out` the folder, `counts` images per split (kitchen, foodseg)."""

    @property
    def out(self) -> Path:
        return Path(self.data["out"])

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.data.get("counts") or {})

    def _line(self) -> str:
        counts = self.counts
        parts = ", ".join(f"{k} {v}" for k, v in counts.items())
        n = sum(counts.values()) if counts else self.data.get("images", "?")
        return f"{n} {self.data.get('task', '?')} images in {self.out}" + (f": {parts}" if parts else "")


class AdaptResult(Outcome):
    """`foodcam adapt`'s record (OUT/adapt.json): `status` exported / refused / gate failed, `gate` the
    before/after on the held-back frames, `checkpoint` the fine-tune, `onnx` the export (None when refused)."""

    @property
    def status(self) -> str:
        return str(self.data.get("status", "?"))

    @property
    def gate(self) -> dict | None:
        return self.data.get("gate")

    @property
    def checkpoint(self) -> Path:
        return Path(self.data["checkpoint"])

    @property
    def onnx(self) -> Path | None:
        return Path(self.data["onnx"]) if self.data.get("onnx") else None

    def _line(self) -> str:
        g = self.gate
        score = (f"{g['metric']} {g['before'][g['metric']]:.4f} -> {g['after'][g['metric']]:.4f}, " if g else "")
        return f"{score}{self.status}: {self.onnx or self.checkpoint}"

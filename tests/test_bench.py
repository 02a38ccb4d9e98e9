"""`foodcam bench` on tiny hand-made artifacts: every report is complete and well-formed, failures say why,
`--compare` reports per-row ratios. No assertion looks at how fast anything was."""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from conftest import foodcam
from tiny_onnx import seg_onnx

from foodcam.benchmarks.plan import row_key
from foodcam.benchmarks.report import COLUMNS, JSON_KEYS, SCHEMA, TABLE
from foodcam.benchmarks.timing import LATENCY_KEYS
from foodcam.runtime.backends.onnx_meta import make_metadata
from foodcam.runtime.tasks import KITCHEN

TASK = KITCHEN.with_input_size(32, 32)
ROUNDS = 2
pytest.importorskip("torch")  # the report covers a checkpoint too: skipped in a torch-free (deployed) install


def _tiny_checkpoint(path: Path) -> Path:
    from foodcam.train.checkpoint import save_checkpoint
    from foodcam.train.models import build_model

    net = build_model("unet", TASK, width=4)
    save_checkpoint(path, {"task": TASK.to_dict(), "arch": {"name": "unet", "kwargs": {"width": 4}},
                           "state_dict": net.state_dict(), "config": {}, "metrics": {}, "epoch": 0})
    return path


def _fake_engine(path: Path) -> Path:
    """An engine file with a valid sidecar: loadable only where TensorRT exists (and then it is garbage)."""
    path.write_bytes(b"not a real plan")
    side = {**make_metadata(TASK, "fp16"), "tensorrt": "10.3.0", "gpu": "none", "compute_capability": "0.0"}
    Path(str(path) + ".json").write_text(json.dumps(side))
    return path


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory):
    d = tmp_path_factory.mktemp("bench_artifacts")
    return {
        "fp32": seg_onnx(d / "seg.onnx", task=TASK),
        "fp16": seg_onnx(d / "seg.fp16.onnx", task=TASK, precision="fp16"),
        "pt": _tiny_checkpoint(d / "tiny.pt"),
        "missing": d / "missing.onnx",
        "engine": _fake_engine(d / "fake.engine"),
    }


@pytest.fixture(scope="module")
def bench_run(artifacts, tmp_path_factory):
    out = tmp_path_factory.mktemp("bench_out")
    a = artifacts
    rc = foodcam("bench", "--models", a["fp32"], a["fp16"], a["pt"], a["missing"], a["engine"],
                 "--backends", "cpu", "torch", "tensorrt", "--threads", 1, "--processes", 2, "--warmup", 1, "--iters", 3,
                 "--loop-frames", 3, "--rounds", ROUNDS, "--round-iters", 2, "--out", out)
    assert rc == 0
    return out, json.loads((out / "bench.json").read_text())


def _rows(report, name, backend=None):
    return [r for r in report["rows"] if r["name"] == name and (backend is None or r["backend"] == backend)]


def test_json_is_complete(bench_run):
    _, report = bench_run
    assert set(JSON_KEYS) <= set(report)
    assert report["schema"] == SCHEMA
    assert report["machine"] and "/" not in report["machine"]
    for key in ("cpu", "cores", "python", "packages", "gpus"):
        assert key in report["system"]
    assert {"numpy", "opencv", "onnxruntime", "tensorrt", "torch"} <= set(report["system"]["packages"])
    assert {"resolution_ns", "min_step_ns", "empty_call_median_us", "empty_call_p99_us"} <= set(report["timer"])
    # 2 ONNX x (cpu, tensorrt) + .pt x torch + missing x (cpu, tensorrt) + engine x tensorrt
    assert len(report["rows"]) == 8
    for row in report["rows"]:
        assert row["status"] in ("ran", "validated", "skipped", "failed")
        if row["status"] in ("skipped", "failed"):
            assert row["reason"], row
        else:
            assert row["reason"] is None
            assert set(row["latency_ms"]) == set(LATENCY_KEYS)
            lat = row["latency_ms"]
            assert lat["min"] <= lat["median"] <= lat["p90"] <= lat["p95"] <= lat["p99"] <= lat["max"]
            # two fresh processes of 3 timed calls each, pooled; each process's median kept
            assert row["iters"] == 6 and row["fps"] > 0 and len(row["processes"]) == 2
            meds = [p["median"] for p in row["processes"]]
            assert row["process_spread_pct"] == pytest.approx(100 * (max(meds) - min(meds)) / np.median(meds))
            assert lat["min"] <= min(meds) and max(meds) <= lat["max"]
            assert row["size_bytes"] == Path(row["model"]).stat().st_size
            for key in ("params", "gflops", "peak_rss_mb", "peak_rss_delta_mb", "runtime", "imgsz"):
                assert row[key] is not None, key


def test_rows_that_cannot_run_say_why(bench_run, artifacts):
    _, report = bench_run
    missing = _rows(report, "missing.onnx")
    assert [r["backend"] for r in missing] == ["cpu", "tensorrt"]
    assert all(r["status"] == "failed" and "no such file" in r["reason"] for r in missing)
    (engine,) = _rows(report, "fake.engine")
    assert engine["backend"] == "tensorrt" and engine["status"] in ("skipped", "failed") and engine["reason"]
    if report["system"]["packages"]["tensorrt"] is None:
        assert engine["status"] == "skipped" and "TensorRT" in engine["reason"]
        assert all(r["status"] == "skipped" and "TensorRT" in r["reason"] for r in _rows(report, "seg.onnx", "tensorrt"))


def test_artifacts_that_ran(bench_run, artifacts):
    import torch

    _, report = bench_run
    (onnx_row,) = _rows(report, "seg.onnx", "cpu")
    (fp16_row,) = _rows(report, "seg.fp16.onnx", "cpu")
    (pt_row,) = _rows(report, "tiny.pt", "torch")
    assert onnx_row["status"] == fp16_row["status"] == pt_row["status"] == "ran"
    assert onnx_row["runtime"] == "onnxruntime:CPUExecutionProvider" and pt_row["runtime"] == "torch:cpu"
    assert (onnx_row["format"], onnx_row["precision"]) == ("onnx", "fp32")
    assert (fp16_row["format"], fp16_row["precision"]) == ("onnx", "fp16")
    assert (pt_row["format"], pt_row["precision"]) == ("pytorch", "fp32")
    assert onnx_row["imgsz"] == pt_row["imgsz"] == [32, 32]
    assert onnx_row["params"] == 0 and onnx_row["gflops"] == 0  # Cast/Transpose/ArgMax: no weights, no MACs
    ckpt = torch.load(artifacts["pt"], map_location="cpu", weights_only=False)
    assert pt_row["params"] == sum(v.numel() for k, v in ckpt["state_dict"].items()
                                   if not k.endswith(("running_mean", "running_var", "num_batches_tracked")))
    assert pt_row["gflops"] > 0
    # the camera loop ran for the deployable rows only, with per-stage times and a ratio to model-only FPS
    assert "loop" not in pt_row
    loop = onnx_row["loop"]
    assert loop["frames"] == 3 and loop["source"].startswith("synth://kitchen")
    assert set(loop["stages_ms"]) == {"capture", "preprocess", "inference", "postprocess", "render"}
    assert loop["ratio"] == pytest.approx(loop["fps"] / onnx_row["fps"])
    assert 0.0 <= loop["accuracy"]["miou"] <= 1.0


def test_interleaved_comparisons_and_noise(bench_run):
    _, report = bench_run
    kinds = {c["kind"]: c for c in report["comparisons"]}
    assert set(kinds) == {"vs_torch", "vs_fp32", "loop_vs_model"}
    assert kinds["vs_fp32"]["candidate"].startswith("seg.fp16.onnx") and kinds["vs_fp32"]["baseline"].startswith("seg.onnx")
    assert kinds["vs_torch"]["baseline"].startswith("tiny.pt")
    n_vs_torch = sum(c["kind"] == "vs_torch" for c in report["comparisons"])
    assert n_vs_torch == 2  # both ONNX precisions against the eager checkpoint
    for c in report["comparisons"]:
        assert c["n"] == ROUNDS and len(c["per_round"]) == ROUNDS
        assert c["min"] <= c["q1"] <= c["median"] <= c["q3"] <= c["max"]
    rounds = report["rounds"]
    assert rounds["rounds"] == ROUNDS and len(rounds["order"]) == ROUNDS
    assert rounds["order"][0] != rounds["order"][1]  # rotated
    assert sorted(rounds["order"][0]) == sorted(rounds["order"][1]) == sorted(rounds["rows"])
    ran = [row_key(r) for r in report["rows"] if r["status"] == "ran"]
    assert [n["row"] for n in report["noise"]] == ran
    for n in report["noise"]:
        assert len(n["round_medians_ms"]) == ROUNDS and n["range_pct"] >= 0 and n["fresh_median_ms"] > 0


def test_csv_markdown_png(bench_run):
    out, report = bench_run
    with open(out / "bench.csv", newline="") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames) == COLUMNS
        lines = list(reader)
    assert [(r["name"], r["backend"], r["status"]) for r in lines] == \
           [(r["name"], r["backend"], r["status"]) for r in report["rows"]]
    for line, row in zip(lines, report["rows"]):
        if row["status"] == "ran":
            assert math.isclose(float(line["lat_median_ms"]), row["latency_ms"]["median"])
            assert float(line["fps"]) > 0
    md = (out / "bench.md").read_text()
    assert "| " + " | ".join(TABLE) + " |" in md
    table = [ln for ln in md.splitlines() if ln.startswith("| ") and ln.count("|") == len(TABLE) + 1]
    assert len(table) >= 1 + len(report["rows"])
    for section in ("## System", "## Results", "## Camera loop", "## Interleaved comparisons", "## Timer and harness noise"):
        assert section in md
    assert "no such file" in md
    img = cv2.imread(str(out / "bench.png"))
    assert img is not None and img.ndim == 3 and min(img.shape[:2]) > 100
    assert (out / "raw" / "samples.json").is_file()
    assert not list(out.glob(".*"))  # no temporary files left behind


def test_cpu_ceiling_and_achieved_rate(bench_run):
    out, report = bench_run
    peak = report["cpu_peak"]
    assert peak["threads"] == 1 and peak["gflops_s"] >= peak["median_gflops_s"] > 0
    assert len(peak["runs_gflops_s"]) == 2 and peak["gflops_s"] == max(peak["runs_gflops_s"])  # before and after
    (pt_row,) = _rows(report, "tiny.pt", "torch")
    with open(out / "bench.csv", newline="") as f:
        line = next(r for r in csv.DictReader(f) if r["name"] == "tiny.pt")
    assert math.isclose(float(line["gflop_s"]), pt_row["gflops"] * pt_row["fps"], rel_tol=1e-6)
    md = (out / "bench.md").read_text()
    assert "CPU FP32 ceiling:" in md and "% of CPU peak" in md
    assert "Run to run: the same artifact timed in separate fresh processes" in md


def test_compare_reports_ratios(bench_run, tmp_path, capsys):
    from foodcam.benchmarks.compare import compare_reports

    _, report = bench_run
    new = json.loads(json.dumps(report))
    ran = [r for r in new["rows"] if r["status"] == "ran"]
    ran[0]["latency_ms"]["median"] *= 2.0  # slower
    ran[1]["latency_ms"]["median"] *= 0.5  # faster
    new["rows"] = [r for r in new["rows"] if r["name"] != "missing.onnx"]
    old_p, new_p = tmp_path / "old.json", tmp_path / "new.json"
    old_p.write_text(json.dumps(report))
    new_p.write_text(json.dumps(new))

    c = compare_reports(report, new, threshold=0.05)
    by_key = {r["key"]: r for r in c["rows"]}
    assert by_key[row_key(ran[0])]["verdict"] == "slower" and by_key[row_key(ran[0])]["ratio"] == pytest.approx(2.0)
    assert by_key[row_key(ran[1])]["verdict"] == "faster" and by_key[row_key(ran[1])]["ratio"] == pytest.approx(0.5)
    assert all(by_key[row_key(r)]["verdict"] == "same" for r in ran[2:])
    assert len(c["only_old"]) == 2 and all(k.startswith("missing.onnx") for k in c["only_old"])
    assert c["counts"]["slower"] == 1 and c["counts"]["faster"] == 1

    capsys.readouterr()
    assert foodcam("bench", "--compare", old_p, new_p) == 0
    text = capsys.readouterr().out
    assert "slower" in text and "faster" in text and "2.000" in text and "0.500" in text
    # `python -m foodcam.benchmarks` is the same verb
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--compare", str(old_p), str(new_p)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "1 faster, 1 slower" in proc.stdout


def test_compare_rejects_what_is_not_a_report(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"rows": []}')
    assert foodcam("bench", "--compare", bad, tmp_path / "absent.json") == 2
    assert "not a foodcam benchmark report" in capsys.readouterr().err


def test_bad_arguments_fail_with_one_line(tmp_path, artifacts, capsys):
    assert foodcam("bench") == 2
    assert "--models" in capsys.readouterr().err
    assert foodcam("bench", "--models", artifacts["fp32"], "--data", tmp_path / "nope", "--out", tmp_path / "o") == 2
    err = capsys.readouterr().err
    assert "nope" in err and "no such dataset folder" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()
    with pytest.raises(SystemExit):
        foodcam("bench", "--models", artifacts["fp32"], "--backends", "gpu")

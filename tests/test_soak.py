"""The soak benchmark, run for a few seconds: both loops run, every sample and every output file is written."""

from __future__ import annotations

import csv
import json

import pytest

from foodcam.benchmarks.soak import main, summarize


@pytest.mark.slow
def test_soak_runs_both_loops_and_writes_csv_json_png(tmp_path):
    assert main(["--minutes", "0.2", "--interval", "3", "--warmup", "3", "--out", str(tmp_path)]) == 0
    rows = list(csv.DictReader((tmp_path / "soak.csv").open()))
    assert len(rows) >= 3 and rows[-1]["phase"] == "end"
    report = json.loads((tmp_path / "soak.json").read_text())
    s = report["summary"]
    assert report["errors"] == [] and s["frames"]["kitchen"] > 0 and s["frames"]["sorting"] > 0
    assert all(float(r["rss_mb"]) > 0 and int(r["fds"]) > 0 and int(r["os_threads"]) > 0 for r in rows)
    assert (tmp_path / "soak.png").stat().st_size > 0


def test_summary_measures_growth_after_the_warmup():
    samples = [{"phase": "run", "t_s": t, "rss_mb": rss, "fds": 9, "os_threads": 10, "py_threads": 5,
                "kitchen_frames": 10 * t, "kitchen_fps": 10.0, "sort_frames": 30 * t, "sort_fps": 30.0}
               for t, rss in ((0, 50.0), (60, 100.0), (120, 101.0), (180, 102.0))]
    samples.append({**samples[-1], "phase": "end", "rss_mb": 60.0, "os_threads": 3, "kitchen_fps": 0.0})
    s = summarize(samples, warmup_s=60)
    assert s["rss_after_warmup_mb"] == 100.0 and s["rss_growth_mb"] == 2.0 and s["rss_growth_pct"] == 2.0
    assert s["rss_mb_per_hour"] == 60.0 and s["os_threads"] == [10, 10] and s["kitchen_fps_mean"] == 10.0
    assert s["end"]["os_threads"] == 3

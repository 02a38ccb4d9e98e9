"""Container files: each runs `foodcam run` from a config file; the CPU image is built and run on synth://kitchen
where a Docker daemon is reachable (skipped with the reason elsewhere)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from tiny_onnx import seg_onnx

from foodcam.cli import build_parser
from foodcam.config import apply_config

ROOT = Path(__file__).resolve().parents[1]
DOCKER = ROOT / "docker"
CMD = '["foodcam", "run", "--config", "/etc/foodcam/run.yaml"]'
PULL_FAILURES = ("pull access denied", "failed to resolve", "dial tcp", "no such host", "i/o timeout",
                 "TLS handshake", "failed to fetch", "connection refused", "network is unreachable",
                 "failed to do request", "manifest unknown", "unauthorized")


def from_line(name: str) -> str:
    text = (DOCKER / name).read_text()
    base = re.search(r"^ARG BASE=(\S+)", text, re.MULTILINE)
    return base[1] if base else re.search(r"^FROM (\S+)", text, re.MULTILINE)[1]


def test_each_image_runs_foodcam_from_a_config_file():
    assert from_line("jetson.Dockerfile").startswith(("nvcr.io/nvidia/l4t-jetpack:r36", "nvcr.io/nvidia/l4t-tensorrt:r"))
    assert from_line("gpu.Dockerfile").startswith("nvcr.io/nvidia/tensorrt:")
    for name in ("cpu.Dockerfile", "gpu.Dockerfile", "jetson.Dockerfile"):
        text = (DOCKER / name).read_text()
        assert f"CMD {CMD}" in text and "COPY docker/run.yaml /etc/foodcam/run.yaml" in text
    jetson = (DOCKER / "jetson.Dockerfile").read_text()
    assert "opencv]" not in jetson and "opencv," not in jetson and "python3-opencv" in jetson  # the platform's cv2, with GStreamer
    assert "--runtime nvidia" in jetson and "--gpus all" in (DOCKER / "gpu.Dockerfile").read_text()


def test_the_images_config_file_is_valid_for_foodcam_run():
    parser = build_parser()
    argv = ["run", "--config", str(DOCKER / "run.yaml")]
    _, config = apply_config(parser, argv)
    args = parser.parse_args(argv)
    assert args.model == "/models/model.onnx" and args.source[0].startswith("synth://kitchen")
    assert args.rotate == "50MB" and args.keep == 20 and args.serve == "0.0.0.0:8080"


def docker_ready() -> str | None:
    """None when images can be built here, else why not."""
    if shutil.which("docker") is None:
        return "no docker command on this machine"
    p = subprocess.run(["docker", "info", "--format", "{{.ServerVersion}}"], capture_output=True, text=True,
                       timeout=60)
    if p.returncode != 0:
        return f"no Docker daemon reachable ({(p.stderr.strip().splitlines() or ['?'])[-1]})"
    return None


@pytest.mark.slow
def test_cpu_image_builds_and_runs_the_synthetic_kitchen(tmp_path):
    why = docker_ready()
    if why:
        pytest.skip(why)
    tag = f"foodcam-test-cpu:{os.getpid()}"
    build = subprocess.run(["docker", "build", "-f", str(DOCKER / "cpu.Dockerfile"), "-t", tag, str(ROOT)],
                           capture_output=True, text=True, timeout=1800)
    if build.returncode != 0:
        log = build.stdout + build.stderr
        if any(s.lower() in log.lower() for s in PULL_FAILURES):
            pytest.skip("the Docker daemon could not pull the base image or packages (no network?): "
                        + next(line for line in log.splitlines() if any(s.lower() in line.lower() for s in PULL_FAILURES)))
        pytest.fail(f"docker build failed:\n{log[-4000:]}")
    try:
        models = tmp_path / "models"
        models.mkdir()
        seg_onnx(models / "model.onnx")
        run = subprocess.run(
            ["docker", "run", "--rm", "--user", f"{os.getuid()}:{os.getgid()}", "-v", f"{models}:/models", tag,
             "foodcam", "run", "--config", "/etc/foodcam/run.yaml", "--source", "synth://kitchen?fps=0&size=64x48",
             "--events", "/models/events.jsonl", "--max-frames", "20", "--summary", "/models/summary.json"],
            capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stdout + run.stderr
        summary = json.loads((models / "summary.json").read_text())
        assert summary["frames"] == 20 and summary["stopped_by"] == "max_frames"
        doctor = subprocess.run(["docker", "run", "--rm", tag, "foodcam", "doctor", "--json"],
                                capture_output=True, text=True, timeout=300)
        checks = {c["name"]: c for c in json.loads(doctor.stdout)}
        assert checks["opencv"]["status"] == "ok" and checks["tensorrt"]["status"] == "ok"
    finally:
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, timeout=300)

"""`foodcam doctor` on this box, and in front of the machines it must recognise (a Jetson with the wrong OpenCV,
a GPU server seen only through nvidia-smi, engines that do or do not deserialise), built from fake environments:
a file tree for /etc, /proc, /sys, /dev and stand-in modules for cv2, cuda-python and TensorRT."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import SimpleNamespace

import cv2
import onnxruntime
import pytest
from tiny_onnx import seg_onnx

from foodcam.cli import main
from foodcam.doctor import Env, report, run_checks
from foodcam.runtime.backends.onnx_meta import read_metadata
from foodcam.runtime.backends.trt_build import write_engine

JETSON_BUILD_NO_GST = """General configuration for OpenCV 4.10.0
  Video I/O:
    FFMPEG:                      YES
    GStreamer:                   NO
    v4l/v4l2:                    YES (linux/videodev2.h)
"""
JETSON_BUILD_GST = JETSON_BUILD_NO_GST.replace("GStreamer:                   NO", "GStreamer:                   YES (1.20.3)")


def fake_importer(modules: dict):
    """import_module that knows only `modules` (a None value: installed but broken)."""
    def load(name: str):
        if name in modules and modules[name] is not None:
            return modules[name]
        raise ImportError(f"No module named {name!r}")
    return load


def fake_cudart(driver: int = 12060, runtime: int = 12060, name: bytes = b"Orin", count: int = 1, sms: int = 8):
    ok = 0
    return SimpleNamespace(
        cudaError_t=SimpleNamespace(cudaSuccess=ok),
        cudaDriverGetVersion=lambda: (ok, driver), cudaRuntimeGetVersion=lambda: (ok, runtime),
        cudaGetDeviceCount=lambda: (ok, count),
        cudaGetDeviceProperties=lambda i: (ok, SimpleNamespace(name=name + b"\0" * 8, major=8, minor=7,
                                                               multiProcessorCount=sms, totalGlobalMem=7 << 30)))


class FakeRuntime:
    def __init__(self, logger) -> None:
        pass

    def deserialize_cuda_engine(self, plan: bytes):
        return SimpleNamespace(num_io_tensors=2) if plan == b"PLAN" else None


def fake_tensorrt(version: str = "10.3.0"):
    return SimpleNamespace(__version__=version, Runtime=FakeRuntime,
                           Logger=type("Logger", (), {"WARNING": 1, "__init__": lambda self, level: None}))


def jetson_root(tmp_path: Path) -> Path:
    root = tmp_path / "jetson"
    (root / "etc").mkdir(parents=True)
    (root / "etc/nv_tegra_release").write_text("# R36 (release), REVISION: 4.3, GCID: 38968081, BOARD: generic\n")
    (root / "proc/device-tree").mkdir(parents=True)
    (root / "proc/device-tree/model").write_text("NVIDIA Jetson Orin Nano Engineering Reference Developer Kit Super\0")
    (root / "dev").mkdir()
    (root / "dev/video0").write_text("")
    (root / "dev/ttyTHS1").write_text("")
    (root / "sys/class/video4linux/video0").mkdir(parents=True)
    (root / "sys/class/video4linux/video0/name").write_text("vi-output, imx219 9-0010\n")
    return root


def by_name(checks) -> dict:
    return {c.name: c for c in checks}


def test_this_box_as_it_is(tmp_path, capsys):
    """No GPU, no camera here: what doctor says must match what is installed."""
    rc = main(["doctor", "--json", "--recordings", str(tmp_path)])
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)}
    assert rc == (1 if any(c["status"] == "fail" for c in checks.values()) else 0)
    assert checks["opencv"]["status"] == "ok" and checks["opencv"]["data"]["version"] == cv2.__version__
    assert checks["onnxruntime"]["detail"].startswith(onnxruntime.__version__)
    assert "CPUExecutionProvider" in checks["onnxruntime"]["data"]["providers"]
    gst = "YES" in cv2.getBuildInformation().split("GStreamer:")[1].splitlines()[0]
    assert checks["video i/o"]["status"] == ("ok" if gst else "warn")
    assert {"platform", "python", "numpy", "cameras", "gpu", "cuda-python", "tensorrt", "mqtt", "serial", "gpio",
            "disk"} <= set(checks)


def test_a_jetson_with_the_pypi_opencv_and_a_cuda13_cuda_python(tmp_path):
    modules = {"numpy": importlib.import_module("numpy"), "onnxruntime": onnxruntime,
               "cv2": SimpleNamespace(__version__="4.10.0", __file__="/venv/site-packages/cv2/__init__.py",
                                      getBuildInformation=lambda: JETSON_BUILD_NO_GST),
               "cuda.bindings.runtime": fake_cudart(), "tensorrt": fake_tensorrt()}
    versions = {"cuda-bindings": "13.0.1", "pyserial": "3.5"}
    env = Env(root=jetson_root(tmp_path), import_module=fake_importer(modules),
              which=lambda p: "/usr/bin/" + p if p == "gst-inspect-1.0" else None,
              run=lambda argv: "Factory Details: nvarguscamerasrc" if "nvarguscamerasrc" in argv else None,
              version=versions.get, recordings=tmp_path)
    c = by_name(run_checks(env))
    assert c["platform"].detail.startswith("NVIDIA Jetson Orin Nano") and "R36.4.3 = JetPack 6" in c["platform"].detail
    assert c["video i/o"].status == "fail" and "pip uninstall opencv-python-headless" in c["video i/o"].fix
    assert "/dev/video0 (vi-output, imx219 9-0010)" in c["cameras"].detail and "csi://" in c["cameras"].detail
    assert c["gpu"].status == "ok" and "Orin" in c["gpu"].detail and "driver CUDA 12.6" in c["gpu"].detail
    assert c["cuda-python"].status == "fail" and "foodcam[gpu]" in c["cuda-python"].fix
    assert c["tensorrt"].status == "ok" and c["tensorrt"].detail == "10.3.0"
    assert c["gpio"].status == "warn" and "Jetson.GPIO" in c["gpio"].fix
    assert "/dev/ttyTHS1" in c["serial"].detail
    text = report(run_checks(env))
    assert text.count("❌") == 2 and text.splitlines()[-1].startswith("2 problem(s) to fix")

    modules["cv2"] = SimpleNamespace(__version__="4.8.0", __file__="/usr/lib/python3/dist-packages/cv2/__init__.py",
                                     getBuildInformation=lambda: JETSON_BUILD_GST)  # JetPack's own cv2
    versions["cuda-bindings"] = "12.6.2"
    c = by_name(run_checks(env))
    assert c["video i/o"].status == "ok" and c["cuda-python"].status == "ok"


def test_a_gpu_server_seen_through_nvidia_smi_only(tmp_path):
    smi_header = "| NVIDIA-SMI 550.54.15   Driver Version: 550.54.15   CUDA Version: 12.4     |\n"
    outputs = {"--query-gpu=name,driver_version": "NVIDIA GeForce RTX 4090, 550.54.15\n"}

    def run(argv):
        return next((v for k, v in outputs.items() if k in argv), smi_header if argv == ["nvidia-smi"] else None)

    env = Env(root=tmp_path, import_module=fake_importer({"onnxruntime": onnxruntime}),
              which=lambda p: "/usr/bin/nvidia-smi" if p == "nvidia-smi" else None, run=run,
              version=lambda d: None, recordings=tmp_path)
    c = by_name(run_checks(env))
    assert c["gpu"].status == "ok"
    assert c["gpu"].detail == "NVIDIA GeForce RTX 4090, driver CUDA 12.4 (550.54.15), via nvidia-smi"
    assert c["cuda-python"].status == "warn" and "foodcam[gpu]" in c["cuda-python"].fix
    assert c["tensorrt"].status == "warn" and "tensorrt" in c["tensorrt"].fix
    assert c["opencv"].status == "fail" and "foodcam[opencv]" in c["opencv"].fix
    assert c["numpy"].status == "fail" and c["platform"].detail.endswith("(not a Jetson)")
    assert c["cameras"].status == "warn" and c["mqtt"].status == "warn"


def test_a_cpu_box_needs_no_gpu_stack(tmp_path):
    env = Env(root=tmp_path, import_module=fake_importer({"onnxruntime": onnxruntime}), which=lambda p: None,
              run=lambda a: None, version=lambda d: None, recordings=tmp_path)
    c = by_name(run_checks(env))
    assert c["gpu"].status == "warn" and c["cuda-python"].status == "ok" and c["tensorrt"].status == "ok"


@pytest.fixture
def engine(tmp_path) -> Path:
    onnx = seg_onnx(tmp_path / "m.onnx")
    path = tmp_path / "m.engine"
    write_engine(path, b"PLAN", {**read_metadata(onnx), "tensorrt": "10.3.0", "gpu": "Orin",
                                 "compute_capability": "8.7", "sm_count": "8"})
    return path


@pytest.mark.parametrize("trt_version, gpu, sms, plan, status, detail", [
    ("10.3.0", b"Orin", 8, b"PLAN", "ok", "deserialises with TensorRT 10.3.0 (2 I/O tensors)"),
    ("10.7.0", b"Orin", 8, b"PLAN", "fail", "built for another machine: TensorRT 10.3.0 vs 10.7.0 here"),
    ("10.3.0", b"NVIDIA RTX A2000", 8, b"PLAN", "fail", "GPU Orin vs NVIDIA RTX A2000 here"),
    ("10.3.0", b"Orin", 16, b"PLAN", "fail", "SM count 8 vs 16 here"),  # an Orin Nano engine on an AGX Orin
    ("10.3.0", b"Orin", 8, b"garbage", "fail", "could not deserialise"),
])
def test_engine_deserialisation(engine, tmp_path, trt_version, gpu, sms, plan, status, detail):
    engine.write_bytes(plan)
    env = Env(root=tmp_path, import_module=fake_importer({"cuda.bindings.runtime": fake_cudart(name=gpu, sms=sms),
                                                          "tensorrt": fake_tensorrt(trt_version)}),
              which=lambda p: None, run=lambda a: None, version={"cuda-bindings": "12.6.2"}.get, recordings=tmp_path)
    c = by_name(run_checks(env, model=str(engine)))["model m.engine"]
    assert c.status == status and detail in c.detail
    if status == "fail":
        assert "foodcam build" in c.fix


def test_engine_without_tensorrt_and_onnx_models(tmp_path, engine, capsys):
    env = Env(root=tmp_path, import_module=fake_importer({}), which=lambda p: None, run=lambda a: None,
              version=lambda d: None, recordings=tmp_path)
    c = by_name(run_checks(env, model=str(engine)))["model m.engine"]
    assert c.status == "fail" and "TensorRT is not installed" in c.detail

    onnx = seg_onnx(tmp_path / "tiny.onnx")
    assert main(["doctor", "--model", str(onnx), "--recordings", str(tmp_path)]) in (0, 1)
    out = capsys.readouterr().out
    assert "✅ model tiny.onnx" in out and "opens and runs a" in out

    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"not a model")
    assert main(["doctor", "--model", str(bad), "--json", "--recordings", str(tmp_path)]) == 1
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)}
    assert checks["model bad.onnx"]["status"] == "fail" and checks["model bad.onnx"]["fix"]


def test_disk_for_recordings(tmp_path):
    env = Env(root=tmp_path, import_module=fake_importer({}), which=lambda p: None, run=lambda a: None,
              version=lambda d: None, recordings=tmp_path / "missing")
    c = by_name(run_checks(env))["disk"]
    assert c.status == "fail" and "missing" in c.detail


def test_doctor_runs_without_opencv(tmp_path):
    """The box doctor must diagnose can lack cv2 altogether."""
    import subprocess
    import sys

    from test_cli_config import BLOCK_CV2

    p = subprocess.run([sys.executable, "-c", BLOCK_CV2, "doctor", "--recordings", str(tmp_path)],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 1, p.stderr
    assert "❌ opencv        not importable (cv2)\n   fix: pip install 'foodcam[opencv]'" in p.stdout


def _h264_env(tmp_path, which, run, cv2_module):
    modules = {"numpy": importlib.import_module("numpy"), "cv2": cv2_module}
    return Env(root=tmp_path, import_module=fake_importer(modules), which=which, run=run, version=lambda d: None,
               recordings=tmp_path)


def test_h264_encoder_is_checked_not_just_opencvs_ffmpeg(tmp_path, monkeypatch):
    """OpenCV's "FFmpeg yes" is how it reads videos; recordings and streams need an H.264 encoder."""
    monkeypatch.delenv("FOODCAM_FFMPEG", raising=False)
    no_avc1 = SimpleNamespace(__version__="4.10.0", __file__="/x/cv2/__init__.py",
                              getBuildInformation=lambda: JETSON_BUILD_NO_GST)  # no VideoWriter: no avc1 either
    ffmpeg = lambda p: "/usr/bin/ffmpeg" if p == "ffmpeg" else None  # noqa: E731
    probes = []

    def only_openh264(argv):
        probes.append(argv)
        return "" if "libopenh264" in argv else None

    c = by_name(run_checks(_h264_env(tmp_path, ffmpeg, only_openh264, no_avc1)))["h.264"]
    assert c.status == "ok" and c.detail.startswith("libopenh264 via ffmpeg (/usr/bin/ffmpeg)")
    assert [a for a in probes if a[0] == "/usr/bin/ffmpeg"][0][:3] == ["/usr/bin/ffmpeg", "-hide_banner", "-loglevel"]

    c = by_name(run_checks(_h264_env(tmp_path, ffmpeg, lambda a: None, no_avc1)))["h.264"]
    assert c.status == "warn" and "MPEG-4 Part 2 (mp4v)" in c.detail and "rtsp://" in c.detail
    assert c.fix == "apt install ffmpeg (libx264); /usr/bin/ffmpeg has neither libx264 nor libopenh264"

    c = by_name(run_checks(_h264_env(tmp_path, lambda p: None, lambda a: None, no_avc1)))["h.264"]
    assert c.status == "warn" and c.fix == "apt install ffmpeg (libx264)" and c.data == {"encoder": None}


def test_h264_on_this_box_matches_the_encoder_recordings_use(tmp_path, capsys):
    from foodcam.camera.sinks import encoders

    main(["doctor", "--json", "--recordings", str(tmp_path)])
    check = {c["name"]: c for c in json.loads(capsys.readouterr().out)}["h.264"]
    enc = encoders.ffmpeg_h264(encoders.ffmpeg_binary())
    if enc is not None:
        assert check["status"] == "ok" and check["data"] == {"encoder": enc, "via": "ffmpeg"}
    elif encoders.opencv_avc1():
        assert check["data"]["encoder"] == "avc1"
    else:
        assert check["status"] == "warn"

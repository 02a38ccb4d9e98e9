"""What machine a benchmark ran on, and a short hostname-free slug naming its results folder.

Versions come from installed package metadata, so collecting them imports none of the heavy libraries.
"""

from __future__ import annotations

import importlib.metadata as md
import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

# (report name, distributions that provide it, first found wins)
PACKAGES = {
    "numpy": ("numpy",),
    "opencv": ("opencv-python-headless", "opencv-python", "opencv-contrib-python-headless", "opencv-contrib-python"),
    "onnxruntime": ("onnxruntime-gpu", "onnxruntime", "onnxruntime-openvino", "onnxruntime-directml"),
    "onnx": ("onnx",),
    "tensorrt": ("tensorrt", "tensorrt-cu12", "tensorrt-cu13", "tensorrt_lean"),
    "torch": ("torch",),
    "torchvision": ("torchvision",),
    "cuda-python": ("cuda-python",),
}


def package_versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name, dists in PACKAGES.items():
        out[name] = None
        for dist in dists:
            try:
                out[name] = md.version(dist)
                break
            except md.PackageNotFoundError:
                continue
    if out["tensorrt"] is None:  # JetPack installs TensorRT's Python bindings without pip metadata
        out["tensorrt"] = _module_version("tensorrt")
    return out


def _module_version(module: str) -> str | None:
    import importlib.util

    try:
        if importlib.util.find_spec(module) is None:
            return None
        mod = __import__(module)
        return str(getattr(mod, "__version__", "unknown"))
    except Exception:  # noqa: BLE001 - a broken install is reported as absent
        return None


def cpu_model() -> str:
    """The CPU's marketing name from /proc/cpuinfo (Linux), else what the platform says."""
    try:
        text = Path("/proc/cpuinfo").read_text(errors="replace")
        for key in ("model name", "Hardware", "Processor", "cpu model"):
            m = re.search(rf"^{key}\s*:\s*(.+)$", text, re.MULTILINE)
            if m and m.group(1).strip():
                return m.group(1).strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown cpu"


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def gpus() -> list[dict[str, str]]:
    """One entry per NVIDIA GPU from nvidia-smi (name, driver, memory); empty without nvidia-smi."""
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return []
    try:
        out = subprocess.run(
            [smi, "--query-gpu=name,driver_version,memory.total,compute_cap", "--format=csv,noheader"],
            capture_output=True, text=True, timeout=15, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found = []
    for line in out.strip().splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) >= 3:
            found.append({"name": parts[0], "driver": parts[1], "memory": parts[2],
                          "compute_capability": parts[3] if len(parts) > 3 else ""})
    return found


def jetson_model() -> str | None:
    for p in (Path("/proc/device-tree/model"), Path("/sys/firmware/devicetree/base/model")):
        try:
            text = p.read_bytes().rstrip(b"\x00").decode(errors="replace").strip()
        except OSError:
            continue
        if text:
            return text
    return None


def memory_total_gib() -> float | None:
    try:
        import psutil

        return round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:
        return None


def system_info() -> dict:
    """CPU, cores, memory, GPUs with driver, OS, and the versions of every library a row may use."""
    return {
        "cpu": cpu_model(),
        "cores": usable_cores(),
        "logical_cpus": os.cpu_count(),
        "memory_gib": memory_total_gib(),
        "machine": platform.machine(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "python_executable": sys.executable,
        "gpus": gpus(),
        "jetson": jetson_model() if Path("/etc/nv_tegra_release").exists() else None,
        "packages": package_versions(),
    }


def slug(text: str) -> str:
    s = re.sub(r"\((r|tm)\)|\bcpu\b|\bprocessor\b|\bwith\b.*$|@.*$", " ", text.lower())
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    s = re.sub(r"-+", "-", s)
    return s[:40].strip("-") or "unknown"


def machine_slug(info: dict) -> str:
    """`jetson-<model>`, `gpu-<name>` or `cpu-<model>-<N>c`: no hostname, the same on identical machines."""
    if info.get("jetson"):
        return "jetson-" + slug(info["jetson"].removeprefix("NVIDIA ").removeprefix("Jetson "))
    if info.get("gpus"):
        return "gpu-" + slug(info["gpus"][0]["name"].removeprefix("NVIDIA "))
    return f"cpu-{slug(info.get('cpu') or 'unknown')}-{int(info.get('cores') or 1)}c"

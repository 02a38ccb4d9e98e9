"""cuda-python vs the NVIDIA driver (runtime/backends/cuda_compat.py) and the extras that pick cuda-python."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.requirements import Requirement

from foodcam.runtime.backends.cuda_compat import (
    EXTRA_FOR_MAJOR,
    cuda_python_matches_driver,
    cuda_python_status,
    format_cuda,
)
from foodcam.runtime.errors import FoodcamError

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10 (JetPack 6)
    tomllib = pytest.importorskip("tomli", reason="reading pyproject.toml on Python 3.10 needs tomli")

ROOT = Path(__file__).resolve().parents[1]


def test_cuda_13_bindings_on_a_jetpack_6_driver_are_refused():
    ok, reason = cuda_python_matches_driver("13.0.1", 12060)  # JetPack 6.1/6.2: CUDA 12.6 driver
    assert not ok
    assert reason == ("cuda-python 13.0.1 needs a CUDA 13 driver (R580 or newer) but this driver supports CUDA 12.6: "
                      "pip install 'foodcam[gpu]' (cuda-python 12.x)")
    assert "\n" not in reason


@pytest.mark.parametrize("installed, driver, ok, words", [
    ("12.6.2", 12020, True, "matches this driver (CUDA 12.2)"),       # JetPack 6.0
    ("12.9.0", 12060, True, "matches this driver (CUDA 12.6)"),
    ("13.0.0", 13000, True, "matches this driver (CUDA 13.0)"),
    ("12.9.0", 13000, True, "drivers run older CUDA majors); 'foodcam[gpu-cuda13]' matches it"),
    ("13.4.0", 12090, False, "pip install 'foodcam[gpu]'"),
    ("12.6.0", 0, False, "no NVIDIA driver found"),
    (None, 12060, False, "cuda-python is not installed"),
    ("abc", 12060, False, "not a version number"),
])
def test_cuda_python_vs_driver(installed, driver, ok, words):
    got, reason = cuda_python_matches_driver(installed, driver)
    assert got is ok and words in reason and "\n" not in reason


def test_status_gathers_versions_and_reports_unreadable_drivers():
    assert cuda_python_status(lambda: "13.0.0", lambda: 12060)[0] is False
    assert cuda_python_status(lambda: "12.6.0", lambda: 12060) == (True, "cuda-python 12.6.0 matches this driver (CUDA 12.6)")
    assert cuda_python_status(lambda: None, lambda: 13000)[1].startswith("cuda-python is not installed")

    def broken() -> int:
        raise FoodcamError("CUDA call cudaDriverGetVersion failed: cudaErrorInsufficientDriver")

    ok, reason = cuda_python_status(lambda: "13.0.0", broken)
    assert not ok and "driver version could not be read" in reason and "cudaErrorInsufficientDriver" in reason
    assert format_cuda(12060) == "12.6" and format_cuda(13010) == "13.1"


def test_status_on_this_machine_is_one_line():
    ok, reason = cuda_python_status()  # whatever is installed here; no GPU here means not ok, with a reason
    assert isinstance(ok, bool) and reason and "\n" not in reason


def _extras() -> dict[str, list[Requirement]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {k: [Requirement(r) for r in v] for k, v in project["optional-dependencies"].items()}


def _cuda_python(extra: str) -> Requirement:
    (req,) = [r for r in _extras()[extra] if r.name == "cuda-python"]
    return req


def test_gpu_extra_stays_on_cuda_12_and_cuda13_extra_on_13():
    gpu, gpu13 = _cuda_python("gpu").specifier, _cuda_python("gpu-cuda13").specifier
    assert gpu.contains("12.3.0") and gpu.contains("12.9.1") and not gpu.contains("12.2.0")
    assert not gpu.contains("13.0.0") and not gpu.contains("13.4.0")  # JetPack 6's CUDA 12 driver can't run 13
    assert gpu13.contains("13.0.0") and gpu13.contains("13.4.0") and not gpu13.contains("12.9.1")
    assert not gpu13.contains("14.0.0")
    assert {e.split("[")[1].rstrip("]") for e in EXTRA_FOR_MAJOR.values()} <= set(_extras())

"""Does the installed cuda-python fit this machine's NVIDIA driver? One answer, one line of reason.

cuda-python's major version is the CUDA major it is built for: cuda-python 13 needs a driver for CUDA 13
(R580 or newer) and finds no device on JetPack 6's CUDA 12 driver, while a newer driver runs an older major.
Hence the extras: `foodcam[gpu]` pins cuda-python 12 (JetPack 6, CUDA 12 drivers), `foodcam[gpu-cuda13]`
takes cuda-python 13. `foodcam doctor` (or anyone) calls `cuda_python_status()`.

    ok, reason = cuda_python_status()
    ok, reason = cuda_python_matches_driver("13.0.1", 12060)   # the logic alone, versions injected
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import metadata

EXTRA_FOR_MAJOR = {12: "foodcam[gpu]", 13: "foodcam[gpu-cuda13]"}
DRIVER_FOR_MAJOR = {12: "R525", 13: "R580"}  # first driver branch of each CUDA major (Linux)


def installed_cuda_python() -> str | None:
    """Version of the cuda-python runtime bindings: the cuda-bindings distribution (cuda-python >= 12.6 is a
    meta-package over it), else cuda-python itself (older releases); None if neither is installed."""
    for dist in ("cuda-bindings", "cuda-python"):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return None


def _extra(major: int) -> str:
    return EXTRA_FOR_MAJOR.get(major, f"cuda-python {major}.x")


def format_cuda(version: int) -> str:
    """12060 -> "12.6" (cudaDriverGetVersion's 1000 * major + 10 * minor)."""
    return f"{version // 1000}.{version % 1000 // 10}"


def cuda_python_matches_driver(cuda_python: str | None, driver: int) -> tuple[bool, str]:
    """(usable, one-line reason) for cuda-python version `cuda_python` on a driver reporting `driver`
    (cudaDriverGetVersion: 1000 * major + 10 * minor, 0 for no driver)."""
    if not cuda_python:
        return False, ("cuda-python is not installed: pip install 'foodcam[gpu]' (CUDA 12 driver, JetPack 6) "
                       "or 'foodcam[gpu-cuda13]' (CUDA 13 driver)")
    try:
        major = int(cuda_python.split(".")[0])
    except ValueError:
        return False, f"cuda-python version {cuda_python!r} is not a version number"
    if driver <= 0:
        return False, f"no NVIDIA driver found (cudaDriverGetVersion gave {driver}); cuda-python {cuda_python} sees no GPU"
    driver_major = driver // 1000
    cuda = format_cuda(driver)
    if major > driver_major:
        need = DRIVER_FOR_MAJOR.get(major, f"a CUDA {major} driver")
        return False, (f"cuda-python {cuda_python} needs a CUDA {major} driver ({need} or newer) but this driver "
                       f"supports CUDA {cuda}: pip install '{_extra(driver_major)}' (cuda-python {driver_major}.x)")
    if major < driver_major:
        return True, (f"cuda-python {cuda_python} runs on this CUDA {cuda} driver (drivers run older CUDA majors); "
                      f"'{_extra(driver_major)}' matches it")
    return True, f"cuda-python {cuda_python} matches this driver (CUDA {cuda})"


def cuda_python_status(
    version: Callable[[], str | None] = installed_cuda_python, driver: Callable[[], int] | None = None,
) -> tuple[bool, str]:
    """cuda_python_matches_driver for this machine; a reason instead of an exception when the driver can't be read."""
    installed = version()
    if installed is None:
        return cuda_python_matches_driver(None, 0)
    if driver is None:
        from foodcam.runtime.backends.cuda_mem import driver_version as driver
    try:
        found = int(driver())
    except Exception as e:  # FoodcamError (a failed call), ImportError (broken install), OSError (libraries)
        return False, f"cuda-python {installed} is installed but the driver version could not be read: {e}"
    return cuda_python_matches_driver(installed, found)

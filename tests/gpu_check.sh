#!/usr/bin/env bash
# GPU check for the TensorRT / cuda-python path. Run from the repository root on a machine with an NVIDIA GPU:
#   bash tests/gpu_check.sh            (python3 must already have numpy, onnx, onnxruntime, pytest, cuda-python)
# Installs nothing from the network: only this checkout, editable, without dependencies.
# Exit status: pytest's. Skipped tests are listed with their reasons (-rs): without TensorRT the
# tests/test_tensorrt.py GPU cases skip, and that is said, not hidden.
set -uo pipefail
cd "$(dirname "$0")/.."

echo "== machine"
nvidia-smi --query-gpu=index,name,driver_version,memory.total,compute_cap --format=csv 2>/dev/null || echo "nvidia-smi: not available"
python3 - <<'EOF'
import importlib.metadata as md, platform
print("python", platform.python_version())
for dist in ("cuda-python", "cuda-bindings", "torch", "cupy-cuda12x", "cupy-cuda13x", "tensorrt", "onnxruntime",
             "onnxruntime-gpu", "onnx", "numpy"):
    try:
        print(f"{dist} {md.version(dist)}")
    except md.PackageNotFoundError:
        print(f"{dist} -")
EOF

echo "== install (editable, no dependencies, no network)"
python3 -m pip install --no-index --no-deps --no-build-isolation -q -e . \
    || { echo "editable install failed: offline it needs setuptools>=70.1 (or setuptools>=68 + wheel)"; exit 3; }

echo "== cuda-python vs driver"
python3 -c "from foodcam.runtime.backends.cuda_compat import cuda_python_status as s; print(*s())"
python3 -c "from foodcam.runtime.backends.cuda_mem import device_count, device_info as i; \
print('devices', device_count(), [i(d) for d in range(device_count())])"

echo "== tests"
python3 -m pytest -q tests/test_cuda_mem.py tests/test_tensorrt.py tests/test_runtime_onnxrt.py -rs

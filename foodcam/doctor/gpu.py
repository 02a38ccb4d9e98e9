"""Doctor checks of the inference stack: ONNX Runtime and its providers, the NVIDIA driver and GPU, cuda-python
against the driver, TensorRT, and whether a given model opens here (`--model x.onnx | x.engine`)."""

from __future__ import annotations

import re
import time
from pathlib import Path

from foodcam.doctor import Check, Env
from foodcam.runtime.backends.cuda_compat import cuda_python_matches_driver, format_cuda

GPU_DOC = "docs/gpu-server.md"


def check_onnxruntime(env: Env) -> Check:
    ort = env.load("onnxruntime")
    if ort is None:
        return Check("onnxruntime", "fail", "not installed",
                     f"pip install onnxruntime (CPU), onnxruntime-gpu (desktop GPU, {GPU_DOC}) or the Jetson wheel "
                     "(docs/jetson.md)")
    providers = list(ort.get_available_providers())
    short = ", ".join(p.replace("ExecutionProvider", "") for p in providers)
    return Check("onnxruntime", "ok", f"{ort.__version__}: {short}", data={"providers": providers})


def _cudart(env: Env):
    return env.load("cuda.bindings.runtime") or env.load("cuda.cudart")


def probe_gpu(env: Env, jetson: bool) -> dict:
    """{'driver': 12060, 'runtime': 12060, 'gpu': name, 'via': 'cuda-python'|'nvidia-smi'|'jetson'} or {}."""
    cudart = _cudart(env)
    if cudart is not None:
        ok = cudart.cudaError_t.cudaSuccess
        try:
            err, driver = cudart.cudaDriverGetVersion()
            found: dict = {"via": "cuda-python", "driver": int(driver) if err == ok else 0}
            err, runtime = cudart.cudaRuntimeGetVersion()
            found["runtime"] = int(runtime) if err == ok else 0
            err, count = cudart.cudaGetDeviceCount()
            if err == ok and count > 0:
                err, prop = cudart.cudaGetDeviceProperties(0)
                name = prop.name.split(b"\0", 1)[0].decode(errors="replace") if isinstance(prop.name, bytes) \
                    else str(prop.name)
                found.update(gpu=name.strip(), count=int(count), compute_capability=f"{prop.major}.{prop.minor}")
                if hasattr(prop, "multiProcessorCount"):  # what tells Orin Nano / NX / AGX apart (sidecar keys)
                    found.update(sm_count=str(int(prop.multiProcessorCount)),
                                 memory_mib=str(int(prop.totalGlobalMem) >> 20))
            if found["driver"]:
                return found
        except Exception:  # noqa: BLE001 - a broken install: try the next probe
            pass
    if env.which("nvidia-smi"):
        q = env.run(["nvidia-smi", "--query-gpu=name,driver_version", "--format=csv,noheader"]) or ""
        head = env.run(["nvidia-smi"]) or ""
        rows = [r.split(",") for r in q.strip().splitlines() if "," in r]
        m = re.search(r"CUDA Version:\s*(\d+)\.(\d+)", head)
        if rows:
            return {"via": "nvidia-smi", "gpu": rows[0][0].strip(), "driver_release": rows[0][1].strip(),
                    "count": len(rows), "driver": int(m[1]) * 1000 + int(m[2]) * 10 if m else 0}
    if jetson:
        return {"via": "jetson", "gpu": "integrated (Jetson)", "driver": 0}
    return {}


def check_gpu(env: Env, jetson: bool) -> tuple[Check, dict]:
    g = probe_gpu(env, jetson)
    if not g:
        return Check("gpu", "warn", "no NVIDIA GPU found",
                     "models run on the CPU through ONNX Runtime; for a GPU see docs/gpu-server.md"), g
    if g["via"] == "jetson":
        return Check("gpu", "warn", "Jetson integrated GPU, not queried (no cuda-python, no nvidia-smi)",
                     "pip install 'foodcam[gpu]' (cuda-python 12 for JetPack 6) to use TensorRT engines", data=g), g
    parts = [g.get("gpu") or "no device visible"]
    if g.get("driver"):
        parts.append(f"driver CUDA {format_cuda(g['driver'])}" +
                     (f" ({g['driver_release']})" if g.get("driver_release") else ""))
    if g.get("runtime"):
        parts.append(f"runtime CUDA {format_cuda(g['runtime'])}")
    parts.append(f"via {g['via']}")
    if not g.get("gpu"):
        return Check("gpu", "fail", ", ".join(parts),
                     "the driver sees no GPU: check `nvidia-smi`, and in a container run with --gpus all "
                     "(desktop) or --runtime nvidia (Jetson)", data=g), g
    return Check("gpu", "ok", ", ".join(parts), data=g), g


def check_cuda_python(env: Env, g: dict) -> Check:
    version = env.version("cuda-bindings") or env.version("cuda-python")
    if not g:
        return Check("cuda-python", "ok", f"{version or 'not installed'} (no GPU here: not needed)")
    if not version:
        return Check("cuda-python", "warn", "not installed: .engine files cannot run",
                     "pip install 'foodcam[gpu]' (CUDA 12 driver, JetPack 6) or 'foodcam[gpu-cuda13]' (CUDA 13 driver)")
    if not g.get("driver"):
        return Check("cuda-python", "ok", f"{version} (driver version unknown here)")
    ok, reason = cuda_python_matches_driver(version, g["driver"])
    if not ok:
        fix = reason.split(": ", 1)[1] if ": pip install" in reason else reason
        return Check("cuda-python", "fail", reason.split(": pip install")[0], fix, data={"version": version})
    return Check("cuda-python", "ok", reason, data={"version": version})


def check_tensorrt(env: Env, g: dict) -> tuple[Check, object]:
    trt = env.load("tensorrt")
    if trt is None:
        if not g:
            return Check("tensorrt", "ok", "not installed (no GPU here: not needed; .onnx runs on ONNX Runtime)"), None
        return Check("tensorrt", "warn", "not installed: .engine files cannot run, `foodcam build` cannot build",
                     f"JetPack ships it (docs/jetson.md); desktop: pip install tensorrt-cu12 ({GPU_DOC})"), None
    return Check("tensorrt", "ok", str(trt.__version__), data={"version": str(trt.__version__)}), trt


def check_engine(path: Path, trt, g: dict) -> Check:
    name = f"model {path.name}"
    if trt is None:
        return Check(name, "fail", "a TensorRT engine, and TensorRT is not installed here",
                     "install TensorRT, or run the .onnx it was built from")
    from foodcam.runtime.backends.tensorrt import read_sidecar
    from foodcam.runtime.errors import FoodcamError

    try:
        sidecar = read_sidecar(path)
    except FoodcamError as e:
        return Check(name, "fail", str(e), "rebuild it with `foodcam build` on this machine")
    diffs = []
    if str(sidecar.get("tensorrt")) != str(trt.__version__):
        diffs.append(f"TensorRT {sidecar.get('tensorrt')} vs {trt.__version__} here")
    for key, label in (("gpu", "GPU"), ("compute_capability", "compute capability"), ("sm_count", "SM count"),
                       ("memory_mib", "GPU memory MiB")):  # whichever the sidecar and this GPU both tell
        if g.get(key) and sidecar.get(key) is not None and str(sidecar[key]) != str(g[key]):
            diffs.append(f"{label} {sidecar[key]} vs {g[key]} here")
    if diffs:
        return Check(name, "fail", "built for another machine: " + "; ".join(diffs),
                     "engines are not portable: rebuild from the .onnx with `foodcam build` here")
    runtime = trt.Runtime(trt.Logger(trt.Logger.WARNING))
    engine = runtime.deserialize_cuda_engine(path.read_bytes())
    if engine is None:
        return Check(name, "fail", "TensorRT could not deserialise it (corrupt, or built by another TensorRT/GPU)",
                     "rebuild it with `foodcam build` on this machine")
    n = getattr(engine, "num_io_tensors", "?")
    return Check(name, "ok", f"deserialises with TensorRT {trt.__version__} ({n} I/O tensors)")


def check_onnx(path: Path) -> Check:
    import numpy as np

    from foodcam.runtime.errors import FoodcamError
    from foodcam.runtime.open import open_model

    name = f"model {path.name}"
    try:
        with open_model(path) as model:
            spec = model.input_spec
            frame = np.zeros((spec.height, spec.width, 3), np.uint8)
            t = time.perf_counter()
            model.infer(model.preprocess(frame))
            ms = (time.perf_counter() - t) * 1000
            where = getattr(model, "backend", "onnxruntime")
    except (FoodcamError, OSError) as e:
        return Check(name, "fail", str(e), "re-export it with `foodcam export`")
    return Check(name, "ok", f"opens and runs a {spec.width}x{spec.height} frame on {where} in {ms:.0f} ms")


def check_model(model: str, trt, g: dict) -> Check:
    path = Path(model)
    if not path.is_file():
        return Check(f"model {path.name}", "fail", f"{model}: no such file", "give the path of a .onnx or .engine")
    if path.suffix.lower() in (".engine", ".plan", ".trt"):
        return check_engine(path, trt, g)
    if path.suffix.lower() == ".onnx":
        return check_onnx(path)
    return Check(f"model {path.name}", "fail", f"{model}: not a .onnx or .engine file", "give a .onnx or .engine")


def checks(env: Env, model: str | None, jetson: bool) -> list[Check]:
    gpu, g = check_gpu(env, jetson)
    trt_check, trt = check_tensorrt(env, g)
    out = [check_onnxruntime(env), gpu, check_cuda_python(env, g), trt_check]
    if model:
        out.append(check_model(model, trt, g))
    return out

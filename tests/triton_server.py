"""Start and stop a real Triton server for the tests (tests/pytriton_serve.py under PyTriton's tritonserver).

PyTriton comes from, in order: $FOODCAM_PYTRITON_PYTHON (a python that has nvidia-pytriton + onnxruntime),
this interpreter when it has them, or ./.venv-pytriton (its own venv: PyTriton pins numpy/protobuf versions
that may clash with the project's). `pytriton_python()` says which, or why none.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from ports import free_port

ROOT = Path(__file__).resolve().parents[1]
SERVE = Path(__file__).with_name("pytriton_serve.py")


def _has_pytriton(python: str) -> bool:
    try:
        return subprocess.run([python, "-c", "import pytriton.triton, onnxruntime"], capture_output=True,
                              timeout=120).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def pytriton_python() -> tuple[str | None, str]:
    """(python to run the server with, None if none) and where it came from / why none."""
    env = os.environ.get("FOODCAM_PYTRITON_PYTHON")
    if env:
        return (env, "FOODCAM_PYTRITON_PYTHON") if _has_pytriton(env) else (None, f"{env} lacks pytriton/onnxruntime")
    for python in (sys.executable, str(ROOT / ".venv-pytriton" / "bin" / "python")):
        if Path(python).exists() and _has_pytriton(python):
            return python, python
    return None, ("no PyTriton: pip install 'foodcam[triton-server]' onnxruntime (or into ./.venv-pytriton, "
                  "or set FOODCAM_PYTRITON_PYTHON)")


class TritonServer:
    """tritonserver (via PyTriton) serving REPO/NAME (and REPO/<each of also>) on 127.0.0.1, in its own process group."""

    def __init__(self, python: str, repo: Path, name: str, log: Path, also: tuple[str, ...] = ()) -> None:
        self.python, self.repo, self.name, self.log, self.also = python, repo, name, log, tuple(also)
        self.grpc, self.http, self.metrics = free_port(), free_port(), free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def grpc_url(self) -> str:
        return f"grpc://127.0.0.1:{self.grpc}/{self.name}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http}/{self.name}"

    def url(self, name: str, scheme: str = "grpc") -> str:
        return f"{scheme}://127.0.0.1:{self.grpc if scheme == 'grpc' else self.http}/{name}"

    def _env(self) -> dict:
        """PyTriton's Python-backend stub links libpython3.X by soname: the first one the loader finds (Debian's
        3.11.2) must be the one whose standard library the venv uses (pyenv's 3.11.7), or the stub fails in
        multiprocessing ('RLock' object has no attribute '_recursion_count'). Put the server python's LIBDIR first."""
        libdir = subprocess.run([self.python, "-c", "import sysconfig; print(sysconfig.get_config_var('LIBDIR'))"],
                                capture_output=True, text=True, timeout=60).stdout.strip()
        env = dict(os.environ)
        if libdir:
            env["LD_LIBRARY_PATH"] = os.pathsep.join(p for p in (libdir, env.get("LD_LIBRARY_PATH")) if p)
        return env

    def start(self, timeout: float = 240.0) -> None:
        """Start and wait until the model is ready; RuntimeError with the log's tail if the server dies first."""
        out = self.log.open("ab")
        self.proc = subprocess.Popen(
            [self.python, str(SERVE), str(self.repo), self.name, *self.also, "--grpc-port", str(self.grpc),
             "--http-port", str(self.http), "--metrics-port", str(self.metrics)],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=str(self.log.parent), env=self._env())
        import tritonclient.grpc as grpcclient

        client = grpcclient.InferenceServerClient(f"127.0.0.1:{self.grpc}")
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"tritonserver exited ({self.proc.returncode}): {self.tail()}")
            try:
                if all(client.is_model_ready(n) for n in (self.name, *self.also)):
                    return
            except Exception:  # noqa: BLE001 - not up yet
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"tritonserver not ready after {timeout:.0f} s: {self.tail()}")

    def tail(self, n: int = 6) -> str:
        lines = [ln for ln in self.log.read_text(errors="replace").splitlines() if ln.strip()]
        return " | ".join(lines[-n:])

    def kill(self) -> None:
        """SIGKILL the server's process group (tritonserver and its Python stubs): a crash, not a shutdown."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()

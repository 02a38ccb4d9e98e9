"""Against a real Triton server (PyTriton's tritonserver, tests/triton_server.py) serving a repository that
`foodcam export --triton-repo` wrote: the client's outputs equal local ONNX Runtime's, `foodcam run` with three
streams goes through it, and a server killed and restarted mid-run is survived."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from conftest import wait_until
from foodcam.runtime.open import open_model
from tiny_onnx import SEG_TASK, random_frames, seg_onnx

from foodcam.cli import main

pytest.importorskip("tritonclient.grpc", reason="pip install 'foodcam[triton]'")
from triton_server import TritonServer, pytriton_python  # noqa: E402

pytestmark = pytest.mark.slow  # a server start takes ~1 min on two busy cores


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(server, local ONNX path): the tiny segmentation model served as 'kitchen', batches of up to 4."""
    python, why = pytriton_python()
    if python is None:
        pytest.skip(why)
    tmp = tmp_path_factory.mktemp("triton")
    onnx_path = seg_onnx(tmp / "tiny.onnx")
    assert main(["export", "--onnx", str(onnx_path), "--triton-repo", str(tmp / "repo"), "--name", "kitchen",
                 "--max-batch", "4", "--instance-kind", "cpu"]) == 0
    server = TritonServer(python, tmp / "repo", "kitchen", tmp / "server.log")
    try:
        server.start()
    except RuntimeError as e:
        pytest.skip(f"tritonserver does not start here: {e}")
    yield server, onnx_path
    server.stop()


@pytest.mark.parametrize("suffix", ["grpc", "http", "grpc?shm=1", "http?shm=1"])
def test_client_outputs_equal_local_onnx_runtime(served, suffix):
    server, onnx_path = served
    scheme, _, query = suffix.partition("?")
    url = (server.grpc_url if scheme == "grpc" else server.http_url) + (f"?{query}" if query else "")
    local = open_model(onnx_path, backend="cpu")
    with open_model(url) as remote:
        assert remote.task == SEG_TASK  # from the server's model config parameters
        assert remote.input_spec.shape == (-1, *SEG_TASK.input_size, 3) and remote.backend.startswith("triton")
        frames = random_frames(7, *SEG_TASK.input_size)  # 7 > max_batch_size 4: sent as 4 + 3
        got, want = remote.infer(frames), local.infer(frames)
        assert set(got) == {"mask", "logits"}
        np.testing.assert_array_equal(got["mask"], want["mask"])  # 100 % of pixels
        np.testing.assert_allclose(got["logits"], want["logits"], rtol=0, atol=1e-6)
        frame = frames[0]
        np.testing.assert_array_equal(remote.predict(frame).mask, local.predict(frame).mask)


def test_run_three_streams_through_the_server(served, tmp_path):
    server, _ = served
    argv = ["run", "--model", server.grpc_url, "--max-frames", "24", "--events", str(tmp_path / "ev_{stream}.jsonl"),
            "--summary", str(tmp_path / "s.json"), "--batch", "3"]
    for i in range(3):
        argv += ["--source", f"synth://kitchen?fps=0&size=64x48&seed={i}"]
    assert main(argv) == 0
    s = json.loads((tmp_path / "s.json").read_text())
    assert s["frames"] >= 24 and s["model"] == server.grpc_url
    for i in range(3):
        st = s["streams"][str(i)]
        lines = [json.loads(x) for x in (tmp_path / f"ev_{i}.jsonl").read_text().splitlines()]
        assert st["frames"] > 0 and sum(r["type"] == "frame" for r in lines) == st["frames"]


def _frames_written(path) -> int:
    try:
        return sum('"type": "frame"' in x or '"type":"frame"' in x for x in path.read_text().splitlines())
    except FileNotFoundError:
        return 0


def test_server_killed_and_restarted_mid_run_is_survived(served, tmp_path):
    server, _ = served
    events, summary = tmp_path / "ev.jsonl", tmp_path / "s.json"
    run = subprocess.Popen(
        [sys.executable, "-m", "foodcam", "run", "--model", server.grpc_url, "--source",
         "synth://kitchen?fps=10&size=64x48", "--events", str(events), "--summary", str(summary),
         "--max-seconds", "900"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_until(lambda: _frames_written(events) >= 5, timeout=120), "no frames before the kill"
        server.kill()
        at_kill = _frames_written(events)
        time.sleep(2.0)  # requests fail meanwhile: frames dropped, the loop backs off
        assert run.poll() is None, run.communicate()[0][-2000:]
        server.start()
        assert wait_until(lambda: _frames_written(events) >= at_kill + 5, timeout=120), "no frames after restart"
        run.send_signal(signal.SIGTERM)  # a clean end: outputs finalised, exit 0
        out = run.communicate(timeout=60)[0]
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 0, out[-2000:]
    s = json.loads(summary.read_text())
    assert s["model_dropped"] > 0 and s["model_reconnects"] >= 1 and s["stopped_by"] == "SIGTERM"
    assert "model unreachable:" in out and "reconnected" in out

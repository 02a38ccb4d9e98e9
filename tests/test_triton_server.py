"""Against a real Triton server (PyTriton's tritonserver, tests/triton_server.py) serving a repository that
`foodcam export --triton-repo` wrote: the client's outputs equal local ONNX Runtime's, `foodcam run` with three
streams goes through it, a server killed and restarted mid-run is survived, and `predict`, `eval`, `bench`,
`sort` and the app given the URL in place of the file give what they give for the local file."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from conftest import wait_until
from tiny_onnx import SEG_TASK, cls_onnx, random_frames, seg_onnx

from foodcam.cli import main
from foodcam.runtime.colour import colorize
from foodcam.runtime.imageio import read_image, write_image
from foodcam.runtime.open import open_model

pytest.importorskip("tritonclient.grpc", reason="pip install 'foodcam[triton]'")
from triton_server import TritonServer, pytriton_python  # noqa: E402

pytestmark = pytest.mark.slow  # a server start takes ~1 min on two busy cores


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(server, local ONNX path, local freshness ONNX path): the tiny segmentation model served as 'kitchen' and a
    tiny freshness classifier as 'fresh', batches of up to 4. One server for the whole module."""
    python, why = pytriton_python()
    if python is None:
        pytest.skip(why)
    tmp = tmp_path_factory.mktemp("triton")
    onnx_path = seg_onnx(tmp / "tiny.onnx")
    fresh_path = cls_onnx(tmp / "fresh.onnx")
    for path, name in ((onnx_path, "kitchen"), (fresh_path, "fresh")):
        assert main(["export", "--onnx", str(path), "--triton-repo", str(tmp / "repo"), "--name", name,
                     "--max-batch", "4", "--instance-kind", "cpu"]) == 0
    server = TritonServer(python, tmp / "repo", "kitchen", tmp / "server.log", also=("fresh",))
    try:
        server.start()
    except RuntimeError as e:
        pytest.skip(f"tritonserver does not start here: {e}")
    yield server, onnx_path, fresh_path
    server.stop()


@pytest.mark.parametrize("suffix", ["grpc", "http", "grpc?shm=1", "http?shm=1"])
def test_client_outputs_equal_local_onnx_runtime(served, suffix):
    server, onnx_path, _ = served
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
    server, _, _ = served
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
    server, _, _ = served
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


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory):
    """A few labelled kitchen frames (train/val/test) for eval and predict."""
    out = tmp_path_factory.mktemp("data") / "kitchen"
    assert main(["synth", "kitchen", "--out", str(out), "--count", "12", "--seed", "0", "--size", "40x32"]) == 0
    return out


@pytest.mark.parametrize("scheme", ["grpc", "http"])
def test_predict_via_the_url_writes_the_local_masks(served, tiny_data, tmp_path, scheme):
    server, onnx_path, _ = served
    images = sorted((tiny_data / "val" / "images").iterdir())[:2]
    src = tmp_path / "in"
    src.mkdir()
    for p in images:
        (src / p.name).write_bytes(p.read_bytes())
    assert main(["predict", "--weights", str(onnx_path), "--source", str(src), "--out", str(tmp_path / "local")]) == 0
    assert main(["predict", "--weights", server.url("kitchen", scheme), "--source", str(src),
                 "--out", str(tmp_path / "remote")]) == 0
    local = sorted(p.name for p in (tmp_path / "local").glob("*.png"))
    assert len(local) == 2 and local == sorted(p.name for p in (tmp_path / "remote").glob("*.png"))
    for name in local:
        np.testing.assert_array_equal(read_image(tmp_path / "remote" / name), read_image(tmp_path / "local" / name))


def test_eval_via_the_url_gives_the_local_miou(served, tiny_data, tmp_path, capsys):
    server, onnx_path, _ = served
    assert main(["eval", "--weights", str(onnx_path), "--data", str(tiny_data), "--out", str(tmp_path / "local")]) == 0
    assert main(["eval", "--weights", server.grpc_url, "--data", str(tiny_data), "--out", str(tmp_path / "remote")]) == 0
    local = json.loads((tmp_path / "local" / "metrics.json").read_text())
    remote = json.loads((tmp_path / "remote" / "metrics.json").read_text())
    assert remote["weights"] == server.grpc_url and remote["backend"].startswith("triton")
    assert remote["images"] == local["images"] > 0
    assert remote["miou"] == local["miou"] and remote["confusion"] == local["confusion"]
    assert f"{server.grpc_url} [triton" in capsys.readouterr().out  # named by its URL, not a folded path


def test_verify_of_a_url_is_a_one_line_error(served, tiny_data, tmp_path, capsys):
    server, _, _ = served
    rc = main(["eval", "--weights", server.grpc_url, "--data", str(tiny_data), "--out", str(tmp_path / "e"), "--verify"])
    assert rc == 2 and "--verify compares a model file's sha256" in capsys.readouterr().err


def test_bench_models_url_writes_a_triton_row(served, tiny_data, tmp_path):
    server, onnx_path, _ = served
    assert main(["bench", "--models", str(onnx_path), server.grpc_url, "--backends", "cpu", "--iters", "5",
                 "--warmup", "1", "--processes", "1", "--rounds", "1", "--round-iters", "3", "--loop-frames", "5",
                 "--data", str(tiny_data), "--out", str(tmp_path / "b")]) == 0
    rows = json.loads((tmp_path / "b" / "bench.json").read_text())["rows"]
    local = next(r for r in rows if r["model"] == str(onnx_path))
    remote = next(r for r in rows if r["model"] == server.grpc_url)
    assert remote["format"] == "triton" and remote["backend"] == "triton" and remote["runtime"].startswith("triton")
    assert remote["status"] == "validated", remote.get("reason")
    assert remote["iters"] >= 5 and remote["latency_ms"]["median"] > 0 and remote["fps"] > 0
    assert remote["task"] == "kitchen" and remote["imgsz"] == list(SEG_TASK.input_size)
    assert remote["loop"].get("frames", 0) >= 5, remote["loop"]  # the camera loop ran through the server
    assert remote["miou"] == local["miou"]  # the same evaluation, the same model
    assert "complexity_note" in remote and "size_bytes" not in remote


def _line(path) -> str:
    path.write_text(json.dumps({"name": "triton-line", "lane": {"rect": [0, 24, 480, 176]}, "camera_line": 240,
                                "ejector": {"travel_time_s": 2.5}, "decision": {"reject_threshold": 0.5, "min_frames": 3},
                                "actuator": {"type": "dryrun", "pulse_ms": 40}}))
    return str(path)


def test_sort_with_the_served_freshness_model_decides_as_locally(served, tmp_path):
    server, _, fresh_path = served
    line = _line(tmp_path / "line.yaml")
    src = "synth://conveyor?fps=20&size=480x200&seed=2"
    summaries = {}
    for key, model in (("local", str(fresh_path)), ("remote", server.url("fresh"))):
        out = tmp_path / f"{key}.json"
        assert main(["sort", "--model", model, "--source", src, "--line", line, "--max-seconds", "4",
                     "--sim-latency", "0.02", "--audit", str(tmp_path / f"{key}.jsonl"), "--json", str(out)]) == 0
        summaries[key] = json.loads(out.read_text())
    local, remote = summaries["local"], summaries["remote"]
    assert remote["frames"] == local["frames"] >= 60 and remote["items"] == local["items"] > 0
    for k in ("rejected", "passed", "fired", "missed", "lost"):
        assert remote[k] == local[k], k
    decisions = [[(r["id"], r["outcome"]) for r in map(json.loads, (tmp_path / f"{k}.jsonl").read_text().splitlines())]
                 for k in ("local", "remote")]
    assert decisions[0] == decisions[1] and decisions[0]


def test_app_page_analyses_a_photo_through_the_url(served, tmp_path):
    pytest.importorskip("gradio", reason="pip install 'foodcam[app]'")
    from foodcam.app.server import configure_gradio, open_served

    server, onnx_path, _ = served
    configure_gradio(tmp_path / "gradio")
    from foodcam.app.page import build_page

    frame = random_frames(1, 48, 60, seed=3)[0]
    photo = tmp_path / "photo.png"
    write_image(photo, frame)
    served_models = open_served([server.http_url])
    try:
        assert served_models[0].name == server.http_url
        page = build_page(served_models, tmp_path / "work")
        analyze = next(f for f in page.fns.values() if f.api_name == "analyze").fn
        info, report, status, overlay, legend, mask_png = analyze(("photo.png", str(photo)))[:6]
    finally:
        for s in served_models:
            s.close()
    with open_model(onnx_path, backend="cpu") as local:
        want = local.predict(frame)
    model = report["models"][0]
    assert "photo.png" in info and model["backend"].startswith("triton") and model["task"] == "kitchen"
    assert model["areas_percent"] == pytest.approx({c: 100 * v for c, v in want.shares.items()}, abs=1e-3)
    np.testing.assert_array_equal(read_image(mask_png), colorize(want.mask_full, SEG_TASK.seg_head))

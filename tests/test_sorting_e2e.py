"""The sorting line end to end on synth://conveyor, through `foodcam sort`, with a real ONNX model.

The model is a TEST FIXTURE, not a trained network: a real deployment ONNX (uint8 NHWC BGR in, per-head
probabilities out, foodcam metadata) built with onnx.helper. It computes colour statistics of the crop
(fruit pixels are those not dominated by the blue belt: their mean colour, spread and darkness) and two
logistic regressions over them, fitted here with numpy on crops of a differently seeded conveyor.
"""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from foodcam.camera.sorting.audit import read_audit
from foodcam.camera.sorting.items import crop
from foodcam.runtime.tasks import FRESHNESS
from foodcam.scenes.conveyor import ConveyorFeed

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from foodcam.runtime.backends.onnx_meta import make_metadata, metadata_to_props  # noqa: E402

SIZE = 40
TASK = FRESHNESS.with_input_size(SIZE, SIZE)
FPS = 20.0
URI = f"synth://conveyor?fps={FPS:g}&size=480x200&seed=2"  # a scene with fresh and rotten fruit early on


def _features(x: np.ndarray) -> np.ndarray:
    """The statistics the ONNX graph computes, in numpy: (N, H, W, 3) uint8 -> (N, 8)."""
    x = x.astype(np.float32)
    b, g, r = x[..., 0], x[..., 1], x[..., 2]
    mgr = np.maximum(g, r)
    w = np.clip((mgr - b) * 0.05, 0, 1)
    dark = 1 / (1 + np.exp(-(80 - np.maximum(mgr, b)) * 0.1))
    sw = w.sum((1, 2)) + 1e-3
    f = [(w * c).sum((1, 2)) / sw for c in (b, g, r)] + [(w * c * c).sum((1, 2)) / sw / 255 for c in (b, g, r)]
    return np.stack(f + [(w * dark).sum((1, 2)) / sw, sw / (SIZE * SIZE)], 1)


def _fit(feats: np.ndarray, y: np.ndarray, k: int, steps: int = 1500, lr: float = 0.5):
    mu, sd = feats.mean(0), feats.std(0) + 1e-6
    z = (feats - mu) / sd
    wt, b, onehot = np.zeros((z.shape[1], k)), np.zeros(k), np.eye(k)[y]
    for _ in range(steps):
        s = z @ wt + b
        p = np.exp(s - s.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        g = (p - onehot) / len(y)
        wt -= lr * (z.T @ g + 1e-3 * wt)
        b -= lr * g.sum(0)
    return mu, sd, wt, b


def _training_crops(seed: int = 101, frames: int = 150):
    feed = ConveyorFeed(size=(480, 200), seed=seed, fps=5.0, rotten_ratio=0.5, spawn_every_s=0.7)
    xs, rotten, fruit = [], [], []
    for _ in range(frames):
        img, truth = feed.next()
        for t in truth:
            if t.fully_visible:
                xs.append(cv2.resize(crop(img, t.bbox), (SIZE, SIZE), interpolation=cv2.INTER_LINEAR))
                rotten.append(int(t.rotten))
                fruit.append(TASK.head("fruit").classes.index(t.fruit))
    return np.stack(xs), np.array(rotten), np.array(fruit)


def _const(name: str, value) -> onnx.TensorProto:
    return numpy_helper.from_array(np.asarray(value, np.float32), name)


def build_colour_model(path) -> None:
    x, rotten, fruit = _training_crops()
    feats = _features(x)
    heads = {"fruit": _fit(feats, fruit, 4), "freshness": _fit(feats, rotten, 2)}
    inits = [_const("k005", 0.05), _const("k0", 0.0), _const("k1", 1.0), _const("k80", 80.0), _const("k01", 0.1),
             _const("eps", 1e-3), _const("k255", 255.0), _const("npx", float(SIZE * SIZE)),
             numpy_helper.from_array(np.array([1, 2, 3], np.int64), "axes")]
    n = helper.make_node
    nodes = [
        n("Cast", ["images"], ["x"], to=TensorProto.FLOAT),
        n("Split", ["x"], ["B", "G", "R"], axis=3),
        n("Max", ["G", "R"], ["mgr"]), n("Max", ["mgr", "B"], ["V"]),
        n("Sub", ["mgr", "B"], ["d"]), n("Mul", ["d", "k005"], ["d2"]), n("Clip", ["d2", "k0", "k1"], ["w"]),
        n("Sub", ["k80", "V"], ["dv"]), n("Mul", ["dv", "k01"], ["dv2"]), n("Sigmoid", ["dv2"], ["dark"]),
        n("ReduceSum", ["w", "axes"], ["sw0"], keepdims=1), n("Add", ["sw0", "eps"], ["sw"]),
    ]
    feats_out = []
    for c in ("B", "G", "R"):
        nodes += [n("Mul", ["w", c], [f"w{c}"]), n("ReduceSum", [f"w{c}", "axes"], [f"s{c}"], keepdims=1),
                  n("Div", [f"s{c}", "sw"], [f"m{c}"])]
        feats_out.append(f"m{c}")
    for c in ("B", "G", "R"):
        nodes += [n("Mul", [f"w{c}", c], [f"q{c}"]), n("ReduceSum", [f"q{c}", "axes"], [f"sq{c}"], keepdims=1),
                  n("Div", [f"sq{c}", "sw"], [f"mq{c}"]), n("Div", [f"mq{c}", "k255"], [f"v{c}"])]
        feats_out.append(f"v{c}")
    nodes += [n("Mul", ["w", "dark"], ["wd"]), n("ReduceSum", ["wd", "axes"], ["sd"], keepdims=1),
              n("Div", ["sd", "sw"], ["mdark"]), n("Div", ["sw", "npx"], ["cover"])]
    feats_out += ["mdark", "cover"]
    nodes += [n("Concat", feats_out, ["f4"], axis=1), n("Flatten", ["f4"], ["feat"], axis=1)]
    outputs = []
    for head in ("fruit", "freshness"):
        mu, sd, wt, b = heads[head]
        inits += [_const(f"{head}_mu", mu), _const(f"{head}_sd", sd), _const(f"{head}_w", wt), _const(f"{head}_b", b)]
        nodes += [n("Sub", ["feat", f"{head}_mu"], [f"{head}_c"]), n("Div", [f"{head}_c", f"{head}_sd"], [f"{head}_z"]),
                  n("MatMul", [f"{head}_z", f"{head}_w"], [f"{head}_mm"]),
                  n("Add", [f"{head}_mm", f"{head}_b"], [f"{head}_l"]),
                  n("Softmax", [f"{head}_l"], [head], axis=1)]
        outputs.append(helper.make_tensor_value_info(head, TensorProto.FLOAT, ["N", wt.shape[1]]))
    graph = helper.make_graph(nodes, "colour_statistics_fixture",
                              [helper.make_tensor_value_info("images", TensorProto.UINT8, ["N", SIZE, SIZE, 3])],
                              outputs, initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="foodcam-tests")
    model.ir_version = 8
    meta = make_metadata(TASK, "fp32", source={"checkpoint": "test fixture: colour-statistics logistic regression"})
    helper.set_model_props(model, metadata_to_props(meta))
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


@pytest.fixture(scope="module")
def colour_model(tmp_path_factory):
    path = tmp_path_factory.mktemp("sorting") / "colour_fixture.onnx"
    build_colour_model(path)
    return path


def _line(tmp_path, travel: float = 2.5, **decision) -> str:
    p = tmp_path / "line.yaml"
    p.write_text(json.dumps({  # JSON is YAML
        "name": "test-line",
        "lane": {"rect": [0, 24, 480, 176]},
        "camera_line": 240,
        "ejector": {"travel_time_s": travel},
        "decision": {"reject_threshold": 0.5, "min_frames": 3, **decision},
        "timing": {"tolerance_s": 0.02},
        "actuator": {"type": "dryrun", "pulse_ms": 40},
    }))
    return str(p)


def test_fixture_graph_matches_numpy(colour_model):
    from foodcam.runtime.open import open_model

    x, _, _ = _training_crops(seed=7, frames=20)
    with open_model(colour_model) as m:
        out = m.infer(x)
    assert out["freshness"].shape == (len(x), 2) and out["fruit"].shape == (len(x), 4)
    np.testing.assert_allclose(out["freshness"].sum(1), 1.0, atol=1e-5)
    assert np.isfinite(_features(x)).all()


def test_sort_cli_on_simulated_conveyor(colour_model, tmp_path, capsys):
    from foodcam.cli import main

    audit = tmp_path / "audit.jsonl"
    summary_json = tmp_path / "summary.json"
    rc = main(["sort", "--model", str(colour_model), "--source", URI, "--line", _line(tmp_path),
               "--audit", str(audit), "--max-seconds", "12", "--json", str(summary_json)])
    assert rc == 0
    printed = capsys.readouterr().out
    assert "items counted once" in printed and "fired" in printed
    s = json.loads(summary_json.read_text())
    t = s["truth"]
    # every item whose centre crossed the camera line is counted exactly once, and nothing else is
    assert t["expected"] >= 6
    assert t["counted_once"] == t["expected"] and not t["not_counted"] and not t["counted_twice"]
    assert t["false_items"] == 0
    assert t["accuracy"] >= 0.85
    # actuation timing vs ground truth within one frame interval (simulated clock)
    assert t["max_timing_error_s"] is not None and t["max_timing_error_s"] <= 1.0 / FPS
    recs = read_audit(audit)
    decided = [r for r in recs if r.get("decision")]
    assert len(decided) == s["items"]
    assert {r["id"] for r in recs} == {r["id"] for r in recs if r["outcome"] in
                                       ("fired", "missed", "passed", "lost", "incomplete")}
    for r in decided:
        assert r["frames"] >= 1 and r["first_seen"] <= r["last_seen"]
        if r["decision"] == "pass":
            assert r["outcome"] == "passed" and r["actual_at"] is None
        else:
            assert r["outcome"] == "fired", r
            assert r["actual_at"] == pytest.approx(r["scheduled_at"], abs=1e-9)  # simulated: exactly on time
            assert abs(r["scheduled_at"] - t["items"][str(r["id"])]["fire_at"]) <= 1.0 / FPS
        assert (r["p_rotten"] >= 0.5) == (r["decision"] == "reject") or r["low_confidence"]
    assert s["fired"] == s["rejected"] + s["diverted"] and s["missed"] == 0
    assert s["actuator"]["sent"] == s["fired"]


def test_latency_beyond_the_window_is_logged_missed(colour_model, tmp_path):
    """Travel time shorter than the processing latency: every reject is missed, and logged as such."""
    from foodcam.camera.actuators import open_actuator
    from foodcam.camera.sorting.app import open_line_source, sort
    from foodcam.camera.sorting.audit import AuditLog
    from foodcam.camera.sorting.line import load_line
    from foodcam.runtime.open import open_model

    line = load_line(_line(tmp_path, travel=0.05, decide_at="exit"))
    act = open_actuator(line.actuator)
    act.connect()
    audit_path = tmp_path / "missed.jsonl"
    with open_model(colour_model) as model, open_line_source(URI) as src, AuditLog(audit_path) as audit:
        s = sort(model, src, line, act, audit, max_frames=160)
    # decided when it leaves the lane (~1.6 s after the camera line): far past a 50 ms travel time
    assert s["rejected"] >= 1 and s["fired"] == 0 and s["missed"] == s["rejected"] + s["diverted"]
    recs = [r for r in read_audit(audit_path) if r.get("decision") == "reject"]
    assert recs and all(r["outcome"] == "missed" and "after its actuation time" in r["error"] for r in recs)
    assert act.sent == 0


def test_decide_at_line_fires_on_time_with_latency(colour_model, tmp_path):
    """Deciding at the camera line with a fixed 30 ms processing latency: commands are still on time."""
    from foodcam.camera.actuators import open_actuator
    from foodcam.camera.sorting.app import open_line_source, sort
    from foodcam.camera.sorting.line import load_line
    from foodcam.runtime.open import open_model

    line = load_line(_line(tmp_path, travel=0.4, decide_at="line"))
    act = open_actuator(line.actuator)
    act.connect()
    with open_model(colour_model) as model, open_line_source(URI) as src:
        s = sort(model, src, line, act, max_frames=140, sim_latency=0.03)
    t = s["truth"]
    assert t["counted_once"] == t["expected"] >= 4 and not t["counted_twice"]
    assert s["missed"] == 0 and s["fired"] == s["rejected"] + s["diverted"] >= 1
    assert t["max_timing_error_s"] <= 1.0 / FPS
    assert all(c["at"] >= 0 for c in act.fired)


def test_sort_cli_errors_are_one_line(tmp_path, capsys, colour_model):
    from foodcam.cli import main

    bad = tmp_path / "bad.yaml"
    bad.write_text("lane: {rect: [0, 0, 10]}\nejector: {travel_time_s: 1}\n")
    rc = main(["sort", "--model", str(colour_model), "--source", URI, "--line", str(bad)])
    err = capsys.readouterr().err
    assert rc == 2 and "lane.rect" in err and "Traceback" not in err
    rc = main(["sort", "--model", str(tmp_path / "none.onnx"), "--source", URI, "--line", _line(tmp_path)])
    assert rc == 2 and "no such model file" in capsys.readouterr().err


def test_realtime_line_with_udp_ejector(colour_model, tmp_path):
    """Paced on the wall clock: the timer thread fires over a real UDP socket; every item is accounted for."""
    import socket

    from foodcam.camera.actuators import open_actuator
    from foodcam.camera.sorting.app import open_line_source, sort
    from foodcam.camera.sorting.audit import AuditLog
    from foodcam.camera.sorting.line import parse_line
    from foodcam.runtime.open import open_model

    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.bind(("127.0.0.1", 0))
    rx.settimeout(0.2)
    d = json.loads(open(_line(tmp_path)).read())
    d["actuator"] = {"type": "udp", "host": "127.0.0.1", "port": rx.getsockname()[1]}
    line = parse_line(d, "line.yaml")
    act = open_actuator(line.actuator, line=line.name)
    act.connect()
    path = tmp_path / "rt.jsonl"
    try:
        with open_model(colour_model) as model, open_line_source(URI, realtime=True) as src, AuditLog(path) as audit:
            assert src.live
            # 4 s of the scene's own time, however slowly this machine renders it (30 s wall at most)
            s = sort(model, src, line, act, audit, max_seconds=30, on_frame=[lambda out: out.frame.index >= 4 * FPS])
        got = []
        try:
            while True:
                got.append(json.loads(rx.recv(2048)))
        except TimeoutError:
            pass
    finally:
        act.close()
        rx.close()
    assert s["clock"] == "wall"
    t = s["truth"]
    assert t["expected"] >= 1 and t["counted_once"] == t["expected"] and not t["counted_twice"]
    recs = read_audit(path)
    assert len([r for r in recs if r.get("decision")]) == s["items"]
    assert s["fired"] + s["missed"] == s["rejected"] + s["diverted"]  # each command accounted for once
    assert sorted(m["id"] for m in got) == sorted(r["id"] for r in recs if r["outcome"] == "fired")


def test_finished_items_leave_no_state_behind(colour_model, tmp_path):
    """A line that runs for weeks must not grow per item: once an item's track is over it lives on only as counts
    and in the audit log (the 60-minute soak grew ~10 KB per item before this)."""
    from foodcam.camera.actuators import open_actuator
    from foodcam.camera.sorting.app import open_line_source
    from foodcam.camera.sorting.line import load_line
    from foodcam.camera.sorting.sorter import Sorter
    from foodcam.camera.sorting.stage import SimClock
    from foodcam.runtime.open import open_model

    line = load_line(_line(tmp_path, travel=0.4, decide_at="line"))
    act = open_actuator(line.actuator)
    act.connect()
    with open_model(colour_model) as model, open_line_source(URI) as src:
        sorter = Sorter(model, line, act, clock=SimClock(), sim_latency=0.01)
        for i, frame in enumerate(src):
            if i == 300:
                break
            res = sorter.process(frame.image, frame.index / FPS, frame.truth)
            assert len(sorter.decided) <= len(res.items)  # only items still in view
        s = sorter.finish()
    assert s["items"] >= 8 and s["fired"] == s["rejected"] + s["diverted"]
    assert not hasattr(sorter, "records")

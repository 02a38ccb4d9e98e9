"""Calibrated classifiers that can say "not sure": the maths, the task description, the runtime, `predict`, the
app's result text and the sorting line's `unsure` policy (runtime/calibration.py, train/calibrate.py)."""

from __future__ import annotations

import json

import numpy as np
import onnx
import pytest

from foodcam.runtime import calibration as cal
from foodcam.runtime.calibration import Calibration
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.open import open_model
from foodcam.runtime.tasks import FOODSEG, FRESHNESS, TaskSpec
from tests.conftest import foodcam
from tests.tiny_onnx import CLS_TASK, cls_onnx, cls_reference, random_frames


def stamp(src, dst, task_dict: dict) -> str:
    """A copy of ONNX `src` whose foodcam metadata carries `task_dict` (written raw: not validated)."""
    proto = onnx.load(str(src))
    for p in proto.metadata_props:
        if p.key == "foodcam":
            meta = json.loads(p.value)
            meta["task"] = task_dict
            p.value = json.dumps(meta)
    onnx.save(proto, str(dst))
    return str(dst)


def calibrated(task: TaskSpec, score: str = "msp", threshold: float = 0.0, temperature: float = 2.0) -> TaskSpec:
    for h in task.heads:
        if h.kind == "classification":
            task = task.with_calibration(h.name, Calibration(temperature, score, threshold))
    return task


# --- the maths ------------------------------------------------------------------------------------------


def test_temperature_fit_recovers_the_temperature_that_made_the_labels():
    rng = np.random.default_rng(0)
    z = rng.normal(0, 4, (4000, 4))
    p = cal.softmax(z / 2.5)
    labels = np.array([rng.choice(4, p=row) for row in p])
    t = cal.fit_temperature(z, labels)
    assert t == pytest.approx(2.5, rel=0.12)
    assert cal.nll(z, labels, t) < cal.nll(z, labels, 1.0)
    assert cal.ece(cal.softmax(z / t), labels) < cal.ece(cal.softmax(z), labels)


def test_ece_of_known_cases():
    sure_and_right = np.tile([0.8, 0.2], (10, 1))
    labels = np.array([0] * 8 + [1] * 2)  # 80 % right at 80 % confidence
    assert cal.ece(sure_and_right, labels) == pytest.approx(0.0, abs=1e-9)
    overconfident = np.tile([1.0, 0.0], (10, 1))
    assert cal.ece(overconfident, np.array([0, 1] * 5)) == pytest.approx(0.5)


@pytest.mark.parametrize("n", [50, 1000, 1479])
def test_threshold_flags_at_most_the_share(n):
    scores = np.random.default_rng(n).normal(size=n)
    scores[:10] = scores[0]  # ties
    t = cal.choose_threshold(scores, 0.02)
    flagged = int((scores > t).sum())
    assert flagged <= 0.02 * n and flagged >= int(0.02 * n) - 10


def test_probabilities_rescale_like_logits():
    z = np.array([[2.0, 0.5, -1.0]])
    np.testing.assert_allclose(cal.rescale(cal.softmax(z), 1.7), cal.softmax(z / 1.7), atol=1e-9)


# --- the task description ---------------------------------------------------------------------------------


def test_uncalibrated_description_is_unchanged_and_round_trips():
    d = FRESHNESS.to_dict()
    assert all("calibration" not in h for h in d["heads"])
    assert all(h.calibration is None for h in TaskSpec.from_dict(d).heads)
    task = calibrated(FRESHNESS, "mahalanobis", 310.5, 1.3)
    again = TaskSpec.from_dict(json.loads(json.dumps(task.to_dict())))
    assert again == task and again.head("fruit").calibration == Calibration(1.3, "mahalanobis", 310.5)


@pytest.mark.parametrize("edit, said", [
    ({"temperature": "hot"}, "calibration.temperature is 'hot'"),
    ({"temperature": 0}, "calibration.temperature is '0'"),
    ({"temperature": float("nan")}, "calibration.temperature is 'nan'"),
    ({"score": "energy"}, "calibration.score is 'energy', expected one of msp, mahalanobis"),
    ({"threshold": 1.5}, "calibration.threshold is '1.5', expected a number in 0..1 for score msp"),
    ({"threshold": None}, "calibration.threshold is 'None'"),
])
def test_bad_calibration_value_is_refused_in_one_line(edit, said):
    d = calibrated(FRESHNESS).to_dict()
    d["heads"][1]["calibration"].update(edit)
    with pytest.raises(FoodcamError) as e:
        TaskSpec.from_dict(d, "m.onnx")
    msg = str(e.value)
    assert msg.startswith("m.onnx: task description: heads[1].") and said in msg and "\n" not in msg


def test_calibration_only_on_classification_heads():
    d = FOODSEG.with_head_classes("ingredients", ["rice"]).to_dict()
    d["heads"][1]["calibration"] = {"temperature": 1.0, "score": "msp", "threshold": 0.5}
    with pytest.raises(FoodcamError, match=r"heads\[1\].calibration .*only classification heads"):
        TaskSpec.from_dict(d, "x")


def test_bad_calibration_in_onnx_metadata_is_a_one_line_cli_error(tmp_path, capsys):
    d = calibrated(CLS_TASK).to_dict()
    d["heads"][0]["calibration"]["score"] = "vibes"
    bad = stamp(cls_onnx(tmp_path / "m.onnx"), tmp_path / "bad.onnx", d)
    img = tmp_path / "a.png"
    import cv2

    cv2.imwrite(str(img), random_frames(1, 24, 24)[0])
    assert foodcam("predict", "--weights", bad, "--source", img, "--out", tmp_path / "p") == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "heads[0].calibration.score is 'vibes'" in err and "bad.onnx" in err


# --- runtime, predict, app --------------------------------------------------------------------------------


@pytest.fixture
def models(tmp_path):
    plain = cls_onnx(tmp_path / "plain.onnx")
    return {"plain": str(plain),
            "unsure": stamp(plain, tmp_path / "unsure.onnx", calibrated(CLS_TASK, threshold=0.0).to_dict()),
            "sure": stamp(plain, tmp_path / "sure.onnx", calibrated(CLS_TASK, threshold=0.99).to_dict())}


def test_runtime_applies_the_calibration(models):
    frame = random_frames(1, 12, 12, seed=3)[0]
    raw = cls_reference(frame[None])
    with open_model(models["plain"]) as m:
        r = m.predict(frame)
    assert r.unsure == {} and not r.is_unsure() and "unsure" not in repr(r)  # as before calibration existed
    np.testing.assert_allclose(r.probs["fruit"], raw["fruit"][0], atol=1e-6)
    with open_model(models["unsure"]) as m:
        r = m.predict(frame)
    assert r.unsure == {"fruit": True, "freshness": True} and r.is_unsure("fruit")
    np.testing.assert_allclose(r.probs["fruit"], cal.rescale(raw["fruit"][0], 2.0), atol=1e-5)
    assert r.unsure_scores["fruit"] == pytest.approx(1 - r.probs["fruit"].max(), abs=1e-6)
    assert "fruit: unsure (score" in repr(r) and r.head_text("fruit").startswith("unsure (score")
    with open_model(models["sure"]) as m:
        r = m.predict(frame)
    assert r.unsure == {"fruit": False, "freshness": False} and "unsure" not in repr(r)


def test_overlay_says_unsure(models):
    from foodcam.runtime.draw import Visualizer

    frame = random_frames(1, 120, 160, seed=4)[0]
    with open_model(models["unsure"]) as a, open_model(models["sure"]) as b:
        ra, rb = a.predict(frame), b.predict(frame)
        drawn_a = Visualizer(a.task).draw(frame, ra)
        drawn_b = Visualizer(b.task).draw(frame, rb)
    assert drawn_a.shape == frame.shape and not np.array_equal(drawn_a, drawn_b)  # "unsure" vs a label


def test_predict_prints_unsure(models, tmp_path, capsys):
    import cv2

    src = tmp_path / "imgs"
    src.mkdir()
    cv2.imwrite(str(src / "pan.png"), random_frames(1, 30, 40, seed=5)[0])
    assert foodcam("predict", "--weights", models["unsure"], "--source", src, "--out", tmp_path / "u") == 0
    out = capsys.readouterr().out
    assert "pan.png: fruit unsure (score" in out and "freshness unsure (score" in out
    rec = json.loads((tmp_path / "u" / "predictions.json").read_text())["images"][0]
    assert rec["unsure"]["fruit"]["unsure"] is True and rec["unsure"]["fruit"]["score"] > 0
    assert "fruit_unsure" in (tmp_path / "u" / "predictions.csv").read_text().splitlines()[0]
    assert foodcam("predict", "--weights", models["plain"], "--source", src, "--out", tmp_path / "p") == 0
    out = capsys.readouterr().out
    assert "pan.png: fruit " in out and "unsure (score" not in out
    assert '"unsure"' not in (tmp_path / "p" / "predictions.json").read_text()


def test_app_result_says_unsure(models):
    from foodcam.app.analysis import ServedModel

    frame = random_frames(1, 60, 80, seed=6)[0]
    served = ServedModel(open_model(models["unsure"]))
    a = served.analyse(frame)
    lines = a.unsure_lines()
    assert len(lines) == 2 and lines[0].startswith("fruit: unsure (score")
    assert a.summary()["unsure"]["freshness"]["unsure"] is True
    assert sum(a.labels["fruit"].values()) == pytest.approx(1.0, abs=1e-5)
    plain = ServedModel(open_model(models["plain"])).analyse(frame)
    assert plain.unsure_lines() == [] and "unsure" not in plain.summary()


# --- the sorting line -------------------------------------------------------------------------------------


def _votes(unsure: list[bool], p_rotten: float = 0.1):
    from foodcam.camera.sorting.decide import Votes
    from foodcam.runtime.results import ClassificationResult

    v = Votes()
    for i, u in enumerate(unsure):
        v.add(ClassificationResult(task=FRESHNESS, probs={"fruit": np.array([0.7, 0.1, 0.1, 0.1]),
                                                          "freshness": np.array([1 - p_rotten, p_rotten])},
                                   frame_shape=(64, 64), unsure={"fruit": u}, unsure_scores={"fruit": 0.5}), float(i))
    return v


@pytest.mark.parametrize("action", ["reject", "pass", "divert"])
def test_decision_applies_the_unsure_policy(action):
    from foodcam.camera.sorting.decide import decide

    d = decide(_votes([True, True, False]), FRESHNESS, 0.5, 0.0, "reject", 3, unsure_action=action)
    assert d.action == action and d.unsure and "unsure: 2 of 3" in d.reason
    sure = decide(_votes([True, False, False]), FRESHNESS, 0.5, 0.0, "reject", 3, unsure_action=action)
    assert sure.action == "pass" and not sure.unsure  # a minority of unsure votes: decided as usual


def test_line_config_unsure_default_and_refusal():
    from foodcam.camera.sorting.line import default_line_dict, parse_line

    d = default_line_dict(640, 240)
    assert parse_line(d).decision.unsure == "reject"
    d["decision"]["unsure"] = "shrug"
    with pytest.raises(FoodcamError, match="unsure"):
        parse_line(d, "line.yaml")


@pytest.mark.parametrize("action", ["reject", "pass", "divert"])
def test_sort_counts_unsure_items_in_audit_and_summary(action, tmp_path):
    from foodcam.camera.sorting.audit import read_audit
    from foodcam.cli import main
    from tests.test_sorting_e2e import URI, _line, build_colour_model

    src = tmp_path / "colour.onnx"
    build_colour_model(src)
    task = TaskSpec.from_dict(json.loads(
        next(p.value for p in onnx.load(str(src)).metadata_props if p.key == "foodcam"))["task"])
    model = stamp(src, tmp_path / "unsure.onnx", calibrated(task, threshold=0.0).to_dict())
    audit, summary = tmp_path / "audit.jsonl", tmp_path / "s.json"
    assert main(["sort", "--model", model, "--source", URI, "--line", _line(tmp_path, unsure=action),
                 "--audit", str(audit), "--max-seconds", "8", "--json", str(summary)]) == 0
    s = json.loads(summary.read_text())
    decided = [r for r in read_audit(audit) if r.get("decision")]
    assert decided and all(r["unsure"] and r["decision"] == action for r in decided)
    assert s["unsure"] == len(decided) == s["items"]
    assert s[{"reject": "rejected", "pass": "passed", "divert": "diverted"}[action]] == len(decided)


def test_engine_config_lists_the_distance_outputs():
    from foodcam.export.triton_repo import _engine_io
    from foodcam.runtime.backends.onnx_meta import make_metadata

    _, outputs, _ = _engine_io(make_metadata(calibrated(FRESHNESS, "mahalanobis", 300.0), "fp16"))
    assert outputs == [("fruit", "TYPE_FP32", [-1, 4]), ("fruit_distance", "TYPE_FP32", [-1]),
                       ("freshness", "TYPE_FP32", [-1, 2]), ("freshness_distance", "TYPE_FP32", [-1])]


def test_a_single_topk_head_of_many_classes_says_unsure(tmp_path, capsys):
    """foodrec's one top-k head: the same calibration path (no foodrec model ships)."""
    import cv2

    from foodcam.runtime.tasks import FOODREC

    task = FOODREC.with_head_classes("food", [f"dish{i}" for i in range(7)]).with_input_size(12, 12)
    plain = cls_onnx(tmp_path / "rec.onnx", task)
    model = stamp(plain, tmp_path / "rec.cal.onnx", calibrated(task, threshold=0.0, temperature=0.5).to_dict())
    cv2.imwrite(str(tmp_path / "soup.png"), random_frames(1, 20, 20, seed=9)[0])
    assert foodcam("predict", "--weights", model, "--source", tmp_path / "soup.png", "--out", tmp_path / "p",
                   "--topk", "3") == 0
    assert "soup.png: food unsure (score" in capsys.readouterr().out
    with open_model(model) as m:
        r = m.predict(random_frames(1, 12, 12, seed=9)[0])
    assert len(r.top("food", 3)) == 3 and r.is_unsure("food")

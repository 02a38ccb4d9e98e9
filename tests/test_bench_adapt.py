"""`python -m foodcam.benchmarks.adapt` at a tiny size: nested few-shot subsets, fine-tune vs scratch, the table."""

from __future__ import annotations

import json

import pytest

from foodcam.benchmarks.adapt import MONITOR_VAL, main, make_subset
from foodcam.runtime.errors import FoodcamError
from foodcam.train.checkpoint import read_checkpoint
from foodcam.train.data.kitchen import KitchenFolder


def test_subsets_are_nested_and_share_val(kitchen_data, tmp_path):
    a = make_subset(kitchen_data, 2, tmp_path / "a", seed=0)
    b = make_subset(kitchen_data, 5, tmp_path / "b", seed=0)
    sa, sb = KitchenFolder(a, "train").stems, KitchenFolder(b, "train").stems
    assert len(sa) == 2 and len(sb) == 5 and set(sa) <= set(sb)
    # the training watches the first MONITOR_VAL frames of val; both subsets watch the same ones
    val = KitchenFolder(kitchen_data, "val").stems
    assert KitchenFolder(a, "val").stems == KitchenFolder(b, "val").stems == val[:MONITOR_VAL]
    with pytest.raises(FoodcamError, match="has only"):
        make_subset(kitchen_data, 10_000, tmp_path / "c")


@pytest.mark.slow
def test_adaptation_curve_table(kitchen_ckpt, kitchen_data, tmp_path, capsys):
    out = tmp_path / "adapt"
    assert main(["--base", str(kitchen_ckpt), "--data", str(kitchen_data), "--shots", "2", "4", "--epochs", "1",
                 "--replay", "8", "--out", str(out)]) == 0
    report = json.loads((out / "adapt.json").read_text())
    assert [r["shots"] for r in report["rows"]] == [0, 2, 4] and report["replay"] == 8
    assert read_checkpoint(out / "runs" / "finetune_002" / "last.pt")["config"]["replay"] == 8
    base = report["rows"][0]["base"]
    assert 0.0 < base["score"] <= 1.0 and set(base["parts"]) == {"stirrer", "pan", "food"}
    for r in report["rows"][1:]:
        for kind in ("finetune", "scratch"):
            assert 0.0 <= r[kind]["score"] <= 1.0 and r[kind]["train_s"] > 0
        assert (out / "runs" / f"finetune_{r['shots']:03d}" / "last.pt").is_file()
        assert (out / "runs" / f"scratch_{r['shots']:03d}" / "last.pt").is_file()
    md = (out / "adapt.md").read_text()
    assert "| 0 (base, not fine-tuned) |" in md and md.count("\n| 2 |") + md.count("\n| 4 |") == 2
    assert (out / "adapt.png").read_bytes()[:4] == b"\x89PNG"
    # one epoch from the trained base beats one epoch from random weights on the same two frames
    ft, sc = report["rows"][1]["finetune"]["score"], report["rows"][1]["scratch"]["score"]
    assert ft > sc
    assert main(["--base", str(kitchen_ckpt), "--data", str(kitchen_data), "--shots", "0", "--out", str(out)]) == 2
    assert "--shots and --epochs must be positive" in capsys.readouterr().err


def test_heldout_adaptation_data_trains_on_another_seed_and_scores_the_canonical_set(tmp_path, monkeypatch):
    import foodcam.benchmarks.heldout as heldout

    small = heldout.HeldoutSet("kitchen_b", "kitchen", 4, (96, 72), "test")
    monkeypatch.setattr(heldout, "SETS", (small,))
    data = heldout.adapt_data(small, tmp_path, train_seed=7, count=3)
    train, val = KitchenFolder(data, "train"), KitchenFolder(data, "val")
    assert len(train) == 3 and len(val) == 4
    canonical = small.render(tmp_path / "sets", heldout.SEED)
    assert sorted(p.name for p in (canonical / "test" / "images").iterdir()) == \
        sorted(p.name for p in (data / "val" / "images").iterdir())
    # the user's frames are drawn with another seed: none of them is a scored frame
    own = {p.resolve().read_bytes() for p in (data / "train" / "images").iterdir()}
    scored = {p.resolve().read_bytes() for p in (data / "val" / "images").iterdir()}
    assert not own & scored


def test_adapt_takes_data_or_heldout(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["--base", "x.pt", "--out", str(tmp_path)])
    assert "give --data or --heldout" in capsys.readouterr().err
    assert main(["--base", "x.pt", "--heldout", "nope", "--out", str(tmp_path)]) == 2
    assert "no such set" in capsys.readouterr().err


def test_fruit_subsets_take_n_photos_per_label_nested(tmp_path):
    from foodcam.benchmarks.adapt import make_fruit_subset

    src = tmp_path / "src"
    for label in ("freshapple", "rottenapple"):
        (src / label).mkdir(parents=True)
        for i in range(6):
            (src / label / f"p{i}.jpg").write_bytes(b"x")
    a = make_fruit_subset(src, 2, tmp_path / "a", seed=1)
    b = make_fruit_subset(src, 4, tmp_path / "b", seed=1)
    for label in ("freshapple", "rottenapple"):
        na = {p.name for p in (a / label).iterdir()}
        nb = {p.name for p in (b / label).iterdir()}
        assert len(na) == 2 and len(nb) == 4 and na <= nb
    with pytest.raises(FoodcamError, match="has only 6 photos"):
        make_fruit_subset(src, 7, tmp_path / "c")


@pytest.mark.slow
def test_fruit_curve_on_a_blind_set(tmp_path, monkeypatch):
    import foodcam.benchmarks.heldout as heldout
    from tests.conftest import foodcam

    data, fruit_ckpt = tmp_path / "fruit", tmp_path / "base" / "best.pt"
    assert foodcam("synth", "fruit", "--out", data, "--count", 60, "--seed", 0, "--size", "32x32") == 0
    assert foodcam("train", "freshness", "--data", data, "--out", fruit_ckpt.parent, "--model", "mobilenetv3",
                   "--imgsz", 32, "--batch", 16, "--device", "cpu", "--epochs", 1) == 0
    small = heldout.HeldoutSet("fruit_b", "freshness", 16, (64, 64), "all")
    monkeypatch.setattr(heldout, "SETS", (small,))
    out = tmp_path / "adapt"
    assert main(["--base", str(fruit_ckpt), "--heldout", "fruit_b", "--shots", "3", "--epochs", "1",
                 "--out", str(out)]) == 0
    report = json.loads((out / "adapt.json").read_text())
    assert report["task"] == "freshness" and [r["shots"] for r in report["rows"]] == [0, 3]
    assert set(report["rows"][0]["base"]["parts"]) == {"fruit", "freshness"}
    assert report["rows"][1]["scratch"] is None and 0.0 <= report["rows"][1]["finetune"]["score"] <= 1.0
    assert all(len(list(d.iterdir())) == 3 for d in (out / "data" / "shots_003").iterdir())
    assert "| photos per label |" in (out / "adapt.md").read_text()

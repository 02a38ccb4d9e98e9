"""Kitchen styles: named slices of the renderer (vessel, view, tools, food, light, camera) for training on some
and measuring on one never seen; the effects they add keep frames and masks aligned."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from foodcam.runtime.errors import FoodcamError
from foodcam.scenes import KitchenScene
from foodcam.scenes.effects import Distortion, motion_kernel
from foodcam.scenes.episode import PAN, STIRRER, Episode, Pose
from foodcam.scenes.styles import HELD_OUT, STYLES, TRAIN_STYLES, parse_styles
from foodcam.scenes.utensils import Hand
from tests.conftest import foodcam


def test_parse_styles():
    assert parse_styles(None) == ("home",)
    assert parse_styles("wok, pot") == ("wok", "pot")
    assert parse_styles("all") == tuple(STYLES)
    assert parse_styles("train") == TRAIN_STYLES and HELD_OUT not in TRAIN_STYLES
    with pytest.raises(FoodcamError, match="unknown kitchen style 'wk'"):
        parse_styles("wok,wk")


@pytest.mark.parametrize("style", list(STYLES))
def test_each_style_renders_deterministically_with_all_classes(style):
    scene = KitchenScene((96, 72), seed=1, styles=style)
    f1, m1 = scene.render(3)
    f2, m2 = scene.render(3)
    assert np.array_equal(f1, f2) and np.array_equal(m1, m2)
    seen = set()
    for i in range(8):
        _, m = scene.render(i)
        assert m.shape == (72, 96) and m.max() <= 2
        seen |= set(np.unique(m).tolist())
    assert seen == {0, 1, 2}


def test_styles_differ_where_they_say():
    night = np.mean([KitchenScene((96, 72), seed=2, styles="night").render(i)[0].mean() for i in range(6)])
    home = np.mean([KitchenScene((96, 72), seed=2, styles="home").render(i)[0].mean() for i in range(6)])
    assert night < 0.8 * home  # dim light
    vessels = {Episode(np.random.default_rng(i), (96, 72), style="pot").vessel for i in range(20)}
    assert "pot" in vessels
    kinds = {Episode(np.random.default_rng(i), (96, 72), style="wok").stirrer_kind for i in range(30)}
    assert "chopsticks" in kinds and "whisk" not in kinds


def test_scene_takes_styles_in_turn():
    scene = KitchenScene((64, 48), styles="home,wok")
    assert [scene.style_of(i) for i in range(4)] == ["home", "wok", "home", "wok"]
    assert scene.episode(1).style.name == "wok"


def test_hand_is_drawn_and_its_coverage_returned():
    rng = np.random.default_rng(0)
    frame = np.full((120, 160, 3), 128, np.uint8)
    hand = Hand(rng, 0.5)
    cover = hand.draw(frame, np.array([40.0, 60.0]), np.array([1.0, 0.0]))
    drawn = cover >= 0.5
    assert cover.dtype == np.float32 and cover.min() >= 0 and cover.max() <= 1
    assert drawn.sum() > 100  # a fist and a forearm
    assert (frame[drawn] != 128).any(axis=1).mean() > 0.9  # and they are painted where they cover the frame
    assert hand.draw(frame, np.array([-50.0, 60.0]), np.array([-1.0, 0.0])) is None  # leaves the frame at once


def test_hand_in_a_frame_is_labelled_background_not_stirrer():
    style = dataclasses.replace(STYLES["home"], hand_p=1.0, stirrer_p=1.0)
    for seed in range(6):
        ep = Episode(np.random.default_rng(seed), (160, 120), style=style)
        tip, (ex, ey) = ep.floor_point(0.2, 0.5), ep.exit_point()
        pose = Pose(shift=(0, 0), gain=1.0, tip=tip, toward=float(np.arctan2(ey - tip[1], ex - tip[0])),
                    coverage=0.8, swirl=0.0, noise_at=(0, 0))
        frame, mask = ep.compose(pose)
        with_hand = ep.cook_hand.draw(frame.copy(), np.asarray(pose.tip),
                                      np.array([np.cos(pose.toward), np.sin(pose.toward)]))
        if with_hand is not None and (with_hand >= 0.5).any():
            assert (mask[with_hand >= 0.5] == PAN).all()
            assert (mask == STIRRER).any()
            return
    pytest.fail("no frame with the hand in view")


def test_hand_always_on_keeps_stirrer_pixels_elsewhere():
    style = dataclasses.replace(STYLES["home"], hand_p=1.0, stirrer_p=1.0)
    ep = Episode(np.random.default_rng(3), (160, 120), style=style)
    assert ep.cook_hand is not None


def test_distortion_moves_frame_and_mask_together():
    rng = np.random.default_rng(0)
    mask = np.zeros((60, 80), np.uint8)
    mask[:, 40:] = 2
    mask[20:40, 10:30] = 1
    frame = (np.stack([mask] * 3, -1) * 100).astype(np.uint8)
    f, m = Distortion(rng, (80, 60)).apply(frame, mask)
    assert not np.array_equal(m, mask)  # something moved
    agree = (np.abs(f[:, :, 0].astype(int) - m.astype(int) * 100) < 50).mean()
    assert agree > 0.97  # the label under each pixel is still the label of its colour


def test_motion_blur_is_centred_so_frames_stay_on_their_labels():
    for seed in range(40):
        k = motion_kernel(np.random.default_rng(seed), unit=float(0.5 + seed / 20))
        n = k.shape[0]
        assert n % 2 == 1 and np.isclose(k.sum(), 1)
        ii = np.arange(n)
        assert np.isclose((k.sum(1) * ii).sum(), (n - 1) / 2) and np.isclose((k.sum(0) * ii).sum(), (n - 1) / 2)


def test_stirrer_label_stays_on_the_stirrer_under_sub_pixel_camera_jitter():
    # the live feed moves the camera by fractions of a pixel; the stirrer is drawn at the same frame position
    # whatever the fraction, so its label must not jump a pixel when the fraction crosses one half
    style = dataclasses.replace(STYLES["home"], hand_p=0.0, stirrer_p=1.0)
    for seed in range(4):
        ep = Episode(np.random.default_rng(seed), (160, 120), margin=4, style=style)
        tip = ep.floor_point(0.3, 1.0)
        toward = float(np.arctan2(ep.exit_point()[1] - tip[1], ep.exit_point()[0] - tip[0]))

        a, b = (ep.compose(Pose(shift=(2 + frac, 2 + frac), gain=1.0, tip=tip, toward=toward, coverage=0.8,
                                swirl=0.0, noise_at=(0, 0)))[1] == STIRRER for frac in (0.45, 0.55))
        assert a.sum() > 300
        assert (a ^ b).sum() < 0.05 * a.sum()  # labels that jumped a pixel differed in 23-30 % here


def test_synth_cli_styles_prefix_and_error(tmp_path, capsys):
    out = tmp_path / "k"
    assert foodcam("synth", "kitchen", "--out", out, "--count", 6, "--size", "64x48", "--styles", "wok,night") == 0
    names = sorted(p.name for p in (out / "train" / "images").iterdir())
    assert names and all(n.split("_")[0] in ("wok", "night") for n in names)
    assert foodcam("synth", "kitchen", "--out", tmp_path / "x", "--count", 2, "--styles", "wook") == 2
    assert "unknown kitchen style 'wook'" in capsys.readouterr().err


def test_synth_source_takes_a_style():
    from foodcam.camera.sources import make_grabber, parse_uri

    g = make_grabber(parse_uri("synth://kitchen?size=64x48&style=pot"))
    g.open()
    frame, mask = g.grab()
    assert frame.shape == (48, 64, 3) and "style=pot" in g.name
    assert g.feed.styles == ("pot",)
    with pytest.raises(FoodcamError, match="unknown kitchen style"):
        make_grabber(parse_uri("synth://kitchen?style=boat"))


def test_train_kitchen_defaults_to_thinseg(kitchen_data, tmp_path):
    import torch

    run = tmp_path / "run"
    assert foodcam("train", "kitchen", "--data", kitchen_data, "--imgsz", 64, "--epochs", 1, "--batch", 8,
                   "--width", 0.5, "--out", run, "--device", "cpu") == 0
    ckpt = torch.load(run / "best.pt", map_location="cpu", weights_only=False)
    assert ckpt["arch"]["name"] == "thinseg" and ckpt["arch"]["kwargs"] == {"width": 0.5}


def test_eval_breaks_down_by_style(kitchen_ckpt, tmp_path, capsys):
    import json

    data = tmp_path / "styled"
    assert foodcam("synth", "kitchen", "--out", data, "--count", 12, "--size", "96x72", "--styles", "home,closeup") == 0
    assert foodcam("eval", "--weights", kitchen_ckpt, "--data", data, "--split", "train", "--out", tmp_path / "ev") == 0
    m = json.loads((tmp_path / "ev" / "metrics.json").read_text())
    groups = m["per_group"]
    assert set(groups) == {"home", "closeup"}
    assert sum(g["images"] for g in groups.values()) == m["images"]
    assert "style closeup" in capsys.readouterr().out

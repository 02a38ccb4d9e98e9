"""Shared fixtures: a tiny procedural kitchen dataset, a briefly trained checkpoint, its deployment ONNX.

Built once per test session through the public CLI, exactly as a user would run it.
"""

from __future__ import annotations

import os
import time

import pytest

os.environ.setdefault("OMP_NUM_THREADS", "2")


def wait_until(cond, timeout: float = 5.0) -> bool:
    """Poll `cond` until it holds (synchronisation with a receiver or worker thread, not a timing assertion)."""
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            return False
        time.sleep(0.005)
    return True


def foodcam(*argv: str) -> int:
    from foodcam.cli import main

    return main([str(a) for a in argv])


@pytest.fixture(scope="session")
def kitchen_data(tmp_path_factory):
    """60 frames at 96x72 in DIR/{train,val,test}/{images,masks}."""
    out = tmp_path_factory.mktemp("data") / "kitchen"
    assert foodcam("synth", "kitchen", "--out", out, "--count", 60, "--seed", 0, "--size", "96x72") == 0
    return out


@pytest.fixture(scope="session")
def kitchen_ckpt(kitchen_data, tmp_path_factory):
    """A small unet trained briefly at 64x64: enough to be far above chance."""
    pytest.importorskip("torch")  # the tests that need a trained model skip in a torch-free install
    run = tmp_path_factory.mktemp("runs") / "unet"
    rc = foodcam(
        "train", "kitchen", "--data", kitchen_data, "--model", "unet", "--width", 8, "--imgsz", 64,
        "--epochs", 8, "--batch", 8, "--lr", 5e-3, "--out", run, "--seed", 0, "--device", "cpu",
    )
    assert rc == 0
    return run / "best.pt"


@pytest.fixture(scope="session")
def kitchen_onnx(kitchen_ckpt, kitchen_data, tmp_path_factory):
    """The FP32 deployment ONNX of `kitchen_ckpt`."""
    out = tmp_path_factory.mktemp("export") / "model.onnx"
    assert foodcam("export", "--weights", kitchen_ckpt, "--out", out, "--data", kitchen_data) == 0
    return out


# Tests that train, export or sort a whole stream are the slow lane: `pytest -m "not slow"` runs the rest
# (under a minute on two cores). A test that uses one of these fixtures is marked slow automatically.
SLOW_FIXTURES = {"kitchen_ckpt", "kitchen_onnx", "fresh_ckpt", "fruit_run", "colour_model", "bench_run"}


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)

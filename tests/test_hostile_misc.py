"""Smaller hardening: a .pt through `run`, a model declaring a huge input, an MQTT wildcard topic, the photo-eye's
sender allow-list, the app's temporary folder, and `--model-sha256` pinning."""

from __future__ import annotations

import hashlib
import os
import socket
import time

import pytest
import yaml
from capped import run_cli, run_python
from test_line_config import BASE
from tiny_onnx import SEG_TASK, seg_onnx

from foodcam.app.cache import trim
from foodcam.camera.sorting.line import parse_line
from foodcam.camera.sorting.trigger import UdpTrigger
from foodcam.runtime.backends.onnx_meta import make_metadata
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import KITCHEN
from tests.conftest import wait_until

KITCHEN_ONNX = "foodcam/assets/kitchen.onnx"
SYNTH = "synth://kitchen?fps=0&size=64x48"


def test_run_opens_a_checkpoint(tmp_path):
    r = run_cli("run", "--model", "foodcam/assets/kitchen.pt", "--source", SYNTH, "--max-frames", 2, "--threads", 1,
                mem_mb=12000, timeout=300)
    assert r.clean and r.rc == 0, (r.verdict, r.err[-2000:])


def test_a_model_declaring_a_huge_input_is_refused_in_one_line(tmp_path):
    # the graph declares 100000x100000 frames; its task description (metadata) a plausible size
    meta = make_metadata(SEG_TASK, "fp32", source={"checkpoint": "tiny", "sha256": "0" * 64})
    path = seg_onnx(tmp_path / "huge.onnx", KITCHEN.with_input_size(100_000, 100_000), dynamic=False, meta=meta)
    code = ("from foodcam.runtime.errors import FoodcamError\nfrom foodcam.runtime.open import open_model\n"
            f"try:\n    open_model({str(path)!r})\nexcept FoodcamError as e:\n    print(e)\n")
    r = run_python(["-c", code], timeout=120)
    assert r.clean and "input 1x100000x100000x3 is out of range" in r.out, (r.verdict, r.err[-1500:])


@pytest.mark.parametrize("topic", ["foodcam/#", "foodcam/+/eject", "", "a\x00b"])
def test_an_mqtt_topic_that_cannot_be_published_to_is_refused(topic):
    d = yaml.safe_load(BASE)
    d["actuator"] = {"type": "mqtt", "host": "127.0.0.1", "port": 1883, "topic": topic}
    with pytest.raises(FoodcamError, match=r"actuator.topic: expected a topic to publish to"):
        parse_line(d, "line.yaml")


def test_the_photo_eye_ignores_senders_outside_its_allow_list(caplog):
    trig = UdpTrigger("127.0.0.1", 0, allow=["192.0.2.0/24"])  # loopback not allowed
    trig.start()
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        for msg in (b"1", b"0", b"1"):
            tx.sendto(msg, ("127.0.0.1", trig.port))
        assert wait_until(lambda: trig.refused == 3)
        assert trig.poll() == [] and trig.received == 0
    finally:
        tx.close()
        trig.close()


def test_the_photo_eye_allow_list_is_checked_in_line_yaml():
    d = yaml.safe_load(BASE)
    d["detection"] = {"method": "trigger", "trigger": {"type": "udp", "port": 5005, "allow": ["not-an-address"]}}
    with pytest.raises(FoodcamError, match=r"detection.trigger.allow: 'not-an-address': expected an IP address"):
        parse_line(d, "line.yaml")
    d["detection"]["trigger"]["allow"] = ["192.168.1.20", "10.0.0.0/8"]
    assert parse_line(d, "line.yaml").trigger.allow == ["192.168.1.20", "10.0.0.0/8"]


def test_the_app_cache_is_kept_under_its_cap(tmp_path):
    old = tmp_path / "gradio" / "old"
    old.mkdir(parents=True)
    for k in range(10):
        f = old / f"upload{k}.jpg"
        f.write_bytes(b"x" * 1000)
        os.utime(f, (time.time() - 100 + k, time.time() - 100 + k))
    stale = tmp_path / "stale.png"
    stale.write_bytes(b"y" * 10)
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    removed = trim(tmp_path, max_bytes=4000, max_age_s=3600)
    left = sorted(p.name for p in old.iterdir())
    assert not stale.exists() and left == [f"upload{k}.jpg" for k in range(6, 10)] and removed == 6010


def _sha(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def test_a_pinned_model_sha256_refuses_another_file(tmp_path):
    wrong = "0" * 64
    for verb, argv in (("run", ["--model", KITCHEN_ONNX, "--source", SYNTH, "--max-frames", 1]),
                       ("predict", ["--weights", KITCHEN_ONNX, "--source", "x.jpg", "--out", tmp_path / "p"])):
        r = run_cli(verb, *argv, "--model-sha256", wrong)
        assert r.clean and r.rc == 2, (r.verdict, r.err[-1500:])
        assert f"{KITCHEN_ONNX}: sha256 is {_sha(KITCHEN_ONNX)}, not the pinned {wrong}" in r.err
    r = run_cli("run", "--model", KITCHEN_ONNX, "--source", SYNTH, "--max-frames", 1,
                "--model-sha256", _sha(KITCHEN_ONNX).upper())
    assert r.clean and r.rc == 0, r.err[-1500:]
    r = run_cli("run", "--model", KITCHEN_ONNX, "--source", SYNTH, "--model-sha256", "abc")
    assert r.rc == 2 and "--model-sha256: expected 64 hex digits" in r.err

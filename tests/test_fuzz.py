"""Seeded fuzzing of every boundary foodcam reads from outside (harness: tests/fuzzing.py).

Each test mutates valid inputs of one kind and feeds them through the entry point that reads them. Only
FoodcamError with a one-line message naming the input may come out; accepted inputs must then work.
`FOODCAM_FUZZ=N` sets the number of cases per kind (a long run: FOODCAM_FUZZ=2000 pytest -s tests/test_fuzz*.py).
"""

from __future__ import annotations

import io
import json
import socket
import time

import numpy as np
import pytest
from fuzzing import Fuzz, count, mutate_bytes, mutate_obj
from tiny_onnx import CLS_TASK, SEG_TASK, cls_onnx, seg_onnx

from foodcam.benchmarks.compare import compare_reports, format_comparison, load_report
from foodcam.benchmarks.plan import describe_artifact
from foodcam.benchmarks.report import SCHEMA as BENCH_SCHEMA
from foodcam.camera.sorting.trigger import UdpTrigger, parse_state
from foodcam.runtime.backends.onnx_meta import make_metadata, parse_metadata_json
from foodcam.runtime.colour import colorize, decode_colour_mask, palette_bgr
from foodcam.runtime.integrity import onnx_record, plan_record
from foodcam.runtime.open import open_model
from foodcam.runtime.results import ClassificationResult, SegmentationResult
from foodcam.runtime.tasks import FRESHNESS, KITCHEN, TaskSpec

ENV = {"tensorrt": "10.3.0", "gpu": "Orin", "compute_capability": "8.7"}


def _use_task(task: TaskSpec) -> None:
    """What the runtime does with a task; an accepted description must survive all of it."""
    assert TaskSpec.from_dict(task.to_dict()) == task
    h, w = task.input_size
    assert 8 <= h and 8 <= w
    for head in task.heads:
        if head.kind == "segmentation":
            mask = (np.arange(12, dtype=np.uint8) % head.num_classes).reshape(3, 4)
            colorize(mask, head)
            palette_bgr(head)
            if head.colours:
                decode_colour_mask(np.zeros((2, 2, 3), np.uint8), head)
            SegmentationResult(task, mask, (6, 8)).shares  # noqa: B018 - evaluated for its errors
        else:
            p = np.full(head.num_classes, 1.0 / head.num_classes, np.float32)
            ClassificationResult(task, {head.name: p}, (4, 4)).top(head.name, 3)


def test_fuzz_task_descriptions():
    fz = Fuzz("task description")
    bases = [KITCHEN.to_dict(), FRESHNESS.to_dict()]
    for i in range(count(400)):
        d = mutate_obj(fz.rng, fz.rng.choice(bases))
        label = f"task#{i}"
        task = fz.case(label, TaskSpec.from_dict, d, label)
        if task is not None:
            fz.case(label + " (use)", _use_task, task)
    fz.check()


def test_fuzz_metadata_json():
    fz = Fuzz("metadata JSON")
    bases = [json.dumps(make_metadata(t, "fp16", source={"checkpoint": "a.pt", "sha256": "0" * 64})).encode()
             for t in (SEG_TASK, CLS_TASK)]
    for i in range(count(400)):
        base = fz.rng.choice(bases)
        if fz.rng.random() < 0.5:
            text = mutate_bytes(fz.rng, base)
        else:
            text = json.dumps(mutate_obj(fz.rng, json.loads(base))).encode()
        label = f"meta#{i}"
        meta = fz.case(label, parse_metadata_json, text, label)
        if meta is not None:
            fz.case(label + " (use)", _use_task, TaskSpec.from_dict(meta["task"]))
    fz.check()


@pytest.fixture(scope="module")
def onnx_bases(tmp_path_factory):
    """The tiny seg and cls graphs with an integrity record in their metadata, as `foodcam export` writes it."""
    import onnx

    d = tmp_path_factory.mktemp("onnx")
    out = []
    for path in (seg_onnx(d / "seg.onnx"), cls_onnx(d / "cls.onnx")):
        proto = onnx.load(str(path))
        entry = proto.metadata_props[0]
        entry.value = json.dumps({**json.loads(entry.value), "integrity": onnx_record(proto.SerializeToString())})
        out.append(proto.SerializeToString())
    return out


def _run_model(path, verify: bool) -> None:
    describe_artifact(path, "onnx", verify)  # what `foodcam bench` reads first
    with open_model(path, backend="cpu", threads=1, verify=verify) as model:
        frame = np.random.default_rng(0).integers(0, 256, (30, 40, 3), np.uint8)
        result = model.predict(frame)
        if model.task.kind == "segmentation":
            assert int(result.mask.max()) < model.task.seg_head.num_classes
        else:
            for head in model.task.heads:
                assert np.isfinite(result.probs[head.name]).all()
                result.top(head.name)


def test_fuzz_onnx_files(onnx_bases, tmp_path):
    import onnx

    fz = Fuzz("ONNX file")
    path = tmp_path / "fuzzed.onnx"
    for i in range(count(250)):
        base = fz.rng.choice(onnx_bases)
        if fz.rng.random() < 0.7:
            data = mutate_bytes(fz.rng, base)
        else:  # a well-formed file whose metadata is not
            proto = onnx.load_from_string(base)
            entry = proto.metadata_props[0]
            entry.value = json.dumps(mutate_obj(fz.rng, json.loads(entry.value)))
            data = proto.SerializeToString()
        path.write_bytes(data)
        fz.case(f"onnx#{i}", _run_model, path, fz.rng.random() < 0.5, name=str(path))
    fz.check()


def test_fuzz_engine_sidecars(tmp_path):
    fz = Fuzz("engine sidecar")
    plan = b"not a real plan " * 64
    base = {**make_metadata(SEG_TASK, "fp16"), **ENV, "onnx": "m.onnx", "onnx_sha256": "0" * 64,
            "integrity": plan_record(plan)}
    engine = tmp_path / "m.engine"
    sidecar = tmp_path / "m.engine.json"
    for i in range(count(300)):
        engine.write_bytes(mutate_bytes(fz.rng, plan) if fz.rng.random() < 0.3 else plan)
        text = json.dumps(base).encode()
        sidecar.write_bytes(mutate_bytes(fz.rng, text) if fz.rng.random() < 0.4
                            else json.dumps(mutate_obj(fz.rng, base)).encode())
        # no TensorRT here: a sidecar that passes every check ends in the one-line "install TensorRT" error
        verify = fz.rng.random() < 0.5
        fz.case(f"sidecar#{i}", _open_engine, engine, verify, name="m.engine")
    fz.check()


def _open_engine(engine, verify: bool) -> None:
    describe_artifact(engine, "tensorrt", verify)
    open_model(engine, verify=verify)


BENCH_ROW = {"model": "r/model.onnx", "name": "model.onnx", "format": "onnx", "precision": "fp32",
             "backend": "cpu", "imgsz": [256, 256], "batch": 1, "status": "validated", "reason": None,
             "latency_ms": {"min": 8.1, "median": 8.7, "p99": 14.3}, "fps": 103.1, "miou": 0.8513,
             "processes": [{"median": 8.6, "p99": 13.0, "fps": 104.0}]}


def _compare(old, new) -> None:
    text = format_comparison(compare_reports(load_report(old), load_report(new)))
    assert isinstance(text, str) and text


def test_fuzz_bench_reports(tmp_path):
    fz = Fuzz("bench report")
    base = {"schema": BENCH_SCHEMA, "machine": "cpu-x", "rows": [BENCH_ROW, {**BENCH_ROW, "backend": "torch",
                                                                              "format": "pytorch", "name": "best.pt"}]}
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(base))
    for i in range(count(400)):
        if fz.rng.random() < 0.4:
            bad.write_bytes(mutate_bytes(fz.rng, json.dumps(base).encode()))
        else:
            bad.write_text(json.dumps(mutate_obj(fz.rng, base)))
        pair = (good, bad) if fz.rng.random() < 0.5 else (bad, good)
        fz.case(f"bench#{i}", _compare, *pair, name="bad.json")
    fz.check()


DATAGRAMS = [b"1", b"0", b"blocked", b"clear", b'{"beam": "blocked"}', b'{"beam":"clear"}', b'{"state": 1}',
             b'{"state": 0}', b" CLEAR\n"]


def _datagram(fz: Fuzz) -> bytes:
    r = fz.rng.random()
    if r < 0.5:
        return mutate_bytes(fz.rng, fz.rng.choice(DATAGRAMS))
    if r < 0.8:
        try:
            return json.dumps(mutate_obj(fz.rng, {"beam": "blocked"})).encode()[:1400]
        except (ValueError, RecursionError):
            return b"{"
    return fz.rng.choice([b"[" * 1500, b"{" * 1500, b'{"a":' * 300, fz.rng.randbytes(fz.rng.randint(0, 1400))])


def _parse(payload: bytes) -> None:
    state = parse_state(payload)
    assert state in (True, False, None), state


def test_fuzz_trigger_datagrams():
    fz = Fuzz("trigger datagram")
    for i in range(count(2000)):
        fz.case(f"datagram#{i}", _parse, _datagram(fz))
    fz.check()
    assert fz.rejected == 0  # parse_state never raises, not even FoodcamError


def _until(cond, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.01)
    return bool(cond())


def test_udp_trigger_survives_a_flood_of_malformed_datagrams():
    """The photo-eye thread keeps running through a flood (the issue's `[` * 1500 first) and still hears the beam."""
    fz = Fuzz("udp flood")
    trig = UdpTrigger("127.0.0.1", 0)
    trig.start()
    try:
        flood = [b"[" * 1500] + [_datagram(fz) for _ in range(count(500))]
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as tx:
            for start in range(0, len(flood), 50):  # bursts of 50, each heard before the next: no loopback loss
                for d in flood[start:start + 50]:
                    tx.sendto(d, ("127.0.0.1", trig.port))
                sent = min(start + 50, len(flood))
                assert _until(lambda n=sent: trig.received + trig.malformed >= n, 20), (sent, trig.received, trig.malformed)
            trig.poll()  # what the flood itself carried (a few fuzzed datagrams are well-formed)
            tx.sendto(b'{"beam": "blocked"}', ("127.0.0.1", trig.port))
            seen: list = []
            assert _until(lambda: seen.extend(trig.poll()) or any(b for _, b in seen), 20)
        assert trig._worker is not None and trig._worker.is_alive()
        assert trig.malformed >= 1 and any(b for _, b in seen)
        assert trig.received + trig.malformed == len(flood) + 1
    finally:
        trig.close()


@pytest.fixture(scope="module")
def checkpoint_bytes():
    import torch

    from foodcam.train.checkpoint import FORMAT, VERSION
    from foodcam.train.models import build_model

    task = KITCHEN.with_input_size(16, 16)
    torch.manual_seed(0)
    net = build_model("unet", task, width=4)
    ckpt = {"format": FORMAT, "version": VERSION, "task": task.to_dict(), "arch": {"name": "unet", "kwargs": {"width": 4}},
            "state_dict": net.state_dict(), "config": {"lr": 0.01}, "metrics": {"miou": 0.5}, "epoch": 3}
    buf = io.BytesIO()
    torch.save(ckpt, buf)
    return ckpt, buf.getvalue()


def _mutate_state(fz: Fuzz, ckpt: dict) -> dict:
    import torch

    sd = dict(ckpt["state_dict"])
    key = fz.rng.choice(sorted(sd))
    op = fz.rng.random()
    if op < 0.2:
        del sd[key]
    elif op < 0.35:
        sd["extra.weight"] = torch.zeros(3)
    elif op < 0.55:
        sd[key] = torch.zeros(*[d + 1 for d in sd[key].shape]) if sd[key].dim() else torch.zeros(2)
    elif op < 0.75:
        t = sd[key].clone().float()
        t.view(-1)[0] = fz.rng.choice([float("nan"), float("inf"), -float("inf")])
        sd[key] = t
    elif op < 0.85:
        sd[key] = fz.rng.choice(["weights", None, [1, 2], 3.5])
    else:
        return {**ckpt, "state_dict": fz.rng.choice([None, [], {}, "sd", {1: torch.zeros(1)}])}
    return {**ckpt, "state_dict": sd}


def _run_checkpoint(path) -> None:
    from foodcam.runtime.open import open_model

    with open_model(path, device="cpu") as model:
        result = model.predict(np.zeros((20, 20, 3), np.uint8))
        if model.task.kind == "segmentation":
            assert int(result.mask.max()) < model.task.seg_head.num_classes


@pytest.fixture
def one_torch_thread():
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny convolutions: threads only add overhead
    yield
    torch.set_num_threads(before)


def test_fuzz_checkpoints(checkpoint_bytes, tmp_path, one_torch_thread):
    import torch

    fz = Fuzz("checkpoint")
    ckpt, data = checkpoint_bytes
    path = tmp_path / "fuzzed.pt"
    json_parts = ("task", "arch", "config", "format", "version")
    for i in range(count(200)):
        r = fz.rng.random()
        if r < 0.4:
            path.write_bytes(mutate_bytes(fz.rng, data))
        else:
            if r < 0.7:
                part = fz.rng.choice(json_parts)
                edited = mutate_obj(fz.rng, {"v": ckpt[part]})
                c = {**ckpt, part: edited.get("v") if isinstance(edited, dict) else edited}
                if fz.rng.random() < 0.15:
                    c.pop(fz.rng.choice(("task", "arch", "state_dict")))
            else:
                c = _mutate_state(fz, ckpt)
            try:
                torch.save(c, path)
            except RecursionError:  # torch.save itself cannot write a 600-deep structure: not an input
                continue
        fz.case(f"checkpoint#{i}", _run_checkpoint, path, name=str(path))
    fz.check()

"""`foodcam app`: the input boundary, then the real page served by `foodcam app` (torch blocked in the server)
driven in real Chromium (Playwright, the system Chromium) and through gradio_client."""

from __future__ import annotations

import base64
import io
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest
from ports import free_port

from foodcam.app.photo import MIN_SIDE, decode_photo
from foodcam.app.screenshot import CHROMIUM, CHROMIUM_ARGS
from foodcam.runtime.colour import colorize
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import read_image
from foodcam.runtime.open import open_model
from foodcam.runtime.tasks import FRESHNESS, KITCHEN
from foodcam.scenes.fruit import FruitScene
from foodcam.scenes.kitchen import KitchenScene
from tests.test_runtime_no_torch import BLOCK_TORCH
from tests.tiny_onnx import cls_onnx

FRESH_TASK = FRESHNESS.with_input_size(32, 32)


def _png(img: np.ndarray) -> bytes:
    return cv2.imencode(".png", img)[1].tobytes()


def _kitchen_frame(index: int = 4) -> tuple[np.ndarray, np.ndarray]:
    return KitchenScene(size=(320, 240), seed=5).render(index)


# ---- the input boundary (no server) -------------------------------------------------------------------------------

def test_accepted_formats_decode_like_foodcam_predict(tmp_path):
    frame, _ = _kitchen_frame()
    for ext in (".jpg", ".png", ".bmp", ".webp"):
        path = tmp_path / f"k{ext}"
        path.write_bytes(cv2.imencode(ext, frame)[1].tobytes())
        photo = decode_photo(path.read_bytes(), path.name)
        assert photo.size == (320, 240) and photo.notes == []
        assert np.array_equal(photo.frame, read_image(path)), ext  # the pixels `foodcam predict` reads


def test_gray_alpha_and_16_bit_are_converted_and_noted():
    rng = np.random.default_rng(0)
    gray16 = rng.integers(0, 65536, (40, 50), dtype=np.uint16)
    photo = decode_photo(_png(gray16), "g16.png")
    assert photo.frame.shape == (40, 50, 3) and photo.frame.dtype == np.uint8
    assert np.array_equal(photo.frame[:, :, 1], np.round(gray16 / 257.0).astype(np.uint8))
    assert photo.notes == ["16-bit samples scaled to 8-bit", "grayscale converted to colour"]
    rgba = rng.integers(0, 256, (30, 20, 4), dtype=np.uint8)
    photo = decode_photo(_png(rgba), "a.png")
    assert np.array_equal(photo.frame, rgba[:, :, :3]) and photo.notes == ["alpha channel dropped"]


def _gif() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 10, 10)).save(buf, format="GIF")
    return buf.getvalue()


@pytest.mark.parametrize("case, expected", [
    ("garbage", "not an image"),
    ("empty", "empty file"),
    ("truncated", "truncated or corrupt JPEG"),
    ("one_pixel", "1x1 pixels is too small"),
    ("gif", "GIF images are not accepted"),
])
def test_bad_uploads_are_one_line_errors(case, expected):
    frame, _ = _kitchen_frame()
    jpeg = cv2.imencode(".jpg", frame)[1].tobytes()
    data = {"garbage": b"this is not an image\n" * 10, "empty": b"", "truncated": jpeg[: len(jpeg) * 2 // 3],
            "one_pixel": _png(np.zeros((1, 1, 3), np.uint8)), "gif": _gif()}[case]
    with pytest.raises(FoodcamError) as e:
        decode_photo(data, f"{case}.jpg")
    msg = str(e.value)
    assert msg.startswith(f"{case}.jpg: ") and expected in msg and "\n" not in msg


@pytest.mark.slow
def test_huge_images_jpeg_decoded_reduced_others_refused():
    big = np.zeros((12000, 12000), np.uint8)
    big[::100] = 255  # some content: a striped 12000x12000 picture
    with pytest.raises(FoodcamError, match=r"12000x12000 \(144 MP\) PNG is too large"):
        decode_photo(_png(big), "big.png")
    photo = decode_photo(cv2.imencode(".jpg", big)[1].tobytes(), "big.jpg")
    assert photo.frame.shape == (6000, 6000, 3) and photo.size == (12000, 12000)
    assert photo.notes == ["12000x12000 (144 MP) decoded at 1/2 scale"]
    # the header alone is read: a tiny file claiming 100000x100000 pixels is refused without decoding
    small = _png(np.zeros((MIN_SIDE, MIN_SIDE), np.uint8))
    ihdr = b"IHDR" + (100000).to_bytes(4, "big") * 2 + small[24:29]
    bomb = small[:12] + ihdr + zlib.crc32(ihdr).to_bytes(4, "big") + small[33:]
    with pytest.raises(FoodcamError, match="too large"):
        decode_photo(bomb, "bomb.png")


def test_missing_gradio_is_a_one_line_error_before_any_work(tmp_path):
    block = "import sys\nsys.modules['gradio'] = None\n"
    r = subprocess.run([sys.executable, "-c", block + "from foodcam.cli import main\nsys.exit(main(sys.argv[1:]))",
                        "app", "--model", str(tmp_path / "absent.onnx")], capture_output=True, text=True)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == ["foodcam app: error: the web app needs Gradio: pip install 'foodcam[app]'"]


# ---- the served page -------------------------------------------------------------------------------------------


class Server:
    """`foodcam app` in a subprocess with torch import blocked; stopped with SIGTERM."""

    def __init__(self, models: list[Path], port: int, extra: list[str] = ()) -> None:
        code = BLOCK_TORCH + "from foodcam.cli import main\nsys.exit(main(sys.argv[1:]))"
        argv = ["app", "--port", str(port)] + [a for m in models for a in ("--model", str(m))] + list(extra)
        self.proc = subprocess.Popen([sys.executable, "-c", code, *argv], stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self._wait_ready(port)

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.log.append(line)
            self.lines.put(line)
        self.lines.put("")

    def _wait_ready(self, port: int) -> str:
        while True:
            try:
                line = self.lines.get(timeout=600)  # importing Gradio is slow on a busy 2-core machine
            except queue.Empty:
                self.stop()
                pytest.fail("foodcam app did not start within 600 s:\n" + "".join(self.log))
            if not line:
                pytest.fail("foodcam app exited:\n" + "".join(self.log))
            if line.startswith("foodcam app:"):
                url = f"http://127.0.0.1:{port}/"
                assert url in line
                return url

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(timeout=180)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        return self.proc.wait()


@pytest.fixture(scope="module")
def fresh_onnx(tmp_path_factory):
    """A real two-head freshness ONNX (fixed weights, no training): the label table's numbers are checked, not its
    accuracy."""
    return cls_onnx(tmp_path_factory.mktemp("app") / "fresh.onnx", task=FRESH_TASK, seed=3)


@pytest.fixture(scope="module")
def both_onnx(tmp_path_factory):
    """A model with a mask head and a 12-label multilabel head (the foodseg shape)."""
    return _seg_and_labels_onnx(tmp_path_factory.mktemp("app") / "both.onnx")


@pytest.fixture(scope="module")
def server(kitchen_onnx, fresh_onnx, both_onnx):
    pytest.importorskip("gradio", reason="foodcam[app] (gradio) not installed")
    pytest.importorskip("gradio_client", reason="foodcam[app] (gradio_client) not installed")
    srv = Server([kitchen_onnx, fresh_onnx, both_onnx[0]], free_port())
    yield srv
    assert srv.stop() == 0, "".join(srv.log)
    assert "Traceback" not in _own_errors("".join(srv.log)), "".join(srv.log)


# Known, outside foodcam: Gradio caches output images under the hash of their content, so an identical result
# (the same photo again) rewrites the cached file while an earlier response may still be streaming it, and uvicorn
# logs the cut-short response ("Too little data for declared Content-Length"). The server keeps serving (the tests
# above check every answer); any other traceback still fails.
_CACHE_RACE = "h11._util.LocalProtocolError: Too little data for declared Content-Length"


def _own_errors(log: str) -> str:
    blocks = log.split("ERROR:    Exception in ASGI application")
    return blocks[0] + "".join(b for b in blocks[1:] if _CACHE_RACE not in b)


@pytest.fixture(scope="module")
def kitchen_model(kitchen_onnx):
    with open_model(kitchen_onnx, backend="cpu") as m:
        yield m


@pytest.fixture(scope="module")
def fresh_model(fresh_onnx):
    with open_model(fresh_onnx, backend="cpu") as m:
        yield m


def _decode_overlay(overlay_bgr: np.ndarray, frame: np.ndarray) -> np.ndarray:
    """Class per pixel from an alpha-0.5 overlay of `frame`: the colour is 2*overlay - frame (to rounding)."""
    colour = np.clip(2 * overlay_bgr.astype(np.int32) - frame.astype(np.int32), 0, 255)
    palette = np.array([c[::-1] for c in KITCHEN.seg_head.colours], np.int32)  # BGR
    d = ((colour[:, :, None, :] - palette[None, None]) ** 2).sum(-1)
    return d.argmin(-1).astype(np.uint8)


def _legend_box(frame: np.ndarray) -> tuple[int, int]:
    from foodcam.camera.overlay import Visualizer, _text_scale

    return Visualizer(KITCHEN).legend(_text_scale(frame.shape[0])).shape[:2]


def _check_overlay(overlay_bgr, frame, truth, model) -> None:
    """The page shows the model's mask in the class colours; where the ground truth has pan or food, mostly that
    class's colour (the tiny test model is imperfect, the page must be exact)."""
    assert overlay_bgr.shape == frame.shape
    lh, lw = _legend_box(frame)
    keep = np.ones(truth.shape, bool)
    keep[:lh, :lw] = False  # the legend patch
    shown = _decode_overlay(overlay_bgr, frame)
    predicted = model.predict(frame).mask_full
    assert (shown[keep] == predicted[keep]).mean() > 0.999
    for c in (1, 2):  # pan, food: the large classes
        where = keep & (truth == c)
        assert where.sum() > 1000 and (shown[where] == c).mean() > 0.6, KITCHEN.seg_head.classes[c]
    assert (shown[keep] == truth[keep]).mean() > 0.6


def _playwright():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (dev extra) not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no system Chromium at {CHROMIUM} (.ci/run installs Debian's chromium)")
    return sync_api


@pytest.mark.slow
def test_page_in_chromium(server, kitchen_model, fresh_model, tmp_path):
    sync_api = _playwright()
    frame, truth = _kitchen_frame()
    (tmp_path / "kitchen.png").write_bytes(_png(frame))
    fruit, _, _ = FruitScene(size=(200, 200), seed=2).render(5)
    (tmp_path / "fruit.png").write_bytes(_png(fruit))
    (tmp_path / "garbage.jpg").write_bytes(b"definitely not a JPEG\n" * 20)
    outside: list[str] = []

    def only_loopback(route):
        url = route.request.url
        if url.startswith((server.url, "data:", "blob:")):
            return route.continue_()
        outside.append(url)
        return route.abort()

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.route("**/*", only_loopback)
            page.goto(server.url)
            models = page.locator("#models").inner_text()
            assert Path(kitchen_model.path).name in models and "fresh.onnx" in models and "stirrer, pan, food" in models
            upload = page.locator("#photo input[type=file]")

            # a rendered kitchen frame: the overlay in the class colours, the legend listing the classes
            upload.set_input_files(str(tmp_path / "kitchen.png"))
            page.wait_for_selector("#m0-legend td.foodcam-class", timeout=60_000)
            assert page.locator("#m0-legend td.foodcam-class").all_inner_texts() == list(KITCHEN.seg_head.classes)
            shares = kitchen_model.predict(frame).shares
            areas = page.locator("#m0-legend td.foodcam-area").all_inner_texts()
            assert areas == [f"{100 * shares[c]:.2f} %" for c in KITCHEN.seg_head.classes]
            src = page.locator("#m0-overlay img").get_attribute("src")
            shown = cv2.imdecode(np.frombuffer(page.request.get(src).body(), np.uint8), cv2.IMREAD_COLOR)
            _check_overlay(shown, frame, truth, kitchen_model)
            status = page.locator("#m0-status").inner_text()
            assert re.search(r"\d+\.\d ms inference", status) and "backend onnxruntime" in status
            # the mask-and-labels model: its own overlay and legend, and its top-5 of 12 labels
            assert page.locator("#m2-legend td.foodcam-class").all_inner_texts() == list(KITCHEN.seg_head.classes)
            assert page.locator("#m2-ingredients meter").count() == 5

            # a fruit photo: the label table of both heads, with the model's probabilities
            upload.set_input_files(str(tmp_path / "fruit.png"))
            page.wait_for_selector("#photo-info:has-text('fruit.png')", timeout=60_000)
            probs = fresh_model.predict(fruit).probs
            for head in ("fruit", "freshness"):
                meters = page.locator(f"#m1-{head} meter")
                meters.first.wait_for(timeout=30_000)
                got = {m.get_attribute("aria-label"): float(m.get_attribute("value")) for m in meters.all()}
                classes = FRESH_TASK.head(head).classes
                assert got == pytest.approx({c: float(probs[head][i]) for i, c in enumerate(classes)}, abs=1e-6)

            # garbage: a clear message on the page, once, gone when the photo is replaced; the next upload works
            upload.set_input_files(str(tmp_path / "garbage.jpg"))
            said = "{}: not an image (expected a JPEG, PNG, BMP or WebP file)"
            page.locator("#photo-info", has_text=said.format("garbage.jpg")).wait_for(timeout=30_000)
            (tmp_path / "junk.jpg").write_bytes(b"not a JPEG either\n" * 20)
            upload.set_input_files(str(tmp_path / "junk.jpg"))  # one bad upload replacing another
            page.locator("#photo-info", has_text=said.format("junk.jpg")).wait_for(timeout=30_000)
            page.wait_for_timeout(2000)  # a second change event for the replaced photo would have landed by now
            assert page.get_by_text(said.format("junk.jpg")).count() == 1
            assert page.get_by_text(said.format("garbage.jpg")).count() == 0
            upload.set_input_files(str(tmp_path / "kitchen.png"))
            page.wait_for_selector("#photo-info:has-text('kitchen.png')", timeout=60_000)
            assert page.get_by_text(said.format("junk.jpg")).count() == 0
            page.wait_for_selector("#m0-legend td.foodcam-class", timeout=60_000)
            src = page.locator("#m0-overlay img").get_attribute("src")
            shown = cv2.imdecode(np.frombuffer(page.request.get(src).body(), np.uint8), cv2.IMREAD_COLOR)
            _check_overlay(shown, frame, truth, kitchen_model)
        finally:
            browser.close()
    assert outside == []  # the page fetched nothing from outside the server


@pytest.mark.slow
def test_gradio_client_gets_the_same_numbers(server, kitchen_model, fresh_model, tmp_path):
    from gradio_client import Client, handle_file

    frame, truth = _kitchen_frame()
    path = tmp_path / "kitchen.png"
    path.write_bytes(_png(frame))
    client = Client(server.url, verbose=False, download_files=str(tmp_path / "downloads"))
    (info, report, status0, overlay, legend, mask_png, status1, fruit_label, fresh_label,
     status2, overlay2, legend2, mask2, ingredients) = client.predict(handle_file(str(path)), api_name="/analyze")
    assert "kitchen.png" in info and report["photo"]["size"] == [320, 240]
    seg, cls, both = report["models"]
    result = kitchen_model.predict(frame)
    assert seg["task"] == "kitchen" and seg["backend"].startswith("onnxruntime")
    assert seg["areas_percent"] == pytest.approx({c: 100 * v for c, v in result.shares.items()}, abs=1e-3)
    assert seg["colours"] == {"stirrer": "#ff0000", "pan": "#00ff00", "food": "#0000ff"}
    assert seg["latency_ms"] > 0 and seg["total_ms"] >= seg["latency_ms"]
    # the mask download: the colours `foodcam predict` writes, at the photo's resolution
    assert np.array_equal(cv2.imread(mask_png, cv2.IMREAD_COLOR), colorize(result.mask_full, KITCHEN.seg_head))
    _check_overlay(cv2.imread(overlay, cv2.IMREAD_COLOR), frame, truth, kitchen_model)
    probs = fresh_model.predict(frame).probs
    for head, label in (("fruit", fruit_label), ("freshness", fresh_label)):
        expected = {c: float(probs[head][i]) for i, c in enumerate(FRESH_TASK.head(head).classes)}
        assert cls["labels"][head] == pytest.approx(expected, abs=1e-6)
        assert {c["label"]: c["confidence"] for c in label["confidences"]} == pytest.approx(expected, abs=1e-6)
        assert label["label"] == max(expected, key=expected.get)
    # the mask-and-labels model shows both: overlay, legend, mask download and its top-5 of 12 labels
    assert "both.onnx" in status2 and "stirrer" in legend2 and Path(overlay2).is_file()
    assert cv2.imread(mask2).shape == frame.shape and set(both) >= {"areas_percent", "labels"}
    assert len(ingredients["confidences"]) == 5 and list(both["labels"]["ingredients"]) == [
        c["label"] for c in ingredients["confidences"]]


@pytest.mark.slow
def test_bad_uploads_keep_the_server_serving(server, tmp_path):
    from gradio_client import Client, handle_file
    from gradio_client.exceptions import AppError

    frame, _ = _kitchen_frame()
    jpeg = cv2.imencode(".jpg", frame)[1].tobytes()
    big = np.zeros((12000, 12000), np.uint8)
    bad = {"notes.txt": (b"hello\n", "not an image"), "empty.png": (b"", "empty file"),
           "cut.jpg": (jpeg[: len(jpeg) // 2], "truncated or corrupt JPEG"),
           "dot.png": (_png(np.zeros((1, 1, 3), np.uint8)), "1x1 pixels is too small"),
           "huge.png": (_png(big), "12000x12000 (144 MP) PNG is too large")}
    # this test reads the reports only: no output files are downloaded (see _CACHE_RACE below)
    client = Client(server.url, verbose=False, download_files=False)
    for name, (data, expected) in bad.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(AppError) as e:
            client.predict(handle_file(str(tmp_path / name)), api_name="/analyze")
        assert f"{name}: " in str(e.value) and expected in str(e.value)
    (tmp_path / "huge.jpg").write_bytes(cv2.imencode(".jpg", big)[1].tobytes())
    report = client.predict(handle_file(str(tmp_path / "huge.jpg")), api_name="/analyze")[1]
    assert report["photo"]["analysed_size"] == [6000, 6000] and "decoded at 1/2 scale" in report["photo"]["notes"][0]
    # several clients at once: requests queue on the one shared session, every answer is right
    (tmp_path / "k.jpg").write_bytes(jpeg)
    jobs = [Client(server.url, verbose=False, download_files=False).submit(
        handle_file(str(tmp_path / "k.jpg")), api_name="/analyze") for i in range(4)]
    reports = [job.result(timeout=120)[1] for job in jobs]
    assert all(r["models"][0]["areas_percent"] == reports[0]["models"][0]["areas_percent"] for r in reports)
    assert all(r["models"][1]["labels"] == reports[0]["models"][1]["labels"] for r in reports)


@pytest.mark.slow
def test_serves_no_file_but_its_own_and_only_on_loopback(server, kitchen_onnx):
    for target in (str(Path(kitchen_onnx).resolve()), "/etc/passwd", str(Path(__file__).resolve())):
        try:
            with urllib.request.urlopen(f"{server.url}gradio_api/file={target}", timeout=10) as r:
                status = r.status
        except urllib.error.HTTPError as e:
            status = e.code
        assert status in (403, 404), target
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))  # no packet is sent: only picks the outward interface
            own = s.getsockname()[0]
        except OSError:
            own = "127.0.0.1"
    if not own.startswith("127."):
        port = int(server.url.rsplit(":", 1)[1].strip("/"))
        with pytest.raises(OSError), socket.create_connection((own, port), timeout=5):
            pass


@pytest.mark.slow
def test_bad_model_or_busy_port_fail_at_start_in_one_line(tmp_path, fresh_onnx):
    pytest.importorskip("gradio", reason="foodcam[app] (gradio) not installed")
    code = "from foodcam.cli import main\nimport sys\nsys.exit(main(sys.argv[1:]))"
    r = subprocess.run([sys.executable, "-c", code, "app", "--model", str(tmp_path / "absent.onnx")],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and r.stderr.strip().splitlines() == [
        f"foodcam app: error: {tmp_path / 'absent.onnx'}: no such model file"]
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = subprocess.run([sys.executable, "-c", code, "app", "--model", str(fresh_onnx), "--port", str(port)],
                           capture_output=True, text=True, timeout=300)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and lines[-1].startswith(f"foodcam app: error: cannot serve on 127.0.0.1:{port}")
    assert "Traceback" not in r.stderr


@pytest.mark.slow
def test_no_model_serves_the_four_shipped_models():
    pytest.importorskip("gradio", reason="foodcam[app] (gradio) not installed")
    from foodcam.shipped import TASKS

    srv = Server([], free_port())
    try:
        assert any(f"{len(TASKS)} model(s) at {srv.url}" in line for line in srv.log), "".join(srv.log)
        page = urllib.request.urlopen(srv.url + "config", timeout=60).read().decode()
        for task in TASKS:
            assert f"{task}.onnx" in page  # one panel per shipped model, named by its file
        assert "plate_1.jpg" in page  # the plates are among the example photos
    finally:
        assert srv.stop() == 0, "".join(srv.log)


@pytest.mark.slow
def test_examples_are_small_and_regenerate_identically(tmp_path):
    from foodcam.app.examples import EXAMPLES_DIR, example_paths, render_examples

    shipped = example_paths()
    assert len(shipped) >= 4 and shipped[0].name.startswith("kitchen")
    assert all(p.stat().st_size < 64 * 1024 for p in shipped)
    fresh = render_examples(tmp_path)
    assert sorted(p.name for p in fresh) == sorted(p.name for p in shipped)
    for p in fresh:
        assert np.array_equal(read_image(p), read_image(EXAMPLES_DIR / p.name)), p.name
    shutil.rmtree(tmp_path)



# ---- a model with a mask and a label head (the foodseg shape), straight from its description --------------------

def _seg_and_labels_onnx(path: Path):
    """uint8 NHWC -> "mask" (argmax of B, G, R as in tiny_onnx) and "ingredients" (12 sigmoid labels)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    from foodcam.runtime.backends.onnx_meta import make_metadata, metadata_to_props
    from foodcam.runtime.tasks import Head, TaskSpec

    labels = tuple(f"ingredient{i:02d}" for i in range(12))
    task = TaskSpec(name="seg_and_labels", input_size=(16, 20), heads=(
        KITCHEN.seg_head, Head(name="ingredients", kind="multilabel", classes=labels)))
    w = np.random.default_rng(1).normal(0, 0.05, (3, 12)).astype(np.float32)
    nodes = [helper.make_node("Cast", ["images"], ["x"], to=TensorProto.FLOAT),
             helper.make_node("ArgMax", ["x"], ["idx"], axis=3, keepdims=0),
             helper.make_node("Cast", ["idx"], ["mask"], to=TensorProto.UINT8),
             helper.make_node("ReduceMean", ["x"], ["feat"], axes=[1, 2], keepdims=0),
             helper.make_node("MatMul", ["feat", "w"], ["z"]),
             helper.make_node("Sigmoid", ["z"], ["ingredients"])]
    graph = helper.make_graph(nodes, "seg_and_labels",
                              [helper.make_tensor_value_info("images", TensorProto.UINT8, ["N", 16, 20, 3])],
                              [helper.make_tensor_value_info("mask", TensorProto.UINT8, ["N", 16, 20]),
                               helper.make_tensor_value_info("ingredients", TensorProto.FLOAT, ["N", 12])],
                              initializer=[numpy_helper.from_array(w, "w")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    helper.set_model_props(model, metadata_to_props(make_metadata(task, "fp32", source={"checkpoint": "tiny"})))
    onnx.save(model, str(path))
    return path, task, w


def test_a_mask_and_a_label_head_are_both_shown(tmp_path):
    from foodcam.app.analysis import ServedModel

    path, task, w = _seg_and_labels_onnx(tmp_path / "both.onnx")
    frame = np.random.default_rng(2).integers(0, 256, (48, 60, 3), dtype=np.uint8)
    with open_model(path, backend="cpu") as model:
        served = ServedModel(model, topk=4)
        a = served.analyse(frame)
    assert served.seg_head.name == "mask" and [h.name for h in served.label_heads] == ["ingredients"]
    small = cv2.resize(frame, (20, 16), interpolation=cv2.INTER_LINEAR)
    mask = cv2.resize(small.argmax(-1).astype(np.uint8), (60, 48), interpolation=cv2.INTER_NEAREST)
    assert np.array_equal(a.mask_bgr, colorize(mask, task.seg_head))
    assert a.areas == pytest.approx({c: 100 * float((small.argmax(-1) == i).mean())
                                     for i, c in enumerate(task.seg_head.classes)})
    p = 1 / (1 + np.exp(-(small.reshape(-1, 3).astype(np.float32).mean(0) @ w)))
    top = np.argsort(-p)[:4]  # 12 labels: the top-k are shown, highest first
    assert list(a.labels["ingredients"]) == [task.head("ingredients").classes[i] for i in top]
    assert list(a.labels["ingredients"].values()) == pytest.approx(p[top].tolist(), abs=1e-6)
    assert a.overlay_bgr.shape == frame.shape and set(a.summary()) >= {"areas_percent", "labels", "latency_ms"}


def test_webcam_data_urls_and_uploads_reach_the_same_door(tmp_path):
    from types import SimpleNamespace

    from foodcam.app.photo import open_upload, raw_upload

    frame, _ = _kitchen_frame()
    png = _png(frame)
    shot = SimpleNamespace(url="data:image/png;base64," + base64.b64encode(png).decode(), path=None, orig_name=None)
    assert raw_upload(shot) == ("webcam", png)
    assert np.array_equal(open_upload(raw_upload(shot)).frame, frame)
    (tmp_path / "up.png").write_bytes(png)
    upload = SimpleNamespace(url=None, path=str(tmp_path / "up.png"), orig_name="mine.png")
    assert raw_upload(upload) == ("mine.png", str(tmp_path / "up.png"))
    assert np.array_equal(open_upload(raw_upload(upload)).frame, frame)
    bad = SimpleNamespace(url="data:image/png;base64,@@@", path=None, orig_name=None)
    with pytest.raises(FoodcamError, match="webcam: empty file"):
        open_upload(raw_upload(bad))
    assert raw_upload(None) is None

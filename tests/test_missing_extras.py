"""`pip install foodcam` brings no OpenCV (nor PyTorch, Gradio, paho): every entry point, the CLI and the Python
API alike, says in one line which extra to install instead of a traceback out of the runtime. The subprocesses
hide the module with a meta-path finder, as if it were not installed."""

import subprocess
import sys
from pathlib import Path

import pytest

from foodcam.runtime.errors import FoodcamError, MissingExtra, install_hint, missing_extra

ROOT = Path(__file__).resolve().parents[1]
KITCHEN = ROOT / "foodcam" / "assets" / "kitchen.onnx"
CV2_LINE = ("missing package 'cv2' (install foodcam[opencv] or your platform's OpenCV (on a Jetson: JetPack's, "
            "see docs/jetson.md))")

HIDE = """
import sys
HIDDEN = {hidden!r}
class Hide:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in HIDDEN:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
sys.meta_path.insert(0, Hide())
"""


def _python(code: str, hidden=("cv2",), *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", HIDE.format(hidden=tuple(hidden)) + code, *argv],
                          capture_output=True, text=True, timeout=180, cwd=ROOT)


API_CALLS = """
import foodcam
calls = {{
    "load": lambda: foodcam.load({model!r}),
    "run": lambda: foodcam.run("synth://kitchen?fps=0&size=64x48", {model!r}, max_frames=2),
    "synth": lambda: foodcam.synth("kitchen", out={out!r}, count=4, size=(64, 48)),
}}
for name, call in calls.items():
    try:
        call()
    except foodcam.FoodcamError as e:
        assert isinstance(e, ModuleNotFoundError) and e.name == "cv2", (name, type(e))
        assert e.__traceback__ is not None
        print(name, "|", e)
    else:
        print(name, "| ran")
"""


def test_python_api_without_opencv_says_what_to_install(tmp_path):
    p = _python(API_CALLS.format(model=str(KITCHEN), out=str(tmp_path / "data")))
    assert p.returncode == 0, p.stderr
    lines = p.stdout.strip().splitlines()
    assert lines == [f"{name} | {CV2_LINE}" for name in ("load", "run", "synth")], p.stdout
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").rglob("*.jpg"))


@pytest.mark.parametrize("argv", [
    ["predict", "--weights", str(KITCHEN), "--source", str(ROOT / "app" / "examples" / "kitchen_3.jpg")],
    ["eval", "--weights", str(KITCHEN), "--data", "DATA"],
    ["synth", "kitchen", "--count", "4"],
    ["bench", "--models", str(KITCHEN), "--backends", "cpu"],
])
def test_cli_without_opencv_says_what_to_install(argv, tmp_path):
    argv = [str(tmp_path / "d") if a == "DATA" else a for a in argv]
    if argv[0] in ("predict", "eval", "synth", "bench"):
        argv += ["--out", str(tmp_path / "out")]
    p = _python("from foodcam.cli import main\nsys.exit(main(sys.argv[1:]))", ("cv2",), *argv)
    assert p.returncode == 2, p.stderr
    assert p.stderr.strip() == f"foodcam {argv[0]}: error: {CV2_LINE}", p.stderr


@pytest.mark.parametrize("module, extra", [
    ("cv2", "foodcam[opencv]"), ("torch", "foodcam[train]"), ("torchvision.models", "foodcam[train]"),
    ("gradio", "foodcam[app]"), ("paho.mqtt.client", "foodcam[actuators]"), ("serial", "foodcam[actuators]"),
])
def test_each_extra_module_names_its_extra(module, extra):
    err = missing_extra(ModuleNotFoundError(f"No module named {module!r}", name=module))
    assert isinstance(err, MissingExtra) and isinstance(err, FoodcamError) and isinstance(err, ImportError)
    assert f"install {extra}" in str(err) and install_hint(module) in str(err)
    assert str(err).startswith(f"missing package {module!r} (") and "\n" not in str(err)


def test_a_missing_foodcam_module_stays_a_traceback():
    """A foodcam module that fails to import is a broken install or a bug: no install hint would be true."""
    assert missing_extra(ModuleNotFoundError("No module named 'foodcam.nope'", name="foodcam.nope")) is None
    assert missing_extra(ModuleNotFoundError("no name")) is None

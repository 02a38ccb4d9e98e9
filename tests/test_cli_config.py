"""`--config FILE.yaml` for every verb, and an install that leaves the platform's OpenCV alone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tiny_onnx import seg_onnx

from foodcam.cli import build_parser, main
from foodcam.config import apply_config

ROOT = Path(__file__).resolve().parents[1]


def parse(argv: list[str]):
    parser = build_parser()
    _, config = apply_config(parser, argv)
    args = parser.parse_args(argv)
    if config is not None:
        config.finish(args)
    return args


def write(tmp_path: Path, text: str, name: str = "cfg.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_every_flag_comes_from_the_file_with_the_flags_own_types(tmp_path):
    cfg = write(tmp_path, "model: m.onnx\nsource: 0\nmax_seconds: 2\nmax-frames: 7\nsave: [a.mp4, 'f/%03d.png']\n"
                          "size: 320x240\nserve: true\nno-analytics: true\nvisualize: mask\npan-roi: 0.5,0.5,0.3,0.3\n")
    a = parse(["run", "--config", str(cfg)])
    assert (a.model, a.source, a.max_seconds, a.max_frames) == ("m.onnx", ["0"], 2.0, 7)  # --source repeats (several streams)
    assert a.save == ["a.mp4", "f/%03d.png"] and a.size == (320, 240)
    assert a.serve == "127.0.0.1:8080" and a.no_analytics is True and a.visualize == "mask"
    assert a.pan_roi == (0.5, 0.5, 0.3, 0.3)


def test_command_line_flags_override_the_file(tmp_path):
    cfg = write(tmp_path, "model: m.onnx\nsource: synth://kitchen\nmax-seconds: 2\nsave: [a.mp4, b.mp4]\n")
    a = parse(["run", "--config", str(cfg), "--max-seconds", "9", "--save", "c.mp4", "--model", "n.engine"])
    assert (a.model, a.max_seconds, a.save) == ("n.engine", 9.0, ["c.mp4"])
    a = parse(["run", "--config", str(cfg)])  # without the flag, the file's list stands
    assert a.save == ["a.mp4", "b.mp4"]


def test_sort_reads_the_line_file_name_from_its_config(tmp_path):
    cfg = write(tmp_path, "model: fresh.onnx\nsource: synth://conveyor\nline: docs/line.yaml\ndry-run: true\n")
    a = parse(["sort", "--config", str(cfg)])
    assert (a.model, a.line, a.dry_run) == ("fresh.onnx", "docs/line.yaml", True)
    assert (ROOT / a.line).is_file()


@pytest.mark.parametrize("text, expected", [
    ("model: m.onnx\nsource: s\nmax-secnds: 3\n", "key 'max-secnds': not a flag of 'foodcam run'; did you mean 'max-seconds'?"),
    ("model: m.onnx\nsource: s\nsize: 12\n", "key 'size': size '12': expected WxH"),
    ("model: m.onnx\nsource: s\nmax-frames: many\n", "key 'max-frames': expected a whole number >= 1, got 'many'"),
    ("model: m.onnx\nsource: s\nmax-seconds: .nan\n", "key 'max-seconds': expected a positive number, got 'nan'"),
    ("model: m.onnx\nsource: s\nvisualize: foo\n", "key 'visualize': 'foo' is not one of overlay, mask, side-by-side"),
    ("model: m.onnx\nsource: s\nloop: 3\n", "key 'loop': expected true or false"),
    ("model: [m.onnx\n", ":2:1: not valid YAML (expected ',' or ']'"),  # file:line:column
    ("model: m.onnx\nsource: s\n  bad: : x\n", ":3:6: not valid YAML (mapping values are not allowed here)"),
    ("- model\n", "expected a mapping of flag names to values"),
    ("model: m.onnx\nsource: s\nconfig: other.yaml\n", "cannot name another config file"),
    ("model: {a: 1}\nsource: s\n", "key 'model': expected a single value"),
])
def test_bad_files_are_one_line_errors_naming_the_key(tmp_path, capsys, text, expected):
    cfg = write(tmp_path, text)
    assert main(["run", "--config", str(cfg)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"foodcam run: error: {cfg}") and expected in err and "\n" not in err


def test_missing_file_and_positional_keys(tmp_path, capsys):
    assert main(["run", "--config", str(tmp_path / "nope.yaml")]) == 2
    assert "--config" in capsys.readouterr().err
    cfg = write(tmp_path, "onnx: model.onnx\n")  # `foodcam build ONNX`: a positional stays on the command line
    assert main(["build", "--config", str(cfg)]) == 2
    assert "positional argument; give it on the command line" in capsys.readouterr().err


def test_required_flags_still_required_without_the_file(tmp_path, capsys):
    cfg = write(tmp_path, "source: synth://kitchen\n")
    with pytest.raises(SystemExit) as e:
        main(["run", "--config", str(cfg)])
    assert e.value.code == 2 and "--model" in capsys.readouterr().err


def test_every_command_accepts_a_config_file():
    parser = build_parser()
    from foodcam.config import leaf_parsers

    leaves = list(leaf_parsers(parser))
    assert len(leaves) >= 10
    assert all("--config" in p._option_string_actions for p in leaves)


def test_run_from_a_config_file_end_to_end(tmp_path):
    model = seg_onnx(tmp_path / "tiny.onnx")
    cfg = write(tmp_path, f"model: {model}\nsource: synth://kitchen?fps=0&size=64x48&seed=1\nmax-frames: 5\n"
                          f"threads: 1\nsummary: {tmp_path / 'summary.json'}\nevents: {tmp_path / 'ev.jsonl'}\n")
    assert main(["run", "--config", str(cfg)]) == 0
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["frames"] == 5 and summary["stopped_by"] == "max_frames"


def test_install_keeps_the_platforms_opencv():
    """`pip install .` brings no OpenCV wheel (a Jetson keeps JetPack's cv2 with GStreamer); the extras that
    `make demo` (only `[opencv]`) and `make test` (every extra) install do."""
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not any(d.startswith("opencv") for d in meta["dependencies"])
    extras = meta["optional-dependencies"]
    assert any(d.startswith("opencv-python") for d in extras["opencv"])
    installs = (ROOT / "Makefile").read_text().split("-e '.[")[1:]  # `make demo`'s lean install, `make test`'s
    assert len(installs) == 2
    for line in installs:
        make_extras = line.split("]", 1)[0].split(",")
        assert any(e == "opencv" or "foodcam[opencv]" in extras[e] for e in make_extras), make_extras


BLOCK_CV2 = """
import sys
class NoCv2:
    def find_spec(self, name, path=None, target=None):
        if name == "cv2" or name.startswith("cv2."):
            raise ModuleNotFoundError("No module named 'cv2'", name="cv2")
sys.meta_path.insert(0, NoCv2())
from foodcam.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("argv", [
    ["run", "--model", "m.onnx", "--source", "synth://kitchen"],
    ["run", "--model", "m.onnx", "--source", "0", "--size", "640x480"],  # --size parses before the run starts
])
def test_without_opencv_a_one_line_error_says_what_to_install(argv):
    p = subprocess.run([sys.executable, "-c", BLOCK_CV2, *argv], capture_output=True, text=True, timeout=120)
    assert p.returncode == 2, p.stderr
    err = p.stderr.strip()
    assert err == ("foodcam run: error: missing package 'cv2' (install foodcam[opencv] or your platform's "
                   "OpenCV (on a Jetson: JetPack's, see docs/jetson.md))")

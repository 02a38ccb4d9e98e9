"""foodcam/verbconfig.py: one pydantic model per verb gives its flags, its --config keys and its Python keywords."""

from __future__ import annotations

from typing import Literal

import pytest

from foodcam.argparsing import FoodcamParser
from foodcam.argtypes import PositiveFloat, PositiveInt
from foodcam.config import add_config_option, apply_config
from foodcam.runtime.errors import FoodcamError
from foodcam.verbconfig import VerbConfig, add_verb, load_file, opt


class Toy(VerbConfig):
    model: str = opt(..., "the model file")
    source: list[str] = opt(..., "a source; repeat it", metavar="URI")
    max_seconds: PositiveFloat | None = opt(None, "stop after S seconds", metavar="S")
    every: PositiveInt = 30
    visualize: Literal["overlay", "mask"] = "overlay"
    loop: bool = opt(False, "repeat a file")
    retry: bool | None = None
    serve: str | None = opt(None, "live view", const="127.0.0.1:8080")
    summary: str | None = opt(None, "summary file", deprecated=["--json"])
    from_ckpt: str | None = opt(None, flag="--from")
    backends: list[str] = opt(["cpu"], nargs="+")


def parser():
    got = {}
    root = FoodcamParser(prog="foodcam")
    sub = root.add_subparsers(dest="verb")
    add_verb(sub, "toy", Toy, lambda cfg: got.setdefault("cfg", cfg) and 0, help="a toy verb")
    add_config_option(root)
    return root, got


def parse(argv: list[str]) -> Toy:
    root, got = parser()
    _, file = apply_config(root, argv)
    args = root.parse_args(argv)
    if file is not None:
        file.finish(args)
    args.func(args)
    return got["cfg"]


def test_flags_come_from_the_fields():
    cfg = parse(["toy", "--model", "m.onnx", "--source", "a", "--source", "b", "--max-seconds", "2.5", "--loop",
                 "--no-retry", "--serve", "--visualize", "mask", "--from", "x.pt", "--backends", "cpu", "cuda"])
    assert cfg == Toy(model="m.onnx", source=["a", "b"], max_seconds=2.5, loop=True, retry=False,
                      serve="127.0.0.1:8080", visualize="mask", from_ckpt="x.pt", backends=["cpu", "cuda"])
    cfg = parse(["toy", "--model", "m", "--source", "a"])  # the field defaults underneath
    assert (cfg.max_seconds, cfg.every, cfg.loop, cfg.retry, cfg.serve, cfg.backends) == (None, 30, False, None, None,
                                                                                          ["cpu"])
    help_text = parser()[0]._subparsers._group_actions[0].choices["toy"].format_help()
    assert "--max-seconds S" in help_text and "stop after S seconds" in help_text and "{overlay,mask}" in help_text
    assert "--json" not in help_text


@pytest.mark.parametrize(("argv", "needle"), [
    (["--max-seconds", "nan"], "--max-seconds: expected a positive number, got 'nan'"),
    (["--every", "0"], "--every: expected a whole number >= 1, got '0'"),
    (["--visualize", "mask2"], "did you mean 'mask'?"),
    (["--max-secnds", "3"], "did you mean --max-seconds?"),
])
def test_bad_flags_are_argparse_errors_in_the_fields_words(argv, needle, capsys):
    root, _ = parser()
    with pytest.raises(SystemExit) as e:
        root._subparsers._group_actions[0].choices["toy"].reject_unknown(argv)  # as foodcam/cli.py's main does
        root.parse_args(["toy", "--model", "m", "--source", "a", *argv])
    assert e.value.code == 2 and needle in capsys.readouterr().err


def test_required_flag_and_deprecated_spelling(capsys):
    root, _ = parser()
    with pytest.raises(SystemExit):
        root.parse_args(["toy", "--source", "a"])
    assert "--model" in capsys.readouterr().err
    cfg = parse(["toy", "--model", "m", "--source", "a", "--json", "s.json"])
    assert cfg.summary == "s.json"
    assert capsys.readouterr().err.strip() == "foodcam toy: warning: --json is deprecated; use --summary"


def test_python_keywords_build_the_same_config():
    from pathlib import Path

    cfg = Toy.make("toy()", model=Path("m.onnx"), source="synth://kitchen", serve=True, max_seconds=2, every=None)
    assert cfg == Toy(model="m.onnx", source=["synth://kitchen"], serve="127.0.0.1:8080", max_seconds=2.0)
    with pytest.raises(FoodcamError, match=r"^toy\(\): unexpected keyword max_second=; did you mean max_seconds=\?$"):
        Toy.make("toy()", model="m", source="a", max_second=3)
    with pytest.raises(FoodcamError, match=r"^toy\(\): max_seconds: expected a positive number, got 'inf'"):
        Toy.make("toy()", model="m", source="a", max_seconds=float("inf"))
    with pytest.raises(FoodcamError, match=r"^toy\(\): visualize: 'sparkles' is not one of overlay, mask$"):
        Toy.make("toy()", model="m", source="a", visualize="sparkles")
    with pytest.raises(FoodcamError, match=r"^toy\(\): missing model=$"):
        Toy.make("toy()", source="a")
    with pytest.raises(FoodcamError, match=r"loop: expected true or false, got 3"):
        Toy.make("toy()", model="m", source="a", loop=3)


def test_config_file_is_checked_by_the_model_and_the_command_line_wins(tmp_path):
    f = tmp_path / "toy.yaml"
    f.write_text("model: m.onnx\nsource: 0\nmax-seconds: 2\nserve: true\nfrom: a.pt\njson: s.json\n")
    assert load_file(Toy, str(f), "toy") == {"model": "m.onnx", "source": ["0"], "max_seconds": 2.0,
                                             "serve": "127.0.0.1:8080", "from_ckpt": "a.pt", "summary": "s.json"}
    cfg = parse(["toy", "--config", str(f)])
    assert (cfg.model, cfg.source, cfg.max_seconds) == ("m.onnx", ["0"], 2.0)
    cfg = parse(["toy", "--config", str(f), "--source", "x", "--max-seconds", "9"])
    assert (cfg.source, cfg.max_seconds) == (["x"], 9.0)  # a repeatable flag replaces the file's list


@pytest.mark.parametrize(("text", "needle"), [
    ("model: m\nmax-secnds: 3\n", ":2:1: key 'max-secnds': not a flag of 'foodcam toy'; did you mean 'max-seconds'?"),
    ("model: m\nmax_seconds: .nan\n", ":2:1: key 'max_seconds': expected a positive number, got 'nan'"),
    ("model: m\n\nevery: many\n", ":3:1: key 'every': expected a whole number >= 1, got 'many'"),
    ("model: m\nvisualize: foo\n", ":2:1: key 'visualize': 'foo' is not one of overlay, mask"),
    ("model: m\nloop: 3\n", ":2:1: key 'loop': expected true or false, got 3"),
    ("model: {a: 1}\n", ":1:8: key 'model': expected a single value"),
    ("model: [m\n", ":2:1: not valid YAML"),
    ("config: x.yaml\n", "cannot name another config file"),
])
def test_bad_config_files_are_one_line_naming_file_line_and_key(tmp_path, text, needle):
    f = tmp_path / "toy.yaml"
    f.write_text(text)
    with pytest.raises(FoodcamError) as e:
        load_file(Toy, str(f), "toy")
    assert str(e.value).startswith(str(f)) and needle in str(e.value) and "\n" not in str(e.value)


def test_python_keywords_over_a_config_file(tmp_path):
    f = tmp_path / "toy.yaml"
    f.write_text("model: m.onnx\nsource: [a, b]\nmax-seconds: 2\n")
    cfg = Toy.make("toy()", config=f, max_seconds=5, model=None)  # None: not given, the file stands
    assert (cfg.model, cfg.source, cfg.max_seconds) == ("m.onnx", ["a", "b"], 5.0)
    f.write_text("model: m.onnx\nsource: a\n\nmax-seconds: -1\n")
    with pytest.raises(FoodcamError, match=r"toy.yaml:4:1: key 'max-seconds': expected a positive number"):
        Toy.make("toy()", config=f)


class Positional(VerbConfig):
    verb = "pos"
    task: Literal["kitchen", "freshness"] = opt(..., "the task", positional=True)
    files: list[str] = opt([], "inputs", positional=True, metavar="FILE")
    workers: PositiveInt = opt(2, "worker processes", aliases=["-j", "--jobs"])
    progress: object = opt(None, hidden=True)  # a Python-only keyword (a callback)


def test_positionals_aliases_and_python_only_fields(tmp_path, capsys):
    got = {}
    root = FoodcamParser(prog="foodcam")
    add_verb(root.add_subparsers(dest="verb"), "pos", Positional, lambda cfg: got.setdefault("cfg", cfg) and 0)
    add_config_option(root)
    args = root.parse_args(["pos", "freshness", "a.jpg", "b.jpg", "-j", "4"])
    args.func(args)
    assert got["cfg"] == Positional(task="freshness", files=["a.jpg", "b.jpg"], workers=4)
    assert "--progress" not in root._subparsers._group_actions[0].choices["pos"].format_help()
    with pytest.raises(SystemExit):
        root.parse_args(["pos", "fresh"])
    assert "did you mean 'freshness'?" in capsys.readouterr().err
    f = tmp_path / "pos.yaml"
    f.write_text("jobs: 3\n")
    assert load_file(Positional, str(f), "pos") == {"workers": 3}
    f.write_text("jobs: 3\ntask: kitchen\n")
    with pytest.raises(FoodcamError, match=r"pos.yaml:2:1: key 'task': task is a positional argument"):
        load_file(Positional, str(f), "pos")
    f.write_text("progress: x\n")
    with pytest.raises(FoodcamError, match=r"key 'progress': not a flag of 'foodcam pos'"):
        load_file(Positional, str(f), "pos")
    callback = print
    assert Positional.make("pos()", task="kitchen", progress=callback).progress is callback

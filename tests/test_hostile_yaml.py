"""Hostile YAML through the one YAML reader (camera/config.py): line.yaml and `--config FILE` alike.

Aliases that expand past a small size are refused before anything is expanded; no message quotes more than a
line of the offending value; an integer of more than 4,300 digits is a one-line error, not a traceback. Each
file is written here and run through the CLI in a child process capped at 3 GB and 120 s.
"""

from __future__ import annotations

import pytest
from capped import run_cli

LAUGHS = "\n".join(["a: &a [" + ", ".join(['"lol"'] * 9) + "]"]
                   + [f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)])


def _line_bomb() -> str:
    return "name: bomb\n" + LAUGHS + "\n"


def _config_bomb() -> str:
    return LAUGHS + "\nmodel: *i\n"


def _sort(line, tmp_path):
    return run_cli("sort", "--model", tmp_path / "none.onnx", "--source", "synth://conveyor", "--line", line)


@pytest.mark.parametrize("kind", ["line", "config"])
def test_billion_laughs_is_refused_without_expanding(kind, tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(_line_bomb() if kind == "line" else _config_bomb())
    assert bomb.stat().st_size < 2000
    if kind == "line":
        r = _sort(bomb, tmp_path)
    else:
        r = run_cli("predict", "--config", bomb, "x.jpg")
    assert r.clean, (r.verdict, r.err[-1500:])
    assert r.rc == 2 and "aliases expand to more than" in r.err and str(bomb) in r.err
    assert len(r.out) + len(r.err) < 2000  # nothing of the expansion is printed


def test_a_small_alias_still_works(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("base: &b 0.5\nconf: *b\nmodel: " + str(tmp_path / "none.onnx") + "\n")
    r = run_cli("predict", "--config", cfg, "x.jpg")
    assert r.clean and "aliases" not in r.err, r.err[-1500:]


@pytest.mark.parametrize("where", ["line", "config"])
def test_a_5000_digit_integer_is_one_line(where, tmp_path):
    f = tmp_path / "big.yaml"
    f.write_text(("name: x\nbelt:\n  speed_px_s: " if where == "line" else "threads: ") + "9" * 5000 + "\n")
    r = _sort(f, tmp_path) if where == "line" else run_cli("predict", "--config", f, "x.jpg")
    assert r.clean, (r.verdict, r.err[-1500:])
    assert r.rc == 2 and str(f) in r.err and "9" * 200 not in r.err
    assert max(map(len, r.err.splitlines())) < 400


@pytest.mark.parametrize("where", ["line", "config"])
def test_a_long_value_is_not_echoed(where, tmp_path):
    f = tmp_path / "long.yaml"
    big = "[" + ", ".join(["1"] * 100_000) + "]"
    f.write_text(("name: x\nbelt:\n  speed_px_s: " if where == "line" else "threads: ") + big + "\n")
    r = _sort(f, tmp_path) if where == "line" else run_cli("predict", "--config", f, "x.jpg")
    assert r.clean and r.rc == 2, (r.verdict, r.err[-1500:])
    assert len(r.err) < 2000, r.err[:3000]

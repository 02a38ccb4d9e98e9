"""`foodcam --help` lists every verb the README documents; a verb module that fails to import is an error."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def documented_verbs() -> set[str]:
    """Every `foodcam VERB` in README's commands (code blocks and inline code)."""
    text = README.read_text(encoding="utf-8")
    return set(re.findall(r"(?:^|[`\s])foodcam ([a-z][a-z-]+)", text, flags=re.M)) - {"verb"}


def test_every_documented_verb_is_in_help():
    out = subprocess.run([sys.executable, "-m", "foodcam", "--help"], capture_output=True, text=True, check=True)
    listed = set(re.findall(r"^    ([a-z][a-z-]+)\s", out.stdout, flags=re.M))
    verbs = documented_verbs()
    assert {"run", "sort", "train", "export"} <= verbs  # the README was read
    assert verbs <= listed, f"documented but missing from --help: {sorted(verbs - listed)}"


def test_a_verb_module_that_fails_to_import_is_an_error(monkeypatch, capsys):
    from foodcam import cli

    monkeypatch.setattr(cli, "VERB_MODULES", cli.VERB_MODULES + ("foodcam.camera.no_such_verbs",))
    assert cli.main(["run", "--help"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("foodcam: error: cannot load the verbs of foodcam.camera.no_such_verbs")
    assert "\n" not in err

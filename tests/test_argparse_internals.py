"""Only foodcam/verbconfig.py builds and reads verb parsers below argparse's public surface: every other module of
the package goes through its typed configs (foodcam/verbconfig.py) and never touches `_actions`, `_subparsers`,
`_option_string_actions`, `_mutually_exclusive_groups` or `set_defaults`. FoodcamParser (foodcam/argparsing.py),
an ArgumentParser itself, may read its own state (`self._option_string_actions`)."""

from __future__ import annotations

import re

from test_layers import ROOT, _modules

INTERNALS = re.compile(r"(?P<owner>[\w\]\)]+)\.(?P<name>_actions|_subparsers|_option_string_actions|"
                       r"_mutually_exclusive_groups|_group_actions|set_defaults)\b|argparse\._\w+")
ALLOWED = {"foodcam/verbconfig.py"}
OWN_STATE = {"foodcam/argparsing.py"}  # the parser class reading its own attributes


def reaches_in(rel: str, text: str) -> list[str]:
    """file:line: code for every use of argparse internals in `text` (the file at `rel`)."""
    found = []
    for n, line in enumerate(text.splitlines(), 1):
        code = line.split("#", 1)[0]
        for m in INTERNALS.finditer(code):
            if rel in OWN_STATE and m.group("owner") == "self":
                continue
            found.append(f"{rel}:{n}: {line.strip()}")
    return found


def test_the_pattern_finds_each_kind_of_reach():
    for line in ("p._actions", "parser._subparsers._group_actions[0]", "x._option_string_actions",
                 "p._mutually_exclusive_groups", "sub.choices['run'].set_defaults(func=f)",
                 "isinstance(a, argparse._SubParsersAction)"):
        assert reaches_in("camera/x.py", line), line
    assert not reaches_in("foodcam/argparsing.py", "if flag in self._option_string_actions:")
    assert reaches_in("foodcam/argparsing.py", "if flag in other._option_string_actions:")
    assert not reaches_in("camera/x.py", "p.add_subparsers(dest='verb')  # p._actions in a comment")


def test_no_module_but_verbconfig_reaches_into_argparse():
    found = []
    for path in _modules().values():
        rel = path.relative_to(ROOT).as_posix()
        if rel not in ALLOWED:
            found += reaches_in(rel, path.read_text(encoding="utf-8"))
    assert not found, "argparse internals outside foodcam/verbconfig.py:\n" + "\n".join(found)

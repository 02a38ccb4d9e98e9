"""Keyword arguments -> the argparse namespace a CLI verb gets, so the Python API calls each verb's own code.

`call_verb("synth", task="kitchen", out="data/kitchen")` does what `foodcam synth kitchen --out data/kitchen`
does: the verb's parser supplies every default, each keyword is converted and checked exactly as its flag
(foodcam/config.py's conversion, the one `--config FILE.yaml` uses), and the verb's handler runs. A keyword is the
flag's name with `_` for `-` (`--max-frames` -> max_frames, `--out` -> out); a repeatable or multi-value flag takes
a list, a switch takes True/False. The handler leaves what it produced in `args.result`.

For the verbs not yet on a typed config (bench, synth): run, sort, train, eval, predict and export build theirs
(foodcam/verbconfig.py) and call their core function directly.
"""

from __future__ import annotations

import argparse
from pathlib import PurePath

from foodcam.argparsing import did_you_mean
from foodcam.runtime.errors import FoodcamError


def verb_parser(verb: str) -> argparse.ArgumentParser:
    """The parser of `foodcam VERB` (a fresh one: changing its defaults touches nothing else)."""
    from foodcam.cli import build_parser
    from foodcam.config import _subparsers

    sub = _subparsers(build_parser())
    if sub is None or verb not in sub.choices:
        raise FoodcamError(f"no verb {verb!r}")
    return sub.choices[verb]


def _plain(value):
    """Python values the flag's text form would give: paths as text, tuples as lists."""
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _python_names(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    """keyword -> action: the dest and each long flag with `_` for `-` (both accepted)."""
    from foodcam.config import _options

    return {k.replace("-", "_"): a for k, a in _options(parser).items()}


def namespace(verb: str, where: str, kwargs: dict) -> argparse.Namespace:
    """The namespace `foodcam VERB` would parse from the flags `kwargs` name; FoodcamError naming `where` and
    the keyword for an unknown keyword, a bad value or a missing required one."""
    from foodcam.config import _convert

    parser = verb_parser(verb)
    names = _python_names(parser)
    values: dict[str, object] = {}
    for key, value in kwargs.items():
        action = names.get(key.replace("-", "_"))
        if action is None:
            known = sorted({a.dest for a in names.values()})
            close = did_you_mean(key, known, quote=False)
            hint = close.replace("?", "=?") if close else f"known: {', '.join(known)}"
            raise FoodcamError(f"{where}: unexpected keyword {key}= (flags of 'foodcam {verb}'); {hint}")
        if value is None:  # None = not given: the flag's default
            continue
        value = _plain(value)
        if isinstance(value, list) and len(value) == 2 and action.nargs is None and action.dest == "size":
            value = f"{value[0]}x{value[1]}"  # size=(W, H) as well as "WxH"
        values[action.dest] = _convert(action, value, f"{where}: {action.dest}")
    for group in parser._mutually_exclusive_groups:
        given = [a.dest for a in group._group_actions if a.dest in values]
        if len(given) > 1:
            raise FoodcamError(f"{where}: {'= and '.join(given)}= exclude each other; give one")
    missing = [a.dest for a in parser._actions if a.required and a.dest not in values]
    if missing:
        raise FoodcamError(f"{where}: missing {', '.join(m + '=' for m in missing)}")
    for action in parser._actions:
        action.required = False
    parser.set_defaults(**values)

    def error(message: str):  # what argparse would print and exit for: one FoodcamError instead
        raise FoodcamError(f"{where}: {message}")

    parser.error = error  # type: ignore[method-assign]
    args = parser.parse_args([])
    args.verb, args.verbose = verb, False
    return args


def call_verb(verb: str, where: str, **kwargs) -> tuple[int, argparse.Namespace]:
    """Run `foodcam VERB` with flags from `kwargs` in this process; (exit status, namespace with `.result`)."""
    args = namespace(verb, where, kwargs)
    args.result = None
    rc = int(args.func(args) or 0)
    return rc, args

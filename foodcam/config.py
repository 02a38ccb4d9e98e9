"""`--config FILE.yaml` for every verb: the command's flags read from a YAML file, checked before anything runs.

    # run.yaml                                   foodcam run --config run.yaml
    model: runs/lraspp/model.onnx                 # key = flag name (max-seconds or max_seconds)
    source: csi://0
    save: [out.mp4]                               # repeatable flags take a list
    serve: 0.0.0.0:8080
    max-seconds: 3600

Each value is converted and checked exactly as the flag's own parser would (types, choices, WxH sizes...), and
every problem is one line naming the file and the key; an unknown key gets a "did you mean". Flags given on the
command line win over the file (a repeatable flag given on the command line replaces the file's list).
Relative paths in the file are taken from the working directory, as on the command line (the systemd unit sets
WorkingDirectory).

It works at the argparse level, for every verb, without the verbs knowing: the file's values become the
parser's defaults (`set_defaults`) before the command line is parsed. A verb with a typed config
(foodcam/verbconfig.py: run, sort, train, eval, predict, export) has its file checked by that config instead, each
error naming file:line:column and the key.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

from foodcam.argparsing import did_you_mean
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.fmt import shown

OPTION = "--config"


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction | None:
    return next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)


def leaf_parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """Every parser that runs a command (those without sub-commands of their own)."""
    sub = _subparsers(parser)
    if sub is None:
        yield parser
        return
    seen: set[int] = set()
    for child in sub.choices.values():  # aliases map to the same parser
        if id(child) not in seen:
            seen.add(id(child))
            yield from leaf_parsers(child)


def add_config_option(parser: argparse.ArgumentParser) -> None:
    """Give every command of `parser` a --config option (unless it already has one of its own)."""
    for leaf in leaf_parsers(parser):
        if OPTION not in leaf._option_string_actions:
            leaf.add_argument(OPTION, metavar="FILE.yaml",
                              help="read this command's flags from a YAML file (keys: the flag names); "
                                   "flags on the command line override it")


def command_parser(parser: argparse.ArgumentParser, argv: list[str]) -> tuple[argparse.ArgumentParser, str, list[str]]:
    """The parser of the command `argv` names, its name ("run", "data check") and the arguments after it."""
    names: list[str] = []
    rest = list(argv)
    while (sub := _subparsers(parser)) is not None:
        i = next((i for i, tok in enumerate(rest) if not tok.startswith("-")), None)
        if i is None or rest[i] not in sub.choices:
            break  # argparse reports the missing or unknown command itself
        names.append(rest[i])
        parser, rest = sub.choices[rest[i]], rest[i + 1:]
    return parser, " ".join(names), rest


def _config_path(parser: argparse.ArgumentParser, rest: list[str]) -> str | None:
    if OPTION not in parser._option_string_actions:
        return None
    pre = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    pre.add_argument(OPTION, dest="config")
    known, _ = pre.parse_known_args(rest)
    return known.config


def _load(path: str) -> dict:
    from foodcam.runtime.yamlio import read_yaml  # the one YAML reader: errors name file:line:column

    if not Path(path).is_file():
        raise FoodcamError(f"{OPTION} {path}: no such file")
    try:
        data, _ = read_yaml(path)
    except OSError as e:
        raise FoodcamError(f"{path}: cannot read ({e})") from None
    if not isinstance(data, dict) or not data:
        raise FoodcamError(f"{path}: expected a mapping of flag names to values, e.g. 'model: model.onnx'")
    return data


def _options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    """Key spellings -> action: the dest and every long option, with - or _."""
    names: dict[str, argparse.Action] = {}
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction) or action.dest == "config":
            continue
        spellings = {action.dest} | {o[2:] for o in action.option_strings if o.startswith("--")}
        for s in spellings:
            names[s] = names[s.replace("-", "_")] = names[s.replace("_", "-")] = action
    return names


def _scalar(action: argparse.Action, value, where: str):
    if isinstance(value, (dict, list)) or isinstance(value, bool):
        raise FoodcamError(f"{where}: expected a single value, got {shown(value)}")
    text = str(value)
    if action.type is not None:
        try:
            value = action.type(text)
        except argparse.ArgumentTypeError as e:
            raise FoodcamError(f"{where}: {e}") from None
        except (TypeError, ValueError):
            kind = getattr(action.type, "__name__", "value")
            raise FoodcamError(f"{where}: invalid {kind} value {shown(text)}") from None
    else:
        value = text
    if action.choices is not None and value not in action.choices:
        raise FoodcamError(f"{where}: {shown(value)} is not one of {', '.join(map(str, action.choices))}")
    return value


def _convert(action: argparse.Action, value, where: str):
    """The value the flag's parser would store for `value` from the file."""
    if isinstance(action, (argparse._StoreConstAction, argparse._AppendConstAction, argparse.BooleanOptionalAction)):
        if not isinstance(value, bool):
            raise FoodcamError(f"{where}: expected true or false, got {shown(value)}")
        if isinstance(action, argparse.BooleanOptionalAction):
            return value
        if isinstance(action, argparse._AppendConstAction):
            return [action.const] if value else action.default
        return action.const if value else action.default
    if isinstance(action, argparse._CountAction):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise FoodcamError(f"{where}: expected a count (0, 1, 2...), got {shown(value)}")
        return value
    many = isinstance(action, argparse._AppendAction) or action.nargs in ("+", "*") or isinstance(action.nargs, int)
    if many:
        items = value if isinstance(value, list) else [value]
        if not items and action.nargs == "+":
            raise FoodcamError(f"{where}: expected at least one value")
        return [_scalar(action, v, f"{where}[{i}]") for i, v in enumerate(items)]
    if action.nargs == "?" and isinstance(value, bool):  # `serve: true` = the flag alone
        return action.const if value else action.default
    return _scalar(action, value, where)


class ConfigDefaults:
    """The values a config file gave one command's parser; `finish` applies the command line's precedence."""

    def __init__(self, path: str, values: dict[str, object], appended: dict[str, list]) -> None:
        self.path, self.values, self.appended = path, values, appended

    def finish(self, args: argparse.Namespace) -> None:
        """argparse appends a repeated flag to its default list; the command line's list replaces the file's."""
        for dest, from_file in self.appended.items():
            got = getattr(args, dest, None)
            n = len(from_file)
            if isinstance(got, list) and len(got) > n and got[:n] == from_file:
                setattr(args, dest, got[n:])


def apply_config(parser: argparse.ArgumentParser, argv: list[str]) -> tuple[str, ConfigDefaults | None]:
    """If `argv` gives its command --config FILE, load and check FILE and make its values that parser's defaults.

    Returns the command's name (for error messages) and what was applied (None without --config)."""
    command, name, rest = command_parser(parser, argv)
    path = _config_path(command, rest)
    if path is None:
        return name, None
    verb_config = getattr(command, "verb_config", None)  # a verb with a typed config (foodcam/verbconfig.py)
    if verb_config is not None:
        return name, _apply_typed(command, verb_config, path, name)
    data = _load(path)
    options = _options(command)
    values: dict[str, object] = {}
    appended: dict[str, list] = {}
    for key, value in data.items():
        key_s = str(key)
        where = f"{path}: key {shown(key_s)}"
        if key_s in ("config", OPTION[2:]):
            raise FoodcamError(f"{where}: a config file cannot name another config file")
        action = options.get(key_s)
        if action is None:
            known = sorted({a.option_strings[-1].lstrip("-") for a in options.values() if a.option_strings})
            hint = did_you_mean(key_s.replace("_", "-"), known) or f"known keys: {', '.join(known)}"
            raise FoodcamError(f"{where}: not a flag of 'foodcam {name}'; {hint}")
        if not action.option_strings:
            raise FoodcamError(f"{where}: {action.dest} is a positional argument; give it on the command line")
        if action.dest in values:
            raise FoodcamError(f"{where}: {action.dest} is given twice in the file")
        if value is None:  # `key:` with no value = not given
            continue
        values[action.dest] = _convert(action, value, where)
        if isinstance(action, argparse._AppendAction) and isinstance(values[action.dest], list):
            appended[action.dest] = list(values[action.dest])
        action.required = False  # the file provides it; the command line may still override
    command.set_defaults(**values)
    return name, ConfigDefaults(path, values, appended)


def _apply_typed(command: argparse.ArgumentParser, cls, path: str, name: str) -> ConfigDefaults:
    """The file checked by the verb's config; its values become the parser's defaults (fields = dests)."""
    from foodcam.verbconfig import load_file

    values = load_file(cls, path, name)
    appended: dict[str, list] = {}
    for action in command._actions:
        if action.dest in values:
            action.required = False  # the file provides it; the command line may still override
            if isinstance(action, argparse._AppendAction):
                appended[action.dest] = list(values[action.dest])  # type: ignore[call-overload]
    command.set_defaults(**values)
    return ConfigDefaults(path, values, appended)

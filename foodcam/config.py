"""`--config FILE.yaml` for every verb: the command's flags read from a YAML file, checked before anything runs.

    # run.yaml                                   foodcam run --config run.yaml
    model: runs/lraspp/model.onnx                 # key = flag name (max-seconds or max_seconds)
    source: csi://0
    save: [out.mp4]                               # repeatable flags take a list
    serve: 0.0.0.0:8080
    max-seconds: 3600

Each verb's typed config (foodcam/verbconfig.py) checks the file: types, choices, WxH sizes... exactly as its
flags are checked, and every problem is one line naming file:line:column and the key; an unknown key gets a "did
you mean". Flags given on the command line win over the file (a repeatable flag given on the command line replaces
the file's list). Relative paths in the file are taken from the working directory, as on the command line (the
systemd unit sets WorkingDirectory).

The file's values become the command parser's defaults before the command line is parsed
(foodcam/verbconfig.py's `file_defaults`), so a flag the file gives is no longer required on the command line.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from foodcam.runtime.errors import FoodcamError
from foodcam.verbconfig import file_defaults, has_option, load_file, subcommands

OPTION = "--config"


def leaf_parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """Every parser that runs a command (those without sub-commands of their own)."""
    sub = subcommands(parser)
    if sub is None:
        yield parser
        return
    seen: set[int] = set()
    for child in sub.values():  # aliases map to the same parser
        if id(child) not in seen:
            seen.add(id(child))
            yield from leaf_parsers(child)


def add_config_option(parser: argparse.ArgumentParser) -> None:
    """Give every command of `parser` that has a typed config a --config option (unless it has one of its own)."""
    for leaf in leaf_parsers(parser):
        if getattr(leaf, "verb_config", None) is not None and not has_option(leaf, OPTION):
            leaf.add_argument(OPTION, metavar="FILE.yaml",
                              help="read this command's flags from a YAML file (keys: the flag names); "
                                   "flags on the command line override it")


def command_parser(parser: argparse.ArgumentParser, argv: list[str]) -> tuple[argparse.ArgumentParser, str, list[str]]:
    """The parser of the command `argv` names, its name ("run", "data check") and the arguments after it."""
    names: list[str] = []
    rest = list(argv)
    while (sub := subcommands(parser)) is not None:
        i = next((i for i, tok in enumerate(rest) if not tok.startswith("-")), None)
        if i is None or rest[i] not in sub:
            break  # argparse reports the missing or unknown command itself
        names.append(rest[i])
        parser, rest = sub[rest[i]], rest[i + 1:]
    return parser, " ".join(names), rest


def _config_path(parser: argparse.ArgumentParser, rest: list[str]) -> str | None:
    if not has_option(parser, OPTION):
        return None
    pre = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    pre.add_argument(OPTION, dest="config")
    known, _ = pre.parse_known_args(rest)
    return known.config


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
    """If `argv` gives its command --config FILE, load FILE, check it against the command's typed config and make
    its values that parser's defaults. Returns the command's name (for error messages) and what was applied (None
    without --config)."""
    command, name, rest = command_parser(parser, argv)
    path = _config_path(command, rest)
    if path is None:
        return name, None
    verb_config = getattr(command, "verb_config", None)
    if verb_config is None:
        raise FoodcamError(f"{OPTION}: 'foodcam {name}' reads no config file")
    values = load_file(verb_config, path, name)
    return name, ConfigDefaults(path, values, file_defaults(command, values))

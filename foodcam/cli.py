"""`foodcam <verb>`: one verb per mode. Each package's `cli.py` adds its verbs with `register(subparsers)`;
registration imports nothing heavy, so `foodcam run` works on a Jetson without torch."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import sys

from foodcam.argparsing import FoodcamParser
from foodcam.config import add_config_option, apply_config, command_parser
from foodcam.runtime.errors import INSTALL_HINTS, FoodcamError, install_hint  # noqa: F401 - INSTALL_HINTS re-exported
from foodcam.verbconfig import has_option, subcommands
from foodcam.version import __version__

# package cli modules, in the order their verbs are listed in --help
VERB_MODULES = ("foodcam.train.cli", "foodcam.export.cli", "foodcam.camera.cli", "foodcam.camera.sorting.cli",
                "foodcam.benchmarks.cli", "foodcam.app.cli", "foodcam.demo", "foodcam.adaptation", "foodcam.doctor.cli")


def build_parser() -> argparse.ArgumentParser:
    """Every verb of every package. The verb modules import nothing heavy, so one that fails to import is a
    broken install or a bug: FoodcamError naming it, never a verb silently missing from --help."""
    parser = FoodcamParser(prog="foodcam", description="Food vision from training to the edge.")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging and full tracebacks")
    parser.add_argument("--version", action="version", version=f"foodcam {__version__}")
    sub = parser.add_subparsers(dest="verb", metavar="VERB")
    sub.required = True
    for name in VERB_MODULES:
        try:
            mod = importlib.import_module(name)
        except Exception as e:  # noqa: BLE001 - reported, with its cause, as a one-line error
            raise FoodcamError(f"cannot load the verbs of {name} ({type(e).__name__}: {e}); "
                               "reinstall foodcam, or run with -v for the traceback") from e
        mod.register(sub)
    add_config_option(parser)  # --config FILE.yaml for every command (foodcam/config.py)
    return parser


def _unknown_verb(parser: argparse.ArgumentParser, rest: list[str]) -> bool:
    """`foodcam rnu --model X`: a word where the verb goes, after nothing but options the parser knows. The verb
    is the typo then (argparse suggests 'run'), not the flags after it."""
    if subcommands(parser) is None:
        return False
    for tok in rest:
        if not tok.startswith("-"):
            return True
        if not has_option(parser, tok.split("=", 1)[0]):
            return False
    return False


def _call(args: argparse.Namespace) -> int:
    """The verb; when it fails, the run folders it claimed and left empty go (no empty runs/eval/eval7 per typo)."""
    try:
        return args.func(args)
    except BaseException:
        from foodcam.runtime.outdir import release_empty_runs

        release_empty_runs()
        raise


def _printable_output() -> None:
    """File names are bytes on Linux: one that is not UTF-8 reaches print() as lone surrogates, which a strict
    UTF-8 stdout refuses with UnicodeEncodeError. Such characters are written as escapes instead."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors="backslashreplace")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    _printable_output()
    try:
        parser = build_parser()
    except FoodcamError as e:
        if "-v" in argv or "--verbose" in argv:
            raise
        print(f"foodcam: error: {e}", file=sys.stderr)
        return 2
    try:
        verb, config = apply_config(parser, argv)  # --config FILE: its values become the defaults
    except FoodcamError as e:
        name = command_parser(parser, argv)[1]
        print(f"foodcam{' ' + name if name else ''}: error: {e}", file=sys.stderr)
        return 2
    command = command_parser(parser, argv)
    if isinstance(command[0], FoodcamParser) and not _unknown_verb(command[0], command[2]):
        command[0].reject_unknown(command[2])  # "foodcam run: error: unrecognized argument --sourc; did you mean..."
    try:
        args, extras = parser.parse_known_args(argv)
    except ModuleNotFoundError as e:  # a flag's type needs a module (e.g. --size parses with OpenCV's helpers)
        print(f"foodcam {verb}: error: missing package {e.name!r} ({install_hint(e.name)})", file=sys.stderr)
        return 2
    if extras:
        command[0].unrecognized(extras)  # under the command's own usage, not foodcam's
    if config is not None:
        config.finish(args)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        rc = _call(args)  # --model-sha256: each verb's core checks its model file before opening it
    except FoodcamError as e:
        if args.verbose:
            raise
        print(f"foodcam {verb}: error: {e}", file=sys.stderr)  # "data check", not "data"
        return 2
    except ModuleNotFoundError as e:
        if args.verbose:
            raise
        print(f"foodcam {verb}: error: missing package {e.name!r} ({install_hint(e.name)})", file=sys.stderr)
        return 2
    except OSError as e:  # a file the verb could not read or write (read-only folder, disk full, ...): one line
        if args.verbose:
            raise
        from foodcam.runtime.outdir import os_error_message

        print(f"foodcam {args.verb}: error: {os_error_message(e)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"foodcam {verb}: interrupted", file=sys.stderr)
        return 130
    return int(rc or 0)


if __name__ == "__main__":
    raise SystemExit(main())

"""`foodcam <verb>`: one verb per mode. Each package's `cli.py` adds its verbs with `register(subparsers)`;
registration imports nothing heavy, so `foodcam run` works on a Jetson without torch."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from foodcam.runtime.errors import FoodcamError

# package cli modules, in the order their verbs are listed in --help
VERB_MODULES = ("foodcam.train.cli", "foodcam.export.cli", "foodcam.camera.cli", "foodcam.camera.sorting.cli",
                "foodcam.benchmarks.cli", "foodcam.app.cli", "foodcam.demo")


def build_parser() -> argparse.ArgumentParser:
    """Every verb of every package. The verb modules import nothing heavy, so one that fails to import is a
    broken install or a bug: FoodcamError naming it, never a verb silently missing from --help."""
    parser = argparse.ArgumentParser(prog="foodcam", description="Food vision from training to the edge.")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging and full tracebacks")
    sub = parser.add_subparsers(dest="verb", metavar="VERB")
    sub.required = True
    for name in VERB_MODULES:
        try:
            mod = importlib.import_module(name)
        except Exception as e:  # noqa: BLE001 - reported, with its cause, as a one-line error
            raise FoodcamError(f"cannot load the verbs of {name} ({type(e).__name__}: {e}); "
                               "reinstall foodcam, or run with -v for the traceback") from e
        mod.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        parser = build_parser()
    except FoodcamError as e:
        if "-v" in (argv or sys.argv[1:]) or "--verbose" in (argv or sys.argv[1:]):
            raise
        print(f"foodcam: error: {e}", file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        rc = args.func(args)
    except FoodcamError as e:
        if args.verbose:
            raise
        print(f"foodcam {args.verb}: error: {e}", file=sys.stderr)
        return 2
    except ModuleNotFoundError as e:
        if args.verbose:
            raise
        print(f"foodcam {args.verb}: error: missing package {e.name!r} (install foodcam[train] for the PyTorch side)",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"foodcam {args.verb}: interrupted", file=sys.stderr)
        return 130
    return int(rc or 0)


if __name__ == "__main__":
    raise SystemExit(main())

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
    parser = argparse.ArgumentParser(prog="foodcam", description="Food vision from training to the edge.")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging and full tracebacks")
    sub = parser.add_subparsers(dest="verb", metavar="VERB")
    sub.required = True
    for name in VERB_MODULES:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as e:  # a package not installed in this deployment
            logging.getLogger("foodcam").debug("verbs of %s unavailable: %s", name, e)
            continue
        mod.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
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

"""How `foodcam` reads a command line: mistakes are reported under the command's own usage, with the closest
verb, flag or choice suggested.

    foodcam run --model m.onnx --sourc x   ->  usage: foodcam run ...
                                               foodcam run: error: unrecognized argument --sourc; did you mean --source?
    foodcam rn                             ->  foodcam: error: VERB: invalid choice: 'rn' ...; did you mean 'run'?

Flags are never abbreviated (`--sourc` is not taken for `--source`): a prefix that works today would change
meaning when a flag is added. `did_you_mean` is the one suggestion helper (config keys use it too).
"""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Iterable


def did_you_mean(word: str, known: Iterable[str], quote: bool = True) -> str | None:
    """'did you mean X?' for the closest of `known` to `word` (difflib), or None when nothing is close."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    if not close:
        return None
    return f"did you mean {close[0]!r}?" if quote else f"did you mean {close[0]}?"


class FoodcamParser(argparse.ArgumentParser):
    """argparse without abbreviations, with suggestions for a wrong choice, and "--flag: ..." messages.

    Sub-commands made with `add_subparsers().add_parser` are FoodcamParsers too (argparse uses the parent's class)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def _check_value(self, action: argparse.Action, value) -> None:
        try:
            super()._check_value(action, value)
        except argparse.ArgumentError as e:
            hint = did_you_mean(str(value), [str(c) for c in action.choices or ()])
            if hint is None:
                raise
            raise argparse.ArgumentError(action, f"{e.message}; {hint}") from None

    def error(self, message: str):
        if message.startswith("argument "):  # "argument --fps: expected ..." -> "--fps: expected ..."
            message = message[len("argument "):]
        super().error(message)

    def reject_unknown(self, rest: list[str]) -> None:
        """Report the first option in `rest` (this command's arguments) that it does not have, before argparse
        complains about anything else (a missing required flag is usually the mistyped one)."""
        for tok in rest:
            if tok == "--":
                return
            if not tok.startswith("-") or tok == "-" or self._negative_number_matcher.match(tok):
                continue
            flag = tok.split("=", 1)[0]
            if flag in self._option_string_actions:
                continue
            if not tok.startswith("--") and len(flag) > 2 and flag[:2] in self._option_string_actions:
                continue  # -j4: a short option with its value attached
            self.unrecognized([tok])

    def unrecognized(self, extras: list[str]):
        """Exit 2 with this command's usage: "unrecognized argument --sourc; did you mean --source?"."""
        flags = [o for o in self._option_string_actions if o.startswith("--")]
        first = extras[0].split("=", 1)[0]
        hint = did_you_mean(first, flags, quote=False) if first.startswith("-") else None
        what = f"unrecognized argument {extras[0]}" if len(extras) == 1 else \
            f"unrecognized arguments: {' '.join(extras)}"
        self.error(f"{what}; {hint}" if hint else what)

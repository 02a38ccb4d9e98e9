"""One typed config per verb: a pydantic model is the verb's only schema; its flags, its `--config FILE.yaml` keys
and its Python keywords all come from the model's fields.

    class RunConfig(VerbConfig):
        verb = "run"                                                                    # a ClassVar: not a field
        model: str = opt(..., "deployment .onnx, .engine or grpc://HOST:8001/NAME")     # required: --model
        source: list[str] = opt(..., "source URI; repeat it for several streams")      # list: repeatable --source
        max_seconds: PositiveFloat | None = opt(None, "stop after S seconds", metavar="S")   # --max-seconds S
        visualize: Literal["overlay", "mask"] = "overlay"                             # choices
        loop: bool = opt(False, "repeat a file")                                       # switch: --loop
        retry: bool | None = None                                                      # --retry / --no-retry
        serve: str | None = opt(None, "HTTP live view", const="127.0.0.1:8080")        # --serve [HOST:PORT]

    add_verb(sub, "run", RunConfig, handler, help="...")   # the CLI: flags from the fields; handler(cfg) -> exit code
    cfg = RunConfig.make("foodcam.run()", source=["synth://kitchen"], model="m.onnx")  # the Python API
    cfg = RunConfig.make("foodcam.run()", config="run.yaml", max_frames=10)  # a config file, keywords over it
    values = load_file(RunConfig, "run.yaml", "run")       # --config (foodcam/config.py): the file's keys, checked

Field name -> flag: `max_seconds` -> `--max-seconds` (`opt(flag="--from")` names it otherwise). The flag's help,
metavar and choices come from the field (`opt(...)`, a Literal type); a bool is a switch (`bool | None`: --x/--no-x);
a list is a repeatable flag (`opt(nargs="+")`: several values after one flag); `opt(const=V)`: the flag may stand
alone (V), and True/False in YAML or Python mean V/None. `opt(deprecated=["--json"])` keeps an old spelling that
warns. Values are checked by the field types (foodcam/argtypes.py's PositiveFloat & co. for numbers): the same
words for a flag, a YAML key and a keyword. NaN and infinities are refused (`allow_inf_nan=False`); a YAML file or
a keyword may give a single value where a list is expected, and numbers where text is expected (`source: 0`).

The core function of a verb takes the config and never sees argparse; the CLI handler and the Python API are two
thin faces that build the config and call it.
"""

from __future__ import annotations

import argparse
import os
import sys
import types
import typing
from collections.abc import Callable
from pathlib import PurePath
from typing import Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from foodcam.argparsing import did_you_mean
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.fmt import one_line, shown

C = TypeVar("C", bound="VerbConfig")


class VerbConfig(BaseModel):
    """The base of every verb's config: known keys only, finite numbers, immutable once made."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, coerce_numbers_to_str=True)
    verb: ClassVar[str] = ""  # `foodcam VERB` (messages about config files name it)
    exclusive: ClassVar[tuple[tuple[str, ...], ...]] = ()  # fields of which at most one may be given

    @model_validator(mode="before")
    @classmethod
    def _plain_values(cls, data: Any) -> Any:
        """What every face may pass loosely: paths for text, one value for a list, True/False for a flag that
        can stand alone."""
        if not isinstance(data, dict):
            return data
        fields = cls.model_fields
        return {k: _normalise(fields[k], v) if k in fields else v for k, v in data.items()}

    @classmethod
    def make(cls: type[C], where: str, config: str | os.PathLike | None = None, **values: Any) -> C:
        """The config from Python keywords (None = the default) over a config file's values (`config`, as
        --config FILE.yaml); one FoodcamError line naming `where` and the keyword for an unknown keyword, a bad
        value or a missing required one (the file's errors name file:line:column and the key)."""
        if config is not None:
            given = {k: v for k, v in values.items() if v is not None}
            values = {**load_file(cls, str(config), cls.verb or where), **given}
        unknown = [k for k in values if k not in cls.model_fields]
        if unknown:
            known = sorted(cls.model_fields)
            close = did_you_mean(unknown[0], known, quote=False)
            hint = close.replace("?", "=?") if close else f"known: {', '.join(known)}"
            raise FoodcamError(f"{where}: unexpected keyword {unknown[0]}=; {hint}")
        both = cls.clashing(values)
        if both:
            raise FoodcamError(f"{where}: {'= and '.join(both)}= exclude each other; give one")
        try:
            return cls(**{k: v for k, v in values.items() if v is not None})
        except ValidationError as e:
            raise FoodcamError(f"{where}: {_first_error(cls, e, keyword=True)}") from None

    @classmethod
    def clashing(cls, values: dict[str, Any]) -> list[str]:
        """The fields of one `exclusive` set that `values` gives more than one of (none: [])."""
        for group in cls.exclusive:
            given = [k for k in group if values.get(k) is not None]
            if len(given) > 1:
                return given
        return []


# -------------------------------------------------------------------------------------------- declaring fields

def opt(default: Any = PydanticUndefined, help: str | None = None, *, metavar: str | tuple[str, ...] | None = None,
        flag: str | None = None, aliases: list[str] | None = None, const: Any = None, nargs: str | int | None = None,
        deprecated: list[str] | None = None, positional: bool = False, hidden: bool = False, **field: Any) -> Any:
    """A field with its command-line form: help text, metavar, the flag's name when it is not the field's,
    other spellings (`aliases=["-j"]`), `const` for a flag that may stand alone, nargs="+" for a list given after
    one flag, old spellings that warn (`deprecated=["--json"]`). `positional`: an argument without a flag
    (`foodcam build ONNX`; not a config file key); `hidden`: a Python keyword only (no flag, no file key).
    Other keywords go to pydantic's Field (ge=, le=, ...)."""
    cli = {k: v for k, v in (("metavar", metavar), ("flag", flag), ("aliases", aliases), ("const", const),
                             ("nargs", nargs), ("deprecated", deprecated), ("positional", positional or None),
                             ("hidden", hidden or None)) if v is not None}
    extra: Any = cli or None  # JSON values only (pydantic keeps them in the field's json_schema_extra)
    return Field(default, description=help, json_schema_extra=extra, **field)


def _cli(info: FieldInfo) -> dict:
    extra = info.json_schema_extra
    return extra if isinstance(extra, dict) else {}


def flag_name(name: str, info: FieldInfo) -> str:
    """--max-seconds for max_seconds (or the flag the field names)."""
    return str(_cli(info).get("flag") or "--" + name.replace("_", "-"))


def _strip(annotation: Any) -> tuple[Any, bool]:
    """(the type without Optional, whether None is allowed)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], len(args) < len(typing.get_args(annotation))
    return annotation, False


def _item(annotation: Any) -> tuple[Any, bool]:
    """(the type of one value, whether the field is a list of them)."""
    base, _ = _strip(annotation)
    if typing.get_origin(base) is typing.Annotated:
        base = typing.get_args(base)[0]
    if typing.get_origin(base) is list:
        return (typing.get_args(base) or (Any,))[0], True
    return _strip(annotation)[0], False


def _is_bool(t: Any) -> bool:
    return t is bool


def _choices(t: Any) -> list | None:
    if typing.get_origin(t) is typing.Annotated:
        t = typing.get_args(t)[0]
    return list(typing.get_args(t)) if typing.get_origin(t) is Literal else None


def _normalise(info: FieldInfo, value: Any) -> Any:
    const = _cli(info).get("const")
    if const is not None and isinstance(value, bool):
        return const if value else None
    _, many = _item(info.annotation)
    if isinstance(value, PurePath):
        value = str(value)
    if many and isinstance(value, tuple):
        value = list(value)
    if many and value is not None and not isinstance(value, list):
        value = [value]
    if isinstance(value, list):
        value = [str(v) if isinstance(v, PurePath) else v for v in value]
    return value


# -------------------------------------------------------------------------------------------- checking values

_ADAPTERS: dict[tuple, TypeAdapter] = {}
_CONFIG = ConfigDict(allow_inf_nan=False, coerce_numbers_to_str=True)


def _adapter(cls: type[VerbConfig], name: str, item: bool) -> TypeAdapter:
    """A validator of one field (or of one item of a list field) with the model's checks."""
    key = (cls, name, item)
    if key not in _ADAPTERS:
        info = cls.model_fields[name]
        parts = (info.annotation, *info.metadata)
        t: Any = typing.Annotated[parts] if info.metadata else info.annotation  # type: ignore[valid-type]
        if item:
            t = _item(info.annotation)[0]
        _ADAPTERS[key] = TypeAdapter(t, config=_CONFIG)
    return _ADAPTERS[key]


def describe(err: dict) -> str:
    """One pydantic error as "expected ..., got ..." words."""
    from foodcam.camera.config import describe_error

    kind, got = err["type"], err.get("input")
    if kind == "literal_error":
        expected = (err.get("ctx") or {}).get("expected", "")
        return f"{shown(got)} is not one of {expected.replace(' or ', ', ').replace(chr(39), '')}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {shown(got)}"
    if kind == "finite_number":
        return f"expected a finite number, got {shown(got)}"
    return describe_error(err)


def _first_error(cls: type[VerbConfig], e: ValidationError, keyword: bool = False, flags: bool = False) -> str:
    err = e.errors(include_url=False)[0]
    loc = [str(k) for k in err["loc"]]
    name = loc[0] if loc and loc[0] in cls.model_fields else None
    if name is None:
        return one_line(describe(dict(err)), 300)
    if err["type"] == "missing":
        return f"missing {name}=" if keyword else f"missing {flag_name(name, cls.model_fields[name])}"
    what = flag_name(name, cls.model_fields[name]) if flags else name
    return f"{what}: {one_line(describe(dict(err)), 300)}"


def check_value(cls: type[VerbConfig], name: str, value: Any) -> Any:
    """One field's value checked alone (a config file gives some of the fields); ValueError with the words."""
    info = cls.model_fields[name]
    value = _normalise(info, value)
    _, many = _item(info.annotation)
    bad = value if many else [value]
    if isinstance(value, dict) or (not many and isinstance(value, list)):
        raise ValueError(f"expected a single value, got {shown(value)}")
    if many and any(isinstance(v, (dict, list)) for v in bad):
        raise ValueError(f"expected a list of single values, got {shown(value)}")
    try:
        return _adapter(cls, name, item=False).validate_python(value)
    except ValidationError as e:
        err = e.errors(include_url=False)[0]
        at = "".join(f"[{k}]" for k in err["loc"] if isinstance(k, int))
        raise ValueError(f"{at + ': ' if at else ''}{one_line(describe(dict(err)), 300)}") from None


# -------------------------------------------------------------------------------------------- the command line

class _Deprecated(argparse.Action):
    """An old spelling of a flag: stores into the field and warns once, naming the new one."""

    def __init__(self, option_strings, dest, new: str = "", store: argparse.Action | None = None, **kwargs):
        super().__init__(option_strings, dest, **kwargs)
        self.new, self.store = new, store

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"{parser.prog}: warning: {option_string} is deprecated; use {self.new}", file=sys.stderr)
        assert self.store is not None
        self.store(parser, namespace, values, option_string)


def _text_type(cls: type[VerbConfig], name: str, many: bool) -> Callable[[str], Any]:
    """argparse `type=`: one flag value through the field's own check (argparse prefixes the flag's name)."""
    adapter = _adapter(cls, name, item=many)

    def convert(text: str):
        try:
            return adapter.validate_python(text)
        except ValidationError as e:
            raise argparse.ArgumentTypeError(one_line(describe(dict(e.errors(include_url=False)[0])), 300)) from None

    convert.__name__ = name
    return convert


def add_flags(parser: argparse.ArgumentParser, cls: type[VerbConfig]) -> None:
    """One flag per field of `cls` (module doc). Every flag's default is None (not given), so a config file's
    values and the field defaults apply underneath what the command line says. The fields of an `exclusive` set
    are one argparse mutually exclusive group."""
    groups: dict[str, Any] = {}
    for group in cls.exclusive:
        container = parser.add_mutually_exclusive_group()
        groups.update(dict.fromkeys(group, container))
    for name, info in cls.model_fields.items():
        cli = _cli(info)
        if cli.get("hidden"):
            continue
        t, many = _item(info.annotation)
        kw: dict[str, Any] = {"dest": name, "default": None, "help": info.description}
        if info.is_required():
            kw["required"] = True
        if cli.get("positional"):
            kw.pop("dest")
            kw.pop("required", None)
            kw["metavar"] = cli.get("metavar", name.upper())
            kw["type"] = _text_type(cls, name, many)
            if _choices(t) is not None:
                kw.update(choices=_choices(t), type=None)
                if "metavar" not in cli:
                    kw.pop("metavar")  # argparse shows {a,b,c}
            if many or not info.is_required():
                kw["nargs"] = ("+" if info.is_required() else "*") if many else "?"
            parser.add_argument(name, **kw)
            continue
        if "metavar" in cli:
            kw["metavar"] = cli["metavar"]
        choices = _choices(t)
        if _is_bool(t) and not many:
            optional = _strip(info.annotation)[1] or info.default is True
            kw["action"] = argparse.BooleanOptionalAction if optional else "store_true"
        else:
            if choices is not None:
                kw["choices"] = choices
            else:
                kw["type"] = _text_type(cls, name, many)
            if many:
                kw["nargs" if "nargs" in cli else "action"] = cli.get("nargs", "append")
            elif "const" in cli:
                kw.update(nargs="?", const=cli["const"])
        action = groups.get(name, parser).add_argument(flag_name(name, info), *cli.get("aliases", []), **kw)
        for old in cli.get("deprecated", []):
            parser.add_argument(old, action=_Deprecated, dest=name, default=None, help=argparse.SUPPRESS,
                                new=action.option_strings[0], store=action,
                                nargs=action.nargs if action.nargs is not None else None)


def add_verb(sub, name: str, cls: type[C], handler: Callable[[C], int], **parser_kwargs: Any) -> argparse.ArgumentParser:
    """`foodcam NAME`: a sub-command whose flags are `cls`'s fields; it builds the config and calls handler(cfg)."""
    parser = sub.add_parser(name, **parser_kwargs)
    add_flags(parser, cls)
    setattr(parser, "verb_config", cls)  # noqa: B010 - foodcam/config.py checks a --config file against it

    def call(args: argparse.Namespace) -> int:
        return handler(from_args(cls, args))

    parser.set_defaults(func=call)
    return parser


def from_args(cls: type[C], args: argparse.Namespace) -> C:
    """The config from a parsed command line (the flags given, over a --config file's values)."""
    values = {k: getattr(args, k) for k in cls.model_fields if getattr(args, k, None) is not None}
    both = cls.clashing(values)
    if both:  # one from a --config file, one from the command line
        raise FoodcamError(f"{' and '.join(flag_name(k, cls.model_fields[k]) for k in both)} exclude each other; "
                           "give one")
    try:
        return cls(**values)
    except ValidationError as e:
        raise FoodcamError(_first_error(cls, e, flags=True)) from None


# -------------------------------------------------------------------------------------------- --config FILE.yaml

def keys(cls: type[VerbConfig]) -> dict[str, str]:
    """Every spelling of a key in a config file -> the field: the flag's name with - or _, the field's name,
    deprecated flag names."""
    out: dict[str, str] = {}
    for name, info in cls.model_fields.items():
        if _cli(info).get("hidden"):
            continue
        more = [*_cli(info).get("aliases", []), *_cli(info).get("deprecated", [])]
        for spelling in (name, flag_name(name, info)[2:], *(m.lstrip("-") for m in more if m.startswith("--"))):
            out[spelling] = out[spelling.replace("-", "_")] = out[spelling.replace("_", "-")] = name
    return out


def load_file(cls: type[VerbConfig], path: str, command: str) -> dict[str, Any]:
    """The fields a config file gives, each checked; FoodcamError naming file:line:column and the key."""
    from pathlib import Path

    from foodcam.camera.config import _position
    from foodcam.runtime.yamlio import read_yaml

    if not Path(path).is_file():
        raise FoodcamError(f"--config {path}: no such file")
    try:
        data, node = read_yaml(path)
    except OSError as e:
        raise FoodcamError(f"{path}: cannot read ({e})") from None
    if not isinstance(data, dict) or not data:
        raise FoodcamError(f"{path}: expected a mapping of flag names to values, e.g. 'model: model.onnx'")
    spellings = keys(cls)
    values: dict[str, Any] = {}
    for key, value in data.items():
        key_s = str(key)
        where = f"{_position(path, node, (key_s,))}: key {shown(key_s)}"
        if key_s == "config":
            raise FoodcamError(f"{where}: a config file cannot name another config file")
        name = spellings.get(key_s)
        if name is None:
            known = sorted({flag_name(n, i)[2:] for n, i in cls.model_fields.items()
                            if not _cli(i).get("hidden") and not _cli(i).get("positional")})
            hint = did_you_mean(key_s.replace("_", "-"), known) or f"known keys: {', '.join(known)}"
            raise FoodcamError(f"{where}: not a flag of 'foodcam {command}'; {hint}")
        if _cli(cls.model_fields[name]).get("positional"):
            raise FoodcamError(f"{where}: {name} is a positional argument; give it on the command line")
        if name in values:
            raise FoodcamError(f"{where}: {name} is given twice in the file")
        if value is None:  # `key:` with no value = not given
            continue
        try:
            values[name] = check_value(cls, name, value)
        except ValueError as e:
            raise FoodcamError(f"{where}: {e}") from None
    return values


# -------------------------------------------------------------------------------------------- the parsers themselves
# The one place that reads argparse's parsers below their public surface (tests/test_argparse_internals.py).

def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser] | None:
    """NAME -> parser of `parser`'s sub-commands; None when `parser` runs a command itself."""
    sub = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
    return None if sub is None else dict(sub.choices)


def has_option(parser: argparse.ArgumentParser, flag: str) -> bool:
    """Whether `parser` takes `flag` (exactly, never an abbreviation)."""
    return flag in parser._option_string_actions


def file_defaults(parser: argparse.ArgumentParser, values: dict[str, Any]) -> dict[str, list]:
    """A config file's checked values (load_file) as `parser`'s defaults: a flag the file gives is no longer
    required on the command line. Returns the lists given to repeatable flags, which a list on the command line
    replaces (foodcam/config.py's ConfigDefaults.finish)."""
    appended: dict[str, list] = {}
    for action in parser._actions:
        if action.dest in values:
            action.required = False  # the file provides it; the command line may still override
            if isinstance(action, argparse._AppendAction):
                appended[action.dest] = list(values[action.dest])
    parser.set_defaults(**values)
    return appended

"""Typed configuration files: YAML in, pydantic models out, and errors that name the file, line and key.

    class Timing(Section):
        tolerance_s: NonNegative = 0.05

    cfg = load_config("line.yaml", LineConfig)   # FoodcamError: "line.yaml:7:21: timing.tolerance_s: expected
                                                 #  a finite number, got nan"
    cfg = parse_config(data, LineConfig, "line.yaml")   # an already parsed mapping (no line numbers)

Every section is a `Section`: unknown keys are errors, numbers are finite (NaN and infinities are refused),
types are strict (no "3" for 3, no true for 1), and a key that may not be null simply has a non-optional
type. A validator that checks several keys together raises `Invalid(loc, message)` to name one of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.fmt import one_line, shown
from foodcam.runtime.yamlio import MAX_YAML_BYTES, MAX_YAML_NODES, parse_yaml, read_yaml  # noqa: F401 - the one YAML reader

M = TypeVar("M", bound=BaseModel)

# finite numbers (allow_inf_nan is off for every Section); bounds keep every value usable as a timeout/int32
Finite = float
Positive = Annotated[float, Field(gt=0)]
NonNegative = Annotated[float, Field(ge=0)]
Seconds = Annotated[float, Field(gt=0, le=86400)]
Pixel = Annotated[float, Field(ge=-100_000, le=100_000)]
Port = Annotated[int, Field(ge=1, le=65535)]


def check_box(v: list[float]) -> list[float]:
    """[x0, y0, x1, y1] with x1 > x0 and y1 > y0."""
    if len(v) != 4 or v[2] <= v[0] or v[3] <= v[1]:
        raise ValueError(f"expected [x0, y0, x1, y1] in frame pixels with x1 > x0 and y1 > y0, got {v}")
    return v


Box = Annotated[list[Pixel], AfterValidator(check_box)]  # frame pixels, x1/y1 exclusive


class Section(BaseModel):
    """A mapping in a config file: known keys only, strict types, finite numbers, immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class Invalid(Exception):
    """Raised by a validator that checks several keys at once: `loc` names the key to blame."""

    def __init__(self, loc: Sequence[str | int], message: str) -> None:
        super().__init__(message)
        self.loc, self.message = tuple(loc), message


def load_config(path: str | Path, model: type[M], **context) -> M:
    """Read a YAML file into `model`; a one-line FoodcamError naming file:line:column and the key."""
    data, node = read_yaml(path)
    return parse_config({} if data is None else data, model, str(path), node, **context)


def parse_config(data: Any, model: type[M], where: str = "<config>", node: yaml.Node | None = None,
                 **context) -> M:
    """Validate parsed data against `model` (`context` goes to the validators as info.context)."""
    if not isinstance(data, dict):
        raise FoodcamError(f"{where}: expected a mapping of settings, got {type(data).__name__}")
    try:
        return model.model_validate(data, context={"where": where, **context})
    except ValidationError as e:
        err = e.errors(include_url=False)[0]
        loc, message = _walk(model, err["loc"])[0], describe_error(err, model)
        if err["type"] == "union_tag_invalid" and _tag_key(err["input"]):
            loc += (_tag_key(err["input"]),)  # blame the type/method key itself
        elif err["type"] == "union_tag_not_found" and isinstance(err["input"], dict):
            loc += (str((err.get("ctx") or {}).get("discriminator", "type")).strip("'"),)
    except Invalid as e:
        loc, message = e.loc, e.message
    key = one_line(_dotted(loc), 120) + ": " if loc else ""
    raise FoodcamError(f"{_position(where, node, loc)}: {key}{one_line(message, 300)}") from None


def describe_error(err: dict, model: type[BaseModel] | None = None) -> str:
    """One pydantic error as "expected ..., got ..." words."""
    kind, msg, got = err["type"], err["msg"], err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "missing (required)"
    if kind == "extra_forbidden":
        known = _known_keys(model, err["loc"][:-1]) if model is not None else []
        return "unknown key" + (f" (known: {', '.join(known)})" if known else "")
    if kind == "union_tag_invalid":
        return f"expected one of {ctx.get('expected_tags', '?')}, got {shown(ctx.get('tag'))}"
    if kind == "union_tag_not_found":
        what = str(ctx.get("discriminator", "type")).strip("'")
        what = what if what.isidentifier() else "type"
        return "missing (required)" if isinstance(got, dict) else f"expected a mapping with a {what}, got {shown(got)}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping, got {shown(got)}"
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    if msg.startswith("Input should be "):
        return f"expected {msg.removeprefix('Input should be ')}, got {shown(got)}"
    return f"{msg}, got {shown(got)}"


def _tag_key(section: Any) -> str | None:
    """Which key picks a section's variant ("type" for actuators and triggers, "method" for detection)."""
    if isinstance(section, dict):
        return next((k for k in ("type", "method") if k in section), None)
    return None


def _walk(model: type[BaseModel], loc: Sequence[str | int]) -> tuple[tuple[str | int, ...], Any]:
    """Follow a pydantic error location through the model: the location without the union tags pydantic
    puts in it ('actuator', 'serial', 'port' -> 'actuator', 'port'), and the section type it ends in."""
    kept: list[str | int] = []
    cur: Any = model
    for key in loc:
        choices = [a for a in getattr(cur, "__args__", ()) if hasattr(a, "model_fields")]
        tagged = [a for a in choices if key in _tags_of(a)] if len(choices) > 1 else []
        if tagged:  # a union tag, not a key of the document
            cur = tagged[0]
            continue
        if len(choices) == 1:  # Optional[Section]
            cur = choices[0]
        kept.append(key)
        fields = getattr(cur, "model_fields", None)
        if fields is not None and key in fields:
            cur = fields[key].annotation
        elif isinstance(key, int):
            args = getattr(cur, "__args__", ())
            cur = args[0] if args else None
        else:
            cur = None
    choices = [a for a in getattr(cur, "__args__", ()) if hasattr(a, "model_fields")]
    return tuple(kept), (choices[0] if len(choices) == 1 else cur)


def _known_keys(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The field names of the section at `loc`, for "unknown key" messages."""
    return list(getattr(_walk(model, loc)[1], "model_fields", {}))


def _tags_of(model: type[BaseModel]) -> tuple[str, ...]:
    """The literal values of a variant's `type` or `method` field (its tags in a discriminated union)."""
    for name in ("type", "method"):
        f = model.model_fields.get(name)
        args = getattr(f.annotation, "__args__", ()) if f is not None else ()
        if args:
            return tuple(str(a) for a in args)
    return ()


def _dotted(loc: Sequence[str | int]) -> str:
    return "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in loc).lstrip(".")


def _position(where: str, node: yaml.Node | None, loc: Sequence[str | int]) -> str:
    """`file:line:column` of the deepest node of `loc` found in the YAML tree (just `file` without one)."""
    if node is None:
        return where
    found = node
    for key in loc:
        nxt = None
        if isinstance(found, yaml.MappingNode):
            nxt = next((v for k, v in found.value if getattr(k, "value", None) == str(key)), None)
            if nxt is not None and not isinstance(nxt, (yaml.MappingNode, yaml.SequenceNode)):
                # a scalar: point at its key, where a reader looks for it
                key_node = next(k for k, v in found.value if v is nxt)
                found = key_node
                break
        elif isinstance(found, yaml.SequenceNode) and isinstance(key, int) and key < len(found.value):
            nxt = found.value[key]
        if nxt is None:
            break
        found = nxt
    m = found.start_mark
    return f"{where}:{m.line + 1}:{m.column + 1}"

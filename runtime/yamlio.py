"""Read YAML: the parsed document and its node tree (for line numbers), or one line naming the file or input.

The one YAML reader of the project: `--config` files (foodcam/config.py), line.yaml and every typed configuration
(camera/config.py) alike. Sizes and alias expansion are capped before anything is built.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.fmt import one_line

MAX_YAML_BYTES = 1 << 20  # a config file is a few KB
MAX_YAML_NODES = 100_000  # values after every alias is expanded ("billion laughs" expands 1.7 KB to 10**9)


def _expanded_size(root: yaml.Node) -> int:
    """How many nodes `root` becomes once every alias is expanded (shared nodes counted at each use), without
    expanding anything: each distinct node is sized once, iteratively (no recursion on deep documents)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        kids: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            kids = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            kids = [n for pair in node.value for n in pair]
        if children_done or not kids:
            sizes[id(node)] = min(1 + sum(sizes.get(id(k), 0) for k in kids), MAX_YAML_NODES + 1)
        else:
            stack.append((node, True))
            stack.extend((k, False) for k in kids if id(k) not in sizes)
    return sizes[id(root)]


def parse_yaml(text: str, where: object) -> tuple[Any, yaml.Node | None]:
    """The parsed document and its node tree; FoodcamError naming `where` for invalid YAML, aliases that expand
    past MAX_YAML_NODES values, integers too long to convert, and nesting too deep."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        if node is not None and _expanded_size(node) > MAX_YAML_NODES:
            raise FoodcamError(f"{where}: YAML aliases expand to more than {MAX_YAML_NODES} values (refused)")
        return yaml.safe_load(text), node
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f"{where}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(where)
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise FoodcamError(f"{at}: not valid YAML ({one_line(problem, 120)})") from None
    except RecursionError:
        raise FoodcamError(f"{where}: not valid YAML (nested too deeply)") from None
    except ValueError as e:  # an integer of more than 4,300 digits (int's conversion limit), a bad date
        raise FoodcamError(f"{where}: a YAML value cannot be read ({one_line(str(e), 120)})") from None


def read_yaml(path: str | Path) -> tuple[Any, yaml.Node | None]:
    """The parsed document and its node tree (for line numbers); FoodcamError naming the file otherwise.
    The one YAML reader of the project (line.yaml, --config FILE, every typed config)."""
    p = Path(path)
    if not p.is_file():
        raise FoodcamError(f"{p}: no such file")
    if p.stat().st_size > MAX_YAML_BYTES:
        raise FoodcamError(f"{p}: {p.stat().st_size} bytes; a config file is at most {MAX_YAML_BYTES} bytes")
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise FoodcamError(f"{p}: not UTF-8 text (byte 0x{raw[e.start]:02x} at offset {e.start})") from None
    return parse_yaml(text, p)

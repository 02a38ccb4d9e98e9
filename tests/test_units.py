"""Readable units: no function in the training engine or the camera loop runs past 80 lines.

Read from the source with `ast` (a function's length is its `def` line to its last line, decorators and nested
functions included). A longer function is split into named steps, in the style of torchvision's reference scripts.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 80
# the training engine, its tasks, and the per-frame loop of every camera job with its sinks
PATTERNS = ("train/engine.py", "train/*_task.py", "camera/pipeline.py", "camera/loop.py", "camera/app.py",
            "camera/sorting/app.py", "camera/sorting/stage.py", "camera/sinks/*.py")


def long_functions(source: str, name: str, limit: int = MAX_LINES) -> list[str]:
    """'file:function:length' for every function (methods and nested ones too) longer than `limit` lines."""
    found = []
    for node in ast.walk(ast.parse(source, filename=name)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            length = (node.end_lineno or node.lineno) - first + 1
            if length > limit:
                found.append(f"{name}:{node.name}:{length}")
    return found


def _files() -> list[Path]:
    files = sorted({f for pattern in PATTERNS for f in ROOT.glob(pattern) if f.name != "__init__.py"})
    return files


def test_every_listed_module_exists():
    files = _files()
    for pattern in PATTERNS:
        assert any(f.match(pattern) for f in files), f"{pattern}: no such module (update PATTERNS)"


def test_no_function_over_80_lines():
    long = [hit for f in _files() for hit in long_functions(f.read_text(), str(f.relative_to(ROOT)))]
    assert not long, f"functions over {MAX_LINES} lines (split them into named steps): {', '.join(long)}"


def test_a_long_function_is_named_with_its_length():
    body = "".join(f"        x{i} = {i}\n" for i in range(MAX_LINES))  # def line + 80 body lines = 81
    source = f"def short():\n    return 1\n\n\nclass C:\n    def too_long(self):\n{body}"
    assert long_functions(source, "m.py") == [f"m.py:too_long:{MAX_LINES + 1}"]
    assert long_functions(source, "m.py", limit=MAX_LINES + 1) == []

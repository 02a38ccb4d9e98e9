"""Layers only import downward (GUIDE.md, docs/layout.md), read from the source with `ast`: every import counts,
those inside functions too.

- runtime/ imports only runtime; scenes/ only scenes and runtime (never camera, train, export, app, benchmarks
  or the foodcam/ folder). The training side reaches the runtime through runtime/loaders.py, never the reverse.
- camera/ imports no train, export, app or benchmarks.
- export's modules import each other without cycles.
- pyproject.toml's package list names every package folder (the one list the install and the tools read).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = (ROOT / "pyproject.toml").read_text()


def _package_dirs() -> dict[str, str]:
    section = PYPROJECT.split("[tool.setuptools.package-dir]", 1)[1].split("\n[", 1)[0]
    return dict(re.findall(r'^"?([\w.]+)"?\s*=\s*"([^"]+)"', section, flags=re.M))


def _listed_packages() -> set[str]:
    block = PYPROJECT.split("[tool.setuptools]\n", 1)[1].split("\n[", 1)[0]
    return set(re.findall(r'"(foodcam[\w.]*)"', block.split("packages", 1)[1].split("]", 1)[0]))


def _modules() -> dict[str, Path]:
    """Every module of the installed package: dotted name -> source file."""
    out = {}
    for package, folder in _package_dirs().items():
        base = ROOT / folder
        for f in base.rglob("*.py"):
            rel = f.relative_to(base)
            if "__pycache__" in rel.parts or not all((base / Path(*rel.parts[:i]) / "__init__.py").exists()
                                                     for i in range(len(rel.parts))):
                continue
            parts = [package, *rel.with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = f
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The foodcam modules `name` imports (absolute and relative, at any depth of the file)."""
    is_pkg = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_pkg else 0)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            found.add(mod)
            found |= {f"{mod}.{a.name}" for a in node.names if f"{mod}.{a.name}" in MODULES}
    return {m for m in found if m == "foodcam" or m.startswith("foodcam.")}


IMPORTS = {name: _imports(name, path) for name, path in MODULES.items()}

# layer -> the foodcam packages its modules may import
ALLOWED = {
    "foodcam.runtime": ("foodcam.runtime",),
    "foodcam.scenes": ("foodcam.scenes", "foodcam.runtime"),
}
FORBIDDEN = {"foodcam.camera": ("foodcam.train", "foodcam.export", "foodcam.app", "foodcam.benchmarks")}


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_every_package_module_was_found():
    assert {"foodcam.runtime.open", "foodcam.camera.pipeline", "foodcam.export.gate", "foodcam.cli"} <= set(MODULES)
    assert IMPORTS["foodcam.export.gate_cls"]  # the parser sees imports


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_lower_layers_import_only_downward(layer):
    bad = [f"{MODULES[m].relative_to(ROOT)} imports {i}" for m in sorted(IMPORTS) if _within(m, layer)
           for i in sorted(IMPORTS[m]) if not any(_within(i, ok) for ok in ALLOWED[layer])]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_camera_imports_no_training_or_export(layer):
    bad = [f"{MODULES[m].relative_to(ROOT)} imports {i}" for m in sorted(IMPORTS) if _within(m, layer)
           for i in sorted(IMPORTS[m]) if any(_within(i, no) for no in FORBIDDEN[layer])]
    assert not bad, "\n".join(bad)


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of `graph` (a path that comes back to its start), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_export_modules_have_no_import_cycle():
    graph = {m: {i for i in IMPORTS[m] if _within(i, "foodcam.export") and i in MODULES and i != m}
             for m in MODULES if _within(m, "foodcam.export")}
    graph = {m: deps - {"foodcam.export"} for m, deps in graph.items() if m != "foodcam.export"}
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_pyproject_lists_every_package_folder():
    folders = {name.rsplit(".", 1)[0] for name, path in MODULES.items() if path.name != "__init__.py"}
    packages = {name for name, path in MODULES.items() if path.name == "__init__.py"} | folders
    missing = sorted(p for p in packages if p not in _listed_packages())
    assert not missing, f"add to pyproject.toml [tool.setuptools] packages: {missing}"


def test_a_registered_loader_opens_its_suffix():
    from foodcam.runtime.loaders import _loaders, find_loader, register_loader

    def opened():
        return object

    register_loader([".Fake"], opened)
    try:
        assert find_loader(".fake") is opened and find_loader(".FAKE") is opened
        assert find_loader(".nothing-registers-this") is None
    finally:
        _loaders.pop(".fake")


def test_the_checkpoint_loader_is_found_through_the_entry_point_alone():
    """A fresh interpreter that never imported the training side: the installed entry point names its loader."""
    import subprocess
    import sys

    probe = ("import sys; from foodcam.runtime.loaders import find_loader; assert 'foodcam.train' not in sys.modules; "
             "f = find_loader('.pt'); print(f.__module__, f.__name__, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd="/", timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["foodcam.train", "checkpoint_model", "False"]  # torch loads only on opening


def test_every_verb_module_is_a_module_of_the_package():
    from foodcam.cli import VERB_MODULES

    assert set(VERB_MODULES) <= set(MODULES), sorted(set(VERB_MODULES) - set(MODULES))

"""The deployed side (runtime/, camera/) must import and run without torch."""

import subprocess
import sys

BLOCK_TORCH = """
import sys, importlib.abc
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split('.')[0] in ('torch', 'torchvision'):
            raise ImportError('torch is blocked in this test')
sys.meta_path.insert(0, Block())
"""


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", BLOCK_TORCH + code], capture_output=True, text=True)


def test_runtime_and_camera_import_without_torch():
    r = _run(
        "import pkgutil, importlib, runtime, camera\n"
        "for pkg in (runtime, camera):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "assert 'torch' not in sys.modules\n"
        "print('ok')\n"
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "ok"


def test_cli_help_without_torch():
    r = _run("from foodcam.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit as e:\n    assert e.code == 0\n")
    assert r.returncode == 0, r.stderr

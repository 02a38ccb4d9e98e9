"""`make typecheck`: mypy over every installed foodcam package, as Python imports it.

Every package of pyproject.toml's [tool.setuptools.package-dir] is checked (`mypy -p foodcam -p foodcam.runtime ...`,
settings in [tool.mypy]); mypy reads them through the strict editable install's link tree (.ci/linktree.py), and the
paths it prints are mapped back to the repository's files. Two rules:

- no unresolved `foodcam.*` import, ever (import-not-found, or attr-defined on a foodcam module): exit 1;
- every other error is counted: more than .ci/mypy-baseline.txt holds fails; fewer asks to lower that number
  (`python .ci/typecheck.py --update` writes the current count), so the count only goes down.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from linktree import ROOT, package_dirs  # noqa: E402 - the script's own folder

BASELINE = ROOT / ".ci" / "mypy-baseline.txt"
ERROR = re.compile(r"^(?P<path>[^:\n]+\.pyi?):(?P<line>\d+): error: (?P<msg>.*?)(?:  \[(?P<code>[a-z-]+)\])?$")


def unresolved(msg: str, code: str | None) -> bool:
    """An import of foodcam that mypy cannot follow, or a name it cannot find in a foodcam module."""
    if code in ("import-not-found", "import", "import-untyped"):
        return '"foodcam' in msg
    return code == "attr-defined" and bool(re.search(r'[Mm]odule "foodcam[."]', msg))


def run_mypy() -> tuple[list[tuple[str, str, str | None]], str]:
    cmd = [sys.executable, "-m", "mypy", "--cache-dir", str(ROOT / "build" / "mypy-cache")]
    for package in package_dirs():
        cmd += ["-p", package]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    errors = []
    for line in proc.stdout.splitlines():
        m = ERROR.match(line)
        if not m:
            continue
        path = Path(os.path.realpath(ROOT / m["path"]))  # a link in build/__editable__... -> the repository file
        where = f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{m['line']}"
        errors.append((where, m["msg"], m["code"]))
    if proc.returncode not in (0, 1) or (proc.returncode == 1 and not errors):
        raise SystemExit(f"typecheck: mypy failed to run (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}")
    return errors, proc.stdout


def main(argv: list[str]) -> int:
    errors, _ = run_mypy()
    bad = [e for e in errors if unresolved(e[1], e[2])]
    others = len(errors) - len(bad)
    for where, msg, code in bad:
        print(f"{where}: error: {msg}  [{code}]")
    if "--update" in argv:
        BASELINE.write_text(f"{others}\n")
        print(f"typecheck: baseline set to {others} errors ({BASELINE.relative_to(ROOT)})")
    if "-v" in argv:
        for where, msg, code in errors:
            print(f"{where}: error: {msg}  [{code}]")
    baseline = int(BASELINE.read_text().split()[0])
    print(f"typecheck: {len(bad)} unresolved foodcam imports, {others} other mypy errors (baseline {baseline})")
    if bad:
        print("typecheck: every foodcam.* import must resolve (a new subpackage goes into pyproject.toml's "
              "[tool.setuptools] packages; a new file needs `make install`)")
        return 1
    if others > baseline:
        print(f"typecheck: {others - baseline} new mypy error(s): fix them (`python .ci/typecheck.py -v` lists all)")
        return 1
    if others < baseline:
        print(f"typecheck: {baseline - others} fewer than the baseline: lower it with `python .ci/typecheck.py --update`")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

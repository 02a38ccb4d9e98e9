"""The documentation a newcomer reads: README stays a quickstart, and every relative link resolves to a file."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")  # [text](target) and ![alt](target "title")
EXTERNAL = ("http://", "https://", "mailto:", "#")


def doc_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def relative_links(md: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", md.read_text(encoding="utf-8"), flags=re.S)  # code blocks are not links
    return [t for t in LINK.findall(text) if not t.startswith(EXTERNAL)]


def test_readme_is_a_quickstart():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 150, f"README.md has {len(lines)} lines; studies and results belong in docs/"


def test_the_link_finder_sees_links():
    """The check below cannot pass by finding nothing: README links to its docs, and the finder reads them."""
    links = relative_links(ROOT / "README.md")
    assert "docs/results.md" in links and "docs/demo_frame.png" in links


@pytest.mark.parametrize("md", doc_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves_to_a_file(md):
    broken = [t for t in relative_links(md) if not (md.parent / t.split("#", 1)[0]).is_file()]
    assert not broken, f"{md.relative_to(ROOT)}: links to missing files: {broken}"


def test_the_cheat_sheet_has_every_verb():
    """Every verb `foodcam --help` lists has an example in README's command cheat-sheet."""
    out = subprocess.run([sys.executable, "-m", "foodcam", "--help"], capture_output=True, text=True, check=True)
    verbs = set(re.findall(r"^    ([a-z][a-z-]+)\s", out.stdout, flags=re.M))
    assert {"run", "demo"} <= verbs
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sheet = readme.split("## Commands", 1)[1].split("\n## ", 1)[0]
    missing = sorted(v for v in verbs if not re.search(rf"^foodcam {v}\b", sheet, flags=re.M))
    assert not missing, f"README's cheat-sheet has no example of: {missing}"

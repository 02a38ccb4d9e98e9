"""Where verbs write: runs/<verb>/<verb>N in the current folder by default (never the installed package), every
output checked writable before any work (one-line error, exit 2), plots optional, OS errors as one line."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.outdir import check_writable, inside_package, output_dir, package_dirs, run_dir
from foodcam.shipped import shipped

ROOT = Path(__file__).resolve().parent.parent
KITCHEN_ONNX, KITCHEN_PT, FRESH_ONNX = shipped("kitchen"), shipped("kitchen", "pt"), shipped("freshness")

# verbs that write nothing (no output to check); every other verb of the registry needs a case in CASES
WRITES_NOTHING = {"app", "doctor", "data check"}
HEAVY = ("torch", "onnxruntime", "tensorrt", "onnx")


def CASES(out: Path, tmp: Path) -> dict[str, list[list[str]]]:
    """Per verb: command lines whose output (one flag at a time) is the unwritable `out`."""
    o = str(out)
    run = ["run", "--model", str(KITCHEN_ONNX), "--source", "synth://kitchen", "--max-frames", "2"]
    sort = ["sort", "--model", str(FRESH_ONNX), "--source", "synth://conveyor", "--line", str(tmp / "line.yaml"),
            "--max-frames", "2"]
    return {
        "synth": [["synth", "kitchen", "--count", "4", "--out", o]],
        "data import": [["data", "import", "labelme", str(tmp), "--out", o]],
        "data export": [["data", "export", "labelstudio", "--model", str(KITCHEN_ONNX), "--frames", str(tmp),
                         "--out", f"{o}/tasks.json"],
                        ["data", "export", "labelstudio", "--model", str(KITCHEN_ONNX), "--frames", str(tmp),
                         "--out", str(tmp / "tasks.json"), "--config-out", f"{o}/label_config.xml"]],
        "train": [["train", "kitchen", "--data", str(tmp), "--epochs", "1", "--out", o]],
        "adapt": [["adapt", "--data", str(tmp), "--from", str(KITCHEN_PT), "--out", o]],
        "eval": [["eval", "--weights", str(KITCHEN_ONNX), "--data", str(tmp), "--out", o]],
        "predict": [["predict", "--weights", str(KITCHEN_ONNX), "--source", str(tmp), "--out", o]],
        "export": [["export", "--weights", str(KITCHEN_PT), "--out", f"{o}/model.onnx"]],
        "calibrate": [["calibrate", "--weights", str(KITCHEN_PT), "--data", str(tmp), "--out", f"{o}/m.pt"]],
        "build": [["build", str(KITCHEN_ONNX), "--out", f"{o}/kitchen.engine"],
                  ["build", str(KITCHEN_ONNX), "--out", str(tmp / "k.engine"), "--timing-cache", f"{o}/cache"]],
        "run": [run + ["--save", f"{o}/run.mp4"], run + ["--save", f"{o}/%06d.jpg"], run + ["--events", f"{o}/e.jsonl"],
                run + ["--summary", f"{o}/s.json"], run + ["--collect", o]],
        "sort": [sort + ["--audit", f"{o}/audit.jsonl"], sort + ["--summary", f"{o}/s.json"], sort + ["--events", f"{o}/e.jsonl"],
                 sort + ["--save", f"{o}/line.mp4"]],
        "bench": [["bench", "--models", str(KITCHEN_ONNX), "--out", o]],
        "demo": [["demo", "--out", o]],
    }


def registry_verbs() -> set[str]:
    """Every verb of `foodcam --help`, sub-actions spelled 'data check'."""
    import argparse

    from foodcam.cli import build_parser

    def actions(p: argparse.ArgumentParser) -> dict:
        return next((a.choices for a in p._actions if isinstance(a, argparse._SubParsersAction)), {})

    verbs = set()
    for name, sub in actions(build_parser()).items():
        inner = actions(sub)
        verbs |= {f"{name} {a}" for a in inner} if inner else {name}
    return verbs


def test_every_verb_that_writes_has_an_unwritable_output_case(tmp_path):
    covered = set(CASES(tmp_path, tmp_path))
    assert covered.isdisjoint(WRITES_NOTHING)
    assert covered | WRITES_NOTHING == registry_verbs(), "a verb without an unwritable-output case (add it to CASES)"


DRIVER = """
import contextlib, io, json, sys, traceback
from foodcam.cli import main
heavy = {heavy!r}
results = []
for argv in json.loads(sys.argv[1]):
    err, out = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            rc = main(argv)
    except BaseException:  # a traceback is a failure of the test, reported with the case
        rc, err = -1, io.StringIO(traceback.format_exc())
    results.append({{"argv": argv, "rc": rc, "err": err.getvalue(), "heavy": [m for m in heavy if m in sys.modules]}})
print(json.dumps(results))
"""


def _drive(cases: list[list[str]], cwd: Path) -> list[dict]:
    """All command lines in one interpreter, in order; the modules a case needed stay visible to the next, so an
    empty `heavy` list after the last case means no case loaded a model library."""
    proc = subprocess.run([sys.executable, "-c", DRIVER.format(heavy=HEAVY), json.dumps(cases)], cwd=cwd,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _unwritable(kind: str, tmp: Path) -> tuple[Path, Path]:
    """(output path, what the error must name): below a regular file (fails for root too), or in a 0o500 folder."""
    if kind == "below-a-file":
        blocker = tmp / "blocker"
        blocker.write_text("a file, not a folder\n")
        return blocker / "out", blocker
    ro = tmp / "readonly"
    _read_only_folder(ro)
    return ro / "out", ro / "out"


def _read_only_folder(path: Path) -> None:
    """A 0o500 folder; skip where that does not deny writing (root with CAP_DAC_OVERRIDE)."""
    path.mkdir(exist_ok=True)
    path.chmod(0o500)
    try:
        (path / "probe").write_text("x")
    except PermissionError:
        return
    (path / "probe").unlink()
    path.chmod(0o700)
    pytest.skip("chmod 0o500 does not deny writing here (root with CAP_DAC_OVERRIDE; the below-a-file case runs)")


@pytest.mark.parametrize("kind", ["below-a-file", "read-only-folder"])
def test_every_verb_fails_fast_on_an_unwritable_output(kind, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    out, named = _unwritable(kind, work)
    try:
        cases = CASES(out, work)
        before = sorted(p for p in tmp_path.rglob("*"))
        results = _drive([argv for verb in sorted(cases) for argv in cases[verb]], cwd=work)
        for r in results:
            verb = r["argv"][0] + (" " + r["argv"][1] if r["argv"][0] == "data" else "")
            lines = r["err"].strip().splitlines()
            assert r["rc"] == 2, r
            assert "Traceback" not in r["err"], r
            assert len(lines) == 1 and lines[0].startswith(f"foodcam {verb}: error: "), (verb, r["err"])
            assert str(named) in lines[0], (verb, lines[0])
        assert results[-1]["heavy"] == [], f"a case loaded {results[-1]['heavy']} before failing on its output"
        assert sorted(p for p in tmp_path.rglob("*")) == before, "a failed verb left files behind"
        assert not (work / "runs").exists()
    finally:
        if kind == "read-only-folder":
            (work / "readonly").chmod(0o700)


def test_root_denied_folder_fails_too(tmp_path):
    """A folder the OS refuses even to root (sysfs), where there is one: the same one-line error."""
    try:
        fd = os.open("/sys/.foodcam-probe", os.O_CREAT | os.O_WRONLY)
        os.close(fd)
        os.unlink("/sys/.foodcam-probe")
        pytest.skip("/sys accepts new files on this machine")
    except OSError:
        pass
    with pytest.raises(FoodcamError, match=r"^--out /sys/foodcam/out: cannot write there \(/sys\)"):
        output_dir("/sys/foodcam/out", "eval")


def test_check_writable_names_the_problem(tmp_path):
    f = tmp_path / "file.txt"
    f.write_text("x")
    with pytest.raises(FoodcamError, match="is a file, expected a folder"):
        check_writable(f, "--out", kind="dir")
    with pytest.raises(FoodcamError, match="is a folder, expected a file name"):
        check_writable(tmp_path, "--save", kind="file")
    with pytest.raises(FoodcamError, match=f"{f} is a file, not a folder"):
        check_writable(f / "a" / "b.json", "--events", kind="file")
    check_writable(tmp_path / "new" / "deeper" / "x.json", "--summary")  # creatable: fine, and nothing created
    assert sorted(tmp_path.iterdir()) == [f]


def test_run_dirs_are_numbered(tmp_path):
    assert run_dir("bench", root=tmp_path) == tmp_path / "runs/bench/bench"
    assert run_dir("bench", root=tmp_path) == tmp_path / "runs/bench/bench2"
    (tmp_path / "runs/bench/bench3").mkdir()  # taken by someone else: skipped
    assert run_dir("bench", root=tmp_path) == tmp_path / "runs/bench/bench4"
    assert run_dir("eval", root=tmp_path) == tmp_path / "runs/eval/eval"
    assert output_dir(tmp_path / "mine", "eval") == tmp_path / "mine"  # an explicit --out is used as given
    assert not (tmp_path / "mine").exists()


def test_the_package_folders_are_known():
    assert inside_package(KITCHEN_ONNX) and inside_package(ROOT / "benchmarks" / "run.py")
    assert not inside_package(ROOT / "tests")
    assert len(package_dirs()) >= 7


def _package_snapshot() -> set[Path]:
    return {p for d in package_dirs() for p in d.rglob("*") if "__pycache__" not in p.parts}


def test_verbs_without_out_write_numbered_runs_in_the_cwd(tmp_path):
    """Two `synth` runs and two `predict` runs without --out: runs/<verb>/<verb>, <verb>2 in the current folder,
    each announced on one line; nothing appears inside the package."""
    before = _package_snapshot()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}

    def foodcam(*argv: str) -> str:
        p = subprocess.run([sys.executable, "-m", "foodcam", *argv], cwd=tmp_path, capture_output=True, text=True,
                           env=env, timeout=300)
        assert p.returncode == 0, p.stderr
        return p.stdout

    for n in ("synth", "synth2"):
        assert f"foodcam synth: wrote runs/synth/{n}\n" in foodcam("synth", "kitchen", "--count", "4", "--size", "48x32")
        assert any((tmp_path / "runs/synth" / n).rglob("*.png"))
    for n in ("predict", "predict2"):
        stdout = foodcam("predict", "--weights", str(KITCHEN_ONNX), "--source", "runs/synth/synth/val/images")
        assert f"foodcam predict: wrote runs/predict/{n}\n" in stdout
        assert any((tmp_path / "runs/predict" / n).glob("*.png"))
    assert _package_snapshot() == before
    p = subprocess.run([sys.executable, "-m", "foodcam", "eval", "--weights", str(KITCHEN_ONNX), "--data", "nowhere"],
                       cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300)
    assert p.returncode == 2 and "nowhere" in p.stderr
    assert not (tmp_path / "runs/eval").exists() or not any((tmp_path / "runs/eval").iterdir())  # no empty eval run


def test_bench_without_out_writes_a_numbered_run_in_the_cwd(tmp_path, monkeypatch, capsys):
    """The bench verb resolves --out to runs/bench/benchN in the current folder (benchmarks/results/ of the package
    is no longer the default); the measurement itself is replaced by a recorder here (tests/test_bench.py runs it)."""
    import foodcam.benchmarks.run as bench_run
    from foodcam.cli import main

    seen = []
    monkeypatch.setattr(bench_run, "_measure", lambda cfg: (seen.append(cfg.out), (0, None))[1])
    monkeypatch.chdir(tmp_path)
    assert main(["bench", "--models", str(KITCHEN_ONNX)]) == 0
    assert main(["bench", "--models", str(KITCHEN_ONNX)]) == 0
    assert seen == [str(Path("runs/bench/bench")), str(Path("runs/bench/bench2"))]
    assert capsys.readouterr().out.splitlines()[-1] == "foodcam bench: wrote runs/bench/bench2"
    assert (tmp_path / "runs/bench/bench2").is_dir()


def test_an_os_error_mid_verb_is_one_line(tmp_path, monkeypatch, capsys):
    """A disk that fills (or any OS error on a file) after the checks: `foodcam VERB: error: PATH: reason`, exit 2."""
    import foodcam.train.synth as synth
    from foodcam.cli import main

    target = tmp_path / "ds" / "images" / "x.png"

    def full(args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))

    monkeypatch.setitem(synth.WRITERS, "kitchen", full)
    assert main(["synth", "kitchen", "--out", str(tmp_path / "ds")]) == 2
    err = capsys.readouterr().err
    assert err == f"foodcam synth: error: {target}: no space left on device (OSError, errno {errno.ENOSPC})\n"


NO_MATPLOTLIB = """
import json, logging, shutil, sys
sys.modules["matplotlib"] = sys.modules["torch"] = None  # the deployed side: every import of them fails
logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
from foodcam.cli import main
from foodcam.benchmarks.report import write_reports
out = sys.argv[1]
assert main(["synth", "kitchen", "--count", "6", "--size", "48x32", "--out", out + "/data"]) == 0
assert main(["eval", "--weights", sys.argv[2], "--data", out + "/data", "--out", out + "/eval"]) == 0
report = json.load(open(sys.argv[3]))
print(sorted(p.name for p in write_reports(report, out + "/bench").values()))
"""


def test_eval_and_bench_reports_without_matplotlib(tmp_path):
    """The deployed side has no matplotlib (nor torch): eval of an ONNX and the bench report write their JSON and
    tables, skip the PNGs, and say so once."""
    report = ROOT / "benchmarks/results/cpu-amd-epyc-2c/bench.json"
    p = subprocess.run([sys.executable, "-c", NO_MATPLOTLIB, str(tmp_path), str(KITCHEN_ONNX), str(report)],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip().splitlines()[-1] == "['bench.csv', 'bench.json', 'bench.md']"
    assert sorted(x.name for x in (tmp_path / "eval").iterdir()) == ["metrics.json"]
    assert json.loads((tmp_path / "eval/metrics.json").read_text())["miou"] >= 0
    assert sorted(x.name for x in (tmp_path / "bench").iterdir()) == ["bench.csv", "bench.json", "bench.md"]
    assert "bench.png" not in (tmp_path / "bench/bench.md").read_text()
    assert p.stderr.count("matplotlib is not installed") == 1, p.stderr
    assert "Traceback" not in p.stderr


def test_int8_export_warns_before_rewriting_model_onnx(tmp_path, monkeypatch, capsys):
    """The INT8 export rewrites the FP32 model.onnx beside the weights (its reference): it says so, up front, naming
    the file (the export itself is stopped right after, at the checkpoint load; the slow test below runs one)."""
    import foodcam.train.checkpoint as checkpoint
    from foodcam.cli import main

    weights = tmp_path / "kitchen.pt"
    weights.write_bytes(b"stand-in: never loaded")
    (tmp_path / "model.onnx").write_bytes(b"an earlier fp32 export")

    def stop(path):
        raise FoodcamError(f"stopped at loading {path}")

    monkeypatch.setattr(checkpoint, "load_checkpoint", stop)
    assert main(["export", "--weights", str(weights), "--precision", "int8", "--calib", str(tmp_path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"foodcam export: warning: {tmp_path / 'model.onnx'} exists and will be overwritten",
                   f"foodcam export: error: stopped at loading {weights}"]
    assert main(["export", "--weights", str(weights), "--out", str(tmp_path / "new.onnx")]) == 2
    assert "warning" not in capsys.readouterr().err  # nothing there yet: no warning


@pytest.mark.slow
def test_export_says_it_overwrites_an_existing_onnx(tmp_path):
    target = tmp_path / "model.onnx"
    target.write_bytes(b"an older export")
    p = subprocess.run([sys.executable, "-m", "foodcam", "export", "--weights", str(KITCHEN_PT), "--out", str(target)],
                       capture_output=True, text=True, timeout=1800)
    assert p.returncode == 0, p.stderr
    assert f"foodcam export: warning: {target} exists and will be overwritten" in p.stderr
    assert target.read_bytes() != b"an older export"
    assert f"foodcam export: wrote {target}" in p.stdout


def test_export_of_read_only_weights_fails_before_loading(tmp_path):
    """The issue's case: `foodcam export` beside weights in a read-only folder, no --out: one line, exit 2, at once."""
    ro = tmp_path / "ro"
    ro.mkdir()
    (ro / "kitchen.pt").write_bytes(KITCHEN_PT.read_bytes())
    _read_only_folder(ro)
    try:
        [r] = _drive([["export", "--weights", str(ro / "kitchen.pt")]], cwd=tmp_path)
    finally:
        ro.chmod(0o700)
    assert r["rc"] == 2 and r["heavy"] == [], r
    assert r["err"].startswith(f"foodcam export: error: output folder (beside --weights) {ro / 'model.onnx'}: ")
    assert r["err"].count("\n") == 1 and "permission denied" in r["err"]


def test_exporting_a_shipped_model_writes_a_run_not_into_the_package(tmp_path, monkeypatch):
    """The shipped checkpoints live inside the package: their export goes to runs/export/exportN/ instead."""
    import foodcam.export.main as export_main
    from foodcam.cli import main

    seen = []
    monkeypatch.setattr(export_main, "export_checkpoint", lambda cfg: (seen.append(cfg.out) or 0, None))
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--weights", str(KITCHEN_PT), "--precision", "fp16"]) == 0
    assert main(["export", "--weights", str(KITCHEN_PT)]) == 0
    assert seen == [str(Path("runs/export/export/model.fp16.onnx")), str(Path("runs/export/export2/model.onnx"))]

"""Start and stop a real Label Studio server for the tests, and talk to its REST API over plain HTTP.

Label Studio comes from, in order: $FOODCAM_LABEL_STUDIO (a `label-studio` executable), ./.venv-labelstudio
(`make test` installs it there: its Django pins may clash with the project's), or `label-studio` on PATH.
The server runs on 127.0.0.1 at a free port with SQLite in a temporary data folder, one user made at start
(--username/--password) and a legacy API token (--user-token, --enable-legacy-api-token), and serves local
files under a document root (LABEL_STUDIO_LOCAL_FILES_SERVING_ENABLED, LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT).
Nothing it does reaches past loopback: analytics and the version check are off.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from ports import free_port

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "foodcam0test0token0" + "0" * 21  # 40 characters, as Label Studio's own tokens
USER, PASSWORD = "tester@example.com", "foodcam-test-pw"


def labelstudio_command() -> tuple[str | None, str]:
    """(the label-studio executable, or None; where it came from / why none)."""
    env = os.environ.get("FOODCAM_LABEL_STUDIO")
    if env:
        return (env, "FOODCAM_LABEL_STUDIO") if Path(env).is_file() else (None, f"{env}: no such file")
    for exe in (ROOT / ".venv-labelstudio" / "bin" / "label-studio", shutil.which("label-studio")):
        if exe and Path(exe).is_file():
            return str(exe), str(exe)
    return None, ("no Label Studio: `make test` installs it into ./.venv-labelstudio (pip install "
                  "'label-studio>=1.23,<1.24'), or set FOODCAM_LABEL_STUDIO to a label-studio executable")


class LabelStudioServer:
    """`label-studio start` on 127.0.0.1 in its own process group; `api()` calls its REST API with the token."""

    def __init__(self, exe: str, data_dir: Path, document_root: Path, log: Path) -> None:
        self.exe, self.data_dir, self.document_root, self.log = exe, Path(data_dir), Path(document_root), Path(log)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 600.0) -> None:
        """Start and wait until the API answers (the first start migrates a new SQLite database: minutes on
        a busy two-core machine); RuntimeError with the log's tail when it does not."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "LABEL_STUDIO_BASE_DATA_DIR": str(self.data_dir), "DJANGO_DB": "sqlite",
               "LABEL_STUDIO_LOCAL_FILES_SERVING_ENABLED": "true",
               "LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT": str(self.document_root),
               "COLLECT_ANALYTICS": "false", "LATEST_VERSION_CHECK": "false", "SENTRY_DSN": "",
               "FRONTEND_SENTRY_DSN": ""}
        cmd = [self.exe, "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(self.port),
               "--data-dir", str(self.data_dir), "--username", USER, "--password", PASSWORD,
               "--user-token", TOKEN, "--enable-legacy-api-token"]
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.data_dir,
                                         start_new_session=True)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"label-studio exited with {self.proc.returncode}: {self.tail()}")
            try:
                self.api("GET", "/api/projects")
                return
            except (OSError, urllib.error.URLError):
                time.sleep(2)
        self.stop()
        raise RuntimeError(f"label-studio did not answer within {timeout:.0f} s: {self.tail()}")

    def tail(self, n: int = 15) -> str:
        try:
            return " | ".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=20)

    def request(self, method: str, path: str, body=None) -> bytes:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Authorization": f"Token {TOKEN}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:
                return resp.read()
        except urllib.error.HTTPError as e:
            raise urllib.error.HTTPError(e.url, e.code, f"{method} {path}: {e.read()[:500]!r}", e.headers,
                                         None) from None

    def api(self, method: str, path: str, body=None):
        raw = self.request(method, path, body)
        return json.loads(raw) if raw.strip() else None

    # --- the calls the round trip makes ---

    def create_project(self, title: str, label_config: str) -> int:
        return int(self.api("POST", "/api/projects", {"title": title, "label_config": label_config})["id"])

    def add_local_storage(self, project: int, path: Path) -> None:
        """Link a local-files folder (under the document root) to the project: Label Studio serves only
        files of a storage the project has."""
        self.api("POST", "/api/storages/localfiles", {"project": project, "path": str(path), "title": "frames",
                                                      "use_blob_urls": False})

    def import_tasks(self, project: int, tasks: list[dict]) -> None:
        self.api("POST", f"/api/projects/{project}/import", tasks)

    def task_ids(self, project: int) -> list[int]:
        got = self.api("GET", f"/api/tasks?project={project}&page_size=1000")
        tasks = got["tasks"] if isinstance(got, dict) else got
        return sorted(int(t["id"]) for t in tasks)

    def task(self, task_id: int) -> dict:
        return self.api("GET", f"/api/tasks/{task_id}")

    def predictions(self, task_id: int) -> list[dict]:
        return self.api("GET", f"/api/predictions?task={task_id}")

    def annotate(self, task_id: int, result: list[dict]) -> dict:
        return self.api("POST", f"/api/tasks/{task_id}/annotations",
                        {"result": result, "was_cancelled": False, "ground_truth": False})

    def export_json(self, project: int) -> list[dict]:
        return self.api("GET", f"/api/projects/{project}/export?exportType=JSON&download_all_tasks=true")

"""`foodcam app`: open the models once, build the page, serve it on loopback until Ctrl-C (or SIGTERM).

Gradio is configured before it is imported: no telemetry or version check, its cache (uploads, outputs) in a
private temporary folder removed at exit, and no file served but those: Gradio serves only files it created or
was given, and the model files are blocked besides. The page loads nothing from outside the server.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from foodcam.runtime.errors import FoodcamError
from foodcam.shipped import shipped_models

if TYPE_CHECKING:
    from foodcam.app.cli import AppConfig

INSTALL_HINT = "the web app needs Gradio: pip install 'foodcam[app]'"


def configure_gradio(cache_dir: Path) -> None:
    """Environment Gradio reads at import: set before `import gradio`."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # Gradio's own start-up probes of the local server
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # no telemetry, no version check against the network
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
    os.environ["GRADIO_TEMP_DIR"] = str(cache_dir)
    os.environ.pop("GRADIO_SHARE", None)  # never a public tunnel


def require_gradio():
    """Import gradio, or the one-line FoodcamError saying how to install it."""
    try:
        import gradio
    except ImportError:
        raise FoodcamError(INSTALL_HINT) from None
    return gradio


def open_served(paths: list[str], backend: str | None = None, threads: int | None = None, topk: int = 5) -> list:
    """Open every model once (a bad one fails here, with the usual one-line error); names made unique."""
    from foodcam.app.analysis import ServedModel
    from foodcam.runtime.open import is_model_url, model_label, open_model

    options = {"threads": threads} if threads else {}
    served: list[ServedModel] = []
    try:
        for p in paths:
            name = model_label(p)  # a file by its name, a served model by its URL
            if any(s.name == name for s in served) and not is_model_url(p):
                name = f"{Path(p).parent.name}/{name}"
            served.append(ServedModel(open_model(p, backend=backend, **options), name=name, topk=topk))
    except BaseException:
        for s in served:
            s.close()
        raise
    return served


def correct_folders(served: list, labels: str | None, collected: str | None) -> tuple[Path | None, Path | None]:
    """(labels folder, collected folder) for the Correct tab, checked before serving; (None, None) when no served
    model segments (the page then has no Correct tab, and asking for its folders is an error)."""
    from foodcam.app.correct import check_collected_dir, check_labels_dir

    if not any(s.seg_head is not None and s.seg_head.colours for s in served):
        for flag, value in (("--labels", labels), ("--collected", collected)):
            if value is not None:
                raise FoodcamError(f"{flag} {value}: the Correct tab needs a segmentation model with class colours "
                                   f"(served: {', '.join(f'{s.name} ({s.task.kind})' for s in served)})")
        return None, None
    return check_labels_dir(labels or "labels"), None if collected is None else check_collected_dir(collected)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _stop_on_sigterm() -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)


def serve(args: AppConfig) -> int:
    """`foodcam app`: serve the page until Ctrl-C or SIGTERM (AppConfig has checked the port and --topk)."""
    from foodcam.pinned import check as check_pinned

    check_pinned(args)  # --model-sha256: before any model file is opened
    _stop_on_sigterm()  # SIGTERM, like Ctrl-C, closes the server and removes the temporary folder
    workdir = Path(tempfile.mkdtemp(prefix="foodcam-app-"))
    served = []
    from foodcam.app.cache import start_sweeper

    sweeper = start_sweeper(workdir)  # uploads and results: at most 200 MB, none older than 15 minutes
    try:
        configure_gradio(workdir / "gradio")
        require_gradio()
        models = args.model or [str(p) for p in shipped_models()]
        served = open_served(models, args.backend, args.threads, args.topk)
        labels, collected = correct_folders(served, args.labels, args.collected)
        from foodcam.app.examples import example_paths
        from foodcam.app.page import CSS, build_page
        from foodcam.app.photo import MAX_BYTES
        from foodcam.runtime.open import is_model_url

        page = build_page(served, workdir, [] if args.no_examples else example_paths(), labels, collected)
        page.queue(default_concurrency_limit=1, max_size=64)
        try:
            page.launch(server_name=args.host, server_port=int(args.port), share=False, prevent_thread_lock=True,
                        quiet=True, show_error=False, max_file_size=MAX_BYTES,
                        blocked_paths=[str(Path(p).resolve()) for p in models if not is_model_url(p)],
                        footer_links=["api", "settings"], run_history=False, enable_monitoring=False,
                        ssr_mode=False, mcp_server=False, pwa=False, css=CSS)
        except OSError as e:
            raise FoodcamError(f"cannot serve on {args.host}:{args.port}: {e}") from None
        print(f"foodcam app: {len(served)} model(s) at http://{args.host}:{page.server_port}/ (Ctrl-C to stop)",
              flush=True)
        if labels is not None:
            print(f"foodcam app: the Correct tab saves into {labels}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("foodcam app: stopping", file=sys.stderr, flush=True)
        finally:
            page.close()
        return 0
    finally:
        sweeper.set()
        for s in served:
            s.close()
        shutil.rmtree(workdir, ignore_errors=True)

"""A small HTTP live view on its own thread: `/` a page, `/stream` MJPEG, `/snapshot.jpg`, `/stats` JSON.

Binds 127.0.0.1 unless told otherwise. Frames are JPEG-encoded once per frame, only while someone watches;
a client that goes away ends its own connection and nothing else. At most MAX_CONNECTIONS clients are served at
once (more get 503), and a connection idle for IDLE_S seconds is closed.
"""

from __future__ import annotations

import json
import logging
import socket
import sys
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import cv2
import numpy as np

from foodcam.camera.sinks.base import Rendered, Sink
from foodcam.camera.sinks.page import PAGE
from foodcam.runtime.errors import FoodcamError

log = logging.getLogger("foodcam.camera")
BOUNDARY = "foodcamframe"
MAX_CONNECTIONS = 32  # clients served at once; more are answered 503 and closed
IDLE_S = 10.0  # a connection that sends nothing (a half-open request) or reads nothing this long is closed
GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError, socket.timeout)


class LimitedServer(ThreadingHTTPServer):
    """ThreadingHTTPServer with a cap on connections (one thread each) and no tracebacks for clients that leave."""

    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address, handler, max_connections: int | None = None) -> None:
        self.slots = threading.BoundedSemaphore(max_connections or MAX_CONNECTIONS)
        self.refused = 0
        super().__init__(address, handler)

    def process_request(self, request, client_address) -> None:
        if not self.slots.acquire(blocking=False):
            self.refused += 1
            try:
                request.settimeout(1.0)
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except Exception:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, GONE):
            log.debug("http client %s went away (%s)", client_address[0], type(error).__name__)
        else:
            log.warning("http client %s: %s: %s", client_address[0], type(error).__name__, error)


def parse_address(text: str) -> tuple[str, int]:
    """'8080' | ':8080' | 'host:8080' -> (host, port); the host defaults to 127.0.0.1."""
    host, _, port = str(text).rpartition(":")
    try:
        p = int(port)
        if not 0 <= p < 65536:
            raise ValueError
    except ValueError:
        raise FoodcamError(f"--serve {text!r}: expected [HOST:]PORT, e.g. 127.0.0.1:8080") from None
    return (host.strip("[]") or "127.0.0.1"), p


class HttpSink(Sink):
    def __init__(self, address: str = "127.0.0.1:8080", info: dict | None = None, jpeg_quality: int = 80) -> None:
        host, port = parse_address(address)
        self.info, self.quality = dict(info or {}), int(jpeg_quality)
        self._cond = threading.Condition()
        self._image: np.ndarray | None = None
        self._seq = 0
        self._jpeg: tuple[int, bytes] = (-1, b"")
        self._jpeg_lock = threading.Lock()
        self._stats: dict = {"frames": 0, **self.info}
        self._events: deque[dict] = deque(maxlen=20)
        self.watchers = 0
        self.closed = False
        try:
            self.server = LimitedServer((host, port), _handler(self))
        except OSError as e:
            raise FoodcamError(f"--serve {address}: cannot listen there ({e.strerror or e})") from None
        self.server.daemon_threads = True
        self.name = self.url = f"http://{host}:{self.server.server_address[1]}/"
        self._thread = threading.Thread(target=self.server.serve_forever, name="http", daemon=True)
        self._thread.start()
        log.info("live view at %s", self.url)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def write_events(self, events: list[dict]) -> None:
        self._events.extend(events)

    def write(self, out: Rendered) -> None:
        image = out.image if self.watchers else None  # draw only while someone watches
        self.write_events(out.events)
        stats = {**self.info, **out.stats, "frame": out.frame.index, "analytics": out.analytics,
                 "events": list(self._events)}
        with self._cond:
            self._image, self._stats = image, stats
            self._seq += 1
            self._cond.notify_all()

    def stats(self) -> dict:
        with self._cond:
            return self._stats

    def watching(self, delta: int) -> None:
        with self._cond:
            self.watchers += delta

    def next_jpeg(self, after: int | None = None, timeout: float = 1.0) -> tuple[int, bytes | None]:
        """A frame newer than number `after` (None: the current one, if any), waiting up to `timeout`.

        Returns (its number, JPEG bytes), or (after, None) when none came or the sink closed.
        """
        with self._cond:
            if after is None:
                after = self._seq - 1 if self._image is not None else self._seq
            self._cond.wait_for(lambda: self.closed or (self._seq > after and self._image is not None), timeout)
            if self.closed or self._seq <= after or self._image is None:
                return after, None
            seq, image = self._seq, self._image
        with self._jpeg_lock:  # several viewers share one encoding per frame
            if self._jpeg[0] != seq:
                ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, self.quality])
                self._jpeg = (seq, buf.tobytes() if ok else b"")
            return seq, self._jpeg[1]

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()
        self.server.shutdown()
        self.server.server_close()


def _handler(sink: HttpSink) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "foodcam"
        timeout = IDLE_S  # socket timeout: an idle or half-open request is closed, not waited on forever

        def log_message(self, fmt: str, *args) -> None:
            log.debug("http %s: " + fmt, self.client_address[0], *args)

        def _send(self, body: bytes, ctype: str, code: int = 200) -> None:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            path = self.path.split("?", 1)[0]
            try:
                if path in ("/", "/index.html"):
                    self._send(PAGE.encode(), "text/html; charset=utf-8")
                elif path == "/stats":
                    self._send(json.dumps(sink.stats(), default=str).encode(), "application/json")
                elif path == "/snapshot.jpg":
                    self._snapshot()
                elif path == "/stream":
                    self._stream()
                else:
                    self._send(b"not found\n", "text/plain", 404)
            except GONE:
                log.debug("http client %s went away", self.client_address[0])

        def _snapshot(self) -> None:
            sink.watching(+1)
            try:
                _, jpeg = sink.next_jpeg(None, timeout=5.0)
            finally:
                sink.watching(-1)
            if jpeg is None:
                self._send(b"no frame yet\n", "text/plain", 503)
            else:
                self._send(jpeg, "image/jpeg")

        def _stream(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", f"multipart/x-mixed-replace; boundary={BOUNDARY}")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            sink.watching(+1)
            try:
                seq = None
                while not sink.closed:
                    seq, jpeg = sink.next_jpeg(seq)
                    if jpeg:
                        head = f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: {len(jpeg)}\r\n\r\n"
                        self.wfile.write(head.encode() + jpeg + b"\r\n")
                        self.wfile.flush()
            finally:
                sink.watching(-1)

    return Handler

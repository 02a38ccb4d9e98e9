"""A real RTSP server for the source tests: GStreamer's gst-rtsp-server serving a live test pattern.

Run with the system Python that has PyGObject (Debian: python3-gi, gir1.2-gst-rtsp-server-1.0,
gstreamer1.0-plugins-base/-good):

    /usr/bin/python3 tests/rtsp_server.py PORT      # rtsp://127.0.0.1:PORT/test, MJPEG 160x120 @ 15 fps
    /usr/bin/python3 tests/rtsp_server.py PORT record OUT.h264
        # RECORD mode: a client publishes H.264 to rtsp://127.0.0.1:PORT/test; the stream lands in OUT.h264

Prints "ready" once it listens; runs until killed.
"""

import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

PIPELINE = ("( videotestsrc is-live=true pattern=ball ! video/x-raw,format=I420,width=160,height=120,framerate=15/1 "
            "! jpegenc quality=60 ! rtpjpegpay name=pay0 pt=26 )")
RECORD = "( rtph264depay name=depay0 ! h264parse ! video/x-h264,stream-format=byte-stream ! filesink location={out} buffer-mode=unbuffered sync=false )"


def main() -> None:
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(sys.argv[1])
    factory = GstRtspServer.RTSPMediaFactory()
    if sys.argv[2:3] == ["record"]:
        factory.set_transport_mode(GstRtspServer.RTSPTransportMode.RECORD)
        factory.set_launch(RECORD.format(out=sys.argv[3]))
    else:
        factory.set_launch(PIPELINE)
    factory.set_shared(True)
    server.get_mount_points().add_factory("/test", factory)
    if server.attach(None) == 0:
        print("cannot listen", flush=True)
        sys.exit(1)
    print("ready", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()

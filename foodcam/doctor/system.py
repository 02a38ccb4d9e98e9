"""Doctor checks of the box itself: platform, Python, numpy, OpenCV and its video I/O, cameras, actuator
libraries and ports, disk space for recordings."""

from __future__ import annotations

import os
import platform
import re
import shutil
import sys

from foodcam.doctor import Check, Env

JETSON_DOC = "docs/jetson.md"
OPENCV_FIX = ("pip install 'foodcam[opencv]' (desktop, server) or use your platform's OpenCV "
              f"(a Jetson: JetPack's, see {JETSON_DOC})")


def jetson_release(env: Env) -> str | None:
    """'R36.4.3' from /etc/nv_tegra_release ('# R36 (release), REVISION: 4.3, ...'), None elsewhere."""
    try:
        head = env.path("/etc/nv_tegra_release").read_text(errors="replace").splitlines()[0]
    except (OSError, IndexError):
        return None
    m = re.search(r"R(\d+)\s*\(release\),\s*REVISION:\s*([\d.]+)", head)
    return f"R{m[1]}.{m[2]}" if m else "R?"


def check_platform(env: Env) -> Check:
    l4t = jetson_release(env)
    if l4t is None:
        return Check("platform", "ok", f"{platform.system()} {platform.machine()} (not a Jetson)", data={"jetson": False})
    try:
        model = env.path("/proc/device-tree/model").read_text(errors="replace").strip("\0\n ")
    except OSError:
        model = "Jetson"
    major = int(l4t[1:].split(".")[0]) if l4t[1:].split(".")[0].isdigit() else 0
    jetpack = {35: "JetPack 5", 36: "JetPack 6", 38: "JetPack 7", 39: "JetPack 7"}.get(major, "an unknown JetPack")
    check = Check("platform", "ok", f"{model}, Jetson Linux (L4T) {l4t} = {jetpack}",
                  data={"jetson": True, "l4t": l4t, "model": model})
    if major < 36:
        check.status, check.fix = "warn", f"foodcam's Jetson recipe is for JetPack 6 (L4T R36) and 7: see {JETSON_DOC}"
    return check


def check_python(env: Env) -> Check:
    v = sys.version_info
    text = f"{v.major}.{v.minor}.{v.micro} ({sys.executable})"
    if v < (3, 10):
        return Check("python", "fail", text, "foodcam needs Python >= 3.10 (JetPack 6 ships 3.10)")
    return Check("python", "ok", text)


def check_numpy(env: Env) -> Check:
    np = env.load("numpy")
    if np is None:
        return Check("numpy", "fail", "not installed", "pip install numpy")
    return Check("numpy", "ok", np.__version__)


def video_io(build_info: str) -> dict[str, str]:
    """{'GStreamer': 'YES (1.20.3)', 'FFMPEG': 'YES', 'v4l/v4l2': 'YES ...'} from cv2.getBuildInformation()."""
    found = {}
    for key in ("GStreamer", "FFMPEG", "v4l/v4l2"):
        m = re.search(rf"^\s*{re.escape(key)}:\s*(.+)$", build_info, re.MULTILINE)
        found[key] = m[1].strip() if m else "NO"
    return found


def check_opencv(env: Env, jetson: bool) -> list[Check]:
    cv2 = env.load("cv2")
    if cv2 is None:
        return [Check("opencv", "fail", "not importable (cv2)", OPENCV_FIX)]
    where = os.path.dirname(getattr(cv2, "__file__", "") or "") or "?"
    checks = [Check("opencv", "ok", f"{cv2.__version__} ({where})", data={"version": cv2.__version__})]
    io = video_io(cv2.getBuildInformation())
    yes = {k: v.upper().startswith("YES") for k, v in io.items()}
    detail = f"GStreamer {'yes' if yes['GStreamer'] else 'no'}, FFmpeg {'yes' if yes['FFMPEG'] else 'no'} (reading), " \
             f"V4L2 {'yes' if yes['v4l/v4l2'] else 'no'}"
    io_check = Check("video i/o", "ok", detail, data={"build": io})
    if not yes["GStreamer"]:
        if jetson:
            io_check.status = "fail"
            io_check.fix = ("this cv2 has no GStreamer, so csi:// and hardware decoding cannot work: "
                            "pip uninstall opencv-python-headless opencv-python, then use JetPack's cv2 "
                            f"(venv with --system-site-packages; {JETSON_DOC})")
        else:
            io_check.status = "warn"
            io_check.fix = "csi:// and gst:// need an OpenCV built with GStreamer; USB cameras, files and rtsp:// work"
    checks.append(io_check)
    checks.append(check_h264(env, cv2, gstreamer=yes["GStreamer"]))
    return checks


H264_USES = "--save x.mp4 in H.264 (what browsers and phones play) and --save rtsp:// / rtp:// streams"


def check_h264(env: Env, cv2, gstreamer: bool) -> Check:
    """An H.264 encoder, probed as camera/sinks/encoders.py picks one: ffmpeg with libx264/libopenh264, OpenCV's
    avc1 writer, GStreamer's x264enc/openh264enc. OpenCV's "FFmpeg yes" is its decoder backend, not an encoder."""
    from foodcam.camera.sinks.encoders import FFMPEG_ENCODERS, GST_ENCODERS, avc1_writes, ffmpeg_probe_argv

    name = os.environ.get("FOODCAM_FFMPEG", "ffmpeg")
    binary = env.which(name) if name else None
    for enc in FFMPEG_ENCODERS if binary else ():
        if env.run(ffmpeg_probe_argv(binary, enc)) is not None:
            return Check("h.264", "ok", f"{enc} via ffmpeg ({binary}): {H264_USES}",
                         data={"encoder": enc, "via": "ffmpeg"})
    gst = [e for e in GST_ENCODERS if gstreamer and env.which("gst-inspect-1.0") and env.run(["gst-inspect-1.0", e])]
    if gst:
        return Check("h.264", "ok", f"{gst[0]} via OpenCV's GStreamer: {H264_USES}",
                     data={"encoder": gst[0], "via": "gstreamer"})
    try:
        avc1 = hasattr(cv2, "VideoWriter") and avc1_writes(cv2)
    except Exception:  # noqa: BLE001 - an OpenCV that cannot even try has no avc1 writer
        avc1 = False
    ffmpeg_fix = "apt install ffmpeg (libx264)" + ("" if binary is None else f"; {binary} has neither "
                                                   f"{' nor '.join(FFMPEG_ENCODERS)}")
    if avc1:
        return Check("h.264", "warn", "OpenCV avc1 only: --save x.mp4 is H.264, but --save rtsp:// / rtp:// "
                     "streams cannot be sent", f"{ffmpeg_fix} for streams", data={"encoder": "avc1", "via": "opencv"})
    return Check("h.264", "warn", "no encoder (ffmpeg with libx264/libopenh264, OpenCV avc1 or GStreamer x264enc): "
                 "--save x.mp4 writes MPEG-4 Part 2 (mp4v), which browsers and phones may not play, and "
                 "--save rtsp:// / rtp:// fails", ffmpeg_fix, data={"encoder": None})


def check_cameras(env: Env, jetson: bool) -> Check:
    dev = env.path("/dev")
    nodes = sorted((p for p in dev.glob("video*") if p.name[5:].isdigit()), key=lambda p: int(p.name[5:])) \
        if dev.is_dir() else []
    found, denied = [], []
    for p in nodes:
        try:
            name = env.path(f"/sys/class/video4linux/{p.name}/name").read_text(errors="replace").strip()
        except OSError:
            name = ""
        found.append(f"/dev/{p.name}" + (f" ({name})" if name else ""))
        if not os.access(p, os.R_OK | os.W_OK):
            denied.append(f"/dev/{p.name}")
    csi = bool(jetson and env.which("gst-inspect-1.0") and env.run(["gst-inspect-1.0", "nvarguscamerasrc"]))
    parts = found + (["csi:// (nvarguscamerasrc)"] if csi else [])
    data = {"video_devices": [f"/dev/{p.name}" for p in nodes], "csi": csi}
    if not parts:
        return Check("cameras", "warn", "none found", "no camera here: files, rtsp:// and synth:// sources still work",
                     data)
    check = Check("cameras", "ok", ", ".join(parts), data=data)
    if denied:
        check.status = "warn"
        check.fix = f"{', '.join(denied)} not readable by this user: sudo usermod -aG video $USER (then log in again)"
    return check


def _ports(env: Env) -> list[str]:
    dev = env.path("/dev")
    if not dev.is_dir():
        return []
    names = [p.name for pat in ("ttyUSB*", "ttyACM*", "ttyTHS*", "ttyAMA*") for p in dev.glob(pat)]
    return [f"/dev/{n}" for n in sorted(names)]


def check_actuators(env: Env, jetson: bool) -> list[Check]:
    checks = []
    mqtt = env.version("paho-mqtt")
    checks.append(Check("mqtt", "ok", f"paho-mqtt {mqtt}") if mqtt else
                  Check("mqtt", "warn", "paho-mqtt not installed", "pip install 'foodcam[actuators]' for the MQTT actuator"))
    serial = env.version("pyserial")
    ports = _ports(env)
    denied = [p for p in ports if not os.access(env.path(p), os.R_OK | os.W_OK)]
    where = ", ".join(ports) if ports else "no serial ports"
    if not serial:
        checks.append(Check("serial", "warn", f"pyserial not installed; {where}",
                            "pip install 'foodcam[actuators]' for the serial actuator and trigger"))
    elif denied:
        checks.append(Check("serial", "warn", f"pyserial {serial}; {where}",
                            f"{', '.join(denied)} not writable by this user: sudo usermod -aG dialout $USER"))
    else:
        checks.append(Check("serial", "ok", f"pyserial {serial}; {where}", data={"ports": ports}))
    if jetson:
        gpio = env.version("Jetson.GPIO")
        checks.append(Check("gpio", "ok", f"Jetson.GPIO {gpio}") if gpio else
                      Check("gpio", "warn", "Jetson.GPIO not installed",
                            "pip install Jetson.GPIO for the gpio actuator / photo-eye trigger"))
    else:
        checks.append(Check("gpio", "ok", "not a Jetson: the gpio actuator and trigger need one (serial, mqtt, udp work)"))
    return checks


def check_disk(env: Env) -> Check:
    path = env.recordings
    try:
        usage = shutil.disk_usage(path)
    except OSError as e:
        return Check("disk", "fail", f"{path}: {e}", "give --save/--events a folder that exists and is writable")
    free_gb = usage.free / 1e9
    detail = f"{free_gb:.1f} GB free of {usage.total / 1e9:.0f} GB at {os.path.abspath(path)}"
    data = {"free_bytes": usage.free}
    if free_gb < 1:
        return Check("disk", "fail", detail, "free space, or record elsewhere; bound recordings with --rotate 200MB --keep 10",
                     data)
    if free_gb < 5:
        return Check("disk", "warn", detail, "long recordings: --rotate 200MB --keep 10 keeps them bounded", data)
    return Check("disk", "ok", detail, data=data)


def checks(env: Env) -> list[Check]:
    plat = check_platform(env)
    jetson = bool(plat.data.get("jetson"))
    return [plat, check_python(env), check_numpy(env), *check_opencv(env, jetson), check_cameras(env, jetson),
            *check_actuators(env, jetson), check_disk(env)]

"""Share images: each chart as a PNG, drawn at build time, for the og:image of its embed page and its oEmbed thumbnail.

A link to a chart shared on a social site or in a chat shows a card with this picture: the chart as the
page draws it, with its finding, what it shows, notes and source (the layout of the PNG download,
docs/javascripts/chart-style.js). Drawing is done by Node (build_scripts/echarts/share_image.js: the
site's ECharts build rendering SVG on the server, resvg rasterising it with one CJK font), one Node
process per Python process, started on first use and fed one chart per line, so a report's charts
cost milliseconds each and not a Node start each. Same request, same bytes: nothing depends on the
machine's other fonts or on the order charts are drawn in.
"""
from __future__ import annotations

import atexit
import base64
import dataclasses
import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve().parent / "echarts" / "share_image.js"
# Debian's fonts-wqy-microhei (the Makefile installs it): a CJK sans-serif the share images are drawn in.
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
FONT_FAMILY = "WenQuanYi Micro Hei"
WIDTH = 600  # CSS pixels; drawn at twice that, 1200 px wide as link cards want
MINIMUM_HEIGHT = 315  # a short chart is drawn taller, to the 1.91:1 of a link card (1200 × 630)
# What the drawing depends on besides the request: a change to any of them draws every image again.
DRAWING_FILES = (SCRIPT, ROOT / "docs" / "javascripts" / "chart-style.js", ROOT / "build" / "echarts.min.js",
                 ROOT / "node_modules" / "@resvg" / "resvg-js" / "package.json")


@dataclass(frozen=True)
class ShareTexts:
    """What a share image says around its chart: headline (the finding), what is shown, notes, source."""

    title: str
    subtitle: str = ""
    note: str = ""
    credit: str = ""


class DrawingError(RuntimeError):
    """The share image could not be drawn: what is missing, and how to install it."""


def drawing_version() -> str:
    """A hash of what share images depend on besides their charts (script, styling, ECharts, resvg, font)."""
    digest = hashlib.sha256()
    for path in (*DRAWING_FILES, FONT):
        digest.update(str(path).encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest() if path.exists() else b"missing")
    return digest.hexdigest()


class _Drawer:
    """The Node process of this Python process, fed one chart per line."""

    def __init__(self) -> None:
        self.pid: Optional[int] = None
        self.process: Optional[subprocess.Popen] = None

    def draw(self, request: dict) -> dict:
        """The answer of the Node process to one request (started in this process on first use)."""
        if self.process is None or self.pid != os.getpid() or self.process.poll() is not None:
            self._start()
        line = json.dumps(request, ensure_ascii=False, sort_keys=True) + "\n"
        self.process.stdin.write(line.encode("utf-8"))
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            self.process = None
            raise DrawingError("share images: the Node process stopped; run `make site` to install what it needs")
        return json.loads(answer)

    def _start(self) -> None:
        missing = [str(path) for path in (*DRAWING_FILES, FONT) if not path.exists()]
        node = shutil.which("node")
        if missing or not node:
            raise DrawingError(f"share images need {', '.join(missing) or 'node'}; run `make site` to install them")
        # A worker forked from a process that had one starts its own: the inherited pipes are the parent's.
        self.process = subprocess.Popen([node, str(SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        cwd=ROOT)
        if self.pid is None:
            atexit.register(self.close)
        self.pid = os.getpid()

    def close(self) -> None:
        """End this process's Node process, if it started one."""
        if self.process is not None and self.pid == os.getpid():
            self.process.stdin.close()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:  # a forked worker still holds its end of the pipe
                self.process.kill()
        self.process = None


_DRAWER = _Drawer()


def share_png(options: dict, height: int, texts: ShareTexts) -> bytes:
    """The PNG of one chart (its ECharts option, canvas height in CSS pixels) with its texts, 1200 px wide."""
    request = {"option": options, "width": WIDTH, "height": height, "minimum_height": MINIMUM_HEIGHT,
               "texts": dataclasses.asdict(texts),
               "font": str(FONT), "family": FONT_FAMILY}
    answer = _DRAWER.draw(request)
    if "error" in answer:
        raise DrawingError(f"share image of {texts.title!r} could not be drawn: {answer['error'].splitlines()[0]}")
    return base64.b64decode(answer["png"])


def kept_drawer(cache) -> Callable[[dict, int, ShareTexts], bytes]:
    """``share_png`` with each image kept in ``cache`` under its request: the compare charts are drawn again
    on every rebuild (they hold every report), yet adding one report changes few of them."""
    from .cache import input_key

    version = drawing_version().encode("ascii")

    def draw(options: dict, height: int, texts: ShareTexts) -> bytes:
        request = json.dumps([options, height, dataclasses.asdict(texts)], ensure_ascii=False, sort_keys=True)
        key = input_key(request.encode("utf-8"), version)
        return cache.get_or_make("share-images", key, lambda: share_png(options, height, texts), expected=bytes)

    return draw


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG, from its header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")

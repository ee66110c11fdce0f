"""Embed messages across origins (issue 23): heights go only to the real host, themes come only from it.

Three servers give three origins: the embed's site (E), a host page (P) and another site (Q).
The host page here is hand-written, without embed-host.js, so a test sees every message the
embed sends and decides itself when the host speaks.
"""
from __future__ import annotations

import json

import pytest

from conftest import serve

RESIZE = "explainer-embed:resize"
HELLO = {"type": "explainer-embed:hello", "version": 1}
DARK = {"type": "explainer-embed:theme", "version": 1, "theme": "dark"}
# Long enough for a message posted in one process to reach a frame in another, many times over.
SETTLE_MS = 600

# The host records every resize message it receives, with the origin it came from.
HOST = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>host</title><script>
window.resizes = [];
window.addEventListener("message", function (event) {{
  if (event.data && event.data.type === {resize}) window.resizes.push(event.origin);
}});
</script></head><body>{frames}</body></html>"""
# A page of another site that sends its own frame on to the embed: the embed's referrer is then
# this page, although the frame belongs to the host.
FORWARD = ('<!doctype html><html><head><meta charset="utf-8"><title>forward</title>'
           '<script>location.replace({target});</script></head><body></body></html>')
# A page of another site beside the embed that tries to set the embed's theme.
SIBLING = ('<!doctype html><html><head><meta charset="utf-8"><title>sibling</title></head><body><script>'
           'parent.frames[0].postMessage({message}, "*");</script></body></html>')


@pytest.fixture(scope="module")
def origins(built_site, tmp_path_factory):
    """The embed site, the host and another site, each served on its own origin, with a chart's embed URL."""
    host, other = tmp_path_factory.mktemp("host"), tmp_path_factory.mktemp("other")
    listing = json.loads((built_site / "embed" / "embeds.json").read_text(encoding="utf-8"))
    chart = next(row for row in listing if row["status"] == "live" and row["kind"] == "chart")
    with serve(built_site) as site_url, serve(host) as host_url, serve(other) as other_url:
        yield {"embed": site_url + chart["url"], "site": site_url.rstrip("/"), "host": host_url,
               "host_dir": host, "other": other_url, "other_dir": other}


def host_page(folder, frames: list[str]) -> str:
    (folder / "index.html").write_text(
        HOST.format(resize=json.dumps(RESIZE), frames="\n".join(f'<iframe src="{src}" width="600" height="300">'
                                                                 f'</iframe>' for src in frames)),
        encoding="utf-8")
    return "index.html"


def frame_at(page, address: str):
    """The page's frame whose address starts with ``address``, once it has loaded."""
    for _ in range(100):
        frame = next((f for f in page.frames if f.url.startswith(address)), None)
        if frame is not None:
            frame.wait_for_load_state("load")
            return frame
        page.wait_for_timeout(50)
    raise AssertionError(f"no frame reached {address}: {[f.url for f in page.frames]}")


def embed_frame(page, site_origin: str):
    """The frame showing the embed, once its page has loaded and sent its first messages."""
    frame = frame_at(page, site_origin)
    frame.wait_for_selector("main.embed")
    return frame


def test_a_frame_sent_to_the_embed_by_another_site_tells_the_host_its_height_only_once_the_host_speaks(
        origins, browser):
    (origins["other_dir"] / "forward.html").write_text(FORWARD.format(target=json.dumps(origins["embed"])),
                                                       encoding="utf-8")
    page = browser.new_page()
    page.goto(origins["host"] + host_page(origins["host_dir"], [origins["other"] + "forward.html"]))
    frame = embed_frame(page, origins["site"])
    assert frame.evaluate("document.referrer").startswith(origins["other"])
    page.wait_for_timeout(SETTLE_MS)
    # The embed believed its host to be the forwarding site; a height posted to "*" would be here.
    assert page.evaluate("window.resizes") == []
    page.evaluate("m => document.querySelector('iframe').contentWindow.postMessage(m, '*')", HELLO)
    page.wait_for_function("window.resizes.length > 0", timeout=2000)
    assert set(page.evaluate("window.resizes")) == {origins["site"]}
    page.close()


def test_theme_messages_count_only_from_the_parent_not_from_a_sibling_frame_or_the_embed_itself(
        origins, browser):
    sibling = origins["other"] + "sibling.html"
    (origins["other_dir"] / "sibling.html").write_text(SIBLING.format(message=json.dumps(DARK)), encoding="utf-8")
    page = browser.new_page()
    embed_url = origins["embed"] + "?theme=light"
    page.goto(origins["host"] + host_page(origins["host_dir"], [embed_url]))
    frame = embed_frame(page, origins["site"])
    scheme = "document.documentElement.getAttribute('data-scheme')"
    assert frame.evaluate(scheme) == "light"
    # A sibling frame of another site, added once the embed listens, and the embed's own window.
    page.evaluate("src => { const f = document.createElement('iframe'); f.src = src; document.body.append(f); }",
                  sibling)
    frame_at(page, sibling)
    frame.evaluate("m => window.postMessage(m, '*')", DARK)
    page.wait_for_timeout(SETTLE_MS)
    assert frame.evaluate(scheme) == "light"
    page.evaluate("m => document.querySelector('iframe').contentWindow.postMessage(m, '*')", DARK)
    frame.wait_for_function(f"{scheme} === 'dark'", timeout=2000)
    page.close()

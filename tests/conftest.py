"""Shared fixtures: the seed, the built site, and helpers to build and serve sites."""
import contextlib
import functools
import http.server
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_89c8bcedadaad6b3.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def run_build(site_dir: Path, env_extra: dict | None = None):
    """Run the real build command (`python -m build_scripts build`) into ``site_dir``."""
    import os
    import subprocess
    import sys

    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "build_scripts", "build", "--site-dir", str(site_dir)],
                          cwd=ROOT, env=env, capture_output=True, text=True)


@pytest.fixture(scope="session")
def build_cache(tmp_path_factory) -> Path:
    """A cache folder of this test run only, so the first build is cold whatever the machine has."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, build_cache) -> Path:
    """The site built once, cold, from every seed in seeds/, shared by the build and browser tests."""
    site = tmp_path_factory.mktemp("build") / "site"
    result = run_build(site, {"EXPLAINER_CACHE": str(build_cache)})
    assert result.returncode == 0, result.stderr
    return site


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder without logging every request."""

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(folder: Path):
    """A built site served on 127.0.0.1 at a free port; yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


# ---------------------------------------------------------------- the browser tests' shared fixtures

CHROMIUM = "/usr/bin/chromium"  # Debian's Chromium: Playwright's own download is not reachable
# Without the background-networking flags Chromium tries to reach Google's hosts on its own.
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server(built_site):
    """The session's built site, served for the tests of one module."""
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, one per test module."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()

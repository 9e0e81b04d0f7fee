"""A real `streamlit run` server and Debian's headless Chromium, for end-to-end tests."""

import os
import secrets
import shutil
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
# The machine's network is closed: without these, Chromium keeps retrying Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_tool(name: str, path: str, install_hint: str) -> str:
    """Skips without the tool, except under REQUIRE_E2E=1 (CI), where a missing tool fails the run."""
    found = shutil.which(name) or (path if Path(path).exists() else None)
    if found:
        return found
    message = f"{name} not found: {install_hint}"
    if os.environ.get("REQUIRE_E2E") == "1":
        pytest.fail(message)
    pytest.skip(message)


def require_chromium() -> str:
    return require_tool("chromium", CHROMIUM, "run `bash .ci/run` or apt-get install chromium")


# Vega draws a canvas chart (the maps, relations/charts/page_vega.py) through the canvas's 2D context,
# after the canvas is already on the page: a bare canvas is an empty frame. Installed before the page's
# own scripts (new_context), this counts the shapes each canvas's latest render has filled (Vega clears
# the canvas before every render).
CANVAS_FILLS = """(() => {
  const fills = new WeakMap(), context = CanvasRenderingContext2D.prototype;
  const clearRect = context.clearRect, fill = context.fill;
  context.clearRect = function (...args) { fills.set(this.canvas, 0); return clearRect.apply(this, args); };
  context.fill = function (...args) {
    fills.set(this.canvas, (fills.get(this.canvas) || 0) + 1);
    return fill.apply(this, args);
  };
  window.__canvasFills = (canvas) => fills.get(canvas) || 0;
})()"""
# A chart (its .vega-embed element, `e`) is drawn once its SVG has a mark group (Vega adds the SVG
# before it has loaded a chart's linked data, such as the maps' world shapes; its first render already
# has every shape) or a shape has been filled on its canvas.
CHART_DRAWN = """(e => e.querySelector('svg .role-mark')
  || [...e.querySelectorAll('canvas')].some(c => window.__canvasFills?.(c) > 0))"""

APP_SETTLED = f"""() => !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')
    && [...document.querySelectorAll('.vega-embed')].every({CHART_DRAWN})"""


def new_context(browser, **options):
    """A browser context whose pages count their canvas fills (CANVAS_FILLS), which wait_for_app and
    the benchmarks' waits need to tell a drawn map from an empty frame."""
    context = browser.new_context(**options)
    context.add_init_script(script=CANVAS_FILLS)
    return context


def view_link(page):
    """The sidebar's "Link to this view" (a code span holding an address; the dataset version beside
    it is a code span too)."""
    return (
        page.locator('[data-testid="stSidebar"] [data-testid="stMarkdownContainer"] code')
        .filter(has_text="://")
        .first
    )


def wait_for_app(page, settle_ms: int = 700) -> None:
    """The script has finished and every chart has drawn, and it stays so for settle_ms: a first visit
    reruns once through app.py, and checking between the two runs would see a half-built page."""
    page.wait_for_selector("h1", timeout=30_000)
    page.wait_for_load_state("networkidle", timeout=30_000)  # lazily loaded chart code included
    for _ in range(20):
        page.wait_for_function(APP_SETTLED, timeout=30_000)
        page.wait_for_timeout(settle_ms)
        if page.evaluate(APP_SETTLED):
            return
    raise TimeoutError("the page never settled")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(
    url: str, process: subprocess.Popen, timeout: float = 60, health_path: str = "/_stcore/health"
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}{health_path}", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit at {url} not healthy after {timeout}s")


@contextmanager
def streamlit_server(
    root: Path, extra_args: tuple[str, ...] = (), base_path: str = "", env: dict[str, str] | None = None
) -> Iterator[str]:
    """Yields the server's root URL (without the base path)."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(root / "app.py"),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        *(("--server.baseUrlPath", base_path) if base_path else ()),
        *extra_args,
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / f"streamlit-{port}.log").open("w")
    process = subprocess.Popen(
        command, cwd=root, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(
            url, process, health_path=f"/{base_path}/_stcore/health" if base_path else "/_stcore/health"
        )
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@dataclass(frozen=True)
class Deployment:
    url: str  # the proxy's root URL
    access_log: Path  # cookie, upstream, status, request time, upstream time, request
    replica_urls: list[str]


@contextmanager
def replicas_behind_proxy(root: Path, base_path: str = "relations", count: int = 2) -> Iterator[Deployment]:
    """Two `streamlit run` replicas sharing a cookie secret, behind nginx configured from the project's
    nginx.conf."""
    nginx = require_tool("nginx", "/usr/sbin/nginx", "run `bash .ci/run` or apt-get install nginx")
    shared_env = {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
    with ExitStack() as stack:
        urls = [
            stack.enter_context(streamlit_server(root, base_path=base_path, env=shared_env))
            for _ in range(count)
        ]
        prefix = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="relations-nginx-")))
        port = free_port()
        template = string.Template((root / "nginx.conf").read_text())
        config = template.safe_substitute(
            PREFIX=prefix,
            LISTEN_ADDRESS="127.0.0.1",
            LISTEN_PORT=port,
            **{f"REPLICA_{i}_PORT": url.rsplit(":", 1)[1] for i, url in enumerate(urls, start=1)},
        )
        (prefix / "nginx.conf").write_text(config)
        directives = "daemon off;" + (" user root;" if os.geteuid() == 0 else "")
        log = (ARTIFACTS / "nginx.log").open("w")
        stack.callback(log.close)
        process = subprocess.Popen(
            [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", directives],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        stack.callback(_stop, process)
        proxy_url = f"http://127.0.0.1:{port}"
        wait_healthy(proxy_url, process, health_path=f"/{base_path}/_stcore/health")
        yield Deployment(proxy_url, prefix / "access.log", urls)


def failures_opening(browser, url: str) -> tuple[list[str], list[str]]:
    """The failed requests (status 400 and above) and console errors of a new tab opening url, until
    the app is idle with its first chart drawn."""
    context = new_context(browser)
    try:
        page = context.new_page()
        failed, errors = [], []
        page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(url)
        wait_for_app(page)
        page.locator(".vega-embed").first.wait_for(timeout=30_000)
        return failed, errors
    finally:
        context.close()

"""The load harness cannot rot: the Locust user opens pages through nginx and two replicas in seconds."""

import json
import os
import subprocess
import sys
import urllib.request
from collections import defaultdict
from contextlib import ExitStack

import pytest
import requests

from benchmarks.load.deployment import start_replica
from benchmarks.load.protocol import open_page
from tests.browser import replicas_behind_proxy
from tests.conftest import ROOT

pytestmark = pytest.mark.e2e
BASE = "relations"


@pytest.fixture(scope="module")
def proxy():
    with replicas_behind_proxy(ROOT, BASE) as deployment:
        yield deployment


def test_protocol_view_finishes_and_counts_a_missing_page_as_an_error(proxy):
    view = open_page(requests.Session(), f"{proxy.url}/{BASE}", "overview?pair=BLR-CHN")
    assert view.ok, view.errors
    assert view.deltas > 5 and view.seconds > 0
    missing = open_page(requests.Session(), f"{proxy.url}/{BASE}", "no-such-page")
    assert not missing.ok and any("page not found" in e for e in missing.errors)


def test_the_proxy_keeps_the_page_shell_and_never_a_cookie(proxy):
    """Every page address answers Streamlit's one HTML shell: nginx keeps it whatever the query, so
    opening a link costs a replica nothing before its websocket; the health answer, which sets the
    XSRF cookie the sticky hash keys on, is passed through every time."""

    def get(path: str):
        with urllib.request.urlopen(f"{proxy.url}/{BASE}/{path}", timeout=10) as response:
            return response.headers, response.read()

    get("map?focus=CHN")
    headers, body = get("map?focus=BLR&layer=sanctions")
    assert headers["X-Cache-Status"] == "HIT"
    assert headers["Set-Cookie"] is None
    assert b"You need to enable JavaScript" in body
    for path in ("_stcore/health", "_stcore/health"):
        headers, body = get(path)
        assert body == b"ok" and headers["X-Cache-Status"] is None
        assert headers["Set-Cookie"].startswith("_streamlit_xsrf=")


def test_a_replica_first_opened_on_curate_still_runs_the_app(tmp_path):
    """Until app.py has run once in a process, Streamlit runs a page of pages/ on its own, with a
    sidebar listing the folder's files. Curate's notice stops the page early, so it routes through
    app.py first like every other page: the first and every later view list the app's pages."""
    with ExitStack() as stack:
        replica = start_replica(stack, ROOT / "app.py", BASE, {"STREAMLIT_SERVER_COOKIE_SECRET": "c" * 64})
        views = [open_page(requests.Session(), f"{replica.url}/{BASE}", "curate") for _ in range(2)]
    for view in views:
        assert view.ok, view.errors
        assert "Relations map" in view.navigation and "shared" not in view.navigation, view.navigation


def test_locust_users_carry_their_cookie_and_stop_by_themselves(proxy, tmp_path):
    results = tmp_path / "views.jsonl"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "LOAD_BASE_PATH": BASE,
        "LOAD_PAGES": "map?focus=CHN&layer=ties trade",
        "LOAD_MODE": "closed",
        "LOAD_VIEWS": "4",
        "LOAD_RESULTS": str(results),
    }
    command = [sys.executable, "-m", "locust", "-f", "benchmarks/load/locustfile.py", "--headless"]
    command += ["-u", "2", "-r", "2", "-t", "60s", "--host", proxy.url, "--only-summary"]
    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    views = [json.loads(line) for line in results.read_text().splitlines()]
    assert len(views) == 4 and all(v["ok"] for v in views), views
    assert {v["page"] for v in views} == {"map?focus=CHN&layer=ties", "trade"}
    # Every websocket carried the XSRF cookie the proxy's hash keys on, and one cookie one replica.
    upstreams = defaultdict(set)
    for line in proxy.access_log.read_text().splitlines():
        cookie, upstream, status, *_ = line.split(" ")
        if "_stcore/stream" in line:
            assert cookie not in ("", "-") and status == "101", line
            upstreams[cookie].add(upstream)
    assert len(upstreams) >= 2 and all(len(u) == 1 for u in upstreams.values()), dict(upstreams)

"""The load harness cannot rot: the Locust user opens pages through nginx and two replicas in seconds."""

import json
import os
import subprocess
import sys
from collections import defaultdict

import pytest
import requests

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

"""The shared internal link: nginx in front of two replicas under /relations, driven by Chromium."""

import gzip
import json
import urllib.request
from collections import defaultdict

import pytest
from playwright.sync_api import expect

from tests.browser import failures_opening, new_context, replicas_behind_proxy, require_chromium, view_link
from tests.conftest import ROOT
from tests.test_e2e import wait_for_app

pytestmark = pytest.mark.e2e
BASE = "relations"


@pytest.fixture(scope="module")
def proxy():
    require_chromium()
    with replicas_behind_proxy(ROOT, BASE) as deployment:
        yield deployment.url, deployment.access_log


def test_health_check_through_the_proxy(proxy):
    url, _ = proxy
    with urllib.request.urlopen(f"{url}/{BASE}/_stcore/health", timeout=10) as response:
        assert response.status == 200 and response.read() == b"ok"


def test_no_other_site_is_trusted_to_drive_the_dashboard(proxy):
    """The frontend takes commands (rerun, stop, an auth token) by postMessage from the origins its host
    config lists; Streamlit's default lists its cloud's domains, where this dashboard is never embedded."""
    url, _ = proxy
    with urllib.request.urlopen(f"{url}/{BASE}/_stcore/host-config", timeout=10) as response:
        assert json.load(response)["allowedOrigins"] == []


def test_pages_websockets_and_links_work_under_the_base_path(proxy, browser):
    url, _ = proxy
    for session in range(2):  # two browsers, as two analysts
        context = new_context(browser, viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto(f"{url}/{BASE}/map?focus=BLR&layer=sanctions&pair=BLR-RUS")
        wait_for_app(page)
        page.get_by_text("Belarus and Russia").first.wait_for(timeout=30_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        # A widget round trip over the websocket: the URL follows the new state.
        page.get_by_text("Ties", exact=True).click()
        page.wait_for_url("**layer=ties**", timeout=30_000)
        link_box = view_link(page)
        expect(link_box).to_contain_text("layer=ties", timeout=30_000)
        link = link_box.inner_text().strip()
        assert link.startswith(f"{url}/{BASE}/map?") and "layer=ties" in link, link
        context.close()

        fresh = new_context(browser, viewport={"width": 1400, "height": 1000})
        again = fresh.new_page()
        again.goto(link)
        wait_for_app(again)
        again.get_by_text("Belarus and Russia").first.wait_for(timeout=30_000)
        assert again.get_by_role("tab", name="Ties").get_attribute("aria-selected") == "true"
        if session == 0:
            again.screenshot(path=str(ROOT / "test-artifacts" / "proxy-map.png"))
        fresh.close()


def test_a_shared_link_to_a_page_loads_without_a_failed_request(proxy, browser):
    """Streamlit's frontend, opened on a page address, looks for the app at that address first
    (streamlit/streamlit#7074); the replica's shell names the base path, and the proxy passes it on
    unchanged from its cache, so nothing fails on the way."""
    url, _ = proxy
    failed, errors = failures_opening(browser, f"{url}/{BASE}/trade")
    assert failed == [] and errors == [], (failed, errors)


def test_each_session_sticks_to_one_replica(proxy, browser):
    url, access_log = proxy
    for _ in range(3):
        context = new_context(browser)
        page = context.new_page()
        page.goto(f"{url}/{BASE}/trade")
        wait_for_app(page)
        page.locator(".vega-embed").first.wait_for(timeout=30_000)
        context.close()
    upstreams = defaultdict(set)
    for line in access_log.read_text().splitlines():
        cookie, upstream, *_ = line.split(" ")
        if cookie not in ("", "-") and upstream != "-":
            upstreams[cookie].add(upstream)
    assert len(upstreams) >= 3
    assert all(len(replicas) == 1 for replicas in upstreams.values()), dict(upstreams)


def test_maps_fetch_the_world_once_and_the_proxy_keeps_it(proxy, browser):
    """The page's maps link the shapes (relations/charts/world_link.py): the browser gets them from the
    component route under the base path, and nginx answers repeats from its cache with a long lifetime."""
    url, _ = proxy
    context = new_context(browser, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    shapes = []
    page.on(
        "response",
        lambda response: shapes.append(response) if "countries-110m.json" in response.url else None,
    )
    page.goto(f"{url}/{BASE}/map?focus=CHN&layer=ties")
    wait_for_app(page)
    page.get_by_text("recorded ties with").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1_000)
    assert shapes, "the map never asked for the world's shapes"
    assert all(response.status == 200 for response in shapes)
    assert shapes[0].url.startswith(f"{url}/{BASE}/component/")
    encoding = shapes[0].request.all_headers().get("accept-encoding", "")
    context.close()
    # Any analyst's browser, on either replica: nginx answers from its cache (Vary: Accept-Encoding,
    # so the same encodings as the browser's).
    request = urllib.request.Request(shapes[0].url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
        topology = json.loads(
            gzip.decompress(body) if response.headers["Content-Encoding"] == "gzip" else body
        )
        assert response.headers["X-Cache-Status"] == "HIT"
        assert "max-age=604800" in response.headers["Cache-Control"]
    assert topology["type"] == "Topology" and len(topology["objects"]["countries"]["geometries"]) > 150

"""Every page in the navigation and every link the README shows, in Chromium at desktop and phone
sizes: it opens its view (no "Page not found"), raises nothing, fits the viewport, asks nothing of
another origin, logs no console error, numbers each quote once, and has no serious axe violation."""

import re
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

from relations.navigation import PAGES
from tests.browser import new_context, require_chromium, streamlit_server, view_link, wait_for_app
from tests.conftest import ROOT

pytestmark = pytest.mark.e2e

VIEWPORTS = {"desktop": (1440, 900), "phone": (390, 844)}
STREAMLIT_7074 = re.compile(r"/_stcore/(health|host-config)")  # Streamlit's own probes from a sub-page
README_LINK = re.compile(r"http://localhost:8501(/[\w/?=&,.-]*\w)?")


def addresses() -> list[str]:
    from_readme = {m.group(1) or "/" for m in README_LINK.finditer((ROOT / "README.md").read_text())}
    return sorted({"/", *(f"/{p.url_path}" for p in PAGES), *from_readme})


@pytest.fixture(scope="module")
def server_url():
    require_chromium()
    with streamlit_server(ROOT) as url:
        yield url


@pytest.mark.parametrize("device", list(VIEWPORTS))
@pytest.mark.parametrize("address", addresses())
def test_page_reads_at_a_glance(server_url, browser, address, device):
    width, height = VIEWPORTS[device]
    context = new_context(browser, viewport={"width": width, "height": height})
    page = context.new_page()
    origin = urlparse(server_url).netloc
    foreign, errors = [], []
    page.on(
        "request",
        lambda r: (
            foreign.append(r.url)
            if urlparse(r.url).netloc not in (origin, "") and not r.url.startswith("data:")
            else None
        ),
    )
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not STREAMLIT_7074.search(m.location.get("url", "") + m.text)
            else None
        ),
    )
    try:
        page.goto(f"{server_url}{address}")
        wait_for_app(page)
        body = page.inner_text("body")
        assert "Page not found" not in body
        assert page.locator('[data-testid="stException"]').count() == 0
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"page is {overflow}px wider than the {width}px viewport"
        assert foreign == [], foreign
        assert errors == [], errors
        listed = page.evaluate(
            "() => [...document.querySelectorAll('ol li')].map(li => [li.value, li.innerText.split(' — ')[0]])"
        )
        quote_of: dict[int, str] = {}
        for number, quote in listed:  # one footnote number names one quote, wherever it is listed
            assert quote_of.setdefault(number, quote) == quote, number
        results = Axe().run(page)
        serious = [
            (v["id"], [node["target"] for node in v["nodes"]])
            for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")
        ]
        assert serious == [], serious
    finally:
        context.close()


def test_every_link_the_app_writes_opens_its_view(server_url, browser):
    """The Sources page's "cited by" links and each page's "Link to this view" open without a dialog."""
    context = new_context(browser, viewport={"width": 1440, "height": 900})
    page = context.new_page()
    targets: set[str] = set()
    for address in ("/sources", *(f"/{p.url_path}" for p in PAGES)):
        page.goto(f"{server_url}{address}")
        wait_for_app(page)
        link = view_link(page).inner_text().strip()
        targets.add(link.replace(server_url, "") or "/")
        if address == "/sources":
            for expander in page.locator('[data-testid="stExpander"] summary').all():
                expander.click()
            hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
            targets |= {f"/{h}" for h in hrefs if h and not h.startswith(("http", "#", "/", "mailto"))}
    assert len(targets) > len(PAGES)
    for target in sorted(targets):
        page.goto(f"{server_url}{target}")
        try:
            wait_for_app(page)
        except Exception as err:  # name the address that did not open
            raise AssertionError(f"{target} did not open") from err
        assert "Page not found" not in page.inner_text("body"), target
        assert page.locator('[data-testid="stException"]').count() == 0, target
    context.close()

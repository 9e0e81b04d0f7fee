"""End to end: the real server in a real headless Chromium, as an analyst opens it."""

import re

import pytest

from relations.charts.trade import TRADE_TABS, trade_figures
from relations.data.loading import load_dataset
from tests.browser import (
    ARTIFACTS,
    CHART_DRAWN,
    failures_opening,
    new_context,
    require_chromium,
    streamlit_server,
    view_link,
    wait_for_app,
)
from tests.conftest import ROOT

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server_url():
    require_chromium()
    with streamlit_server(ROOT) as url:
        yield url


@pytest.fixture
def page(browser):
    context = new_context(browser, viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


def test_overview_shows_facts_and_citations(server_url, page):
    page.goto(f"{server_url}/overview?pair=BLR-CHN")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text().strip() == "Belarus – China"
    page.get_by_text("1.91 Mt").first.wait_for(timeout=10_000)
    body = page.locator("body").inner_text()
    assert "all-weather comprehensive strategic partnership" in body
    assert re.search(r"\[1[\]–,]", body)  # compact markers: [1], [1–3], [1, 4]
    # The quotes are one click away, collapsed under the profile.
    assert "China brought in 1.91 million tons of potash from Belarus last year" not in body
    page.get_by_text("Sources for this pair ·").click()
    page.get_by_text("China brought in 1.91 million tons of potash from Belarus last year").first.wait_for(
        timeout=10_000
    )
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)


def test_a_page_address_opened_directly_loads_without_a_failed_request(server_url, browser):
    """Opened on a page's own address, Streamlit's frontend asked that address for the app first (two
    404s in the console, streamlit/streamlit#7074) unless the shell names the base path: as
    `streamlit run app.py` serves it, with no proxy in front."""
    failed, errors = failures_opening(browser, f"{server_url}/trade")
    assert failed == [] and errors == [], (failed, errors)


# The one chart on the page is this one, drawn.
DRAWN_NAMED = f"""(name) => [...document.querySelectorAll('.vega-embed')].some(
  e => e.getAttribute('aria-label') === name && {CHART_DRAWN}(e))"""
# The map's countries are drawn on a canvas: so many shapes filled is every country in the frame (the
# Americas and Antarctica lie outside it), not an empty frame. Given to wait_for_function.
MAP_SHAPES_DRAWN = """() => [...(document.querySelector('.vega-embed')?.querySelectorAll('canvas') ?? [])]
  .some(c => window.__canvasFills?.(c) > 100)"""


def test_trade_page_draws_each_chart_in_its_tab(server_url, page):
    page.goto(f"{server_url}/trade")
    wait_for_app(page)
    page.locator(".vega-embed").first.wait_for(timeout=30_000)
    body = page.locator("body").inner_text()
    assert "Text, sources and downloads" in body
    assert "Text alternative" not in body  # collapsed: one click away for the eye...
    # ...and each chart's accessible name for a screen reader, one tab at a time, in page order.
    figures = trade_figures(load_dataset(ROOT / "data"))
    labels = []
    for figure in figures:
        page.get_by_role("tab", name=TRADE_TABS[figure.id]).click()
        page.wait_for_function(DRAWN_NAMED, arg=figure.summary, timeout=30_000)
        assert page.locator(".vega-embed").count() == 1
        labels.append(page.locator(".vega-embed").get_attribute("aria-label"))
    assert labels == [figure.summary for figure in figures]
    assert page.url.endswith(f"trade?figure={figures[-1].id}")  # the open tab is in the view's link
    assert page.locator('[data-testid="stException"]').count() == 0
    page.get_by_role("tab", name=TRADE_TABS[figures[0].id]).click()
    page.wait_for_function(DRAWN_NAMED, arg=figures[0].summary, timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "trade.png"), full_page=True)


def test_chart_footnote_leads_to_its_source_entry(server_url, page):
    page.goto(f"{server_url}/trade")
    wait_for_app(page)
    page.locator(".vega-embed").first.wait_for(timeout=30_000)
    page.get_by_text("Text, sources and downloads").first.click()
    # Opened, the heading shows the chart's text alternative before its quotes.
    page.get_by_text("Text alternative: Bars of Belarus–China trade by year").wait_for(timeout=30_000)
    with page.context.expect_page() as opened:  # the quote opens on the Sources page in a new tab
        page.locator('a[href*="quote=C004-trade"]').first.click()
    page = opened.value
    page.wait_for_url("**/sources?quote=*", timeout=30_000)
    wait_for_app(page)
    info = page.locator('[data-testid="stAlertContentInfo"]')
    info.wait_for(timeout=30_000)
    assert (
        "in the last two years, trade between the parties has increased by 33% per year" in info.inner_text()
    )
    page.screenshot(path=str(ARTIFACTS / "sources.png"), full_page=False)


def choose(page, box, text: str) -> None:
    """Types text into a select box and takes its first match, as an analyst would, then waits for
    the rerun it starts."""
    box.click()
    box.fill(text)
    page.keyboard.press("Enter")
    wait_for_app(page)


def close_popover(page) -> None:
    """Escape leaves the open list; a click outside closes the popover, which reruns the page."""
    page.keyboard.press("Escape")
    page.locator("h1").first.click()
    wait_for_app(page)


def test_relations_map_renders_a_map(server_url, page):
    page.goto(f"{server_url}/map?focus=CHN&layer=ties&pair=BLR-CHN")
    wait_for_app(page)
    page.locator(".vega-embed").first.wait_for(timeout=30_000)
    page.wait_for_function(MAP_SHAPES_DRAWN, timeout=30_000)
    assert page.locator(".vega-embed svg").count() == 0  # the map is a canvas, not SVG
    assert "China and Belarus" in page.locator("body").inner_text()  # the pair detail
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(ARTIFACTS / "map.png"), full_page=True)


TOOLTIP = "() => { const e = document.querySelector('#vg-tooltip-element'); return e && e.classList.contains('visible') ? e.innerText : '' }"


def test_the_world_shapes_are_kept_by_the_browser(server_url, page):
    """Their address carries their digest; served only "public", a browser fetched them on every map view."""
    with page.expect_response(lambda response: "countries-110m.json?v=" in response.url) as shapes:
        page.goto(f"{server_url}/map")
    assert shapes.value.status == 200
    assert "immutable" in shapes.value.headers["cache-control"]


def test_a_country_clicked_on_the_map_opens_its_pair(server_url, page):
    """The page sends the map compiled to Vega; its click selection still reaches the page."""
    page.goto(f"{server_url}/map?focus=CHN&layer=ties")
    wait_for_app(page)
    page.wait_for_function(MAP_SHAPES_DRAWN, timeout=30_000)
    box = page.locator(".vega-embed").first.bounding_box()
    # Russia's shape, found as a reader finds it: by the tooltip over it.
    for fx, fy in ((x / 10, y / 10) for y in range(1, 6) for x in range(3, 9)):
        point = (box["x"] + fx * box["width"], box["y"] + fy * min(box["height"], 600))
        page.mouse.move(*point)
        page.wait_for_timeout(150)
        if "Country Russia" in " ".join(page.evaluate(TOOLTIP).split()):
            break
    else:
        pytest.fail("no point of the map showed Russia's tooltip")
    page.mouse.click(*point)
    page.get_by_role("heading", name="China and Russia").wait_for(timeout=30_000)
    assert "pair=CHN-RUS" in page.url
    assert page.locator('[data-testid="stException"]').count() == 0


def test_map_choices_in_their_popover_change_the_view_and_stay_once_it_closes(server_url, page):
    page.goto(f"{server_url}/map")
    wait_for_app(page)
    page.get_by_role("button", name="Focus or find a country").click()
    for label, country in (("Focus country", "Belarus"), ("Pair detail", "Russia")):
        choose(page, page.get_by_role("combobox", name=label), country)
    page.get_by_text("Belarus and Russia").first.wait_for(timeout=30_000)
    close_popover(page)  # the choices stay, in the link
    assert page.url.endswith("map?focus=BLR&layer=ties&pair=BLR-RUS")
    assert page.get_by_role("combobox").count() == 0
    assert "Belarus and Russia" in page.locator("body").inner_text()
    assert page.locator('[data-testid="stException"]').count() == 0


def test_copied_link_reproduces_the_view_in_a_fresh_browser(server_url, browser):
    first = new_context(browser, viewport={"width": 1400, "height": 1000})
    page = first.new_page()
    page.goto(f"{server_url}/map?focus=BLR&layer=sanctions&pair=BLR-RUS")
    wait_for_app(page)
    page.get_by_text("Belarus and Russia").first.wait_for(timeout=30_000)
    link = view_link(page).inner_text().strip()
    first.close()
    assert link.startswith(server_url) and "focus=BLR" in link and "layer=sanctions" in link

    fresh = new_context(browser, viewport={"width": 1400, "height": 1000})
    again = fresh.new_page()
    again.goto(link)
    wait_for_app(again)
    again.get_by_text("Belarus and Russia").first.wait_for(timeout=30_000)
    body = again.locator("body").inner_text()
    assert "Belarus: sanctioned by" in body
    assert again.get_by_role("tab", name="Sanctions").get_attribute("aria-selected") == "true"
    fresh.close()


def test_rail_corridors_render_schematic_lines(server_url, page):
    page.goto(f"{server_url}/corridors")
    wait_for_app(page)
    page.locator(".vega-embed").first.wait_for(timeout=30_000)
    page.wait_for_function(MAP_SHAPES_DRAWN, timeout=30_000)
    assert "editorial illustrations" in page.locator("body").inner_text()
    assert page.locator(".vega-embed").count() == 1
    page.screenshot(path=str(ARTIFACTS / "corridors.png"), full_page=True)
    page.get_by_role("tab", name="The Belarus section").click()
    page.get_by_text("the gauge change").first.wait_for(timeout=30_000)
    page.wait_for_function(
        f"() => [...document.querySelectorAll('.vega-embed')].some({CHART_DRAWN})", timeout=30_000
    )
    assert page.locator(".vega-embed").count() == 1
    assert page.locator('[data-testid="stException"]').count() == 0


def test_hostile_link_shows_notice_and_no_script(server_url, page):
    page.goto(f"{server_url}/overview?pair=%3Cscript%3Ewindow.pwned%3D1%3C%2Fscript%3E")
    wait_for_app(page)
    page.get_by_text("showing the default pair").wait_for(timeout=10_000)
    assert page.evaluate("() => window.pwned === undefined")
    assert page.locator("h1").first.inner_text().strip() == "Belarus – China"


def test_timeline_filter_in_its_popover_takes_several_actors_and_keeps_them(server_url, page):
    """The popover's widgets start from the link: given it as a default, the next choice reset them."""
    page.goto(f"{server_url}/timeline")
    wait_for_app(page)
    page.get_by_role("button", name="Filter events by actor").click()
    for actor in ("Iran", "China"):
        choose(page, page.get_by_role("combobox").first, actor)
    assert page.url.endswith("timeline?actors=IRN%2CCHN")
    page.get_by_text("Events involving Iran and China").first.wait_for(timeout=30_000)
    close_popover(page)  # the filter stays, in the link
    assert page.url.endswith("timeline?actors=IRN%2CCHN")
    assert page.locator('[data-testid="stException"]').count() == 0

"""The Curate page: off by default and whenever sign-in is configured; on a curator's copy it adds a
quote and a relation, and the relation is on the map after the rerun."""

import json
import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from relations.data.curation import add_source
from relations.data.writing import commit
from tests.browser import new_context, require_chromium, streamlit_server, wait_for_app
from tests.conftest import FIXTURES, ROOT, build_dataset

APP = str(ROOT / "app.py")


@pytest.fixture
def curator(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    """A curator's copy: the minimal dataset, its archive, and the invented article already archived."""
    data, archive = build_dataset(tmp_path / "data"), tmp_path / "archive"
    shutil.copytree(FIXTURES / "archive", archive)
    article = FIXTURES / "curation" / "invented_article.txt"
    assert (
        commit(data, archive, add_source(data, archive, article, "Invented Wire", "Invented", "2023").changes)
        == []
    )
    monkeypatch.setenv("RELATIONS_DATA_DIR", str(data))
    monkeypatch.setenv("RELATIONS_ARCHIVE_DIR", str(archive))
    monkeypatch.setenv("RELATIONS_CURATION", "1")
    return data, archive


def open_curate() -> AppTest:
    """The page on its own: under app.py, AppTest reruns every non-default page once through the
    entry point (pages/ looks like a legacy pages folder to it), which drops a button's click."""
    at = AppTest.from_file(str(ROOT / "pages" / "curate.py"), default_timeout=60)
    return at.run()


def test_curation_is_off_unless_enabled(monkeypatch):
    monkeypatch.delenv("RELATIONS_CURATION", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/curate.py").run()
    assert not at.exception
    assert "Curation is off" in at.info[0].value and not at.button


def test_curation_is_refused_when_sign_in_is_configured(curator, monkeypatch):
    monkeypatch.setattr("pages.shared.sign_in_configured", lambda: True)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "http://localhost/oauth2callback", "cookie_secret": "x"}
    at.run()
    assert not at.exception
    assert "Sign in" in [b.label for b in at.button]  # the gate, not the page


def test_add_a_quote_and_a_relation_then_see_it_on_the_map(curator):
    data, _ = curator
    at = open_curate()
    assert not at.exception and not at.error
    archived = (data / "sources.csv").read_text(encoding="utf-8").splitlines()[-1].split(",")[0]
    at.selectbox[0].set_value(archived).run()  # the invented article
    at.number_input[0].set_value(3).run()
    at.text_area[0].set_value("Belarus and Mongolia signed a memorandum on rail freight").run()
    next(b for b in at.button if b.label == "Add the quote").click().run()
    assert not at.error, [e.value for e in at.error]
    new_quote = at.success[0].value.removeprefix("Added ").rstrip(".")
    values = {"a *": "BLR", "b *": "MNG", "summary *": "An invented test relation"}
    for box in at.text_input:
        if box.label in values:
            box.set_value(values[box.label])
    next(s for s in at.selectbox if s.label == "kind *").set_value("outreach")
    next(m for m in at.multiselect if m.label == "citations *").set_value([new_quote])
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert ",BLR,MNG,outreach," in (data / "relations.csv").read_text(encoding="utf-8")
    shown = AppTest.from_file(APP, default_timeout=60)
    shown.run()
    shown.query_params["focus"] = "BLR"
    shown.switch_page("pages/map.py").run()
    # The map's text alternative (its accessible name) lists every partner it colours.
    descriptions = [
        json.loads(chart.proto.spec).get("description", "") for chart in shown.get("vega_lite_chart")
    ]
    assert any("Mongolia" in text for text in descriptions), "the new relation is on the map"


@pytest.mark.e2e
def test_chromium_curator_adds_a_relation_and_sees_it_on_the_map(curator, browser):
    data, archive = curator
    env = {"RELATIONS_CURATION": "1", "RELATIONS_DATA_DIR": str(data), "RELATIONS_ARCHIVE_DIR": str(archive)}
    require_chromium()
    with streamlit_server(ROOT, env=env) as url:
        context = new_context(browser, viewport={"width": 1440, "height": 900})
        page = context.new_page()
        page.goto(f"{url}/curate")
        wait_for_app(page)
        page.get_by_label("Article to quote from").click()
        page.get_by_role("option", name=re.compile(r"^S000")).click()
        wait_for_app(page)
        page.get_by_label("Paragraph", exact=True).fill("3")
        page.get_by_label("Paragraph", exact=True).press("Enter")
        wait_for_app(page)
        quote = page.get_by_label(re.compile("^Quote"))
        quote.fill("Belarus and Mongolia signed a memorandum on rail freight")
        page.get_by_role("button", name=re.compile("Add the quote")).click()
        page.get_by_text(re.compile(r"^Added C")).wait_for(timeout=30_000)
        page.get_by_label("a *", exact=True).fill("BLR")
        page.get_by_label("b *", exact=True).fill("MNG")
        page.get_by_label("summary *", exact=True).fill("An invented test relation")
        page.get_by_role("button", name="Save").click()
        page.get_by_text(re.compile(r"^Added R")).wait_for(timeout=30_000)
        assert ",BLR,MNG,partnership," in (data / "relations.csv").read_text(encoding="utf-8")
        page.goto(f"{url}/map?focus=BLR")
        wait_for_app(page)
        # The map is drawn on a canvas: its accessible name, the text alternative, names the new tie.
        assert "Mongolia" in page.locator(".vega-embed").first.get_attribute("aria-label")
        context.close()

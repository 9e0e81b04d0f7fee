"""Every page through the real app script with AppTest: renders, cites, survives hostile links."""

import pytest
from streamlit.testing.v1 import AppTest

from relations.navigation import PAGES
from tests.conftest import ROOT, build_dataset

APP = str(ROOT / "app.py")


def run_page(path: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if path != PAGES[0].path:
        at.switch_page(path).run()
    return at


@pytest.mark.parametrize("page", PAGES, ids=[p.url_path for p in PAGES])
def test_page_renders_without_exception_and_cites(page):
    at = run_page(page.path)
    assert not at.exception
    assert not at.error
    footnotes = [m.value for m in at.markdown if m.value.startswith("**[")]
    assert footnotes, "every page shows numbered quotes"


def test_overview_shows_belarus_china_headlines():
    at = run_page("pages/overview.py")
    assert at.title[0].value == "Belarus – China"
    assert "all\\-weather comprehensive strategic partnership since 2022\\-09" in at.subheader[0].value
    values = {m.value for m in at.metric}
    assert {"1.91 Mt", "≥ $5 bn", "$3.5 bn", "top 3"} <= values
    assert at.query_params["pair"] == "BLR-CHN"


def test_overview_follows_pair_in_link():
    at = run_page("pages/overview.py", pair="BLR-RUS")
    assert at.title[0].value == "Belarus – Russia"
    assert not at.warning


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", "ZZZ-QQQ", "x" * 10_000, "'; DROP TABLE--"])
def test_overview_hostile_pair_falls_back_with_notice(hostile):
    at = run_page("pages/overview.py", pair=hostile)
    assert not at.exception
    assert at.title[0].value == "Belarus – China"
    assert len(at.warning) == 1
    assert "<script>" not in at.warning[0].value


def test_broken_dataset_shows_message_not_traceback(tmp_path, monkeypatch):
    data = build_dataset(tmp_path / "data", "bad_date")
    monkeypatch.setenv("RELATIONS_DATA_DIR", str(data))
    at = run_page("pages/overview.py")
    assert not at.exception
    assert "2 problem(s)" in at.error[0].value
    assert "events.csv:3: date:" in at.code[0].value

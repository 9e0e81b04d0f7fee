"""Pure builders behind the pages: figure text, footnote numbering, pair profiles, URL state."""

import datetime as dt
import logging
import re

import pandas as pd
import pytest

from relations.citing import Footnotes
from relations.data.loading import load_dataset
from relations.dates import last_day
from relations.formatting import STANCE_NOUNS, escape_markdown, format_figure, inline_code
from relations.profile import by_date, known_pairs, pair_profile
from relations.view_state import parse_pair
from tests.conftest import REAL_DATA


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(REAL_DATA)


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "text"),
    [
        (5, "USD bn", "at_least", "≥ $5 bn"),
        (50, "% of China's annual demand", "approx", "≈ 50% of China's annual demand"),
        (1.91, "Mt", "exact", "1.91 Mt"),
        (1.7507, "Mt", "exact", "1.75 Mt"),
        (3, "rank", "at_most", "top 3"),
        (9.1, "%", "exact", "9.1%"),
    ],
)
def test_figures_keep_their_qualifier(value, unit, qualifier, text):
    assert format_figure(value, unit, qualifier) == text


def test_compact_figures_keep_qualifier_but_drop_share_words():
    assert format_figure(50, "% of China's annual demand", "approx", compact=True) == "≈ 50%"


def test_markdown_escaping_defuses_links_and_html():
    escaped = escape_markdown("[click](javascript:alert(1)) <script>x</script> **bold**")
    assert "](" not in escaped.replace("\\]\\(", "")
    assert "<script>" not in escaped
    assert "\\*\\*bold\\*\\*" in escaped


def test_footnotes_number_in_order_of_first_use(dataset):
    notes = Footnotes(dataset)
    assert notes.marker(["C004-trade", "C002-potash"]) == "[1, 2]"
    assert notes.marker(["C002-potash", "C003-awcsp"]) == "[2, 3]"
    entries = notes.entries()
    assert [(e.number, e.citation_id) for e in entries] == [
        (1, "C004-trade"),
        (2, "C002-potash"),
        (3, "C003-awcsp"),
    ]
    assert entries[1].outlet == "Bloomberg"
    assert entries[2].author == "Katie Stallard"
    assert entries[0].attribution.endswith(", undated") and "not stated" not in entries[0].attribution
    assert (
        entries[2].attribution
        == "New Statesman, “Why Alexander Lukashenko’s trip to China matters”, Katie Stallard, 1 March 2023"
    )


def test_belarus_china_profile_has_tier_figures_and_visit(dataset):
    profile = pair_profile(dataset, ("BLR", "CHN"))
    assert profile.names == ("Belarus", "China")
    assert profile.tier is not None
    assert profile.tier.name == "all-weather comprehensive strategic partnership"
    assert profile.tier.since == "2022-09"
    assert set(profile.relations["kind"]) == {"partnership", "initiative", "trade"}
    assert "potash_cn_imports_blr_2022" in set(profile.figures["id"])
    assert "potash_cn_import_share_of_demand" not in set(profile.figures["id"])  # China–World, not the pair
    # In order of the last day each date can mean: "2023" (sometime that year) after 1 March 2023.
    last_days = [last_day(d) for d in profile.events["date"]]
    assert last_days == sorted(last_days) and profile.events["date"].iloc[-1] == "2023"
    assert "2023-02-28" in set(profile.events["date"])


def test_every_known_pair_has_a_profile(dataset):
    for pair in known_pairs(dataset):
        profile = pair_profile(dataset, pair)
        assert not profile.relations.empty, pair


@pytest.mark.parametrize(
    ("raw", "expected", "notice"),
    [
        (None, ("BLR", "CHN"), False),
        ("BLR-RUS", ("BLR", "RUS"), False),
        ("rus-blr", ("BLR", "RUS"), False),
        ("<script>alert(1)</script>", ("BLR", "CHN"), True),
        ("BLR-" + "X" * 5000, ("BLR", "CHN"), True),
        ("FRA-DEU", ("BLR", "CHN"), True),
        ("../../etc/passwd", ("BLR", "CHN"), True),
        ("БЛР-КИТ", ("BLR", "CHN"), True),
    ],
)
def test_pair_param_falls_back_with_notice(dataset, raw, expected, notice):
    parsed = parse_pair(raw, known_pairs(dataset), ("BLR", "CHN"))
    assert parsed.value == expected
    assert (parsed.notice is not None) == notice
    if parsed.notice:
        assert "<" not in parsed.notice and "passwd" not in parsed.notice


def test_markers_collapse_runs_of_three_or_more(dataset):
    notes = Footnotes(dataset)
    ids = list(dataset["citations"]["id"][:7])
    notes.number(ids)
    assert notes.marker(ids[:4] + ids[5:7]) == "[1–4, 6, 7]"


def test_every_figure_draws_without_vega_warnings(dataset, caplog):
    """Vega's warnings ("Infinite extent", "Conflicting scale property") end up in the reader's console.
    vl-convert passes them to the `vl_convert` logger."""
    import vl_convert as vlc

    from relations.views import parse_view_query, view_figures

    caplog.set_level(logging.WARNING, logger="vl_convert")
    empty_axis = {
        "data": {"values": [{"a": 1}]},
        "mark": "point",
        "encoding": {"x": {"field": "b", "type": "quantitative"}},
    }
    vlc.vegalite_to_svg(empty_axis)
    assert "Infinite extent" in caplog.text  # a warning is seen when there is one
    for query in ("", "focus=BLR&layer=sanctions&actors=BLR,CHN"):
        for figure in view_figures(dataset, parse_view_query(query, dataset)[0]):
            caplog.clear()
            vlc.vegalite_to_svg(figure.spec)
            warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
            assert not warnings, (figure.id, warnings)


def test_titles_read_as_headlines_and_subtitles_work_on_a_slide(dataset):
    from relations.views import parse_view_query, view_figures

    for figure in view_figures(dataset, parse_view_query("focus=BLR&layer=sanctions", dataset)[0]):
        assert "[" not in figure.title, figure.id  # no footnote ranges in titles
        assert figure.subtitle[0].isupper(), figure.id
        assert not re.search(r"\b(hover|tooltip|click)", figure.subtitle, re.I), figure.id
        assert figure.summary and figure.summary[0].isupper(), figure.id


def test_stances_appear_on_the_pair_profile_and_dated_ones_on_the_timeline(dataset):
    from relations.charts.timeline import timeline_figure
    from relations.pair_text import pair_text

    stances = dataset.tables.get("stances")
    assert stances is not None and not stances.empty, "the articles' stances are in the data"
    pair = ("BLR", "CHN")
    spoken = [s for _, s in stances.iterrows() if set(pair) & set(s["speaker"])]  # what either side says
    about = [s for s in spoken if set(pair) & set(s["subject"])]  # ...about the other: it leads
    text = pair_text(dataset, pair)
    section = next(s for s in text.sections if s.heading.endswith("say about each other"))
    assert about and section.body.count("\n- ") + 1 == len(about)
    # The rest, one click away, and nothing said twice or lost.
    assert text.other_stance_count == len(spoken) - len(about) > 0
    assert text.other_stances.count("\n- ") + 1 == text.other_stance_count
    assert all(STANCE_NOUNS[s["stance"]] in section.body + text.other_stances for s in spoken)
    from relations.charts.timeline import repeats_an_event

    figure = timeline_figure(dataset, start=dt.date(1900, 1, 1), end=dt.date(2100, 1, 1))
    shown = set(figure.data["id"])
    dated = [s for _, s in stances.iterrows() if len(s["date"]) > 4]
    # A dated stance is on the timeline unless an event of the same day already says it from the same
    # quote; a year-only one has its row without a mark (in the chart's text, not the dated table).
    kept = {s["id"] for s in dated if not repeats_an_event(s, dataset["events"])}
    assert dated and len(kept) < len(dated)
    assert {i for i in kept if i in shown} | {s["id"] for s in dated if len(s["date"]) == 4} >= kept


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("http://host/relations/map?focus=CHN&layer=ties", "http://host/relations/map?focus=CHN&layer=ties"),
        ("a`b", "a`b"),
        ("``x", "``x"),
        ("**not bold** [no](link)\nline", "**not bold** [no](link) line"),
    ],
)
def test_inline_code_shows_its_text_literally(text, shown):
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").renderInline(inline_code(text))
    assert html.startswith("<code>") and html.endswith("</code>") and html.count("<code>") == 1
    assert html[len("<code>") : -len("</code>")].replace("&amp;", "&") == shown


def test_no_text_gives_no_code_span():
    assert inline_code("  ") == ""


def test_stances_are_ordered_as_events_are_by_the_last_day_a_date_can_mean():
    """'2023' means sometime in 2023: after the dated days of 2023, as the pair's events are ordered,
    and an undated stance last."""
    stances = pd.DataFrame(
        {"id": ["year", "day", "month", "undated"], "date": ["2023", "2023-02-27", "2023-02", ""]}
    )
    assert list(by_date(stances)["id"]) == ["day", "month", "year", "undated"]

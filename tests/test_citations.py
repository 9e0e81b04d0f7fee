"""Citations leave the app intact: CSL-JSON, BibTeX, back-links, the timeline's quotes."""

import datetime as dt
import io
import json
import subprocess
import zipfile

import pytest
from pybtex import format_from_file
from pybtex.database import parse_string

from relations.backlinks import citing_records
from relations.charts.timeline import (
    DEFAULT_END,
    DEFAULT_START,
    dated_items,
    dense_window,
    piecewise_position,
    timeline_figure,
)
from relations.cite_formats import to_bibtex, to_csl_json
from relations.citing import Footnote, Footnotes
from relations.data.loading import load_dataset
from relations.dates import parse_partial_date
from relations.package_zip import dataset_zip
from tests.browser import require_tool
from tests.conftest import REAL_DATA


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(REAL_DATA)


@pytest.fixture
def notes(dataset):
    footnotes = Footnotes(dataset)
    footnotes.number(["C003-awcsp", "C002-potash", "C003-denial", "C001-eu"])
    return footnotes.entries()


def test_csl_json_has_one_item_per_source_without_guessed_fields(notes):
    items = {item["id"]: item for item in json.loads(to_csl_json(notes))}
    assert sorted(items) == ["S001", "S002", "S003"]
    assert items["S003"]["author"] == [{"family": "Stallard", "given": "Katie"}]
    assert items["S003"]["issued"] == {"date-parts": [[2023, 3, 1]]}
    assert items["S003"]["note"].count("] “") == 2  # both S003 quotes
    assert "author" not in items["S002"] and "URL" not in items["S002"]
    assert items["S001"]["title"].startswith("[Untitled article") and "container-title" not in items["S001"]
    assert items["S001"]["type"] == "document" and items["S003"]["type"] == "article-newspaper"
    assert items["S002"]["issued"] == {"date-parts": [[2023]]}


def test_an_untitled_article_is_named_in_a_footnote_as_the_sources_page_heads_it(notes, dataset):
    """S001 states neither outlet nor title: its footnote says "Untitled article (S001)", which the
    Sources page's heading also holds, not its archive file's name."""
    (untitled,) = [note for note in notes if note.source_id == "S001"]
    assert untitled.attribution.startswith("Untitled article (S001), ")
    assert untitled.archive not in untitled.attribution
    sources = dataset["sources"].set_index("id")
    assert not sources.loc["S001", "outlet"] and not sources.loc["S001", "title"]


def test_bibtex_parses_back_with_entry_types_that_fit(notes):
    parsed = parse_string(to_bibtex(notes), "bibtex")
    assert sorted(parsed.entries) == ["S001", "S002", "S003"]
    stallard = parsed.entries["S003"]
    assert (
        stallard.type == "article" and stallard.fields["month"] == "March" and stallard.fields["day"] == "1"
    )
    assert str(stallard.persons["author"][0]) == "Stallard, Katie"
    assert parsed.entries["S002"].type == "misc"  # no author: not an @article with a missing field
    assert parsed.entries["S002"].fields["howpublished"] == "{Bloomberg}"


def crafted_note(**overrides) -> Footnote:
    fields = {
        "number": 1,
        "citation_id": "C1",
        "quote": "costs $5 {bn} & rising 10% #1 x^2 }",
        "locator": "para 1",
        "source_id": "S9",
        "outlet": "Outlet & Co",
        "title": "Brace } and $ and # and % in a title",
        "author": "Ada Q. Lovelace",
        "published": "2023-03-01",
        "url": "https://example.org/a_b?x=1&y=%20#frag",
        "archive": "009_x.txt",
    }
    return Footnote(**{**fields, **overrides})


def test_bibtex_survives_latex_specials_and_renders_in_plain_style(tmp_path):
    text = to_bibtex([crafted_note()])
    entry = parse_string(text, "bibtex").entries["S9"]
    assert entry.fields["url"] == "https://example.org/a_b?x=1&y=%20#frag"  # URLs stay raw
    assert r"\$" in entry.fields["title"] and r"\textbraceright{}" in entry.fields["note"]
    (tmp_path / "view.bib").write_text(text, encoding="utf-8")
    rendered = format_from_file(str(tmp_path / "view.bib"), "plain", output_backend="text")
    assert "Lovelace" in rendered and "Outlet" in rendered and "2023" in rendered


def render_with_pandoc(csl_json: str, tmp_path) -> str:
    pandoc = require_tool("pandoc", "/usr/bin/pandoc", "run `bash .ci/run` or apt-get install pandoc")
    (tmp_path / "view.json").write_text(csl_json, encoding="utf-8")
    (tmp_path / "doc.md").write_text('---\nnocite: "@*"\n---\n', encoding="utf-8")
    result = subprocess.run(
        [pandoc, "doc.md", "--citeproc", "--bibliography", "view.json", "-t", "plain"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout


def test_csl_json_renders_recognisable_references_through_pandoc(notes, tmp_path):
    rendered = render_with_pandoc(to_csl_json([*notes, crafted_note()]), tmp_path)
    entries = [block.replace("\n", " ") for block in rendered.strip().split("\n\n")]
    assert len(entries) == 4
    assert any(e.startswith("Stallard, Katie") and "New Statesman" in e for e in entries)
    assert any(e.startswith("Lovelace, Ada Q.") for e in entries)  # filed under the family name
    assert any("Untitled" in e for e in entries)  # an article that states no title is still an entry
    assert all(e.strip() not in {"n.d.", ""} for e in entries)


def test_every_quote_is_cited_by_some_record(dataset):
    uncited = [cid for cid, refs in citing_records(dataset).items() if not refs]
    assert uncited == []


def test_backlinks_point_to_the_page_showing_the_record(dataset):
    refs = {(r.table, r.id): r for group in citing_records(dataset).values() for r in group}
    assert refs[("relations", "R01")].href == "overview?pair=BLR-CHN"
    assert refs[("trade", "trade_blr_cn_2022")].href == "trade"
    assert refs[("events", "E16")].href == "timeline?actors=BLR,CHN"


def test_timeline_covers_sept_2022_to_march_2023_with_precision_in_words(dataset):
    frame = timeline_figure(dataset).data
    assert "September 2022" in set(frame["date"])
    assert set(frame.loc[~frame["date"].str[0].str.isdigit(), "precision"]) == {"month only"}
    assert set(frame.loc[frame["date"].str[0].str.isdigit(), "precision"]) == {"exact day"}
    assert frame["quote"].str.startswith("“").all()


def test_actor_filter_rule_all_or_any(dataset):
    events = dated_items(dataset)  # events and dated stances
    in_window = events[events["date"].str.len() > 4]
    both = timeline_figure(dataset, ["BLR", "CHN"], "all").data
    either = timeline_figure(dataset, ["BLR", "CHN"], "any").data
    expected_both = {
        i for i, a in zip(in_window["id"], in_window["actors"], strict=True) if {"BLR", "CHN"} <= set(a)
    }
    assert set(both["id"]) == expected_both
    assert set(both["id"]) < set(either["id"])  # "all" is narrower: the filter changes what is shown
    assert timeline_figure(dataset, ["BLR", "CHN"], "all").title == "Events involving Belarus and China"
    everything = timeline_figure(dataset, [], start=dt.date(2000, 1, 1), end=dt.date(2030, 1, 1)).data
    assert not any(
        d.isdigit() and len(d) == 4 for d in everything["date"]
    )  # a year is never placed on a day scale


def test_dense_weeks_get_room_and_labels_are_never_cut(dataset):
    figure = timeline_figure(dataset)
    dates = [parse_partial_date(d)[0] for d in dataset["events"]["date"] if len(d) == 10]
    window = dense_window(sorted(dates))
    assert window is not None and (window[1] - window[0]).days < 30
    share = piecewise_position(window[1], DEFAULT_START, DEFAULT_END, window) - piecewise_position(
        window[0], DEFAULT_START, DEFAULT_END, window
    )
    assert share >= 0.6  # a few weeks get most of the width
    axis = next(layer for layer in figure.spec["layer"] if "y" in layer.get("encoding", {}))["encoding"]["y"][
        "axis"
    ]
    assert axis["labelLimit"] == 0


def test_timeline_with_no_events_says_so(dataset):
    figure = timeline_figure(dataset, ["PAK"])
    assert figure.data.empty and figure.footnotes == []
    assert "No events" in str(figure.chart.to_dict())


def test_dataset_zip_holds_every_table_and_the_schema():
    with zipfile.ZipFile(io.BytesIO(dataset_zip(REAL_DATA))) as archive:
        names = sorted(n.split("/")[-1] for n in archive.namelist())
        descriptor = json.loads(archive.read("relations-dataset/datapackage.json"))
    assert names == sorted([r["path"] for r in descriptor["resources"]] + ["datapackage.json"])

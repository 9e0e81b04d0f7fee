"""Citations leave the app intact: CSL-JSON, BibTeX, back-links, the timeline's quotes."""

import datetime as dt
import io
import json
import zipfile

import pytest
from pybtex.database import parse_string

from relations.backlinks import citing_records
from relations.charts.timeline import timeline_figure
from relations.cite_formats import to_bibtex, to_csl_json
from relations.citing import Footnotes
from relations.dataset import load_dataset
from relations.package_zip import dataset_zip
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
    assert items["S003"]["author"] == [{"literal": "Katie Stallard"}]
    assert items["S003"]["issued"] == {"date-parts": [[2023, 3, 1]]}
    assert items["S003"]["note"].count("] “") == 2  # both S003 quotes
    assert "author" not in items["S002"] and "URL" not in items["S002"]
    assert "title" not in items["S001"] and "container-title" not in items["S001"]
    assert items["S002"]["issued"] == {"date-parts": [[2023]]}


def test_bibtex_parses_back(notes):
    parsed = parse_string(to_bibtex(notes), "bibtex")
    assert sorted(parsed.entries) == ["S001", "S002", "S003"]
    assert parsed.entries["S003"].fields["year"] == "2023"
    assert str(parsed.entries["S003"].persons["author"][0]) == "Stallard, Katie"
    assert parsed.entries["S002"].fields["journal"] == "Bloomberg"


def test_every_quote_is_cited_by_some_record(dataset):
    uncited = [cid for cid, refs in citing_records(dataset).items() if not refs]
    assert uncited == []


def test_backlinks_point_to_the_page_showing_the_record(dataset):
    refs = {(r.table, r.id): r for group in citing_records(dataset).values() for r in group}
    assert refs[("relations", "R01")].href == "overview?pair=BLR-CHN"
    assert refs[("trade", "trade_blr_cn_2022")].href == "trade"
    assert refs[("events", "E16")].href == "timeline?actors=BLR,CHN"


def test_timeline_covers_sept_2022_to_march_2023_with_precision(dataset):
    frame = timeline_figure(dataset).data
    assert frame["date"].min() == "2022-09" and frame["date"].max() == "2023-03-01"
    assert set(frame.loc[frame["date"].str.len() == 7, "precision"]) == {"month only"}
    assert set(frame.loc[frame["date"].str.len() == 10, "precision"]) == {"exact day"}
    assert frame["quote"].str.startswith("“").all()


def test_timeline_filters_by_actor(dataset):
    frame = timeline_figure(dataset, ["IRN"]).data
    assert list(frame["id"]) == ["E07"]
    everything = timeline_figure(dataset, [], dt.date(2000, 1, 1), dt.date(2030, 1, 1)).data
    assert "E01" not in set(everything["id"])  # a year-only date is never placed on a day scale


def test_timeline_with_no_events_says_so(dataset):
    figure = timeline_figure(dataset, ["PAK"])
    assert figure.data.empty and figure.footnotes == []
    assert "No events" in str(figure.chart.to_dict())


def test_dataset_zip_holds_every_table_and_the_schema():
    with zipfile.ZipFile(io.BytesIO(dataset_zip(REAL_DATA))) as archive:
        names = sorted(n.split("/")[-1] for n in archive.namelist())
        descriptor = json.loads(archive.read("relations-dataset/datapackage.json"))
    assert names == sorted([r["path"] for r in descriptor["resources"]] + ["datapackage.json"])

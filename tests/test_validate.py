"""The validator: clean data passes, every broken fixture is reported at its exact place."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from relations.data import checked, loading, validation
from relations.data.loading import load_dataset
from relations.data.problems import DatasetError
from relations.data.validation import validate_dataset
from tests.conftest import FIXTURES, ROOT, build_dataset


def places(problems) -> list[tuple[str, int, str]]:
    return [(p.path.name, p.line, p.column) for p in problems]


def test_quotes_occur_in_the_archive(quoted_dataset):
    data, archive = quoted_dataset
    assert validate_dataset(data, archive) == []


def test_minimal_fixture_is_clean(minimal_data, fixture_archive):
    assert validate_dataset(minimal_data, fixture_archive) == []


BROKEN = {
    "missing_citation": [("relations.csv", 2, "citations")],
    "dangling_reference": [("relations.csv", 2, "citations"), ("relations.csv", 2, "tier")],
    "bad_date": [("events.csv", 3, "date"), ("events.csv", 4, "date")],
    "bad_iso": [("countries.csv", 4, "code")],
    "misquoted": [("citations.csv", 3, "quote")],
    "duplicate_id": [("relations.csv", 3, "id")],
    "non_numeric": [("trade.csv", 2, "value")],
    "empty_file": [("events.csv", 1, "-")],
    "missing_column": [("relations.csv", 1, "kind")],
    "malformed_row": [("relations.csv", 2, "-")],
    "derived_mismatch": [
        ("trade.csv", 3, "formula"),
        ("trade.csv", 4, "value"),
        ("trade.csv", 5, "formula"),
        ("trade.csv", 6, "formula"),
        ("trade.csv", 7, "formula"),  # a power: refused with a message, not a traceback
    ],
    "unexplained_source": [("sources.csv", 2, "outlet"), ("sources.csv", 2, "url")],
    "missing_archive": [("sources.csv", 2, "archive")],
    "formula_cell": [("events.csv", 2, "title")],
    "derived_precision": [
        ("trade.csv", 6, "qualifier"),
        ("trade.csv", 6, "value"),
        ("trade.csv", 7, "qualifier"),
        ("trade.csv", 9, "value"),
    ],
    "unmentioned_party": [
        ("relations.csv", 3, "a"),
        ("relations.csv", 3, "b"),
        ("stances.csv", 3, "speaker"),
        ("stances.csv", 3, "subject"),
        ("stances.csv", 4, "subject"),
    ],
    "unnamed_actor": [("events.csv", 3, "actors")],
    "code_meaning": [
        ("countries.csv", 5, "roles"),
        ("events.csv", 3, "actors"),
        ("trade.csv", 6, "partner"),
        ("trade.csv", 7, "reporter"),
    ],
    "undated_basis": [
        ("relations.csv", 2, "start_basis"),
        ("relations.csv", 3, "start_basis"),
        ("stances.csv", 2, "date_basis"),
    ],
    "trade_shape": [
        ("trade.csv", 3, "share_of"),
        ("trade.csv", 5, "share_of"),
        ("trade.csv", 6, "partner"),
        ("trade.csv", 7, "partner"),
    ],
    "bad_waypoints": [
        ("waypoints.csv", 3, "basis"),
        ("waypoints.csv", 3, "countries"),
        ("waypoints.csv", 3, "lon"),
        ("waypoints.csv", 3, "seq"),
        ("waypoints.csv", 4, "corridor"),
        ("waypoints.csv", 4, "countries"),
        ("waypoints.csv", 4, "lat"),
    ],
}


def test_every_broken_fixture_has_an_expectation():
    assert sorted(BROKEN) == sorted(p.name for p in (FIXTURES / "broken").iterdir())


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_fixture_is_reported_at_its_place(case, tmp_path, fixture_archive):
    data = build_dataset(tmp_path / "data", case)
    assert places(validate_dataset(data, fixture_archive)) == BROKEN[case]


def test_messages_say_what_is_wrong(tmp_path, fixture_archive):
    data = build_dataset(tmp_path / "data", "derived_mismatch")
    messages = [p.message for p in validate_dataset(data, fixture_archive)]
    assert messages == [
        "only derived figures have a formula, this one is reported",
        "7.5 differs from its formula's 8",
        "a derived figure needs the formula it was computed with",
        "unknown id 'unknown_growth'",
        "only numbers, ids, + - * / and parentheses are allowed",
    ]


def test_archive_paths_cannot_leave_the_archive(tmp_path, fixture_archive):
    data = build_dataset(tmp_path / "data")
    sources = data / "sources.csv"
    sources.write_text(sources.read_text().replace("fixture_article.txt", "../../etc/passwd.txt"))
    problems = validate_dataset(data, fixture_archive)
    assert places(problems) == [("sources.csv", 2, "archive")]
    assert "does not match the pattern" in problems[0].message


def test_loader_refuses_broken_data_with_every_problem(tmp_path):
    data = build_dataset(tmp_path / "data", "bad_date")
    with pytest.raises(DatasetError) as raised:
        load_dataset(data)
    assert places(raised.value.problems) == BROKEN["bad_date"]


@pytest.fixture
def counted_checks(tmp_path, monkeypatch) -> list[Path]:
    """The loader's checks, counted, with a cache directory of the test's own."""
    monkeypatch.setenv("RELATIONS_CACHE_DIR", str(tmp_path / "cache"))
    calls: list[Path] = []

    def check_loaded(raw):
        calls.append(raw.data_dir)
        return validation.check_loaded(raw)

    monkeypatch.setattr(loading, "check_loaded", check_loaded)
    return calls


def test_data_that_passed_is_not_checked_again_until_a_file_changes(tmp_path, counted_checks):
    data = build_dataset(tmp_path / "data")
    events = (data / "events.csv").read_bytes()
    load_dataset(data)
    load_dataset(data)
    assert len(counted_checks) == 1
    shutil.copy(FIXTURES / "broken" / "bad_date" / "events.csv", data / "events.csv")
    for _ in range(2):  # a dataset with problems is checked, and refused, every time
        with pytest.raises(DatasetError) as raised:
            load_dataset(data)
        assert places(raised.value.problems) == BROKEN["bad_date"]
    assert len(counted_checks) == 3
    (data / "events.csv").write_bytes(events)  # back to what passed: known by its content
    load_dataset(data)
    assert len(counted_checks) == 3


def test_a_mark_left_by_another_user_is_not_trusted(tmp_path, counted_checks, monkeypatch):
    data = build_dataset(tmp_path / "data")
    load_dataset(data)
    someone_else = os.getuid() + 1
    monkeypatch.setattr(checked.os, "getuid", lambda: someone_else)
    load_dataset(data)
    assert len(counted_checks) == 2


def test_new_checking_code_checks_again(tmp_path, counted_checks, monkeypatch):
    data = build_dataset(tmp_path / "data")
    load_dataset(data)
    monkeypatch.setattr(checked, "_checks_version", lambda: "a changed rule")
    load_dataset(data)
    assert len(counted_checks) == 2


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "relations", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_cli_validate_prints_path_line_column(tmp_path, fixture_archive):
    data = build_dataset(tmp_path / "data", "missing_citation")
    result = run_cli("validate", "--data", str(data), "--archive", str(fixture_archive))
    assert result.returncode == 1
    line = result.stdout.strip()
    assert line.endswith("relations.csv:2: citations: record cites nothing (every record needs a citation)")


def test_cli_validate_passes_on_quoted_dataset(quoted_dataset):
    data, archive = quoted_dataset
    result = run_cli("validate", "--data", str(data), "--archive", str(archive))
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


def test_cli_validate_rejects_missing_archive(minimal_data, tmp_path):
    result = run_cli("validate", "--data", str(minimal_data), "--archive", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "archive directory not found" in result.stderr


def test_cli_dump_is_one_object_of_tables(minimal_data):
    result = run_cli("dump", "--data", str(minimal_data))
    assert result.returncode == 0, result.stderr
    dumped = json.loads(result.stdout)
    assert sorted(dumped) == [
        "citations",
        "corridors",
        "countries",
        "events",
        "relations",
        "sources",
        "stances",
        "tiers",
        "trade",
        "waypoints",
    ]
    assert dumped["relations"] == [
        {
            "id": "R1",
            "a": "BLR",
            "b": "CHN",
            "kind": "partnership",
            "tier": "all-weather",
            "directed": False,
            "start": "2021",
            "end": "",
            "start_basis": "stated",
            "summary": "An all-weather partnership",
            "citations": ["Q1"],
            "note": "",
        }
    ]
    assert dumped["trade"][0]["value"] == 10.0


def test_cli_dump_of_broken_data_fails_with_places(tmp_path):
    data = build_dataset(tmp_path / "data", "non_numeric")
    result = run_cli("dump", "--data", str(data))
    assert result.returncode == 1
    assert "trade.csv:2: value: 'ten' is not a number" in result.stderr


def test_missing_data_dir_is_reported_not_raised(tmp_path):
    problems = validate_dataset(tmp_path / "nothing")
    assert [(p.path.name, p.line) for p in problems] == [("datapackage.json", 1)]


def test_real_dataset_loads_with_every_table_filled():
    dataset = load_dataset(ROOT / "data")
    empty = [name for name, frame in dataset.tables.items() if frame.empty]
    assert empty == []
    cited = [
        name
        for name, frame in dataset.tables.items()
        if "citations" in frame and frame["citations"].map(len).eq(0).any()
    ]
    assert cited == []


def test_real_sources_leave_unknown_urls_empty():
    sources = load_dataset(ROOT / "data")["sources"]
    assert (sources["url"] == "").all()
    assert sources["note"].str.contains("not stated in archived text").all()


def test_descriptor_lists_every_csv():
    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text())
    declared = sorted(r["path"] for r in descriptor["resources"])
    assert declared == sorted(p.name for p in Path(ROOT / "data").glob("*.csv"))

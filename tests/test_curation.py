"""The curation commands on an invented article: each adds exactly its rows and prints the new id, and
every refusal (absent or ambiguous sentence, unknown quote, invalid country, duplicate article,
interrupted write) leaves every file byte-identical."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from relations.data import writing
from relations.data.curation import add_quote
from tests.conftest import FIXTURES, ROOT, build_dataset

ARTICLE = FIXTURES / "curation" / "invented_article.txt"


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, Path]:
    data = build_dataset(tmp_path / "data")
    archive = tmp_path / "archive"
    shutil.copytree(FIXTURES / "archive", archive)
    return data, archive


def snapshot(*folders: Path) -> dict[Path, bytes]:
    return {
        p: p.read_bytes()
        for folder in folders
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != writing.LOCK_NAME
    }


def curate(workspace: tuple[Path, Path], *args: str) -> subprocess.CompletedProcess:
    data, archive = workspace
    return subprocess.run(
        [sys.executable, "-m", "relations", *args, "--data", str(data), "--archive", str(archive)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def added_lines(before: dict[Path, bytes], after: dict[Path, bytes]) -> dict[str, list[str]]:
    """Per changed file, the lines added at its end; fails if anything before them changed."""
    changed = {}
    for path, data in after.items():
        old = before.get(path, b"")
        if data != old:
            assert data.startswith(old), f"{path.name}: existing bytes changed"
            changed[path.name] = data[len(old) :].decode("utf-8").splitlines()
    return changed


def last_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_three_commands_add_a_source_a_quote_and_a_relation(workspace):
    data, archive = workspace
    before = snapshot(data, archive)
    title = "Belarus and Mongolia sign a rail memorandum"
    source_id = last_line(
        curate(
            workspace,
            "add-source",
            str(ARTICLE),
            "--outlet",
            "Invented Wire",
            "--title",
            title,
            "--date",
            "2023-03",
        )
    )
    # Typed with straight quotes; stored as the article has it, with typographic ones.
    quote_id = last_line(curate(workspace, "add-quote", source_id, 'covers "grain, potash and machinery"'))
    # A relation's quotes must name both parties: the first names neither, so a second one does.
    names_id = last_line(
        curate(workspace, "add-quote", source_id, "Belarus and Mongolia signed a memorandum")
    )
    relation_id = last_line(
        curate(
            workspace,
            "add-relation",
            "BLR",
            "MNG",
            "trade",
            "--quote",
            quote_id,
            "--quote",
            names_id,
            "--summary",
            "A rail memorandum",
        )
    )
    changes = added_lines(before, snapshot(data, archive))
    archived = next(name for name in changes if name.endswith(".txt"))
    assert set(changes) == {archived, "sources.csv", "citations.csv", "countries.csv", "relations.csv"}
    assert (archive / archived).read_bytes() == ARTICLE.read_bytes()
    assert changes["sources.csv"] == [
        f'{source_id},Invented Wire,{title},,2023-03,,{archived},"author, URL: not stated in archived text"'
    ]
    assert changes["citations.csv"] == [
        f'{quote_id},{source_id},"covers “grain, potash and machinery”",para 4,',
        f"{names_id},{source_id},Belarus and Mongolia signed a memorandum,para 3,",
    ]
    assert changes["countries.csv"] == [
        f"MNG,Mongolia,country,,,{quote_id};{names_id},added with add-relation/add-event (ISO name)"
    ]
    assert changes["relations.csv"] == [
        f"{relation_id},BLR,MNG,trade,,false,,,,A rail memorandum,{quote_id};{names_id},"
    ]
    check = subprocess.run(
        [sys.executable, "-m", "relations", "validate", "--data", str(data), "--archive", str(archive)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout


def test_event_and_derived_figure_compute_what_they_can(workspace):
    data, _ = workspace
    before = snapshot(data)
    event_id = last_line(curate(workspace, "add-event", "2022", "BLR,CHN", "Trade reaches 10 billion dollars", "--kind", "agreement", "--quote", "Q1"))  # fmt: skip
    figures = (data / "trade.csv").read_text(encoding="utf-8").splitlines()[1:]
    base = next(line.split(",")[0] for line in figures if ",value," in line)
    figure_id = last_line(curate(workspace, "add-figure", "half_of_base", "--label", "Half", "--reporter", "BLR", "--partner", "CHN", "--flow", "total", "--commodity", "all goods", "--measure", "value", "--period", "2022", "--unit", "USD bn", "--quote", "Q2", "--formula", f"{base} / 2"))  # fmt: skip
    changes = added_lines(before, snapshot(data))
    assert changes["events.csv"][0].startswith(
        f"{event_id},2022,BLR;CHN,Trade reaches 10 billion dollars,agreement,"
    )
    row = changes["trade.csv"][0].split(",")
    base_value = float(next(line.split(",")[8] for line in figures if line.startswith(f"{base},")))
    assert row[0] == figure_id == "half_of_base" and row[11] == "derived"
    assert float(row[8]) == pytest.approx(base_value / 2)  # computed, not typed


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("add-quote", "F1", "Belarus and Mongolia went to the moon"), "nearest passage"),
        (("add-quote", "F1", "Trade between them reached 10 billion dollars in 2022, up 25% from the prior year."), "already quoted"),
        (("add-quote", "F9", "anything"), "unknown source"),
        (("add-relation", "BLR", "CHN", "trade", "--quote", "Q404", "--summary", "x"), "unknown quote"),
        (("add-relation", "BLR", "XXX", "trade", "--quote", "Q1", "--summary", "x"), "ISO 3166-1 alpha-3"),
        (("add-relation", "BLR", "ATLANTIS", "trade", "--quote", "Q1", "--summary", "x"), "ISO 3166-1 alpha-3"),
        (("add-source", str(FIXTURES / "archive" / "fixture_article.txt"), "--outlet", "o", "--title", "t", "--date", "2023"), "already archived"),
        (("add-source", str(ARTICLE), "--outlet", "o", "--title", "t", "--date", "March 2023"), "--date"),
        (("add-figure", "x_y", "--label", "x", "--reporter", "BLR", "--partner", "CHN", "--flow", "total", "--commodity", "c", "--measure", "value", "--period", "2022", "--unit", "u", "--quote", "Q2", "--formula", "missing_id * 2"), "--formula"),
        (("add-relation", "BLR", "CHN", "sanction", "--quote", "Q1", "--summary", "x", "--start", "2023-13"), "would not validate"),
        (("add-relation", "BLR", "CHN", "trade", "--quote", "Q2", "--summary", "x"), "named in none of its quotes"),
    ],
)  # fmt: skip
def test_refusals_change_nothing(workspace, args, says):
    data, archive = workspace
    before = snapshot(data, archive)
    result = curate(workspace, *args)
    assert result.returncode == 1
    assert says in result.stderr
    assert result.stdout == ""
    assert snapshot(data, archive) == before


def test_a_sentence_found_twice_asks_for_more_words(workspace):
    data, archive = workspace
    source_id = last_line(curate(workspace, "add-source", str(ARTICLE), "--outlet", "Invented Wire", "--title", "t", "--date", "2023"))  # fmt: skip
    before = snapshot(data, archive)
    result = curate(workspace, "add-quote", source_id, "Officials called the deal historic.")
    assert result.returncode == 1 and "found 2 times" in result.stderr and "add words" in result.stderr
    assert snapshot(data, archive) == before


def test_an_interrupted_write_loses_no_row(workspace, monkeypatch):
    data, archive = workspace
    before = snapshot(data, archive)
    addition = add_quote(data, archive, "F1", "Belarus and China agreed")

    def interrupted(source, target):
        raise KeyboardInterrupt  # the process is stopped between writing the new file and renaming it

    monkeypatch.setattr(writing.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        writing.commit(data, archive, addition.changes)
    assert snapshot(data, archive) == before  # the old file whole, and no temporary file left behind


def test_two_curators_at_once_keep_both_rows(workspace):
    data, archive = workspace
    commands = [
        [
            sys.executable,
            "-m",
            "relations",
            "add-quote",
            "F1",
            text,
            "--data",
            str(data),
            "--archive",
            str(archive),
        ]
        for text in ("agreed to an", "up 25% from the prior year")
    ]
    running = [
        subprocess.Popen(c, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for c in commands
    ]
    ids = [p.communicate(timeout=120)[0].strip().splitlines()[-1] for p in running]
    assert all(p.returncode == 0 for p in running)
    citations = (data / "citations.csv").read_text(encoding="utf-8")
    assert all(f"\n{new_id},F1," in citations for new_id in ids) and len(set(ids)) == 2

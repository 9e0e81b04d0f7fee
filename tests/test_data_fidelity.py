"""Issue 15: records claim no more than their quotes, and the articles' stances are in the data."""

import csv
import io
import shutil
from pathlib import Path

import pytest

from relations.backlinks import citing_records
from relations.data.loading import load_dataset
from relations.data.precision import significant_figures, supported_figures
from relations.data.validation import validate_dataset
from relations.dates import last_day
from relations.profile import country_stances, pair_profile, pair_stances
from tests.conftest import REAL_DATA, build_dataset


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(REAL_DATA)


def places(problems) -> list[tuple[str, int, str]]:
    return [(p.path.name, p.line, p.column) for p in problems]


def edit_rows(path: Path, change) -> None:
    """Rewrites a CSV with change(row) applied to every row, keeping its columns."""
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(change(dict(row)) or row for row in rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def line_of(path: Path, record_id: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, start=1) if text.startswith(f"{record_id},"))


@pytest.fixture
def real_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(REAL_DATA, tmp_path / "data"))


# --- the examples cannot come back -----------------------------------------------------------


def test_back_cast_stored_to_four_decimals_and_called_exact_is_refused(real_copy):
    trade = real_copy / "trade.csv"

    def four_decimals(row):
        if row["id"] == "potash_cn_imports_blr_2021":
            row.update(value="1.7507", qualifier="exact")
        return row

    edit_rows(trade, four_decimals)
    line = line_of(trade, "potash_cn_imports_blr_2021")
    problems = validate_dataset(real_copy)
    assert places(problems) == [("trade.csv", line, "qualifier"), ("trade.csv", line, "value")]
    assert "1.7507 has 5 significant figures" in problems[1].message
    assert "support at most 3" in problems[1].message


def test_the_west_sanctioning_russia_on_other_countries_words_is_refused(real_copy):
    relations = real_copy / "relations.csv"
    edit_rows(relations, lambda row: row.update(a="WEST") or row if row["id"] == "R09" else row)
    problems = validate_dataset(real_copy)
    assert places(problems) == [("relations.csv", line_of(relations, "R09"), "a")]
    assert "'WEST' is named in none of its quotes" in problems[0].message


def test_world_code_used_for_what_is_not_imported_is_refused(real_copy):
    trade = real_copy / "trade.csv"

    def world_not_imported(row):
        if row["id"] == "potash_not_imported_share_of_cn_demand":
            row["partner"] = "WLD"
        return row

    edit_rows(trade, world_not_imported)
    line = line_of(trade, "potash_not_imported_share_of_cn_demand")
    assert places(validate_dataset(real_copy)) == [("trade.csv", line, "partner")]


def test_event_actor_named_only_by_its_leader_is_refused(real_copy):
    """E15's quotes name Belarus only as “Lukashenko” once C002-welcomed (“Belarusian leader”) is dropped."""
    events = real_copy / "events.csv"

    def leader_only(row):
        if row["id"] == "E15":
            row["citations"] = "C002-price;C000-price"
        return row

    edit_rows(events, leader_only)
    problems = validate_dataset(real_copy)
    assert places(problems) == [("events.csv", line_of(events, "E15"), "actors")]
    assert "'BLR' is named in none of its quotes" in problems[0].message


def test_world_code_as_a_party_is_refused(real_copy):
    relations = real_copy / "relations.csv"
    edit_rows(relations, lambda row: row.update(a="WLD") or row if row["id"] == "R09" else row)
    line = line_of(relations, "R09")
    messages = {p.message for p in validate_dataset(real_copy) if (p.line, p.column) == (line, "a")}
    assert any("used as party, a meaning its countries.csv row does not give" in m for m in messages)


# --- aliases: names, demonyms and metonyms, whole words --------------------------------------------


def with_relation_quote(data: Path, quote: str, aliases: dict[str, str]) -> list:
    with (data / "citations.csv").open("a", encoding="utf-8") as out:
        out.write(f'Q9,F1,"{quote}",,\n')
    with (data / "relations.csv").open("a", encoding="utf-8") as out:
        out.write("R9,BLR,CHN,trade,,false,,,,Ties,Q9,\n")
    edit_rows(
        data / "countries.csv",
        lambda row: row.update(aliases=aliases.get(row["code"], "")) or row,
    )
    return validate_dataset(data)  # no archive: the invented quote is not checked against an article


def test_metonyms_listed_for_a_country_name_it(tmp_path):
    data = build_dataset(tmp_path / "data")
    assert with_relation_quote(data, "Minsk and Beijing signed", {"BLR": "Minsk", "CHN": "Beijing"}) == []


def test_unlisted_metonyms_do_not_name_it(tmp_path):
    data = build_dataset(tmp_path / "data")
    problems = with_relation_quote(data, "Minsk and Beijing signed", {})
    assert places(problems) == [("relations.csv", 3, "a"), ("relations.csv", 3, "b")]


def test_abbreviations_match_only_in_capitals_and_words_only_whole(tmp_path):
    data = build_dataset(tmp_path / "data")
    problems = with_relation_quote(data, "let us talk about Chinaware", {"BLR": "US", "CHN": "Chin"})
    assert places(problems) == [("relations.csv", 3, "a"), ("relations.csv", 3, "b")]


# --- precision carried through a formula -------------------------------------------------------------


@pytest.mark.parametrize(("text", "figures"), [("1.91", 3), ("0.091", 2), ("50", 2), ("3", 1), ("3.3333", 5)])
def test_significant_figures_as_written(text, figures):
    assert significant_figures(text) == figures


def test_growth_back_cast_keeps_the_figures_of_its_least_precise_factor():
    carried = supported_figures("a / (1 + g / 100)", {"a": "1.91", "g": "9.1"})
    assert carried.value == pytest.approx(1.750687)
    assert carried.sig == 3  # 1.091 has four figures, 1.91 three
    assert supported_figures("a / (1 + g / 100)", {"a": "5", "g": "33"}).sig == 1


def test_a_bound_is_a_threshold_and_limits_no_precision():
    """“exceeding 5 billion”: the 5 is exact as a threshold; 1.33 (from 33%) still limits the result."""
    carried = supported_figures("a / (1 + g / 100)", {"a": "5", "g": "33"}, frozenset({"a"}))
    assert carried.sig == 3


def test_a_lower_bound_rounded_up_is_refused(real_copy):
    trade = real_copy / "trade.csv"
    edit_rows(trade, lambda row: row.update(value="3.76") or row if row["id"] == "trade_blr_cn_2021" else row)
    problems = [p for p in validate_dataset(real_copy) if p.line == line_of(trade, "trade_blr_cn_2021")]
    assert places(problems) == [("trade.csv", line_of(trade, "trade_blr_cn_2021"), "value")]
    assert "a lower bound rounds down" in problems[0].message


# --- the stances the articles report ------------------------------------------------------------------


def triples(frame) -> set[tuple[str, str, str]]:
    return {
        (speaker, row["stance"], subject)
        for _, row in frame.iterrows()
        for speaker in row["speaker"]
        for subject in row["subject"] or [""]
    }


def test_the_articles_stances_on_the_war_and_the_plan_are_records(dataset):
    found = triples(dataset["stances"])
    assert {
        ("USA", "warns", "CHN"),  # lethal aid
        ("CHN", "denies", "USA"),
        ("UKR", "dismisses", "CHN"),  # the peace plan
        ("USA", "dismisses", "CHN"),
        ("CHN", "defends", "RUS"),  # Putin's rationale for invading
        ("CHN", "accuses", "USA"),
        ("CHN", "accuses", "NATO"),
        ("CHN", "condemns", ""),  # the sanctions on Russia: a topic, not Russia itself
        ("CHN", "says", "UKR"),  # Xi on a political settlement
        ("BLR", "supports", "CHN"),  # the peace plan, and China's security proposals
        ("USA", "says", "BLR"),  # Belarus' sovereignty ceded to Russia
        ("BLR", "declines", "UKR"),  # its own troops
    } <= found


def test_pair_stances_are_between_the_two(dataset):
    stances = pair_stances(dataset, ("CHN", "USA"))
    assert {"ST01", "ST02", "ST07", "ST10"} <= set(stances["id"])
    for _, row in stances.iterrows():
        parties = set(row["speaker"]) | set(row["subject"])
        assert {"CHN", "USA"} <= parties
    # In the order the pair's events take: by the last day a date can mean, so "2023" (ST17, Xi on the
    # friendship) comes after the days of 2023, undated ones last.
    between = pair_profile(dataset, ("BLR", "CHN")).stances
    dated = [d for d in between["date"] if d]
    assert set(between["id"]) == {"ST12", "ST17", "ST18", "ST23"}
    assert [last_day(d) for d in dated] == sorted(last_day(d) for d in dated)
    assert list(between["id"])[-1] == "ST17" and between["date"].iloc[-1] == "2023"


def test_pair_stances_put_dated_ones_first_in_date_order(dataset):
    dates = list(pair_stances(dataset, ("CHN", "USA"))["date"])
    dated = [d for d in dates if d]
    assert dates[: len(dated)] == sorted(dated) and all(d == "" for d in dates[len(dated) :])


def test_country_stances_cover_speaker_and_subject(dataset):
    russia = set(country_stances(dataset, "RUS")["id"])
    assert {"ST04", "ST16", "ST21"} <= russia  # about Russia
    assert "ST08" not in russia  # condemning sanctions on Russia is not a stance about Russia
    assert "ST09" in set(country_stances(dataset, "BLR")["id"])  # Belarus speaking


def test_stances_link_back_from_their_quotes(dataset):
    refs = {(r.table, r.id): r for group in citing_records(dataset).values() for r in group}
    assert refs[("stances", "ST12")].href == "overview?pair=BLR-CHN"
    assert refs[("stances", "ST15")].href == "timeline?actors=CHN"  # about a topic, no subject


def test_no_limits_rung_is_editorial(dataset):
    tiers = dataset["tiers"].set_index("id")
    assert tiers.loc["no-limits", "basis"] == "editorial"
    assert pair_profile(dataset, ("CHN", "RUS")).tier.basis == "editorial"

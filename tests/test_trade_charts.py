"""Trade figures: the numbers, their basis and formulas, milestones from data, safe downloads."""

import dataclasses
import io
import re

import pandas as pd
import pytest

from relations.charts.trade import (
    bilateral_trade_figure,
    potash_imports_figure,
    potash_supply_figure,
    trade_figures,
)
from relations.data.formulas import evaluate
from relations.data.loading import load_dataset
from relations.downloads import safe_csv
from tests.conftest import REAL_DATA


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(REAL_DATA)


def spec_rows(figure) -> list[dict]:
    spec = figure.chart.to_dict()
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


def marker_texts(figure) -> list[str]:
    """Where markers are shown: the title, the subtitle, and the tooltip and label fields of the data."""
    fields = ("sources", "label", "caption")
    return [figure.title, figure.subtitle] + [str(r[f]) for r in spec_rows(figure) for f in fields if f in r]


def test_every_derived_figure_recomputes_from_its_formula(dataset):
    trade = dataset["trade"]
    values = dict(zip(trade["id"], trade["value"], strict=True))
    derived = trade[trade["basis"] == "derived"]
    assert len(derived) >= 4
    for _, row in derived.iterrows():  # stored at the precision its inputs support (validate checks it)
        assert evaluate(row["formula"], values) == pytest.approx(row["value"], rel=0.05), row["id"]


def test_bilateral_trade_bars_keep_basis_and_bound(dataset):
    rows = {r["period"]: r for r in spec_rows(bilateral_trade_figure(dataset)) if "period" in r}
    assert sorted(rows) == ["2020", "2021", "2022"]
    assert rows["2022"]["basis"] == "reported" and rows["2022"]["value"] == 5
    assert rows["2021"]["basis"] == "derived" and rows["2020"]["basis"] == "derived"
    assert all(r["display"].startswith("≥ ") for r in rows.values())
    assert 3.7 <= rows["2021"]["value"] <= 5 / 1.33  # a lower bound rounds down, never up
    assert "5 / (1 + 33 / 100)" in rows["2021"]["formula_text"]


def test_potash_imports_2021_is_derived_from_growth(dataset):
    rows = {r["period"]: r for r in spec_rows(potash_imports_figure(dataset)) if "period" in r}
    assert rows["2022"]["value"] == 1.91 and rows["2022"]["basis"] == "reported"
    assert rows["2021"]["basis"] == "derived"
    assert rows["2021"]["value"] == pytest.approx(1.91 / 1.091, rel=1e-3)


def test_bar_layers_encode_value_basis_and_dash(dataset):
    spec = bilateral_trade_figure(dataset).chart.to_dict()
    bars = next(layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "bar")
    assert bars["mark"]["type"] == "bar"
    assert bars["encoding"]["y"]["field"] == "value"
    assert bars["encoding"]["color"]["field"] == "basis_label"
    assert bars["encoding"]["strokeDash"]["field"] == "basis"
    tooltip_titles = {t["title"] for t in bars["encoding"]["tooltip"]}
    assert {"Formula", "Basis", "Sources", "Precision"} <= tooltip_titles


def test_potash_supply_parts_make_whole(dataset):
    rows = [r for r in spec_rows(potash_supply_figure(dataset)) if "whole" in r]
    totals = pd.DataFrame(rows).groupby("whole")["value"].sum()
    assert totals.to_dict() == {
        "China's annual potash demand": 100.0,
        "China's imported potash cargoes": 100.0,
    }
    # Each whole is split at the share the source reports, and that share is drawn as reported.
    trade = dataset["trade"].set_index("id")
    reported = trade[
        (trade["commodity"] == "potash") & (trade["measure"] == "share") & (trade["basis"] == "reported")
    ]
    drawn = {r["id"]: r for r in rows}
    assert set(reported.index) <= set(drawn)
    assert all(drawn[i]["basis"] == "reported" for i in reported.index)


def test_milestones_come_from_the_events_table(dataset):
    labels = {r["label"] for r in spec_rows(bilateral_trade_figure(dataset)) if "lane" in r}
    assert {label.split(" [")[0] for label in labels} == {
        "Sanctions since 2020",
        "War begins",
        "Partnership upgrade",
        "State visit",
    }
    events = dataset["events"].copy()
    events.loc[events["axis_label"] == "State visit", "axis_label"] = ""
    edited = dataclasses.replace(dataset, tables={**dataset.tables, "events": events})
    labels = {r["label"].split(" [")[0] for r in spec_rows(bilateral_trade_figure(edited)) if "lane" in r}
    assert "State visit" not in labels


def test_tonnes_and_dollars_never_share_a_chart(dataset):
    for figure in trade_figures(dataset):
        units = {r["unit"] for r in spec_rows(figure) if "unit" in r}
        assert not ({"Mt", "USD bn"} <= units), figure.id


def expand(part: str) -> range:
    """'7–9' -> 7, 8, 9; '4' -> 4."""
    first, _, last = part.partition("–")
    return range(int(first), int(last or first) + 1)


def test_markers_name_the_figures_footnotes_and_one_number_is_one_quote(dataset):
    quote_of_number: dict[int, str] = {}
    for figure in trade_figures(dataset):
        groups = [g for text in marker_texts(figure) for g in re.findall(r"\[([\d,– ]+)\]", text)]
        used = {number for group in groups for part in group.split(", ") for number in expand(part)}
        numbers = {note.number for note in figure.footnotes}
        assert used and used <= numbers, figure.id
        for note in figure.footnotes:
            assert quote_of_number.setdefault(note.number, note.citation_id) == note.citation_id


def test_csv_download_neutralises_formulas():
    frame = pd.DataFrame(
        {
            "label": ['=HYPERLINK("http://x")', "+1", "@SUM(A1)", "plain", "-cmd"],
            "value": [1.0, -2.5, 3.0, 4.0, 5.0],
        }
    )
    round_trip = pd.read_csv(io.BytesIO(safe_csv(frame)))
    assert list(round_trip["label"]) == ['\'=HYPERLINK("http://x")', "'+1", "'@SUM(A1)", "plain", "'-cmd"]
    assert list(round_trip["value"]) == [1.0, -2.5, 3.0, 4.0, 5.0]


def test_figure_downloads_carry_citations(dataset):
    for figure in trade_figures(dataset):
        assert {"id", "value", "basis", "formula", "citations"} <= set(figure.data.columns)
        assert figure.data["citations"].str.len().gt(0).all()


def test_csv_download_quotes_cells_holding_line_breaks():
    frame = pd.DataFrame({"note": ["first line\r=1+1", "plain"], "value": [1.5, 2.0]})
    text = safe_csv(frame).decode("utf-8")
    assert '"first line\r=1+1"' in text  # the formula-looking text stays inside its quotes
    assert ",1.5" in text and '"1.5"' not in text  # numbers keep their meaning
    assert list(pd.read_csv(io.BytesIO(safe_csv(frame)))["note"]) == ["first line\r=1+1", "plain"]


def test_each_figure_keys_only_the_signs_it_writes(dataset):
    """A key to ≈ or ≥ under a chart that writes neither reads as if it did."""
    from relations.charts.trade import trade_figures

    for figure in trade_figures(dataset):
        shown = [
            row["display"]
            for rows in figure.spec["datasets"].values()
            for row in rows
            if isinstance(row, dict) and isinstance(row.get("display"), str)
        ]
        assert shown, figure.id
        written = {sign for sign in "≈≥≤" if any(sign in text for text in shown)}
        key = " ".join(figure.key_lines)
        assert {sign for sign in "≈≥≤" if sign in key} == written, (figure.id, key, written)


def test_words_do_not_hedge_a_share_the_source_states_plainly(dataset):
    """The source: "one-quarter of the cargoes coming from Belarus" (an exact share in the data), while
    "about" qualifies only the half of demand: the headline and subtitle say so, without "about"."""
    from relations.charts.trade import trade_figures

    share = dataset["trade"].set_index("id").loc["potash_blr_share_of_cn_imports"]
    assert share["qualifier"] == "exact"
    figure = next(f for f in trade_figures(dataset) if f.id == "potash-supply")
    words = f"{figure.title} {figure.subtitle}".lower()
    assert "quarter" in words and not re.search(r"about (a|one-)quarter", words), words


def test_a_year_the_source_does_not_name_is_marked_as_ours(dataset):
    """S004 says "the last two years": the headline and the tooltip's period say the year is inferred,
    and only while the data says so."""
    trade = dataset["trade"]
    figure = bilateral_trade_figure(dataset)
    inferred = set(trade.loc[(trade["period_basis"] == "inferred") & (trade["measure"] == "value"), "period"])
    assert inferred, "the real data reads 2022 out of 'the last two years'"
    assert "(year inferred)" in figure.title and "our reading" in figure.subtitle
    periods = {r["period"]: r["period_text"] for r in spec_rows(figure) if "period_text" in r}
    assert all("inferred" in periods[p] for p in inferred)
    stated = trade.copy()
    stated.loc[stated["period_basis"] == "inferred", "period_basis"] = "stated"
    edited = dataclasses.replace(dataset, tables={**dataset.tables, "trade": stated})
    figure = bilateral_trade_figure(edited)
    assert "inferred" not in figure.title and "our reading" not in figure.subtitle


def test_the_key_to_the_signs_reads_as_sentences_and_keeps_each_sign_with_its_word(dataset):
    """The slide subtitle broke after "≈" and ended in "(“exceeding”)" with no full stop."""
    import datetime as dt

    from relations.export import slide_spec

    for figure in trade_figures(dataset):
        if not figure.key_lines:
            continue
        assert figure.keyed(figure.subtitle).endswith(".")
        lines = slide_spec(figure, dataset.version, dt.date(2026, 1, 1))["title"]["subtitle"]
        assert not any(line.rstrip().endswith(tuple("≈≥≤")) for line in lines), (figure.id, lines)


def test_the_overview_marks_a_period_the_source_does_not_name(dataset):
    """The Overview's headline figures: '2022 (year inferred)' where S004 says "the last two years",
    and a span of years with an en dash, as the charts write it."""
    from relations.pair_text import pair_text

    text = pair_text(dataset, ("BLR", "CHN")).sections_markdown
    trade = dataset["trade"]
    inferred = trade[(trade["period_basis"] == "inferred") & (trade["reporter"].isin(["BLR", "CHN"]))]
    assert not inferred.empty
    for label in inferred["label"]:
        line = next(line for line in text.splitlines() if label in line)
        assert "inferred" in line, line
    assert not re.search(r"\b\d{4}\\?-\d{4}\b", text), "a span of years is written with an en dash"

"""Trade figures: bilateral trade, potash imports, China's potash supply and the visit's deals."""

import datetime as dt
import textwrap

import altair as alt
import pandas as pd

from relations.charts.milestones import milestone_layer, milestones_between
from relations.charts.palette import BASIS, INK, WHITE
from relations.charts.style import BASIS_LABELS, LABEL_SIZE, basis_color, derived_dash, framed_figure
from relations.citing import Footnotes
from relations.data.formulas import substitute
from relations.data.loading import Dataset
from relations.figures import Figure
from relations.formatting import QUALIFIER_WORDS, format_figure

PAIR = ("BLR", "CHN")
CHART_WIDTH = 640
CHART_HEIGHT = 300
DAYS_AFTER_LAST_MILESTONE = 45
DAYS_BEFORE_FIRST_YEAR = 120  # a milestone on the first year's first day stays clear of the y-axis
HEADROOM = 1.2  # room above the tallest bar for its label


def _pair_rows(dataset: Dataset, commodity: str, measure: str) -> pd.DataFrame:
    trade = dataset["trade"]
    in_pair = trade["reporter"].isin(PAIR) & trade["partner"].isin(PAIR)
    return trade[in_pair & (trade["commodity"] == commodity) & (trade["measure"] == measure)]


def _annotate(rows: pd.DataFrame, dataset: Dataset, notes: Footnotes) -> pd.DataFrame:
    """Adds what a reader sees: display text, basis label, formula with numbers, citation markers."""
    values = dict(zip(dataset["trade"]["id"], dataset["trade"]["value"], strict=True))
    frame = rows.copy()
    frame["display"] = [
        format_figure(v, u, q)
        for v, u, q in zip(frame["value"], frame["unit"], frame["qualifier"], strict=True)
    ]
    frame["basis_label"] = frame["basis"].map(BASIS_LABELS)
    frame["qualifier_text"] = frame["qualifier"].map(QUALIFIER_WORDS)
    frame["formula_text"] = [
        f"{substitute(f, values)} = {v:.4g}" if f else "—"
        for f, v in zip(frame["formula"], frame["value"], strict=True)
    ]
    frame["sources"] = [notes.marker(ids) for ids in frame["citations"]]
    return frame


def _tooltip() -> list[alt.Tooltip]:
    return [
        alt.Tooltip("label:N", title="Figure"),
        alt.Tooltip("period:N", title="Period"),
        alt.Tooltip("display:N", title="Value"),
        alt.Tooltip("qualifier_text:N", title="Precision"),
        alt.Tooltip("basis:N", title="Basis"),
        alt.Tooltip("formula_text:N", title="Formula"),
        alt.Tooltip("sources:N", title="Sources"),
    ]


def _download_columns(frame: pd.DataFrame) -> pd.DataFrame:
    columns = [
        "id",
        "label",
        "reporter",
        "partner",
        "period",
        "value",
        "unit",
        "qualifier",
        "basis",
        "formula",
    ]
    table = frame[columns].copy()
    table["citations"] = frame["citations"].map(";".join)
    return table.reset_index(drop=True)


def _yearly_bars_with_milestones(
    frame: pd.DataFrame, dataset: Dataset, notes: Footnotes, axis_title: str
) -> alt.LayerChart:
    """Bars span their calendar year on a true time axis, so event rules fall where they happened."""
    frame = frame.copy()
    years = frame["period"].str[:4].astype(int)
    frame["start"] = pd.to_datetime(years.astype(str) + "-01-15")
    frame["end"] = pd.to_datetime(years.astype(str) + "-12-15")
    frame["middle"] = pd.to_datetime(years.astype(str) + "-07-01")
    first = dt.date(int(years.min()), 1, 1)
    last = dt.date(int(years.max()) + 1, 12, 31)
    milestones = milestones_between(dataset, first, last, notes)
    domain_end = max(
        pd.Timestamp(dt.date(int(years.max()), 12, 31)), milestones["date"].max()
    ) + pd.Timedelta(days=DAYS_AFTER_LAST_MILESTONE)
    domain_start = pd.Timestamp(first) - pd.Timedelta(days=DAYS_BEFORE_FIRST_YEAR)
    # The axis spans domain_start..domain_end through two invisible points, not an explicit scale
    # domain: Vega-Lite turns a temporal domain into datetime signals in some layers and not others,
    # then warns that the layers conflict.
    ends = (
        alt.Chart(pd.DataFrame({"date": [domain_start, domain_end]})).mark_point(opacity=0).encode(x="date:T")
    )
    base = alt.Chart(frame).encode(tooltip=_tooltip())
    bars = base.mark_bar(strokeWidth=2, fillOpacity=1).encode(
        x=alt.X("start:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
        x2="end:T",
        y=alt.Y(
            "value:Q", title=axis_title, scale=alt.Scale(domain=[0, float(frame["value"].max()) * HEADROOM])
        ),
        y2=alt.datum(0),
        color=basis_color(drawn=sorted(set(frame["basis"]))),
        stroke=alt.value(BASIS["reported"]),
        strokeDash=derived_dash(),
    )
    labels = base.mark_text(dy=-8, fontSize=LABEL_SIZE, fontWeight="bold", color=INK).encode(
        x="middle:T", y="value:Q", text="display:N"
    )
    # Milestones first: their rules pass behind the bars instead of through them.
    return alt.layer(ends, milestone_layer(milestones, domain_start, domain_end), bars, labels).properties(
        width=CHART_WIDTH, height=CHART_HEIGHT
    )


def _summary(frame: pd.DataFrame) -> str:
    return "; ".join(
        f"{p}: {d} ({b})" for p, d, b in zip(frame["period"], frame["display"], frame["basis"], strict=True)
    )


def bilateral_trade_figure(dataset: Dataset, notes: Footnotes | None = None) -> Figure:
    notes = (notes or Footnotes(dataset)).scope()
    values = _annotate(_pair_rows(dataset, "all goods", "value"), dataset, notes)
    growth = _pair_rows(dataset, "all goods", "growth").iloc[0]
    notes.marker(growth["citations"])
    latest = values.sort_values("period").iloc[-1]
    title = f"Belarus–China trade: {latest['display']} in {latest['period']}"
    subtitle = (
        f"Reported: exceeding $5 bn, up {growth['value']:g}% a year over two years; "
        "earlier years are derived from those figures, so they are lower bounds too. USD bn."
    )
    chart = _yearly_bars_with_milestones(values, dataset, notes, "USD bn (lower bound)")
    return framed_figure(
        "bilateral-trade",
        title,
        subtitle,
        chart,
        notes,
        _download_columns(values),
        summary=f"Bars of Belarus–China trade by year. {_summary(values)}.",
        qualifiers=True,
    )


def potash_imports_figure(dataset: Dataset, notes: Footnotes | None = None) -> Figure:
    notes = (notes or Footnotes(dataset)).scope()
    volumes = _annotate(_pair_rows(dataset, "potash", "volume"), dataset, notes)
    growth = _pair_rows(dataset, "potash", "growth").iloc[0]
    notes.marker(growth["citations"])
    latest = volumes.sort_values("period").iloc[-1]
    title = f"China imported {latest['display']} of Belarusian potash in {latest['period']}"
    subtitle = f"Up {growth['value']:g}% on the prior year (Chinese customs data); the earlier year is derived from both. Million tonnes."
    chart = _yearly_bars_with_milestones(volumes, dataset, notes, "Mt")
    return framed_figure(
        "potash-imports",
        title,
        subtitle,
        chart,
        notes,
        _download_columns(volumes),
        summary=f"Bars of China's potash imports from Belarus by year. {_summary(volumes)}.",
        qualifiers=True,
    )


SUPPLY_PARTS = (
    ("China's annual potash demand", "Belarus", "potash_blr_share_of_cn_demand"),
    ("China's annual potash demand", "other imports", "potash_other_imports_share_of_cn_demand"),
    ("China's annual potash demand", "not imported", "potash_not_imported_share_of_cn_demand"),
    ("China's imported potash cargoes", "Belarus", "potash_blr_share_of_cn_imports"),
    ("China's imported potash cargoes", "other imports", "potash_other_share_of_cn_imports"),
)
PART_SHADES = {"Belarus": 1.0, "other imports": 0.55, "not imported": 0.2}  # opacity: Belarus reads first


def potash_supply_figure(dataset: Dataset, notes: Footnotes | None = None) -> Figure:
    notes = (notes or Footnotes(dataset)).scope()
    trade = dataset["trade"].set_index("id", drop=False)
    rows = trade.loc[[part[2] for part in SUPPLY_PARTS]].copy()
    rows["whole"] = [part[0] for part in SUPPLY_PARTS]
    rows["part"] = [part[1] for part in SUPPLY_PARTS]
    rows["order"] = range(len(rows))
    frame = _annotate(rows, dataset, notes)
    frame["segment_text"] = frame["part"] + "\n" + frame["display"].str.replace(r"%.*", "%", regex=True)
    frame["opacity"] = frame["part"].map(PART_SHADES)
    frame["text_colour"] = [
        WHITE if b == "reported" and p == "Belarus" else INK
        for b, p in zip(frame["basis"], frame["part"], strict=True)
    ]
    title = "About a quarter of China's imported potash comes from Belarus"
    subtitle = (
        "Reported: imports meet about half of China's demand; about one-quarter of cargoes come from Belarus. "
        "The other shares are derived from those two (light fill, dashed outline). % of the whole."
    )
    base = alt.Chart(frame).encode(
        y=alt.Y(
            "whole:N",
            title=None,
            sort=[part[0] for part in SUPPLY_PARTS],
            axis=alt.Axis(labelLimit=0, labelExpr="split(datum.label, ' potash ')"),
        ),
        x=alt.X("value:Q", stack="zero", title="% of the whole", scale=alt.Scale(domain=[0, 100])),
        order=alt.Order("order:Q"),
        tooltip=_tooltip(),
    )
    bars = base.mark_bar(strokeWidth=2, stroke=INK).encode(
        color=basis_color(drawn=sorted(set(frame["basis"]))),
        strokeDash=derived_dash(),
    )
    text = (
        base.mark_text(align="left", dx=5, fontSize=LABEL_SIZE, lineBreak="\n")
        .encode(x=alt.X("start:Q"), text="segment_text:N", color=alt.Color("text_colour:N", scale=None))
        .transform_stack(
            stack="value", groupby=["whole"], as_=["start", "stop"], sort=[alt.SortField("order")]
        )
    )
    chart = alt.layer(bars, text).properties(width=CHART_WIDTH, height=170)
    return framed_figure(
        "potash-supply",
        title,
        subtitle,
        chart,
        notes,
        _download_columns(frame),
        summary=f"Stacked bars of China's potash supply. {'; '.join(f'{w}, {p}: {d}' for w, p, d in zip(frame['whole'], frame['part'], frame['display'], strict=True))}.",
        qualifiers=True,
    )


def visit_deals_figure(dataset: Dataset, notes: Footnotes | None = None) -> Figure:
    """Two annotated numbers, drawn as a chart so they travel to slides like every other figure."""
    notes = (notes or Footnotes(dataset)).scope()
    trade = dataset["trade"].set_index("id", drop=False)
    rows = trade.loc[["agreements_visit_2023", "cn_rank_among_blr_partners"]].copy()
    frame = _annotate(rows, dataset, notes)
    frame["slot"] = range(len(frame))
    frame["caption"] = [textwrap.fill(label, 34) for label in frame["label"]]
    title = "The state visit in two numbers"
    subtitle = (
        "Agreements signed during Lukashenko's visit, and China's place among Belarus' trading partners"
    )
    base = alt.Chart(frame).encode(x=alt.X("slot:O", axis=None), tooltip=_tooltip())
    numbers = base.mark_text(
        fontSize=48, fontWeight="bold", color=BASIS["reported"], baseline="bottom"
    ).encode(text="display:N")
    captions = base.mark_text(fontSize=LABEL_SIZE, color=INK, baseline="top", dy=8, lineBreak="\n").encode(
        text="caption:N"
    )
    chart = alt.layer(numbers, captions).properties(width=CHART_WIDTH, height=150)
    return framed_figure(
        "visit-deals",
        title,
        subtitle,
        chart,
        notes,
        _download_columns(frame),
        summary=f"Two numbers. {'; '.join(f'{c}: {d}' for c, d in zip(frame['label'], frame['display'], strict=True))}.",
        qualifiers=True,
    )


def trade_figures(dataset: Dataset, notes: Footnotes | None = None) -> list[Figure]:
    """One numbering for the page: a quote cited by two charts has one number."""
    notes = notes or Footnotes(dataset)
    return [
        bilateral_trade_figure(dataset, notes),
        potash_imports_figure(dataset, notes),
        potash_supply_figure(dataset, notes),
        visit_deals_figure(dataset, notes),
    ]

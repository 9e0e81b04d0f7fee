"""Trade figures: bilateral trade, potash imports, China's potash supply and the visit's deals."""

import datetime as dt

import altair as alt
import pandas as pd

from relations.charts.layers import Layer, Layers
from relations.charts.milestones import milestone_layer, milestones_between
from relations.charts.palette import BASIS, INK, WHITE
from relations.charts.style import (
    BASIS_LABELS,
    LABEL_SIZE,
    MIN_PLOT_WIDTH,
    SLIDE_PLOT_WIDTH,
    basis_color,
    derived_dash,
    framed_figure,
    text_width,
    wrap_to_width,
)
from relations.citing import Footnotes
from relations.data.formulas import substitute
from relations.data.loading import Dataset
from relations.figures import Figure
from relations.formatting import QUALIFIER_WORDS, format_figure, period_in_words

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
    frame["period_text"] = [
        period_in_words(p, b) for p, b in zip(frame["period"], frame["period_basis"], strict=True)
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
        alt.Tooltip("period_text:N", title="Period"),
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


def _on_halo(base: Layer, style: dict, encoding: dict) -> list[Layer]:
    """Text in ink over the same text in white with a wide white stroke: grid lines and rules drawn
    before it pass behind the letters, not through them (a stroke on the ink itself thins the glyphs)."""
    halo = base.mark_text(**style, color=WHITE, stroke=WHITE, strokeWidth=4, strokeJoin="round")
    return [halo.encode(**encoding), base.mark_text(**style, color=INK).encode(**encoding)]


def _yearly_bars_with_milestones(
    frame: pd.DataFrame, dataset: Dataset, notes: Footnotes, axis_title: str
) -> Layers:
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
        Layer(pd.DataFrame({"date": [domain_start, domain_end]}))
        .mark_point(opacity=0)
        .encode(x=alt.X("date:T"))
    )
    base = Layer(frame).encode(tooltip=_tooltip())
    bars = base.mark_bar(strokeWidth=2, fillOpacity=1).encode(
        # Each year named under the middle of its bar: at the year's first day the name stood on the
        # line between two bars, and a reader had to guess which one it was.
        x=alt.X(
            "start:T",
            title=None,
            axis=alt.Axis(
                format="%Y",
                values=[alt.DateTime(year=int(y), month=7, date=1) for y in sorted(set(years))],
                grid=False,
            ),
        ),
        x2=alt.X2("end:T"),
        y=alt.Y(
            "value:Q", title=axis_title, scale=alt.Scale(domain=[0, float(frame["value"].max()) * HEADROOM])
        ),
        y2=alt.Y2Datum(0),
        color=basis_color(drawn=sorted(set(frame["basis"]))),
        stroke=alt.StrokeValue(BASIS["reported"]),
        strokeDash=derived_dash(),
    )
    # Each value on a halo, so a milestone's dashed rule never runs through its letters.
    values = _on_halo(
        base,
        {"dy": -8, "fontSize": LABEL_SIZE, "fontWeight": "bold"},
        {"x": alt.X("middle:T"), "y": alt.Y("value:Q"), "text": alt.Text("display:N")},
    )
    # Milestones first: their rules pass behind the bars and values instead of through them.
    return Layers(
        layer=[ends, milestone_layer(milestones, domain_start, domain_end), bars, *values],
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
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
    title = f"Belarus–China trade: {latest['display']} in {latest['period_text']}"
    last = int(latest["period"])
    years = (
        f"“the last two years” (the source’s words; that they are {last - 1} and {last} is our reading)"
        if latest["period_basis"] == "inferred"
        else "two years"
    )
    subtitle = (
        f"Reported: exceeding $5 bn, up {growth['value']:g}% a year over {years}; "
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
        qualifiers=values["display"],
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
        qualifiers=volumes["display"],
    )


# Each whole split at what the source reports (imports "about half" of demand, Belarus "one-quarter"
# of cargoes): both reported shares are drawn, dark. Belarus's share of demand (≈ one-eighth) is their
# product, said in words: drawn as "≈ 12.5%" beside "≈ 37.5%" it claimed a precision "about half" lacks.
SUPPLY_PARTS = (
    ("China's annual potash demand", "imported", "potash_cn_import_share_of_demand"),
    ("China's annual potash demand", "not imported", "potash_not_imported_share_of_cn_demand"),
    ("China's imported potash cargoes", "Belarus", "potash_blr_share_of_cn_imports"),
    ("China's imported potash cargoes", "other imports", "potash_other_share_of_cn_imports"),
)
SUPPLY_ROW = 30  # px per bar on the page: a 14 px label and air
SUPPLY_SLIDE_ROW = 40
AXIS_LABEL_PADDING = 8
SUPPLY_FURNITURE = 130  # px of the page chart for the x-axis with its title and the two-entry legend


def _supply_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """One bar per part, under a heading row per whole: each bar has its own row and its value at its
    end, so no label shares room with another at any width (a stacked bar's thin segments cannot hold
    theirs on a phone). Row keys are unique ("0:Belarus"); the axis shows what follows the colon."""
    wholes = list(dict.fromkeys(frame["whole"]))
    rows = []
    for i, whole in enumerate(wholes):
        rows.append({"key": f"{i}:", "whole": whole, "heading": whole, "kind": "heading"})
        for _, part in frame[frame["whole"] == whole].iterrows():
            rows.append({**part.to_dict(), "key": f"{i}:{part['part']}", "heading": "", "kind": "part"})
    return pd.DataFrame(rows)


def _supply_chart(frame: pd.DataFrame, row: int, size: int, page: bool) -> Layers:
    rows = _supply_rows(frame)
    longest = max(text_width(p, size) for p in frame["part"])
    y = alt.Y(
        "key:N",
        title=None,
        sort=list(rows["key"]),
        scale=alt.Scale(paddingInner=0.3, paddingOuter=0.1),
        axis=alt.Axis(
            labelLimit=0,
            labelExpr="slice(datum.label, indexof(datum.label, ':') + 1)",
            labelFontSize=size,
            labelColor=INK,
            labelPadding=AXIS_LABEL_PADDING,
            ticks=False,
            domain=False,
        ),
    )
    x = alt.X(
        "value:Q",
        title="% of the whole",
        scale=alt.Scale(domain=[0, 100]),
        axis=alt.Axis(values=[0, 25, 50, 75, 100], labelFontSize=size, titleFontSize=size),
    )
    parts = Layer().transform_filter(alt.datum.kind == "part").encode(y=y, tooltip=_tooltip())
    bars = parts.mark_bar(strokeWidth=2, stroke=BASIS["reported"]).encode(
        x=x, color=basis_color(drawn=sorted(set(frame["basis"]))), strokeDash=derived_dash()
    )
    values = parts.mark_text(align="left", dx=5, fontSize=size, fontWeight="bold", color=INK).encode(
        x=alt.X("value:Q"), text=alt.Text("value_text:N")
    )
    # Headings start where the part names do, left of the plot, and run on over its grid lines: on a
    # white halo, so the lines pass behind the letters instead of through them.
    headings = _on_halo(
        Layer().transform_filter(alt.datum.kind == "heading"),
        {"align": "left", "dx": -(longest + AXIS_LABEL_PADDING), "fontSize": size, "fontWeight": "bold"},
        {"y": y, "x": alt.XDatum(0), "text": alt.Text("heading:N")},
    )
    # On the page the height is the whole chart's (Streamlit fits the chart, axes and legend included,
    # into it), so the x-axis and the legend get theirs on top of the rows; on a slide it is the plot's.
    furniture = SUPPLY_FURNITURE if page else 0
    return Layers(
        data=rows,
        layer=[bars, values, *headings],
        width=CHART_WIDTH,
        height=row * len(rows) + furniture,
    )


def potash_supply_figure(dataset: Dataset, notes: Footnotes | None = None) -> Figure:
    notes = (notes or Footnotes(dataset)).scope()
    trade = dataset["trade"].set_index("id", drop=False)
    rows = trade.loc[[part[2] for part in SUPPLY_PARTS]].copy()
    rows["whole"] = [part[0] for part in SUPPLY_PARTS]
    rows["part"] = [part[1] for part in SUPPLY_PARTS]
    frame = _annotate(rows, dataset, notes)
    frame["value_text"] = frame["display"].str.replace(r"%.*", "%", regex=True)  # the heading says of what
    # "one-quarter of the cargoes", as the source puts it: no "about" (the half of demand has one).
    title = "A quarter of China's imported potash cargoes come from Belarus"
    subtitle = (
        "Reported: imports meet about half of China's demand; one-quarter of cargoes come from Belarus, "
        "so Belarus meets about one-eighth of the demand, if cargoes are counted as tonnage (the source "
        "does not say). The other shares are derived (light fill, dashed outline). % of the whole."
    )
    return framed_figure(
        "potash-supply",
        title,
        subtitle,
        _supply_chart(frame, SUPPLY_ROW, LABEL_SIZE, page=True),
        notes,
        _download_columns(frame),
        summary=f"Bars of China's potash supply. {'; '.join(f'{w}, {p}: {d}' for w, p, d in zip(frame['whole'], frame['part'], frame['display'], strict=True))}.",
        qualifiers=frame["display"],
        slide_chart=_supply_chart(frame, SUPPLY_SLIDE_ROW, SLIDE_LARGE_LABEL, page=False),
    )


NUMBER_SIZE, SLIDE_NUMBER_SIZE = 48, 96
SLIDE_LARGE_LABEL = 18  # type on a slide with few marks: the frame has room for it
CAPTION_LINE = 18
DEAL_GAP = 24  # px between one number's caption and the next number


def _deals_chart(frame: pd.DataFrame) -> Layers:
    """The page: the numbers stacked, each with its caption under it, from the left edge. Nothing sits
    beside anything, so it holds at 360 px as at 1440; captions wrap to the narrowest plot."""
    frame = frame.copy()
    frame["caption"] = [
        "\n".join(wrap_to_width(label, MIN_PLOT_WIDTH, LABEL_SIZE)) for label in frame["label"]
    ]
    tops, top = [], 0
    for caption in frame["caption"]:
        tops.append(top)
        top += NUMBER_SIZE + 8 + CAPTION_LINE * (caption.count("\n") + 1) + DEAL_GAP
    frame["top"], frame["caption_top"] = tops, [t + NUMBER_SIZE + 4 for t in tops]
    height = top - DEAL_GAP
    y_scale = alt.Scale(domain=[0, height], range=[0, height], nice=False, zero=False)
    base = Layer().encode(x=alt.XValue(0), tooltip=_tooltip())
    numbers = base.mark_text(
        align="left", baseline="top", fontSize=NUMBER_SIZE, fontWeight="bold", color=BASIS["reported"]
    ).encode(y=alt.Y("top:Q", scale=y_scale, axis=None), text=alt.Text("display:N"))
    captions = base.mark_text(
        align="left", baseline="top", fontSize=LABEL_SIZE, color=INK, lineBreak="\n", lineHeight=CAPTION_LINE
    ).encode(y=alt.Y("caption_top:Q", scale=y_scale, axis=None), text=alt.Text("caption:N"))
    return Layers(data=frame, layer=[numbers, captions], width=CHART_WIDTH, height=height)


def _deals_slide(frame: pd.DataFrame) -> Layers:
    """The slide: side by side, large, in columns of half the plot."""
    frame = frame.copy()
    column = SLIDE_PLOT_WIDTH / len(frame)
    frame["caption"] = [
        "\n".join(wrap_to_width(label, column - 40, SLIDE_LARGE_LABEL)) for label in frame["label"]
    ]
    frame["left"] = [i * column for i in range(len(frame))]
    x_scale = alt.Scale(domain=[0, SLIDE_PLOT_WIDTH], range=[0, SLIDE_PLOT_WIDTH], nice=False, zero=False)
    height = SLIDE_NUMBER_SIZE + 16 + CAPTION_LINE * 4
    base = Layer().encode(x=alt.X("left:Q", scale=x_scale, axis=None), tooltip=_tooltip())
    numbers = base.mark_text(
        align="left", baseline="top", fontSize=SLIDE_NUMBER_SIZE, fontWeight="bold", color=BASIS["reported"]
    ).encode(y=alt.YValue(0), text=alt.Text("display:N"))
    captions = base.mark_text(
        align="left",
        baseline="top",
        fontSize=SLIDE_LARGE_LABEL,
        color=INK,
        lineBreak="\n",
        lineHeight=SLIDE_LARGE_LABEL + 4,
    ).encode(y=alt.YValue(SLIDE_NUMBER_SIZE + 16), text=alt.Text("caption:N"))
    return Layers(data=frame, layer=[numbers, captions], width=SLIDE_PLOT_WIDTH, height=height)


def visit_deals_figure(dataset: Dataset, notes: Footnotes | None = None) -> Figure:
    """Two annotated numbers, drawn as a chart so they travel to slides like every other figure."""
    notes = (notes or Footnotes(dataset)).scope()
    trade = dataset["trade"].set_index("id", drop=False)
    rows = trade.loc[["agreements_visit_2023", "cn_rank_among_blr_partners"]].copy()
    frame = _annotate(rows, dataset, notes)
    title = "The visit's agreements, and China's place in Belarus' trade"
    subtitle = (
        "Agreements signed during Lukashenko's visit. China's place among Belarus' trading partners is "
        "stated in the present tense, not as a result of the visit."
    )
    return framed_figure(
        "visit-deals",
        title,
        subtitle,
        _deals_chart(frame),
        notes,
        _download_columns(frame),
        summary=f"Two numbers. {'; '.join(f'{c}: {d}' for c, d in zip(frame['label'], frame['display'], strict=True))}.",
        qualifiers=frame["display"],
        slide_chart=_deals_slide(frame),
    )


# The Trade page's tab for each figure: a few words, so the four fit one row on a phone.
TRADE_TABS = {
    "bilateral-trade": "Trade",
    "potash-imports": "Potash imports",
    "potash-supply": "Potash supply",
    "visit-deals": "The visit",
}


def trade_figures(dataset: Dataset, notes: Footnotes | None = None) -> list[Figure]:
    """One numbering for the page: a quote cited by two charts has one number."""
    notes = notes or Footnotes(dataset)
    return [
        bilateral_trade_figure(dataset, notes),
        potash_imports_figure(dataset, notes),
        potash_supply_figure(dataset, notes),
        visit_deals_figure(dataset, notes),
    ]

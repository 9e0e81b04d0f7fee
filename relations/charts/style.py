"""Type and framing shared by every chart: one look on screen and on a 16:9 slide."""

import altair as alt
import pandas as pd

from relations.charts.palette import BASIS, INK, MUTED
from relations.citing import Footnotes
from relations.figures import Figure

BASIS_ORDER = list(BASIS)
BASIS_LABELS = {
    "reported": "reported (stated in a source)",
    "derived": "derived (computed from reported figures)",
    "editorial": "editorial (our choice)",
}
QUALIFIER_NOTE = "≈ approximate (“about”) · ≥ lower bound (“exceeding”)"

FONT = "Source Sans Pro, sans-serif"  # vl-convert drops all text if a listed family is unknown
# Sizes in px on screen; a slide is laid out at 960×540 px = 720×405 pt… scaled to 1920×1080, so
# these are also points on a slide 540 pt high: labels ≥ 14, as a projector needs.
LABEL_SIZE = 14
SMALL_SIZE = 13  # secondary text on screen only (tooltips, axis titles)


def basis_color(legend_title: str = "Basis", drawn: list[str] | None = None) -> alt.Color:
    """Legend lists only the bases drawn (drawn=None: all three)."""
    shown = [b for b in BASIS_ORDER if drawn is None or b in drawn]
    return alt.Color(
        "basis_label:N",
        title=legend_title,
        scale=alt.Scale(domain=[BASIS_LABELS[b] for b in shown], range=[BASIS[b] for b in shown]),
        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=0),
    )


def derived_dash() -> alt.StrokeDash:
    """Derived marks get a dashed outline as well as a lighter fill, so they differ in greyscale too."""
    return alt.StrokeDash(
        "basis:N",
        scale=alt.Scale(domain=BASIS_ORDER, range=[[1, 0], [6, 3], [2, 2]]),
        legend=None,
    )


def screen_config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Fonts and axes for the page; the slide export replaces this config with its own sizes."""
    return (
        # Marks are not announced one by one: the chart is one image whose name is the figure's text
        # alternative (Vega's description), and the same facts are in the data table and CSV.
        chart.configure(font=FONT)
        .configure_mark(aria=False)
        .configure_axis(
            aria=False,
            labelFontSize=LABEL_SIZE - 1,
            titleFontSize=SMALL_SIZE,
            labelColor=INK,
            titleColor=MUTED,
        )
        .configure_legend(
            aria=False, labelFontSize=LABEL_SIZE - 1, titleFontSize=SMALL_SIZE, titleColor=MUTED, labelLimit=0
        )
        .configure_view(stroke=None)
    )


def framed_figure(
    figure_id: str,
    title: str,
    subtitle: str,
    chart: alt.TopLevelMixin,
    notes: Footnotes,
    data: pd.DataFrame,
    summary: str,
    qualifiers: bool = False,
    datasets: dict | None = None,
    slide_chart: alt.TopLevelMixin | None = None,
) -> Figure:
    """What every builder returns. The page sets title and subtitle as text above a chart that fills
    the column; the slide export frames the same chart with them (relations/export.py).

    summary is the figure's text alternative: one or two sentences a screen reader (or a reader with
    images off) gets instead of the marks."""
    chart = screen_config(chart)
    if datasets:
        chart.datasets = datasets
    notes_line = [QUALIFIER_NOTE] if qualifiers else []
    return Figure(
        figure_id,
        title,
        subtitle,
        chart,
        notes.entries(),
        data,
        summary,
        notes_line,
        screen_config(slide_chart) if slide_chart is not None else None,
    )

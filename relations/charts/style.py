"""Colours and type in one place: colour-blind-safe (Okabe–Ito) and readable on a projector."""

import textwrap

import altair as alt
import pandas as pd

from relations.citing import Footnotes
from relations.figures import Figure

# Okabe & Ito (2008), safe for the common colour-vision deficiencies.
BLUE, ORANGE, SKY, GREEN, YELLOW, VERMILLION, PURPLE = (
    "#0072B2",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#D55E00",
    "#CC79A7",
)
NEUTRAL = "#d9d9d9"
INK = "#333333"
MUTED = "#767676"  # 4.5:1 on white

BASIS_ORDER = ["reported", "derived", "editorial"]
BASIS_COLORS = [BLUE, ORANGE, PURPLE]
BASIS_LABELS = {
    "reported": "reported (stated in a source)",
    "derived": "derived (computed from reported figures)",
    "editorial": "editorial (our choice)",
}
QUALIFIER_NOTE = "≈ approximate (“about”) · ≥ lower bound (“exceeding”)"

FONT = "Source Sans Pro, sans-serif"  # vl-convert drops all text if a listed family is unknown
TITLE_SIZE = 20
SUBTITLE_CHARS = 110
LABEL_SIZE = 13


def basis_color(legend_title: str = "Basis") -> alt.Color:
    return alt.Color(
        "basis_label:N",
        title=legend_title,
        scale=alt.Scale(domain=[BASIS_LABELS[b] for b in BASIS_ORDER], range=BASIS_COLORS),
        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400),
    )


def derived_dash(legend: bool = False) -> alt.StrokeDash:
    """Derived marks get a dashed outline as well as a colour, so they differ in greyscale too."""
    return alt.StrokeDash(
        "basis:N",
        title="Basis (outline)",
        scale=alt.Scale(domain=BASIS_ORDER, range=[[1, 0], [6, 3], [2, 2]]),
        legend=alt.Legend(orient="bottom", symbolStrokeColor=INK, symbolFillColor="white")
        if legend
        else None,
    )


def titled(chart: alt.TopLevelMixin, title: str, subtitle: str, qualifiers: bool = True) -> alt.VConcatChart:
    """Title, subtitle and theme on a one-view vconcat.

    Streamlit's frontend forces autosize "fit" on single and layered views (titles and legends are
    squeezed into width × height); Vega cannot fit a concatenation and pads it, as vl-convert does,
    so a chart keeps its proportions on screen and on a slide."""
    return (
        alt.vconcat(chart)
        .properties(
            title=alt.TitleParams(
                text=title,
                subtitle=[
                    *textwrap.wrap(subtitle, SUBTITLE_CHARS),
                    *([QUALIFIER_NOTE] if qualifiers else []),
                ],
                anchor="start",
                fontSize=TITLE_SIZE,
                subtitleFontSize=LABEL_SIZE,
                subtitleColor=MUTED,
            )
        )
        .configure(font=FONT, autosize=alt.AutoSizeParams(type="pad"))
        .configure_axis(labelFontSize=LABEL_SIZE, titleFontSize=LABEL_SIZE)
        .configure_legend(labelFontSize=LABEL_SIZE, titleFontSize=LABEL_SIZE)
        .configure_view(stroke=None)
    )


def framed_figure(
    figure_id: str,
    title: str,
    subtitle: str,
    chart: alt.TopLevelMixin,
    notes: Footnotes,
    data: pd.DataFrame,
    qualifiers: bool = True,
) -> Figure:
    """The chart with its title frame, footnotes and downloadable data: what every builder returns."""
    return Figure(
        figure_id, title, subtitle, titled(chart, title, subtitle, qualifiers), notes.entries(), data
    )

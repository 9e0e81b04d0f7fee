"""Type and framing shared by every chart: one look on screen and on a 16:9 slide."""

from collections.abc import Iterable
from functools import cache
from pathlib import Path

import altair as alt
import pandas as pd

from relations.charts.palette import BASIS, INK, MUTED
from relations.citing import Footnotes
from relations.figures import Figure
from relations.formatting import QUALIFIER_SIGNS, QUALIFIER_WORDS

BASIS_ORDER = list(BASIS)
BASIS_LABELS = {
    "reported": "reported (stated in a source)",
    "derived": "derived (computed from reported figures)",
    "editorial": "editorial (our choice)",
}
KEYED_QUALIFIERS = ("approx", "at_least", "at_most")

FONT = "Source Sans Pro, sans-serif"  # slides: vl-convert drops all text if a listed family is unknown
# The page: Streamlit's frontend serves its own face as "Source Sans" (@font-face in its CSS), and a
# reader's browser seldom has Source Sans Pro installed, so the page names Streamlit's first and the
# charts read in the app's type instead of falling back to a system sans.
PAGE_FONT = '"Source Sans", "Source Sans 3", "Source Sans Pro", sans-serif'
# Sizes in px on screen; a slide is laid out at 960×540 px = 720×405 pt… scaled to 1920×1080, so
# these are also points on a slide 540 pt high: labels ≥ 14, as a projector needs.
LABEL_SIZE = 14
SMALL_SIZE = 13  # secondary text on screen only (tooltips, axis titles)
# The narrowest plot a page chart gets: a 360 px screen, less Streamlit's margins and a y-axis. Direct
# labels are laid out for this width; at any wider one they only move further apart.
MIN_PLOT_WIDTH = 260
# The 16:9 slide (relations/export.py lays it out; some builders need its room for their own layout).
SLIDE_WIDTH, SLIDE_HEIGHT, SLIDE_PADDING = 960, 540, 24
SLIDE_AXIS_ALLOWANCE = 90  # y-axis labels and a legend beside the plot
SLIDE_PLOT_WIDTH = SLIDE_WIDTH - 2 * SLIDE_PADDING - SLIDE_AXIS_ALLOWANCE
SLIDE_TITLE_SIZE, SLIDE_SUBTITLE_SIZE, SLIDE_LABEL_SIZE, FOOTER_SIZE = 28, 16, 14, 12
SLIDE_TITLE_BLOCK, SUBTITLE_LINE, FOOTER_LINE, SLIDE_LEGEND_BLOCK = 48, 20, 15, 64
SLIDE_SPACING = 14  # between the chart and the source lines
SUBTITLE_CHARS = 115
FOOTER_CHARS = 150


def slide_plot_height(subtitle_lines: int, footer_lines: int) -> int:
    """What is left of the 540 px slide for the plot once title, subtitle, legend and footer have room."""
    chrome = (
        SLIDE_TITLE_BLOCK
        + SUBTITLE_LINE * subtitle_lines
        + FOOTER_LINE * footer_lines
        + SLIDE_LEGEND_BLOCK
        + SLIDE_SPACING
    )
    return SLIDE_HEIGHT - 2 * SLIDE_PADDING - chrome


@cache
def _metrics(bold: bool) -> tuple[dict, dict, int]:
    import font_source_sans_pro
    from fontTools.ttLib import TTFont

    name = "SourceSansPro-Bold.otf" if bold else "SourceSansPro-Regular.otf"
    font = TTFont(Path(font_source_sans_pro.font_directory) / name, lazy=True)
    # Glyphs named by their index: the real names are in the CFF table, whose parser costs more
    # (≈0.1-0.25 s a process) than the advance widths it would name.
    font.setGlyphOrder([f"glyph{i}" for i in range(font["maxp"].numGlyphs)])
    return font.getBestCmap(), {g: w for g, (w, _) in font["hmtx"].metrics.items()}, font["head"].unitsPerEm


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in px of one line set in Source Sans Pro, the slides' face (the page's Source Sans is
    drawn from the same design). Unknown characters count as an em."""
    cmap, widths, em = _metrics(bold)
    return sum(widths.get(cmap.get(ord(ch), ""), em) for ch in text) * size / em


def wrap_to_width(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Lines no wider than width px, broken at spaces (a single longer word keeps its own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size, bold) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


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


@cache
def _screen_config() -> alt.Config:
    """One config object for every page chart: charts only read it, and Altair's configure_* methods
    copy a config before they change it."""
    # Marks are not announced one by one: the chart is one image whose name is the figure's text
    # alternative (Vega's description), and the same facts are in the data table and CSV.
    return alt.Config(
        font=PAGE_FONT,
        mark=alt.MarkConfig(aria=False),
        axis=alt.AxisConfig(
            aria=False,
            labelFontSize=LABEL_SIZE - 1,
            titleFontSize=SMALL_SIZE,
            labelColor=INK,
            titleColor=MUTED,
        ),
        legend=alt.LegendConfig(
            aria=False, labelFontSize=LABEL_SIZE - 1, titleFontSize=SMALL_SIZE, titleColor=MUTED, labelLimit=0
        ),
        view=alt.ViewConfig(stroke=None),
    )


def screen_config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Fonts and axes for the page, set on chart itself: each of Altair's configure_* calls rebuilds a
    layered chart, deep-copying its layers twice (≈0.1 s a figure). A slide has its own config
    (relations/export.py), so slide layouts get none."""
    chart.config = _screen_config()
    return chart


def qualifier_key(texts: Iterable[str]) -> list[str]:
    """The key line for the signs (≈, ≥, ≤) that texts, the values a chart writes, carry; none when
    they carry none: a key to a sign the chart does not use reads as if it did."""
    texts = list(texts)
    signs = {q: QUALIFIER_SIGNS[q].strip() for q in KEYED_QUALIFIERS}
    shown = [
        # A no-break space: a line that broke after "≈" left the sign at the end of one line, its meaning
        # on the next.
        f"{signs[q]}\u00a0{QUALIFIER_WORDS[q]}"
        for q in KEYED_QUALIFIERS
        if any(signs[q] in t for t in texts)
    ]
    return [" · ".join(shown)] if shown else []


def framed_figure(
    figure_id: str,
    title: str,
    subtitle: str,
    chart: alt.TopLevelMixin,
    notes: Footnotes,
    data: pd.DataFrame,
    summary: str,
    qualifiers: Iterable[str] = (),
    datasets: dict | None = None,
    slide_chart: alt.TopLevelMixin | None = None,
    slide_subtitle: str | None = None,
    draws_markers: bool = False,
) -> Figure:
    """What every builder returns. The page sets title and subtitle as text above a chart that fills
    the column; the slide export frames the same chart with them (relations/export.py).

    summary is the figure's text alternative: one or two sentences a screen reader (or a reader with
    images off) gets instead of the marks."""
    chart = screen_config(chart)
    if datasets:
        chart.datasets = datasets
    notes_line = qualifier_key(qualifiers)
    return Figure(
        figure_id,
        title,
        subtitle,
        chart,
        notes.entries(),
        data,
        summary,
        notes_line,
        slide_chart,
        slide_subtitle,
        draws_markers,
    )

"""Trade: Belarus–China trade and potash, each figure marked reported, derived or approximate."""

import streamlit as st

from pages.shared import (
    cached_build,
    dataset_or_stop,
    render_figure_tabs,
    render_page_heading,
    render_view_sidebar,
    show_notices,
)
from relations.charts.style import qualifier_key
from relations.charts.trade import TRADE_TABS, trade_figures
from relations.view_state import parse_choice

dataset = dataset_or_stop()
figures = cached_build(trade_figures, dataset)
ids = [figure.id for figure in figures]
linked = parse_choice(st.query_params.get("figure"), ids, ids[0], "figure", TRADE_TABS[ids[0]])
# The signs any of the page's charts writes: each chart's key holds those it writes.
signs = "".join(f" {line}." for line in qualifier_key(line for f in figures for line in f.key_lines))
render_page_heading(
    "Trade",
    "Dark blue marks are stated in a source; light blue marks with a dashed outline are derived from them "
    f"(each one's formula is in its data and tooltip).{signs} Tonnes and dollars are never on one axis.",
)
show_notices(linked.notice)
shown = render_figure_tabs(figures, TRADE_TABS, dataset, key="trade-figure", chosen=linked.value)
render_view_sidebar(
    "trade",
    dataset,
    sorted({n for f in figures for n in f.footnotes}, key=lambda n: n.number),
    figures,
    {"figure": shown.id} if shown is not figures[0] else {},
)

"""Trade: Belarus–China trade and potash, each figure marked reported, derived or approximate."""

from pages.shared import (
    cached_build,
    dataset_or_stop,
    linked_figure,
    render_figure_tabs,
    render_page_heading,
    render_view_sidebar,
    show_notices,
)
from relations.charts.style import qualifier_key
from relations.charts.trade import TRADE_TABS, trade_figures

dataset = dataset_or_stop()
figures = cached_build(trade_figures, dataset)
linked = linked_figure(TRADE_TABS)
# The signs any of the page's charts writes: each chart's key holds those it writes.
signs = "".join(f" {line}." for line in qualifier_key(line for f in figures for line in f.key_lines))
render_page_heading(
    "Trade",
    "Dark blue marks are stated in a source; light blue marks with a dashed outline are derived from them "
    f"(each one's formula is in its data and tooltip).{signs} Tonnes and dollars are never on one axis.",
)
show_notices(linked.notice)
open_tab = render_figure_tabs(figures, TRADE_TABS, dataset, key="trade-figure", chosen=linked.value)
render_view_sidebar(
    "trade",
    dataset,
    sorted({n for f in figures for n in f.footnotes}, key=lambda n: n.number),
    figures,
    open_tab,
)

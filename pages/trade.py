"""Trade: Belarus–China trade and potash, each figure marked reported, derived or approximate."""

from pages.shared import (
    cached_build,
    dataset_or_stop,
    render_figure,
    render_page_heading,
    render_view_sidebar,
)
from relations.charts.style import qualifier_key
from relations.charts.trade import trade_figures

dataset = dataset_or_stop()
figures = cached_build(trade_figures, dataset)
# The signs any of the page's charts writes: each chart's key holds those it writes.
signs = "".join(f" {line}." for line in qualifier_key(line for f in figures for line in f.key_lines))
render_page_heading(
    "Trade",
    "Dark blue marks are stated in a source; light blue marks with a dashed outline are derived from them "
    f"(each one's formula is in its data and tooltip).{signs} Tonnes and dollars are never on one axis.",
)
for figure in figures:
    render_figure(figure, dataset, divided=True)
render_view_sidebar(
    "trade", dataset, sorted({n for f in figures for n in f.footnotes}, key=lambda n: n.number), figures
)

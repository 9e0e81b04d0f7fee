"""Trade: Belarus–China trade and potash, each figure marked reported, derived or approximate."""

from pages.shared import (
    cached_build,
    dataset_or_stop,
    render_figure,
    render_page_heading,
    render_view_sidebar,
)
from relations.charts.style import QUALIFIER_NOTE
from relations.charts.trade import trade_figures

dataset = dataset_or_stop()
render_page_heading(
    "Trade",
    "Dark blue marks are stated in a source; light blue marks with a dashed outline are derived from them "
    f"(each one's formula is in its data and tooltip). {QUALIFIER_NOTE}. Tonnes and dollars are never on one axis.",
)
figures = cached_build(trade_figures, dataset)
for figure in figures:
    render_figure(figure, dataset, divided=True)
render_view_sidebar(
    "trade", dataset, sorted({n for f in figures for n in f.footnotes}, key=lambda n: n.number), figures
)

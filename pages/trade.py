"""Trade: Belarus–China trade and potash, each figure marked reported, derived or approximate."""

import streamlit as st

from pages.shared import cached_build, dataset_or_stop, render_figure, render_view_sidebar
from relations.charts.trade import trade_figures

dataset = dataset_or_stop()
st.title("Trade")
st.caption(
    "Solid blue marks are stated in a source; orange, dashed marks are derived from them (hover for the formula). "
    "≥ marks a lower bound (“exceeding”), ≈ an approximation (“about”). Tonnes and dollars are never on one axis."
)
figures = cached_build(trade_figures, dataset)
for figure in figures:
    st.divider()
    render_figure(figure, dataset)
render_view_sidebar("trade", dataset, [note for figure in figures for note in figure.footnotes], figures)

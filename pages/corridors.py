"""Rail corridors: why Belarus matters to China's Belt and Road, drawn schematically and cited."""

import streamlit as st

from pages.shared import cached_build, dataset_or_stop, render_figure_tools, render_view_sidebar, show_notices
from relations.charts.corridors import corridor_figure
from relations.views import parse_view

dataset = dataset_or_stop()
corridors = dataset["corridors"]
names = dict(zip(corridors["id"], corridors["name"], strict=True))
link_view, notices = parse_view(st.query_params.to_dict(), dataset)

st.title("Rail corridors")
show_notices(*notices)
shown = st.multiselect(
    "Corridors on the map",
    list(names),
    default=list(link_view.corridors) if link_view.corridors is not None else list(names),
    format_func=names.get,
)

figure = cached_build(corridor_figure, dataset, tuple(shown))
chart_column, quotes_column = st.columns([5, 2])
with chart_column:
    st.vega_lite_chart(figure.spec, theme=None, width="content", alt=f"{figure.title}. {figure.subtitle}")
    st.caption(
        "Schematic: every line, waypoint and crossing is an editorial illustration; hover for notes and sources."
    )
with quotes_column:
    render_figure_tools(figure, dataset)
with st.expander("Waypoints as a table (all coordinates editorial)"):
    st.dataframe(figure.data, hide_index=True)
state = {} if set(shown) == set(names) else {"corridors": ",".join(shown)}
render_view_sidebar("corridors", dataset, figure.footnotes, [figure], state)

"""Rail corridors: why Belarus matters to China's Belt and Road, drawn schematically and cited."""

import streamlit as st

from pages.shared import (
    cached_build,
    dataset_or_stop,
    lazy_expander,
    linked_figure,
    render_figure_tabs,
    render_view_sidebar,
    show_notices,
)
from relations.charts.corridors import CORRIDOR_TABS
from relations.views import corridor_page_figures, parse_view

# What changes from row to row first, so a phone shows the places; the corridor's own columns (the same
# on each of its rows) stay in the figure's CSV download.
WAYPOINT_COLUMNS = {
    "place": "Place",
    "role": "Role",
    "countries": "Countries",
    "lon": "Longitude",
    "lat": "Latitude",
    "basis": "Basis",
    "note": "Note",
    "sources": "Quotes",
    "corridor_name": "Corridor",
    "seq": "Order",
}

dataset = dataset_or_stop()
corridors = dataset["corridors"]
names = dict(zip(corridors["id"], corridors["name"], strict=True))
link_view, notices = parse_view(st.query_params.to_dict(), dataset)
linked = linked_figure(CORRIDOR_TABS)

st.title("Rail corridors")
show_notices(*notices, linked.notice)
# A choice only where there is one to make: with a single corridor the box would hold one fixed name.
shown = list(names)
if len(names) > 1:
    shown = st.multiselect(
        "Corridors on the map",
        list(names),
        default=list(link_view.corridors) if link_view.corridors is not None else list(names),
        format_func=names.get,
    )
page = cached_build(corridor_page_figures, dataset, tuple(shown))
open_tab = render_figure_tabs(
    page.figures, CORRIDOR_TABS, dataset, key="corridor-figure", chosen=linked.value
)
if table := lazy_expander("Waypoints as a table (all coordinates editorial)", key="waypoints"):
    table.dataframe(
        page.figures[0].data,
        hide_index=True,
        column_order=list(WAYPOINT_COLUMNS),
        column_config=WAYPOINT_COLUMNS,
    )
state = {} if set(shown) == set(names) else {"corridors": ",".join(shown)}
state |= open_tab
render_view_sidebar("corridors", dataset, page.notes.page_entries(), page.figures, state)

"""Relations map: who stands where with a focus country — partnership tiers, alliances, sanctions."""

import streamlit as st

from pages.shared import (
    cached_build,
    dataset_or_stop,
    render_figure,
    render_figure_tools,
    render_footnotes,
    render_relation_lines,
    render_view_sidebar,
    show_notices,
)
from relations.charts.relation_map import LAYERS, MapView, ladder_figure, relation_map_figure
from relations.citing import Footnotes
from relations.profile import country_names, pair_key, pair_profile
from relations.view_state import format_pair
from relations.views import focusable_countries, map_countries, parse_view

SEARCH_KEY = "map-search"
MAP_KEY = "map-chart"

dataset = dataset_or_stop()
names = country_names(dataset)
focusable = focusable_countries(dataset)
map_names = map_countries()
searchable = sorted(map_names, key=map_names.get)
link_view, notices = parse_view(st.query_params.to_dict(), dataset)
if SEARCH_KEY not in st.session_state:
    st.session_state[SEARCH_KEY] = link_view.map.selected


def select_clicked_country() -> None:
    """A click on the map fills the search box, so both ways of choosing end in one place."""
    picked = st.session_state[MAP_KEY].selection.get("country", [])
    if picked and picked[0].get("alpha3") in map_names:
        st.session_state[SEARCH_KEY] = picked[0]["alpha3"]


st.title("Relations map")
show_notices(*notices)
left, middle, right = st.columns([3, 2, 3])
focus = left.selectbox(
    "Focus country", focusable, index=focusable.index(link_view.map.focus), format_func=names.get
)
layer = middle.radio(
    "Layer", LAYERS, index=LAYERS.index(link_view.map.layer), horizontal=True, format_func=str.capitalize
)
selected = right.selectbox(
    "Find a country",
    searchable,
    key=SEARCH_KEY,
    format_func=map_names.get,
    index=None,
    placeholder="Type a name…",
)
if selected == focus:
    selected = None

state = {
    "focus": focus,
    "layer": layer,
    **({"pair": format_pair(pair_key(focus, selected))} if selected else {}),
}

figure = cached_build(relation_map_figure, dataset, MapView(focus, layer, selected))
st.vega_lite_chart(
    figure.spec,
    theme=None,
    width="content",
    key=MAP_KEY,
    on_select=select_clicked_country,
    selection_mode="country",
    alt=f"{figure.title}. {figure.subtitle}",
)
st.caption("Click a country or use the search box to see the pair below; double-click the map to clear.")

if selected:
    st.subheader(f"{names.get(focus, focus)} and {map_names[selected]}")
    pair = pair_key(focus, selected)
    pair_relations = pair_profile(dataset, pair).relations
    if pair_relations.empty:
        st.info("The dataset records no relation between these two.", icon=":material/info:")
    else:
        pair_notes = Footnotes(dataset)
        render_relation_lines(pair_relations, names, pair_notes)
        render_footnotes(pair_notes.entries(), heading="Quotes for this pair")

render_figure_tools(figure, dataset)
with st.expander("The map's data as a table"):
    st.dataframe(figure.data, hide_index=True)

st.divider()
ladder = cached_build(ladder_figure, dataset)
render_figure(ladder, dataset)
render_view_sidebar(
    f"map-{focus}-{layer}", dataset, figure.footnotes + ladder.footnotes, [figure, ladder], state
)

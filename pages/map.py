"""Relations map: who stands where with a focus country — partnership tiers, alliances, sanctions."""

import streamlit as st

from pages.shared import (
    cached_build,
    dataset_or_stop,
    lazy_expander,
    linked_tabs,
    render_figure,
    render_footnotes,
    render_view_sidebar,
    show_notices,
    start_from_link,
)
from relations.charts.relation_map import LAYERS, MapView
from relations.formatting import escape_markdown as md
from relations.formatting import relation_lines_markdown, stance_lines_markdown
from relations.profile import country_names, pair_key, pair_profile, pair_stances
from relations.view_state import format_pair
from relations.views import focusable_countries, map_countries, map_page_figures, parse_view

FOCUS_KEY, SEARCH_KEY = "map-focus", "map-search"
MAP_KEY = "map-chart"
LAYER_KEY = "map-layer"
CHOOSE_ICON = ":material/travel_explore:"
LADDER_ICON = ":material/stairs:"

dataset = dataset_or_stop()
names = country_names(dataset)
focusable = focusable_countries(dataset)
map_names = map_countries()
searchable = sorted(map_names, key=map_names.get)
link_view, notices = parse_view(st.query_params.to_dict(), dataset)


def select_clicked_country() -> None:
    """A click on the map chooses the pair detail's country, as the search does, so both ways of
    choosing end in one place."""
    picked = st.session_state[MAP_KEY].selection.get("country", [])
    if picked and picked[0].get("alpha3") in map_names:
        st.session_state[SEARCH_KEY] = picked[0]["alpha3"]


st.title("Relations map")
show_notices(*notices)
# The choices in a popover built only while open, as the timeline's filter: a new tab draws no
# selectbox (each added about a sixth of a hello page's time to the map's first view). The map's
# headline names the focus and the pair's heading its country; a click on the map needs no popover.
choices = st.popover("Focus or find a country", icon=CHOOSE_ICON, key="map-choose", on_change="rerun")
if choices.open:
    start_from_link(FOCUS_KEY, link_view.map.focus)
    start_from_link(SEARCH_KEY, link_view.map.selected)
    focus = choices.selectbox("Focus country", focusable, key=FOCUS_KEY, format_func=names.get)
    selected = choices.selectbox(
        "Pair detail: click a country or find it",
        searchable,
        key=SEARCH_KEY,
        format_func=map_names.get,
        index=None,
        placeholder="Type a country's name…",
    )
else:
    # Closed, the link holds the choices (a click on the map may have chosen a country since): their
    # keys are cleared, so the popover next opens on the link's values, not on a value set before.
    st.session_state.pop(FOCUS_KEY, None)
    focus, selected = link_view.map.focus, st.session_state.pop(SEARCH_KEY, link_view.map.selected)
selected = None if selected == focus else selected
# The layers as tabs, not a radio: the same one choice, named where the map is, and no radio for every
# new tab's browser to load and draw (a radio added a tenth of a hello page's time).
layer_tabs = linked_tabs(
    [layer.capitalize() for layer in LAYERS], key=LAYER_KEY, linked=link_view.map.layer.capitalize()
)
layer = next((layer for layer, tab in zip(LAYERS, layer_tabs, strict=True) if tab.open), LAYERS[0])
state = {
    "focus": focus,
    "layer": layer,
    **({"pair": format_pair(pair_key(focus, selected))} if selected else {}),
}

page = cached_build(map_page_figures, dataset, MapView(focus, layer, selected))
figure, *ladder = page.figures  # the ladder only beside a map coloured by China's rungs
with layer_tabs[LAYERS.index(layer)]:
    render_figure(figure, dataset, key=MAP_KEY, on_select=select_clicked_country, selection_mode="country")

    if selected:
        pair_names = f"{md(names.get(focus, focus))} and {md(map_names[selected])}"
        st.markdown(f"#### {pair_names}")
        pair_relations = cached_build(pair_profile, dataset, pair_key(focus, selected)).relations
        if pair_relations.empty:
            st.info("The dataset records no relation between these two.", icon=":material/info:")
        else:
            pair_notes = page.notes.copy()
            # Headed as on the Overview, so the two lists do not run together as one.
            detail = f"**Relations**\n\n{relation_lines_markdown(pair_relations, names, pair_notes)}"
            between = pair_stances(dataset, pair_key(focus, selected))  # one of the two about the other
            if not between.empty:
                detail += f"\n\n**What {pair_names} say about each other**\n\n"
                detail += stance_lines_markdown(between, names, pair_notes)
            st.markdown(detail)
            render_footnotes(pair_notes.entries(), heading="Quotes for this pair")

    # The ladder ranks the Ties colours: one click away, so a new tab draws one chart, not two.
    if ladder and (
        box := lazy_expander(f"{ladder[0].title}, in the Ties map's colours", key="ladder", icon=LADDER_ICON)
    ):
        with box:
            render_figure(ladder[0], dataset)
render_view_sidebar(
    f"map-{focus}-{layer}",
    dataset,
    (pair_notes if selected and not pair_relations.empty else page.notes).page_entries(),
    page.figures,
    state,
)

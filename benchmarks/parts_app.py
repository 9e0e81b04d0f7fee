"""A page made of chosen parts (?parts=, comma-separated; see PARTS and FIGURES) after the hello
page's title and chart: what each kind of element, or each of the dashboard's own charts alone, adds
to a page's time in a browser (benchmarks/page_parts.py times it against the hello page). One replica
serves every variant, as one serves every page of the dashboard: a browser keeps compiled code per
origin, and a replica per variant left each variant's code colder than the hello page's."""

import altair as alt
import pandas as pd
import streamlit as st

CHOICES = ["a", "b", "c"]


def small_chart() -> None:
    frame = pd.DataFrame({"year": ["2021", "2022"], "value": [3.7, 5.1]})
    st.altair_chart(alt.Chart(frame).mark_bar().encode(x="year:N", y="value:Q"), width="stretch")


PARTS = {
    "selectbox": lambda: st.selectbox("Focus", CHOICES),
    "radio": lambda: st.radio("Layer", CHOICES, horizontal=True),
    "multiselect": lambda: st.multiselect("Actors", CHOICES, default=CHOICES[:1]),
    "pills": lambda: st.pills("Layer", CHOICES, default=CHOICES[0]),
    "segmented": lambda: st.segmented_control("Layer", CHOICES, default=CHOICES[0]),
    "markdown": lambda: st.markdown("### Heading\n\n:small[A subtitle]"),
    "expander": lambda: st.expander("Tools", on_change="rerun", key="tools"),
    "tabs": lambda: st.tabs(["Totals", "Potash", "Visit"], on_change="rerun", key="figure"),
    "popover": lambda: st.popover("Filters", on_change="rerun", key="filters"),
    "notice": lambda: st.warning("A notice", icon=":material/link_off:"),
    "sidebar": lambda: (
        st.sidebar.markdown("**Link** `http://example/relations/map`"),
        st.sidebar.download_button("Deck", data=b"x", file_name="x.pptx", on_click="ignore"),
    ),
    "chart": small_chart,
}


def _figures() -> dict:
    """The dashboard's own charts, by name, as their pages build them: imported only for a variant
    that shows one, so the other variants' pages are the hello page's plus their parts alone."""
    from pages.shared import cached_build, dataset_or_stop, world_geometry_url
    from relations.charts.relation_map import MapView
    from relations.charts.timeline import DEFAULT_END, DEFAULT_START, MATCH_RULES, timeline_figure
    from relations.charts.trade import trade_figures
    from relations.views import corridor_page_figures, map_page_figures

    world_geometry_url()
    dataset = dataset_or_stop()
    mapped = cached_build(map_page_figures, dataset, MapView("CHN", "ties", None)).figures
    corridors = cached_build(corridor_page_figures, dataset, None).figures
    trade = cached_build(trade_figures, dataset)
    return {
        "map": mapped[0],
        "ladder": mapped[1],
        "corridors": corridors[0],
        "belarus-section": corridors[1],
        **{f"trade-{i}": figure for i, figure in enumerate(trade)},
        "timeline": cached_build(
            timeline_figure, dataset, (), MATCH_RULES[0], DEFAULT_START, DEFAULT_END, None, 0
        ),
    }


FIGURES = (
    "map",
    "ladder",
    "corridors",
    "belarus-section",
    "trade-0",
    "trade-1",
    "trade-2",
    "trade-3",
    "timeline",
)
# A figure's name with this suffix draws it as the map page does, with a click selection: a chart with a
# selection is a widget (st.vega_lite_chart), one without is a plain element.
SELECTING = "-select"

parts = [p for p in st.query_params.get("parts", "").split(",") if p]
st.title("Hello")
if "no-chart" not in parts:
    small_chart()
figures = _figures() if {part.removesuffix(SELECTING) for part in parts} & set(FIGURES) else {}
for part in parts:
    if part in PARTS:
        PARTS[part]()
    elif (name := part.removesuffix(SELECTING)) in figures:
        from pages.shared import show_chart

        selection = {"on_select": "rerun", "selection_mode": "country", "key": part} if name != part else {}
        show_chart(figures[name], **selection)

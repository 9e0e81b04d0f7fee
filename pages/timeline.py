"""Timeline: events from September 2022 to March 2023, filterable by actor, with their quotes."""

import streamlit as st

from pages.shared import cached_build, dataset_or_stop, render_figure, render_view_sidebar, show_notices
from relations.charts.timeline import timeline_figure
from relations.profile import country_names
from relations.view_state import parse_codes

dataset = dataset_or_stop()
names = country_names(dataset)
actors_in_events = sorted({code for actors in dataset["events"]["actors"] for code in actors})
parsed = parse_codes(st.query_params.get("actors"), actors_in_events, "actors")

st.title("Timeline")
show_notices(parsed.notice)
actors = st.multiselect(
    "Filter by actor (none chosen: all events)",
    actors_in_events,
    default=parsed.value,
    format_func=lambda code: names[code],
)
figure = cached_build(timeline_figure, dataset, tuple(actors))
render_figure(figure, dataset)
render_view_sidebar(
    "timeline", dataset, figure.footnotes, [figure], {"actors": ",".join(actors)} if actors else {}
)

"""Timeline: events from September 2022 to March 2023, filterable by actor, with their quotes."""

import streamlit as st

from pages.shared import (
    cached_build,
    dataset_or_stop,
    render_figure,
    render_view_sidebar,
    show_notices,
    start_from_link,
)
from relations.charts.timeline import (
    DEFAULT_END,
    DEFAULT_START,
    EVENTS_PER_PAGE,
    MATCH_LABELS,
    MATCH_RULES,
    matching_event_ids,
    timeline_figure,
)
from relations.paging import spans
from relations.profile import country_names
from relations.view_state import parse_choice, parse_codes
from relations.views import event_actors_by_name

FILTER_ICON = ":material/filter_list:"
ACTORS_KEY, MATCH_KEY = "timeline-actors", "timeline-match"

dataset = dataset_or_stop()
names = country_names(dataset)
actors_in_events = event_actors_by_name(dataset)
parsed = parse_codes(st.query_params.get("actors"), actors_in_events, "actors")
rule = parse_choice(
    st.query_params.get("match"), list(MATCH_RULES), MATCH_RULES[0], "match", MATCH_LABELS[MATCH_RULES[0]]
)

st.title("Timeline")
show_notices(parsed.notice, rule.notice)
# The filter in a popover built only while open: a new tab draws no multiselect or radio (each added
# a tenth of a hello page's time to the page's first view). The chart's headline says what is shown;
# the button's label stays the same, since a new label would make it a new, closed popover.
actors, match = list(parsed.value), rule.value
if (
    box := st.popover("Filter events by actor", icon=FILTER_ICON, key="timeline-filter", on_change="rerun")
).open:
    start_from_link(ACTORS_KEY, parsed.value)  # closed, the popover leaves the filter to the link
    start_from_link(MATCH_KEY, rule.value)
    actors = box.multiselect(
        "Actors (none chosen: every event)",
        actors_in_events,
        key=ACTORS_KEY,
        format_func=names.get,
        placeholder="Choose countries or blocs",
    )
    match = box.radio(
        "Show events involving", MATCH_RULES, key=MATCH_KEY, format_func=MATCH_LABELS.get, horizontal=True
    )
matching = cached_build(matching_event_ids, dataset, tuple(actors), match)
page = 0
if len(matching) > EVENTS_PER_PAGE:
    ranges = spans(len(matching), EVENTS_PER_PAGE)
    page = st.selectbox(
        f"Events, {EVENTS_PER_PAGE} at a time (in date order)",
        range(len(ranges)),
        format_func=lambda i: f"{ranges[i].label} of {len(matching):,}",
    )
figure = cached_build(timeline_figure, dataset, tuple(actors), match, DEFAULT_START, DEFAULT_END, None, page)
render_figure(figure, dataset)
state = (
    {"actors": ",".join(actors), **({"match": match} if match != MATCH_RULES[0] else {})} if actors else {}
)
render_view_sidebar("timeline", dataset, figure.footnotes, [figure], state)

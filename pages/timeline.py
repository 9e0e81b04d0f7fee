"""Timeline: events from September 2022 to March 2023, filterable by actor, with their quotes."""

import streamlit as st

from pages.shared import cached_build, dataset_or_stop, render_figure, render_view_sidebar, show_notices
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

dataset = dataset_or_stop()
names = country_names(dataset)
actors_in_events = event_actors_by_name(dataset)
parsed = parse_codes(st.query_params.get("actors"), actors_in_events, "actors")
rule = parse_choice(
    st.query_params.get("match"), list(MATCH_RULES), MATCH_RULES[0], "match", MATCH_LABELS[MATCH_RULES[0]]
)

st.title("Timeline")
show_notices(parsed.notice, rule.notice)
controls = st.container(horizontal=True, gap="medium")  # one block; wraps on a phone
actors = controls.multiselect(
    "Actors (none chosen: every event)",
    actors_in_events,
    default=parsed.value,
    format_func=names.get,
    placeholder="Choose countries or blocs",
)
match = controls.radio(
    "Show events involving",
    MATCH_RULES,
    index=MATCH_RULES.index(rule.value),
    format_func=MATCH_LABELS.get,
    horizontal=True,
    width="content",
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

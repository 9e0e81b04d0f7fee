"""Overview: the profile of one country pair (default Belarus–China), every fact numbered to its quote."""

import streamlit as st

from pages.shared import (
    dataset_or_stop,
    render_footnotes,
    render_relation_lines,
    render_view_sidebar,
    show_notices,
)
from relations.citing import Footnotes
from relations.formatting import escape_markdown as md
from relations.formatting import format_figure, pair_label
from relations.profile import country_names, known_pairs, pair_profile
from relations.view_state import format_pair, parse_pair

DEFAULT_PAIR = ("BLR", "CHN")
MAX_METRICS_PER_ROW = 3

dataset = dataset_or_stop()
names = country_names(dataset)
pairs = known_pairs(dataset)
parsed = parse_pair(st.query_params.get("pair"), pairs, DEFAULT_PAIR)
pair = st.selectbox(
    "Country pair",
    pairs,
    index=pairs.index(parsed.value),
    format_func=lambda p: pair_label(names[p[0]], names[p[1]]),
)
show_notices(parsed.notice)

profile = pair_profile(dataset, pair)
notes = Footnotes(dataset)
st.title(md(pair_label(*profile.names)))

if profile.tier is not None:
    tier = profile.tier
    since = f" since {tier.since}" if tier.since else ""
    st.subheader(md(f"{tier.name}{since} {notes.marker(tier.citations)}"))
    st.caption(md(f"Rung {tier.rank} of China's partnership ladder: {tier.meaning}"))

reported = profile.figures[profile.figures["basis"] == "reported"]
if not reported.empty:
    st.markdown("##### Headline figures")
    for start in range(0, len(reported), MAX_METRICS_PER_ROW):
        row = reported.iloc[start : start + MAX_METRICS_PER_ROW]
        for column, (_, figure) in zip(st.columns(MAX_METRICS_PER_ROW), row.iterrows(), strict=False):
            column.metric(
                md(f"{notes.marker(figure['citations'])} {figure['label']}, {figure['period']}"),
                format_figure(figure["value"], figure["unit"], figure["qualifier"], compact=True),
                help=figure["note"] or None,
            )

st.markdown("##### Relations")
render_relation_lines(profile.relations, names, notes)

if not profile.events.empty:
    st.markdown("##### Timeline")
    for _, event in profile.events.iterrows():
        place = f" · {event['place']}" if event["place"] else ""
        st.markdown(
            f"**{md(event['date'])}** {md(event['title'] + place)} {md(notes.marker(event['citations']))}"
        )

render_footnotes(notes.entries())
render_view_sidebar(
    f"overview-{format_pair(pair)}", dataset, notes.entries(), state={"pair": format_pair(pair)}
)

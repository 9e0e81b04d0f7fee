"""Overview: the profile of one country pair (default Belarus–China), every fact numbered to its quote."""

import streamlit as st

from pages.shared import cached_build, dataset_or_stop, render_footnotes, render_view_sidebar, show_notices
from relations.citing import Footnotes
from relations.dates import date_in_words
from relations.formatting import escape_markdown as md
from relations.formatting import figure_lines_markdown, pair_label, relation_lines_markdown, story_intro
from relations.profile import country_names, known_pairs, pair_profile
from relations.view_state import format_pair, parse_pair

DEFAULT_PAIR = ("BLR", "CHN")

dataset = dataset_or_stop()
names = country_names(dataset)
pairs = known_pairs(dataset)
parsed = parse_pair(st.query_params.get("pair"), pairs, DEFAULT_PAIR)
profile = cached_build(pair_profile, dataset, parsed.value)
notes = Footnotes(dataset)

st.title(md(pair_label(*profile.names)))
show_notices(parsed.notice)
st.markdown(md(story_intro(profile, notes)))
pair = st.selectbox(
    "Another pair",
    pairs,
    index=pairs.index(parsed.value),
    format_func=lambda p: pair_label(names[p[0]], names[p[1]]),
)
if pair != parsed.value:
    st.query_params["pair"] = format_pair(pair)
    st.rerun()

if profile.tier is not None:
    tier = profile.tier
    since = f" since {date_in_words(tier.since)}" if tier.since else ""
    st.markdown(f"### Partnership: {md(tier.name)}{md(since)} {md(notes.marker(tier.citations))}")
    st.caption(md(f"Rung {tier.rank} of China's partnership ladder as the sources name it: {tier.meaning}"))

reported = profile.figures[profile.figures["basis"] == "reported"]
if not reported.empty:
    st.markdown("### Headline figures")
    st.markdown(figure_lines_markdown(reported, notes))

if not profile.relations.empty:
    st.markdown("### Relations")
    st.markdown(relation_lines_markdown(profile.relations, names, notes))

if not profile.events.empty:
    st.markdown("### Timeline")
    st.markdown(
        "\n".join(
            f"- **{md(date_in_words(event['date']))}** {md(event['title'])}"
            f"{md(' · ' + event['place']) if event['place'] else ''} {md(notes.marker(event['citations']))}"
            for _, event in profile.events.iterrows()
        )
    )

render_footnotes(notes.entries(), heading="Sources for this pair")
render_view_sidebar(
    f"overview-{format_pair(pair)}", dataset, notes.entries(), state={"pair": format_pair(pair)}
)

"""Overview: the profile of one country pair (default Belarus–China), every fact numbered to its quote."""

import streamlit as st

from pages.shared import (
    cached_build,
    dataset_or_stop,
    lazy_expander,
    render_footnotes,
    render_view_sidebar,
    show_notices,
)
from relations.formatting import counted, pair_label
from relations.formatting import escape_markdown as md
from relations.pair_text import pair_text
from relations.profile import country_names, known_pairs
from relations.view_state import format_pair, parse_pair

DEFAULT_PAIR = ("BLR", "CHN")

dataset = dataset_or_stop()
names = country_names(dataset)
pairs = known_pairs(dataset)
parsed = parse_pair(st.query_params.get("pair"), pairs, DEFAULT_PAIR)
text = cached_build(pair_text, dataset, parsed.value)

st.title(md(pair_label(*text.names)))
show_notices(parsed.notice)
st.markdown(text.intro)
pair = st.selectbox(
    "Another pair",
    pairs,
    index=pairs.index(parsed.value),
    format_func=lambda p: pair_label(names[p[0]], names[p[1]]),
)
if pair != parsed.value:
    st.query_params["pair"] = format_pair(pair)
    st.rerun()

st.markdown(text.sections_markdown)
if text.other_stances and (
    box := lazy_expander(
        f"What {text.names[0]} or {text.names[1]} say about others · {counted(text.other_stance_count, 'stance')}",
        key="other-stances",
        icon=":material/record_voice_over:",
    )
):
    box.markdown(text.other_stances)

render_footnotes(text.footnotes, heading="Sources for this pair")
render_view_sidebar(
    f"overview-{format_pair(pair)}", dataset, text.footnotes, state={"pair": format_pair(pair)}
)

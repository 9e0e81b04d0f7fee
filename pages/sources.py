"""Sources: every archived article, every quote, and the records that cite it; the dataset download."""

import streamlit as st

from pages.shared import (
    cached_build,
    data_dir,
    dataset_or_stop,
    lazy_expander,
    render_page_heading,
    render_view_sidebar,
    show_notices,
)
from relations.backlinks import citing_records
from relations.package_zip import dataset_zip
from relations.paging import span_holding, spans
from relations.source_list import quote_line, source_entries
from relations.view_state import parse_id

SOURCES_PER_PAGE = 25

dataset = dataset_or_stop()
citations = dataset["citations"]
entries = cached_build(source_entries, dataset)
selected = parse_id(st.query_params.get("quote"), set(citations["id"]), "quote")

render_page_heading(
    "Sources",
    f"{len(entries)} archived articles and {len(citations)} verbatim quotes. Every record in the dataset cites at "
    "least one quote. The dataset's checks compare every quote word for word with the archived article it "
    "comes from; the test suite runs them on every change, and `python -m relations validate` runs them anywhere.",
)
show_notices(selected.notice)
st.download_button(
    "Download the whole dataset (CSV files + datapackage.json schema)",
    data=lambda: dataset_zip(data_dir()),  # zipped on click, not on every page view
    file_name=f"relations-dataset-{dataset.version.content_hash}.zip",
    mime="application/zip",
    on_click="ignore",
    icon=":material/folder_zip:",
)

if selected.value:
    st.info(
        quote_line(dataset, selected.value, cached_build(citing_records, dataset)),
        icon=":material/format_quote:",
    )

shown = entries
if len(entries) > SOURCES_PER_PAGE:
    pages = spans(len(entries), SOURCES_PER_PAGE)
    holding = 0
    if selected.value:
        holding = span_holding(
            next(i for i, e in enumerate(entries) if selected.value in e.quote_ids),
            len(entries),
            SOURCES_PER_PAGE,
        )
    span = st.selectbox(
        f"Articles, {SOURCES_PER_PAGE} at a time",
        pages,
        index=holding,
        format_func=lambda s: f"{s.label} of {len(entries)}",
    )
    shown = entries[span.start : span.stop]

for entry in shown:  # an article's quotes are sent once its heading is opened
    expanded = selected.value in entry.quote_ids
    if box := lazy_expander(entry.heading, key=f"source-{entry.source_id}", expanded=expanded):
        box.markdown(entry.body)

render_view_sidebar("sources", dataset, [], state={"quote": selected.value} if selected.value else {})

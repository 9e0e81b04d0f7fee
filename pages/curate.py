"""Curate: add an article, a quote and a record through the same checks as the command line.
Shown only when the app is started with RELATIONS_CURATION=1 and no sign-in is configured."""

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from pages.shared import (
    archive_dir,
    curation_enabled,
    data_dir,
    dataset_line,
    dataset_or_stop,
    route_through_entrypoint,
)
from relations.data import curation
from relations.data.quotes import paragraphs
from relations.data.schema import read_schemas
from relations.data.writing import commit, dataset_lock
from relations.formatting import escape_markdown as md

RECORD_TABLES = {"relations": "A relation", "events": "An event", "trade": "A trade figure"}
SKIPPED_FIELDS = {"note"}

route_through_entrypoint()  # before the notice below stops a replica's first view, as dataset_or_stop does
st.title("Curate")
if not curation_enabled():
    st.info(
        "Curation is off here. A curator starts the app with `RELATIONS_CURATION=1` on their own copy of the "
        "data; the shared link stays read-only.",
        icon=":material/lock:",
    )
    st.stop()

dataset = dataset_or_stop()
st.sidebar.markdown(dataset_line(dataset))
data, archive = data_dir(), archive_dir()


def save(make, announce: bool = True) -> str | None:
    """Runs one addition under the dataset lock; shows the validator's problems or (announce) the new id.
    A caller that reruns the page announces it after the rerun instead: said before it too, the message
    showed twice while the rerun replaced the page."""
    with dataset_lock(data):
        try:
            addition = make()
        except curation.Refused as refusal:
            st.error(f"Refused: {refusal}", icon=":material/block:")
            return None
        problems = commit(data, archive, addition.changes)
    if problems:
        st.error("Refused: the dataset would not validate; nothing was written.", icon=":material/block:")
        st.code("\n".join(str(p) for p in problems), language=None)
        return None
    if announce:
        st.success(f"Added {addition.new_id}.", icon=":material/check:")
    return addition.new_id


def addition_focus(values: dict[str, str]) -> str:
    return values.get("a", "").strip().upper()


st.caption("Three steps, each checked against the whole dataset before anything is written.")
st.markdown("### 1. The article")
sources = dataset["sources"]
with st.expander("Archive a new article"), st.form("new-source"):
    upload = st.file_uploader("Article text (.txt, UTF-8, one paragraph per line)", type=["txt"])
    outlet = st.text_input("Outlet")
    title = st.text_input("Title")
    published = st.text_input("Published (YYYY, YYYY-MM or YYYY-MM-DD)")
    author = st.text_input("Author (optional)")
    url = st.text_input("URL (optional; leave empty unless the article states it)")
    if st.form_submit_button("Archive the article"):
        if upload is None:
            st.error("Choose the article's text file first.")
        else:
            with tempfile.TemporaryDirectory() as scratch:
                upload_path = Path(scratch) / "article.txt"
                upload_path.write_bytes(upload.getvalue())
                save(
                    lambda: curation.add_source(
                        data, archive, upload_path, outlet, title, published, author, url
                    )
                )

source_id = st.selectbox(
    "Article to quote from",
    list(sources["id"]),
    format_func=lambda sid: f"{sid} · {sources.set_index('id').loc[sid, 'title'] or 'untitled article'}",
)
source = sources.set_index("id").loc[source_id]
article_path = archive / source["archive"]
if not article_path.is_file():
    st.error(f"{source['archive']} is not in the archive folder {archive}.")
    st.stop()
numbered = paragraphs(article_path.read_text(encoding="utf-8"))
with st.expander(f"Read it by paragraph ({len(numbered)} paragraphs)"):
    st.markdown("\n".join(f"{i}. {md(text)}" for i, text in enumerate(numbered, start=1)))

st.markdown("### 2. The quote")
paragraph = st.number_input("Paragraph", min_value=1, max_value=max(len(numbered), 1), value=1)
sentences = [s for s in pd.Series(numbered[paragraph - 1]).str.split(r"(?<=[.!?”])\s+").iloc[0] if s.strip()]
picked = st.selectbox("Sentence", sentences)
with st.form("new-quote"):
    quote_text = st.text_area(
        "Quote (trim it to the words you rely on; they must stay verbatim)", value=picked or ""
    )
    if st.form_submit_button("Add the quote", icon=":material/format_quote:"):
        new_quote = save(lambda: curation.add_quote(data, archive, source_id, quote_text), announce=False)
        if new_quote:  # rerun so the record form offers the new quote (the dataset is reloaded)
            st.session_state["curate-quotes"] = [new_quote]
            st.session_state["curate-added"] = new_quote
            st.rerun()

if "curate-added" in st.session_state:
    st.success(f"Added {st.session_state.pop('curate-added')}.", icon=":material/check:")

st.markdown("### 3. The record")
table = st.radio("Add", list(RECORD_TABLES), format_func=RECORD_TABLES.get, horizontal=True)
schema = read_schemas(data)[table]
citation_ids = list(dataset["citations"]["id"])
values: dict[str, str] = {}
with st.form(f"record-{table}"):
    for field in schema.fields:
        if field.name in SKIPPED_FIELDS or (field.name == "id" and table in curation.ID_PREFIXES):
            continue
        label = f"{field.name}{' *' if field.required else ''}"
        if field.name == "citations":
            wanted = [q for q in st.session_state.get("curate-quotes", []) if q in citation_ids]
            chosen = st.multiselect(label, citation_ids, default=wanted)
            values[field.name] = ";".join(chosen)
        elif field.enum:
            values[field.name] = st.selectbox(
                label, ["", *field.enum] if not field.required else list(field.enum)
            )
        elif field.type == "boolean":
            values[field.name] = "true" if st.checkbox(label) else "false"
        else:
            hint = f"{field.separator}-separated codes" if field.separator else field.pattern
            values[field.name] = st.text_input(label, help=hint or None)
    preview, saved = st.columns(2)
    wants_preview = preview.form_submit_button("Preview the rows")
    wants_save = saved.form_submit_button("Save", type="primary")
if wants_preview or wants_save:
    try:
        addition = curation.add_row(data, table, values)
    except curation.Refused as refusal:
        st.error(f"Refused: {refusal}", icon=":material/block:")
    else:
        for name, text in curation.added_text(addition).items():
            st.markdown(f"Rows to add to `{md(name)}`:")
            st.code(text, language=None)
        if wants_save and save(lambda: addition) and table == "relations":
            st.markdown(f"[See it on the map](map?focus={md(addition_focus(values))})")

"""Sources: every archived article, every quote, and the records that cite it; the dataset download."""

import streamlit as st

from pages.shared import cached_build, data_dir, dataset_or_stop, render_view_sidebar, show_notices
from relations.backlinks import citing_records
from relations.dates import date_in_words
from relations.formatting import escape_markdown as md
from relations.package_zip import dataset_zip
from relations.paging import span_holding, spans
from relations.view_state import parse_id

SOURCES_PER_PAGE = 25

dataset = dataset_or_stop()
citations = dataset["citations"]
sources = dataset["sources"]
backlinks = cached_build(citing_records, dataset)
selected = parse_id(st.query_params.get("quote"), set(citations["id"]), "quote")

st.title("Sources")
st.caption(
    f"{len(sources)} archived articles and {len(citations)} verbatim quotes. Every record in the dataset cites at "
    "least one quote, and every quote is checked word for word against the article it comes from."
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


def cited_by(citation_id: str) -> str:
    refs = backlinks[citation_id]
    if not refs:
        return "not cited by any record"
    return "cited by " + ", ".join(
        f"[{md(ref.table)} {md(ref.id)}]({ref.href}) ({md(ref.label)})" for ref in refs
    )


def quote_line(row) -> str:
    return f"**{md(row['id'])}** “{md(row['quote'])}” ({md(row['locator'])}) — {cited_by(row['id'])}"


if selected.value:
    row = citations.set_index("id", drop=False).loc[selected.value]
    st.info(quote_line(row), icon=":material/format_quote:")

shown = sources
if len(sources) > SOURCES_PER_PAGE:
    pages = spans(len(sources), SOURCES_PER_PAGE)
    holding = 0
    if selected.value:
        source_of_quote = citations.set_index("id").loc[selected.value, "source"]
        holding = span_holding(list(sources["id"]).index(source_of_quote), len(sources), SOURCES_PER_PAGE)
    span = st.selectbox(
        f"Articles, {SOURCES_PER_PAGE} at a time",
        pages,
        index=holding,
        format_func=lambda s: f"{s.label} of {len(sources)}",
    )
    shown = sources.iloc[span.start : span.stop]

for _, source in shown.iterrows():
    quotes = citations[citations["source"] == source["id"]]
    title = source["title"] or "Untitled article"
    stated = [
        f"**Outlet:** {md(source['outlet'])}" if source["outlet"] else "",
        f"**Author:** {md(source['author'])}" if source["author"] else "",
        f"**Published:** {md(date_in_words(source['published']))}" if source["published"] else "**Undated**",
        f"**URL:** {md(source['url'])}" if source["url"] else "",
        f"**Archived text:** {md(source['archive'])}",
    ]
    with st.expander(
        f"{source['id']} · {title} ({len(quotes)} quotes)", expanded=selected.value in set(quotes["id"])
    ):
        st.markdown(
            " · ".join(part for part in stated if part)
            + f"\n\n{md(source['note'])}\n\n"
            + "\n".join(f"- {quote_line(quote)}" for _, quote in quotes.iterrows())
        )

render_view_sidebar("sources", dataset, [], state={"quote": selected.value} if selected.value else {})

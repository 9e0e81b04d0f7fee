"""The Sources page's text: each archived article with what it states and its quotes, each quote with
links to the records that cite it. Built once per dataset version; the page only lays it out."""

from dataclasses import dataclass

from relations.backlinks import citing_records
from relations.data.loading import Dataset
from relations.dates import date_in_words
from relations.formatting import escape_markdown as md


@dataclass(frozen=True)
class SourceEntry:
    source_id: str
    heading: str  # plain text (an expander label)
    body: str  # Markdown, escaped
    quote_ids: frozenset[str]


def quote_line(dataset: Dataset, citation_id: str, backlinks: dict) -> str:
    quote = dataset["citations"].set_index("id").loc[citation_id]
    refs = backlinks[citation_id]
    cited = (
        "cited by " + "; ".join(f"[{md(r.label)}]({r.href})" for r in refs)
        if refs
        else "not cited by any record"
    )
    return f"**{md(citation_id)}** “{md(quote['quote'])}” ({md(quote['locator'])}) — {cited}"


def source_entries(dataset: Dataset) -> list[SourceEntry]:
    backlinks = citing_records(dataset)
    citations = dataset["citations"]
    entries = []
    for _, source in dataset["sources"].iterrows():
        ids = list(citations.loc[citations["source"] == source["id"], "id"])
        stated = [
            f"**Outlet:** {md(source['outlet'])}" if source["outlet"] else "",
            f"**Author:** {md(source['author'])}" if source["author"] else "",
            f"**Published:** {md(date_in_words(source['published']))}"
            if source["published"]
            else "**Undated**",
            f"**URL:** {md(source['url'])}" if source["url"] else "",
            f"**Archived text:** {md(source['archive'])}",
        ]
        body = (
            " · ".join(part for part in stated if part)
            + f"\n\n{md(source['note'])}\n\n"
            + "\n".join(f"- {quote_line(dataset, cid, backlinks)}" for cid in ids)
        )
        # What a reader recognises first: outlet (else author), title, date; the id is for curators' commands.
        named = [
            source["outlet"] or source["author"],
            f"“{source['title']}”" if source["title"] else "Untitled article",
            date_in_words(source["published"]) if source["published"] else "undated",
        ]
        heading = " · ".join(part for part in named if part) + f" ({source['id']}, {len(ids)} quotes)"
        entries.append(SourceEntry(source["id"], heading, body, frozenset(ids)))
    return entries

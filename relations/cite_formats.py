"""'Cite this view': the sources behind a view as CSL-JSON and BibTeX, for analysts' reports."""

import json

from pybtex.database import BibliographyData, Entry, Person

from relations.citing import Footnote


def _by_source(notes: list[Footnote]) -> dict[str, list[Footnote]]:
    grouped: dict[str, list[Footnote]] = {}
    for note in notes:
        grouped.setdefault(note.source_id, []).append(note)
    return grouped


def _quoted(notes: list[Footnote]) -> str:
    return "Quoted: " + " | ".join(f"[{n.number}] “{n.quote}” ({n.locator})" for n in notes)


def _date_parts(published: str) -> list[int]:
    return [int(part) for part in published.split("-")]


def to_csl_json(notes: list[Footnote]) -> str:
    """One item per source; fields the archived text does not state are left out, never guessed."""
    items = []
    for source_id, group in _by_source(notes).items():
        first = group[0]
        item: dict = {"id": source_id, "type": "article-newspaper", "note": _quoted(group)}
        if first.title:
            item["title"] = first.title
        if first.outlet:
            item["container-title"] = first.outlet
        if first.author:
            item["author"] = [{"literal": first.author}]
        if first.published:
            item["issued"] = {"date-parts": [_date_parts(first.published)]}
        if first.url:
            item["URL"] = first.url
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2)


def to_bibtex(notes: list[Footnote]) -> str:
    entries = {}
    for source_id, group in _by_source(notes).items():
        first = group[0]
        fields = {"note": _quoted(group)}
        if first.title:
            fields["title"] = first.title
        if first.outlet:
            fields["journal"] = first.outlet
        if first.published:
            parts = _date_parts(first.published)
            fields["year"] = str(parts[0])
            if len(parts) > 1:
                fields["month"] = str(parts[1])
        if first.url:
            fields["url"] = first.url
        persons = {"author": [Person(first.author)]} if first.author else {}
        entries[source_id] = Entry("article", fields=fields, persons=persons)
    return BibliographyData(entries).to_string("bibtex")

"""'Cite this view': the sources behind a view as CSL-JSON and BibTeX, for analysts' reports.
Both carry only what the articles state; entry types follow what is known (an untitled, undated
article is a @misc / "document", never a journal article with empty fields)."""

import io
import json
import re

from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.output.bibtex import Writer

from relations.citing import Footnote
from relations.dates import MONTHS

# pybtex's writer escapes & % # _ itself (latexcodec); braces it leaves alone, and BibTeX counts a brace
# even after a backslash, so a quote's stray } would unbalance the whole file.
_LATEX_SPECIAL = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}", "^": r"\^{}", "~": r"\~{}", "$": r"\$"}


class _RawUrlWriter(Writer):
    """URLs are written as they are: escaping them for LaTeX breaks them (url and hyperref read them raw)."""

    def _write_field(self, stream, type, value):
        if type == "url":
            stream.write(f",\n    {type} = {self.quote(value)}")
        else:
            super()._write_field(stream, type, value)


def _by_source(notes: list[Footnote]) -> dict[str, list[Footnote]]:
    grouped: dict[str, list[Footnote]] = {}
    for note in notes:
        grouped.setdefault(note.source_id, []).append(note)
    return grouped


def _quoted(notes: list[Footnote]) -> str:
    return "Quoted: " + " | ".join(f"[{n.number}] “{n.quote}” ({n.locator})" for n in notes)


def _date_parts(published: str) -> list[int]:
    return [int(part) for part in published.split("-")]


def _supplied_title(note: Footnote) -> str:
    """Bibliographic practice for an article with no title: a bracketed description, not an invented title."""
    return f"[Untitled article, archived as {note.archive}]"


def _csl_name(author: str) -> dict:
    """'Cemal Ege Özkan' -> family 'Özkan', given 'Cemal Ege' (pybtex's name parser, as BibTeX splits names)."""
    person = Person(author)
    family = " ".join(person.prelast_names + person.last_names)
    given = " ".join(person.first_names + person.middle_names)
    return {"family": family, "given": given} if family and given else {"literal": author}


def to_csl_json(notes: list[Footnote]) -> str:
    """One item per source; fields the archived text does not state are left out, never guessed."""
    items = []
    for source_id, group in _by_source(notes).items():
        first = group[0]
        item: dict = {
            "id": source_id,
            "type": "article-newspaper" if first.outlet else "document",
            "title": first.title or _supplied_title(first),
            "note": _quoted(group),
        }
        if first.outlet:
            item["container-title"] = first.outlet
        if first.author:
            item["author"] = [_csl_name(first.author)]
        if first.published:
            item["issued"] = {"date-parts": [_date_parts(first.published)]}
        if first.url:
            item["URL"] = first.url
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2)


def latex_text(text: str) -> str:
    """Literal text for a BibTeX field: LaTeX specials escaped, so braces always balance."""
    return re.sub(r"[{}^~$]", lambda m: _LATEX_SPECIAL[m.group(0)], text)


def to_bibtex(notes: list[Footnote]) -> str:
    """@article only when an outlet and an author are known (what BibTeX's styles require of it);
    otherwise @misc. Titles are brace-protected so styles keep proper nouns' capitals; URLs stay raw."""
    entries = {}
    for source_id, group in _by_source(notes).items():
        first = group[0]
        fields = {
            "title": "{" + latex_text(first.title or _supplied_title(first)) + "}",
            "note": latex_text(_quoted(group)),
        }
        if first.outlet:
            fields["journal" if first.author else "howpublished"] = "{" + latex_text(first.outlet) + "}"
        if first.published:
            parts = _date_parts(first.published)
            fields["year"] = str(parts[0])
            if len(parts) > 1:
                fields["month"] = MONTHS[parts[1] - 1]  # a name: styles print it as it is
            if len(parts) > 2:
                fields["day"] = str(parts[2])
        if first.url:
            fields["url"] = first.url
        persons = {"author": [Person(latex_text(first.author))]} if first.author else {}
        kind = "article" if first.outlet and first.author and first.published else "misc"
        entries[source_id] = Entry(kind, fields=fields, persons=persons)
    out = io.StringIO()
    _RawUrlWriter(encoding="UTF-8").write_stream(BibliographyData(entries), out)
    return out.getvalue()

"""Numbers the citations behind a page or an export and resolves them to quotes with their source metadata."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from relations.data.loading import Dataset
from relations.dates import date_in_words
from relations.rows import records


@dataclass(frozen=True)
class Footnote:
    number: int
    citation_id: str
    quote: str
    locator: str
    source_id: str
    outlet: str
    title: str
    author: str
    published: str
    url: str
    archive: str

    @property
    def attribution(self) -> str:
        """What the article itself states (outlet, title, author, date); an article that states
        neither outlet nor title is named as the Sources page heads it, "Untitled article", with its
        source id (the Sources page heads it with the id too; its archive file name meant nothing to a
        reader), and a missing date is said once."""
        parts = [part for part in (self.outlet, f"“{self.title}”" if self.title else "", self.author) if part]
        if not self.outlet and not self.title:
            parts.insert(0, f"Untitled article ({self.source_id})")
        if self.published:
            parts.append(date_in_words(self.published))
        else:
            parts.append("undated")
        return ", ".join(parts)

    @property
    def short_attribution(self) -> str:
        """Outlet or title and date, for a one-line source line under a chart or on a slide."""
        name = self.outlet or (f"“{self.title}”" if self.title else "untitled article")
        return f"{name}, {date_in_words(self.published)}" if self.published else f"{name} (undated)"


def _runs(numbers: list[int]) -> list[str]:
    """Three or more consecutive numbers collapse to a range, as in printed footnotes."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return [f"{run[0]}–{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs]


def bracketed(numbers: Iterable[int]) -> str:
    """'[1, 3]' or '[1–4, 7]' for footnote numbers, '' for none."""
    ordered = sorted(set(numbers))
    return "[" + ", ".join(_runs(ordered)) + "]" if ordered else ""


class Footnotes:
    """One numbering per page or export: the first citation used is [1], and a quote keeps its number
    wherever it appears on that page. scope() gives each figure its own list of what it cites while
    sharing the page's numbers."""

    def __init__(self, dataset: Dataset, _numbers: dict[str, int] | None = None):
        self._dataset = dataset
        self._numbers: dict[str, int] = {} if _numbers is None else _numbers
        self._used: list[str] = []

    def scope(self) -> Footnotes:
        return Footnotes(self._dataset, self._numbers)

    def copy(self) -> Footnotes:
        """An independent numbering that continues this one, with nothing used yet: for numbering more
        on a page whose figures (and their numbering) are cached and shared between sessions."""
        return Footnotes(self._dataset, dict(self._numbers))

    def number(self, citation_ids: list[str]) -> list[int]:
        for cid in citation_ids:
            self._numbers.setdefault(cid, len(self._numbers) + 1)
            if cid not in self._used:
                self._used.append(cid)
        return [self._numbers[cid] for cid in citation_ids]

    def marker(self, citation_ids: list[str]) -> str:
        """'[1, 3]' or '[1–4, 7]': plain text, safe in tooltips and Markdown alike."""
        return bracketed(self.number(citation_ids))

    def used(self) -> list[str]:
        """Citation ids this scope has numbered, in number order."""
        return sorted(self._used, key=self._numbers.__getitem__)

    def entries(self) -> list[Footnote]:
        """What this scope cites, with the page's numbers."""
        return self._entries(self.used())

    def page_entries(self) -> list[Footnote]:
        """Everything numbered on the page so far, by any scope."""
        return self._entries(sorted(self._numbers, key=self._numbers.__getitem__))

    def _entries(self, citation_ids: list[str]) -> list[Footnote]:
        index = citation_index(self._dataset)
        return [Footnote(number=self._numbers[cid], citation_id=cid, **index[cid]) for cid in citation_ids]


_INDEXES: dict[str, dict[str, dict[str, str]]] = {}
MAX_INDEXES = 8  # datasets kept (one per content version): a process serves one or two at a time


def citation_index(dataset: Dataset) -> dict[str, dict[str, str]]:
    """citation id -> quote, locator and its source's metadata, built once per dataset version:
    looking each footnote up row by row in pandas cost more than the rest of a page's text."""
    key = dataset.version.content_hash
    if key not in _INDEXES:
        fields = ["outlet", "title", "author", "published", "url", "archive"]
        by_source = {row["id"]: {f: row[f] for f in fields} for row in records(dataset["sources"])}
        index = {
            cid: {"quote": quote, "locator": locator, "source_id": source, **by_source[source]}
            for cid, quote, locator, source in zip(
                dataset["citations"]["id"],
                dataset["citations"]["quote"],
                dataset["citations"]["locator"],
                dataset["citations"]["source"],
                strict=True,
            )
        }
        if len(_INDEXES) >= MAX_INDEXES:
            _INDEXES.pop(next(iter(_INDEXES)))
        _INDEXES[key] = index
    return _INDEXES[key]

"""Numbers the citations behind a view and resolves them to quotes with their source metadata."""

from dataclasses import dataclass

from relations.dataset import Dataset

NOT_STATED_LABEL = "not stated"


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

    @property
    def attribution(self) -> str:
        """Outlet, title, author and date as the archive states them; gaps say so."""
        parts = [
            self.outlet or f"outlet {NOT_STATED_LABEL}",
            f"“{self.title}”" if self.title else f"title {NOT_STATED_LABEL}",
            self.author or f"author {NOT_STATED_LABEL}",
            self.published or f"date {NOT_STATED_LABEL}",
        ]
        return ", ".join(parts)


def _runs(numbers: list[int]) -> list[str]:
    """Three or more consecutive numbers collapse to a range, as in printed footnotes."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return [f"{run[0]}–{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs]


class Footnotes:
    """One numbering per view: the first citation used is [1], a reused citation keeps its number."""

    def __init__(self, dataset: Dataset):
        self._citations = dataset["citations"].set_index("id")
        self._sources = dataset["sources"].set_index("id")
        self._numbers: dict[str, int] = {}

    def number(self, citation_ids: list[str]) -> list[int]:
        for cid in citation_ids:
            self._numbers.setdefault(cid, len(self._numbers) + 1)
        return [self._numbers[cid] for cid in citation_ids]

    def marker(self, citation_ids: list[str]) -> str:
        """'[1, 3]' or '[1–4, 7]': plain text, safe in chart titles, tooltips and Markdown alike."""
        numbers = sorted(set(self.number(citation_ids)))
        return "[" + ", ".join(_runs(numbers)) + "]" if numbers else ""

    def used(self) -> list[str]:
        """Citation ids numbered so far, in number order."""
        return sorted(self._numbers, key=self._numbers.__getitem__)

    def entries(self) -> list[Footnote]:
        notes = []
        for cid, number in sorted(self._numbers.items(), key=lambda item: item[1]):
            citation = self._citations.loc[cid]
            source = self._sources.loc[citation["source"]]
            notes.append(
                Footnote(
                    number=number,
                    citation_id=cid,
                    quote=citation["quote"],
                    locator=citation["locator"],
                    source_id=citation["source"],
                    outlet=source["outlet"],
                    title=source["title"],
                    author=source["author"],
                    published=source["published"],
                    url=source["url"],
                )
            )
        return notes

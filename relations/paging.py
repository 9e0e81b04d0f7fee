"""Pages of a long list (500 articles, 2,000 events): what a reader can take in at once."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    start: int  # 0-based, inclusive
    stop: int  # exclusive

    @property
    def label(self) -> str:
        return f"{self.start + 1}–{self.stop}"


def spans(total: int, size: int) -> list[Span]:
    """[1–25, 26–50, …]; one empty span for an empty list, so a page always has something to show."""
    if total <= 0:
        return [Span(0, 0)]
    return [Span(start, min(start + size, total)) for start in range(0, total, size)]


def span_holding(index: int, total: int, size: int) -> int:
    """Which span holds item `index` (the page a link to one quote or event must open on)."""
    return min(max(index, 0) // size, len(spans(total, size)) - 1)

"""Finds a quote in an archived article, forgiving only typography (spaces, quote marks, dashes)."""

import re
from functools import lru_cache

_TYPOGRAPHY = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u2013": "-",
        "\u2014": "-",
        "\u2011": "-",
        "\u2010": "-",
        "\u00a0": " ",
    }
)


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_TYPOGRAPHY)).strip()


def paragraphs(text: str) -> list[str]:
    """Non-blank lines: the archived texts keep one paragraph per line."""
    return [line for line in text.splitlines() if line.strip()]


def paragraph_of(quote: str, text: str) -> int | None:
    """1-based paragraph holding the quote, or None when the article does not contain it."""
    needle = normalise(quote)
    for number, paragraph in enumerate(_normalised_paragraphs(text), start=1):
        if needle in paragraph:
            return number
    return None


@lru_cache(maxsize=64)
def _normalised_paragraphs(text: str) -> tuple[str, ...]:
    """An article is normalised once, not once per quote taken from it (an article holds a few dozen
    quotes; at 100× the dataset, that was a third of validate's time)."""
    return tuple(normalise(paragraph) for paragraph in paragraphs(text))

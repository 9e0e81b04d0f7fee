"""Finds a quote in an archived article, forgiving only typography (spaces, quote marks, dashes)."""

import re

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
    for number, paragraph in enumerate(paragraphs(text), start=1):
        if needle in normalise(paragraph):
            return number
    return None

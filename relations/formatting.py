"""Turns stored figures into the text a reader sees, keeping "about" and "exceeding" visible."""

import re

QUALIFIER_SIGNS = {"exact": "", "approx": "≈ ", "at_least": "≥ ", "at_most": "≤ "}
QUALIFIER_WORDS = {
    "exact": "as stated",
    "approx": "approximate (“about”)",
    "at_least": "lower bound (“exceeding”)",
    "at_most": "upper bound",
}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~])")


def format_number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_figure(value: float, unit: str, qualifier: str, compact: bool = False) -> str:
    """'≥ $5 bn', '≈ 50% of China's annual demand', '1.91 Mt', 'top 3'.

    compact drops the words after '%' for tiles whose label already says what the share is of."""
    if unit == "rank":
        return f"top {format_number(value)}" if qualifier == "at_most" else f"#{format_number(value)}"
    sign = QUALIFIER_SIGNS.get(qualifier, "")
    number = format_number(value)
    if unit.startswith("USD "):
        return f"{sign}${number} {unit.removeprefix('USD ')}"
    if unit.startswith("%"):
        return f"{sign}{number}%" if compact else f"{sign}{number}{unit}"
    return f"{sign}{number} {unit}"


def escape_markdown(text: str) -> str:
    """Data text goes into Markdown as literal text: no links, emphasis, HTML or colour directives."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def pair_label(a_name: str, b_name: str) -> str:
    return f"{a_name} – {b_name}"

"""Turns stored figures into the text a reader sees, keeping "about" and "exceeding" visible."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from relations.dates import date_in_words

if TYPE_CHECKING:
    import pandas as pd

    from relations.citing import Footnote, Footnotes
    from relations.profile import PairProfile

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


def _footnote_item(note: Footnote, sources_url: str) -> str:
    locator = f", {note.locator}" if note.locator else ""
    link = f"{sources_url}?{urlencode({'quote': note.citation_id})}"
    return (
        f"{note.number}. “{escape_markdown(note.quote)}” — {escape_markdown(note.attribution)}{escape_markdown(locator)} "
        f"· [in Sources]({link})"
    )


def footnotes_markdown(notes: list[Footnote], sources_url: str) -> str:
    """A numbered Markdown list whose numbers are the page's footnote numbers."""
    return "\n".join(_footnote_item(note, sources_url) for note in sorted(notes, key=lambda n: n.number))


def relation_lines_markdown(relations: pd.DataFrame, names: dict[str, str], notes: Footnotes) -> str:
    """'- **Partnership** (Belarus – China, since September 2022): summary [1, 2]' per relation."""
    lines = []
    for _, relation in relations.iterrows():
        arrow = "→" if relation["directed"] else "–"
        since = f", since {date_in_words(relation['start'])}" if relation["start"] else ""
        parties = f"{names.get(relation['a'], relation['a'])} {arrow} {names.get(relation['b'], relation['b'])}{since}"
        lines.append(
            f"- **{escape_markdown(relation['kind'].capitalize())}** ({escape_markdown(parties)}): "
            f"{escape_markdown(relation['summary'])} {escape_markdown(notes.marker(relation['citations']))}"
        )
    return "\n".join(lines)


def figure_lines_markdown(figures: pd.DataFrame, notes: Footnotes) -> str:
    """'- **≥ $5 bn** Belarus–China trade, 2022 [3]': the number first and whole, never a cut label."""
    return "\n".join(
        f"- **{escape_markdown(format_figure(f['value'], f['unit'], f['qualifier']))}** "
        f"{escape_markdown(f['label'])}, {escape_markdown(f['period'])} {escape_markdown(notes.marker(f['citations']))}"
        for _, f in figures.iterrows()
    )


def story_intro(profile: PairProfile, notes: Footnotes) -> str:
    """One paragraph that says what the page shows, built from the records so every fact is cited."""
    a, b = profile.names
    parts = [f"What the archived sources say about {a} and {b}"]
    visits = profile.events[profile.events["kind"] == "visit"]
    if not visits.empty:
        visit = visits.iloc[-1]
        parts.append(
            f", up to the latest visit they record: {visit['title']} ({date_in_words(visit['date'])}) "
            f"{notes.marker(visit['citations'])}"
        )
    counts = f"{len(profile.relations)} recorded relations, {len(profile.figures)} figures and {len(profile.events)} dated events"
    return (
        "".join(parts).rstrip()
        + f". Below: {counts}. Each number in brackets is a quote, listed under “Sources for this pair”."
    )


def _listed(value: object) -> list[str]:
    return [v for v in value if v] if isinstance(value, list) else ([str(value)] if value else [])


def stance_lines_markdown(stances: pd.DataFrame, names: dict[str, str], notes: Footnotes) -> str:
    """'- **U.S. officials** (United States) warns, about China, Russia — lethal aid to Russia: summary [4]'.
    The speaker is named as the source names it (voice), with the parties it stands for."""
    lines = []
    for _, stance in stances.iterrows():
        speakers = ", ".join(names.get(c, c) for c in _listed(stance["speaker"]))
        voice = stance.get("voice") or speakers
        who = f"**{escape_markdown(voice)}**" + (
            f" ({escape_markdown(speakers)})" if voice != speakers else ""
        )
        subjects = ", ".join(names.get(c, c) for c in _listed(stance["subject"]))
        about = " — ".join(
            part for part in (f"about {subjects}" if subjects else "", stance.get("topic", "")) if part
        )
        when = f", {date_in_words(stance['date'])}" if stance.get("date") else ""
        lines.append(
            f"- {who} {escape_markdown(stance['stance'])}{escape_markdown(f' ({about}{when})' if about or when else '')}: "
            f"{escape_markdown(stance['summary'])} {escape_markdown(notes.marker(stance['citations']))}"
        )
    return "\n".join(lines)

"""Turns stored figures into the text a reader sees, keeping "about" and "exceeding" visible."""

from __future__ import annotations

import re
from collections.abc import Iterable
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


NO_BREAK_SPACE, WORD_JOINER = "\u00a0", "\u2060"


def unbroken(marker: str) -> str:
    """A footnote marker ('[34–36]', '[8, 16, 39]') that a narrow column never breaks inside: on a
    phone "[34–" ended one line and "36]" began the next. For the page only: a slide's font need not
    hold the joiner."""
    return marker.replace(", ", "," + NO_BREAK_SPACE).replace("–", "–" + WORD_JOINER)


def marker_markdown(marker: str) -> str:
    return unbroken(escape_markdown(marker))


def inline_code(text: str) -> str:
    """text as a Markdown code span, shown literally: fenced by more backticks than it holds in a row
    (CommonMark), on one line. '' for no text."""
    text = " ".join(text.split())
    if not text:
        return ""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


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
            f"{escape_markdown(relation['summary'])} {marker_markdown(notes.marker(relation['citations']))}"
        )
    return "\n".join(lines)


def period_in_words(period: str, period_basis: str = "") -> str:
    """'2022' -> '2022', '2021-2022' -> '2021–2022'; a period the source does not name (inferred) is
    marked as ours: '2022 (year inferred)'."""
    words = re.sub(r"^(\d{4})-(\d{4})$", r"\1–\2", date_in_words(period))
    if period_basis != "inferred":
        return words
    return f"{words} ({'years' if '–' in words else 'year'} inferred)"


def figure_lines_markdown(figures: pd.DataFrame, notes: Footnotes) -> str:
    """'- **≥ $5 bn** Belarus–China trade, 2022 [3]': the number first and whole, never a cut label.
    A share's label says what it is a share of, so its number is just the per cent."""
    return "\n".join(
        f"- **{escape_markdown(format_figure(f['value'], f['unit'], f['qualifier'], compact=f['measure'] == 'share'))}** "
        f"{escape_markdown(f['label'])}{escape_markdown(', ' + period_in_words(f['period'], f['period_basis']) if f['period'] else '')} "
        f"{marker_markdown(notes.marker(f['citations']))}"
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
            f"{unbroken(notes.marker(visit['citations']))}"
        )
    reported = int((profile.figures["basis"] == "reported").sum()) if not profile.figures.empty else 0
    tallies = [
        counted(len(profile.relations), "recorded relation"),
        counted(reported, "reported figure"),
        counted(len(profile.events), "dated event"),
    ]
    counts = _and(c for c in tallies if c) or "no recorded relation, figure or event"
    return (
        "".join(parts).rstrip()
        + f". Below: {counts}. Each number in brackets is a quote, listed under “Sources for this pair”."
    )


def counted(n: int, noun: str) -> str:
    """'3 quotes', '1 quote'; '' for none."""
    return "" if n == 0 else f"{n} {noun}{'s' if n != 1 else ''}"


def _listed(value: object) -> list[str]:
    return [v for v in value if v] if isinstance(value, list) else ([str(value)] if value else [])


STANCE_NOUNS = {  # a noun reads right whoever speaks: "U.S. officials warns" does not
    "warns": "Warning",
    "denies": "Denial",
    "dismisses": "Dismissal",
    "defends": "Defence",
    "accuses": "Accusation",
    "condemns": "Condemnation",
    "declines": "Refusal",
    "questions": "Doubt",
    "supports": "Support",
    "rejects": "Rejection",
    "criticizes": "Criticism",
    "says": "Statement",
}


def stance_lines_markdown(stances: pd.DataFrame, names: dict[str, str], notes: Footnotes) -> str:
    """'- **Warning** by U.S. officials (United States), about China and Russia — lethal aid to Russia:
    summary [4]'. The speaker is named as the source names it (voice), with the parties it stands for."""
    lines = []
    for _, stance in stances.iterrows():
        speakers = _and(names.get(c, c) for c in _listed(stance["speaker"]))
        voice = stance.get("voice") or speakers
        who = voice + (f" ({speakers})" if voice != speakers else "")
        subjects = _and(names.get(c, c) for c in _listed(stance["subject"]))
        about = " — ".join(
            part for part in (f"about {subjects}" if subjects else "", stance.get("topic", "")) if part
        )
        when = f", {date_in_words(stance['date'])}" if stance.get("date") else ""
        noun = STANCE_NOUNS.get(stance["stance"], stance["stance"].capitalize())
        lines.append(
            f"- **{escape_markdown(noun)}** by {escape_markdown(who)}{escape_markdown(f', {about}' if about else '')}"
            f"{escape_markdown(when)}: {escape_markdown(stance['summary'])} {marker_markdown(notes.marker(stance['citations']))}"
        )
    return "\n".join(lines)


def _and(items: Iterable[str]) -> str:
    """'China', 'China and Russia', 'Ukraine, the United States and Europe'."""
    items = list(items)
    return ", ".join(items[:-1]) + f" and {items[-1]}" if len(items) > 1 else "".join(items)

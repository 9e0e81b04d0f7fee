"""The Overview's text for one pair, built once per (dataset version, pair): intro, sections and the
footnotes they number. Pure, so the page only lays it out and a page view costs a cache lookup."""

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from relations.citing import Footnote, Footnotes
from relations.data.loading import Dataset
from relations.dates import date_in_words
from relations.formatting import escape_markdown as md
from relations.formatting import (
    figure_lines_markdown,
    marker_markdown,
    relation_lines_markdown,
    stance_lines_markdown,
    story_intro,
)
from relations.profile import Pair, by_date, country_names, pair_profile


@dataclass(frozen=True)
class Section:
    heading: str  # Markdown, escaped
    caption: str  # Markdown, escaped; may be empty
    body: str  # Markdown, escaped; may be empty


@dataclass(frozen=True)
class PairText:
    names: tuple[str, str]
    intro: str
    sections: list[Section]
    footnotes: list[Footnote]
    other_stances: str = ""  # Markdown: what either says about anyone else, shown collapsed
    other_stance_count: int = 0

    @cached_property
    def sections_markdown(self) -> str:
        """Every section as one Markdown element, each caption small and grey like st.caption: the
        browser renders each Markdown element on its own, and the page held eleven of them. Made once
        per cached profile, not on every view."""
        parts = []
        for section in self.sections:
            parts.append(f"### {section.heading}")
            if section.caption:
                parts.append(f":small[:gray[{section.caption}]]")
            if section.body:
                parts.append(section.body)
        return "\n\n".join(parts)


def stances_by(dataset: Dataset, pair: Pair) -> pd.DataFrame:
    """What either party says (about each other, the war, the peace plan, anyone): its stances in
    date order, undated last. Stances of others about the pair are on the map's pair detail
    (profile.pair_stances) and the timeline."""
    stances = dataset.tables.get("stances")
    if stances is None or stances.empty:
        return pd.DataFrame(columns=["speaker", "stance", "subject", "topic", "date", "summary", "citations"])
    spoken = [bool(set(pair) & set(_codes(speaker))) for speaker in stances["speaker"]]
    return by_date(stances[pd.Series(spoken, index=stances.index, dtype=bool)])


def _codes(value: object) -> list[str]:
    return list(value) if isinstance(value, list) else [str(value)] if value else []


def pair_text(dataset: Dataset, pair: Pair) -> PairText:
    profile = pair_profile(dataset, pair)
    names = country_names(dataset)
    notes = Footnotes(dataset)
    intro = md(story_intro(profile, notes))
    sections = []
    if profile.tier is not None:
        tier = profile.tier
        since = f" since {date_in_words(tier.since)}" if tier.since else ""
        sections.append(
            Section(
                f"Partnership: {md(tier.name)}{md(since)} {marker_markdown(notes.marker(tier.citations))}",
                md(
                    f"Rung {tier.rank} of China's partnership ladder as the sources name it. {tier.meaning}"
                    if tier.basis == "reported"
                    else f"Placed as rung {tier.rank} of China's partnership ladder by us (editorial ranking; "
                    f"no source calls it a rung). {tier.meaning}"
                ),
                "",
            )
        )
    reported = profile.figures[profile.figures["basis"] == "reported"]
    if not reported.empty:
        sections.append(Section("Headline figures", "", figure_lines_markdown(reported, notes)))
    if not profile.relations.empty:
        sections.append(Section("Relations", "", relation_lines_markdown(profile.relations, names, notes)))
    stances = stances_by(dataset, pair)
    # What one says about the other leads; what either says about anyone else (China on the war, the
    # United States, NATO) is most of the stances and made the page a long scroll: it is one click away.
    about_pair = pd.Series(
        [bool(set(pair) & set(_codes(subject))) for subject in stances["subject"]],
        index=stances.index,
        dtype=bool,
    )
    about, others = stances[about_pair], stances[~about_pair]
    a_name, b_name = profile.names
    if not about.empty:
        sections.append(
            Section(
                f"What {md(a_name)} and {md(b_name)} say about each other",
                md("As the sources report it."),
                stance_lines_markdown(about, names, notes),
            )
        )
    if not profile.events.empty:
        events = "\n".join(
            f"- **{md(date_in_words(event['date']))}** {md(event['title'])}"
            f"{md(' · ' + event['place']) if event['place'] else ''} {marker_markdown(notes.marker(event['citations']))}"
            for _, event in profile.events.iterrows()
        )
        sections.append(Section("Timeline", "", events))
    other_stances = stance_lines_markdown(others, names, notes) if not others.empty else ""
    return PairText(profile.names, intro, sections, notes.entries(), other_stances, len(others))

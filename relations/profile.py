"""A pair profile: everything the dataset says about two parties, for the Overview page."""

from dataclasses import dataclass

import pandas as pd

from relations.data.loading import Dataset, per_dataset
from relations.dates import last_day

Pair = tuple[str, str]


def pair_key(a: str, b: str) -> Pair:
    """Pairs are unordered for browsing; direction lives on each relation."""
    return (a, b) if a <= b else (b, a)


@per_dataset
def known_pairs(dataset: Dataset) -> list[Pair]:
    relations = dataset["relations"]
    return sorted({pair_key(a, b) for a, b in zip(relations["a"], relations["b"], strict=True)})


@per_dataset
def country_names(dataset: Dataset) -> dict[str, str]:
    countries = dataset["countries"]
    return dict(zip(countries["code"], countries["name"], strict=True))


@dataclass(frozen=True)
class TierStatus:
    name: str
    rank: int
    meaning: str
    since: str
    citations: list[str]
    basis: str = "reported"  # of the ranking: "editorial" where no source calls it a rung


@dataclass(frozen=True)
class PairProfile:
    pair: Pair
    names: tuple[str, str]
    relations: pd.DataFrame
    tier: TierStatus | None
    figures: pd.DataFrame
    events: pd.DataFrame
    stances: pd.DataFrame


def _between(frame: pd.DataFrame, first: str, second: str, pair: Pair) -> pd.Series:
    return pd.Series(
        [pair_key(x, y) == pair for x, y in zip(frame[first], frame[second], strict=True)],
        index=frame.index,
        dtype=bool,
    )


def pair_profile(dataset: Dataset, pair: Pair) -> PairProfile:
    names = country_names(dataset)
    relations = dataset["relations"][_between(dataset["relations"], "a", "b", pair)]
    partnerships = relations[relations["tier"] != ""]
    tier = None
    if not partnerships.empty:
        relation = partnerships.iloc[0]
        rung = dataset["tiers"].set_index("id").loc[relation["tier"]]
        tier = TierStatus(
            rung["name"],
            int(rung["rank"]),
            rung["meaning"],
            relation["start"],
            relation["citations"],
            rung["basis"],
        )
    trade = dataset["trade"]
    figures = trade[_between(trade, "reporter", "partner", pair)]
    events = dataset["events"]
    with_both = events["actors"].map(lambda actors: set(pair) <= set(actors)).astype(bool)
    return PairProfile(
        pair=pair,
        names=(names.get(pair[0], pair[0]), names.get(pair[1], pair[1])),  # a map country may have no record
        relations=relations,
        tier=tier,
        figures=figures,
        events=events[with_both].sort_values("date", key=lambda dates: dates.map(last_day), kind="stable"),
        stances=pair_stances(dataset, pair),
    )


def by_date(stances: pd.DataFrame) -> pd.DataFrame:
    """Dated stances in date order, then the undated ones in file order. Ordered as the pair's events
    are, by the last day a date can mean: "2023" after the days of 2023, not before them (sorted as
    text, a stance dated only to 2023 came first under Stances and last under the events)."""
    ends = stances["date"].where(stances["date"] != "", "9999").map(last_day)  # undated: after any date
    return stances.assign(_end=ends).sort_values("_end", kind="stable").drop(columns="_end")


def pair_stances(dataset: Dataset, pair: Pair) -> pd.DataFrame:
    """Stances one of the pair takes about the other (either way round), dated first.

    Columns as in stances.csv: id, speaker (list of codes), voice, stance (warns, denies, dismisses,
    defends, accuses, condemns, declines, questions, supports, rejects, criticizes, says), subject (list
    of codes, may be empty), topic, date (ISO at source precision, may be empty), date_basis, summary,
    citations (list of ids), note; plus line."""
    stances = dataset["stances"]
    first, second = pair
    between = [
        (first in speakers and second in subjects) or (second in speakers and first in subjects)
        for speakers, subjects in zip(stances["speaker"], stances["subject"], strict=True)
    ]
    return by_date(stances[pd.Series(between, index=stances.index, dtype=bool)])


def country_stances(dataset: Dataset, code: str) -> pd.DataFrame:
    """Stances a party takes or is the subject of (for a map's pair panel or a country's timeline)."""
    stances = dataset["stances"]
    involved = [
        code in speakers or code in subjects
        for speakers, subjects in zip(stances["speaker"], stances["subject"], strict=True)
    ]
    return by_date(stances[pd.Series(involved, index=stances.index, dtype=bool)])

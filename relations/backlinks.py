"""Which records cite each quote, and where in the app each record is shown."""

from dataclasses import dataclass

from relations.data.loading import Dataset
from relations.dates import date_in_words
from relations.formatting import STANCE_NOUNS
from relations.profile import Pair, country_names, known_pairs, pair_key

CITING_TABLES = ("relations", "events", "stances", "trade", "tiers", "countries", "corridors", "waypoints")


@dataclass(frozen=True)
class RecordRef:
    table: str
    id: str
    label: str
    page: str
    query: str

    @property
    def href(self) -> str:
        """Relative, so links keep working when the app is served under a base path."""
        return f"{self.page}?{self.query}" if self.query else self.page


def record_key(table: str, row) -> str:
    """The id a reader sees for a record; waypoints have none of their own, so corridor#seq."""
    if table == "waypoints":
        return f"{row['corridor']}#{row['seq']}"
    return row["code"] if table == "countries" else row["id"]


def _names(codes: list[str], names: dict[str, str]) -> str:
    return ", ".join(names.get(code, code) for code in codes)


def _stance_ref(row, pairs: set[Pair], names: dict[str, str]) -> RecordRef:
    """Shown in the profile of a pair it joins (speaker and subject); otherwise on the speaker's timeline."""
    whom = f", about {_names(row['subject'], names)}" if row["subject"] else ""
    who = row["voice"] or _names(row["speaker"], names)
    label = f"stance: {STANCE_NOUNS.get(row['stance'], row['stance'])} by {who}{whom} ({row['topic']})"
    joined = [pair_key(s, o) for s in row["speaker"] for o in row["subject"] if pair_key(s, o) in pairs]
    if joined:
        a, b = joined[0]
        return RecordRef("stances", row["id"], label, "overview", f"pair={a}-{b}")
    return RecordRef("stances", row["id"], label, "timeline", f"actors={row['speaker'][0]}")


def _record_refs(dataset: Dataset, table: str) -> list[tuple[RecordRef, list[str]]]:
    frame = dataset[table]
    names = country_names(dataset)
    pairs = set(known_pairs(dataset)) if table == "stances" else set()
    refs = []
    for _, row in frame.iterrows():
        if table == "relations":
            a, b = sorted((row["a"], row["b"]))
            ref = RecordRef(
                table,
                row["id"],
                f"relation: {row['kind']}, {names.get(row['a'], row['a'])} – {names.get(row['b'], row['b'])}",
                "overview",
                f"pair={a}-{b}",
            )
        elif table == "events":
            ref = RecordRef(
                table,
                row["id"],
                f"event: {date_in_words(row['date'])}, {row['title']}",
                "timeline",
                f"actors={','.join(row['actors'])}",
            )
        elif table == "stances":
            ref = _stance_ref(row, pairs, names)
        elif table == "trade":
            period = f", {date_in_words(row['period'])}" if row["period"] else ""
            ref = RecordRef(table, row["id"], f"figure: {row['label']}{period}", "trade", "")
        elif table == "corridors":
            ref = RecordRef(table, row["id"], f"corridor: {row['name']}", "corridors", "")
        elif table == "waypoints":
            ref = RecordRef(
                table,
                record_key(table, row),
                f"waypoint: {row['place']} ({row['role']}, editorial)",
                "corridors",
                "",
            )
        elif table == "tiers":
            ref = RecordRef(table, row["id"], f"partnership rung: {row['name']}", "overview", "")
        else:
            ref = RecordRef(table, row["code"], f"country: {row['name']}", "overview", "")
        refs.append((ref, row["citations"]))
    return refs


def citing_records(dataset: Dataset) -> dict[str, list[RecordRef]]:
    """citation id -> the records that cite it, in table order."""
    index: dict[str, list[RecordRef]] = {cid: [] for cid in dataset["citations"]["id"]}
    for table in CITING_TABLES:
        for ref, citation_ids in _record_refs(dataset, table):
            for cid in citation_ids:
                index[cid].append(ref)
    return index

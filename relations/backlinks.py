"""Which records cite each quote, and where in the app each record is shown."""

from dataclasses import dataclass

from relations.data.loading import Dataset
from relations.profile import Pair, known_pairs, pair_key

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


def _stance_ref(row, pairs: set[Pair]) -> RecordRef:
    """Shown in the profile of a pair it joins (speaker and subject); otherwise on the speaker's timeline."""
    whom = f" {','.join(row['subject'])}" if row["subject"] else ""
    label = f"{','.join(row['speaker'])} {row['stance']}{whom}: {row['topic']}"
    joined = [pair_key(s, o) for s in row["speaker"] for o in row["subject"] if pair_key(s, o) in pairs]
    if joined:
        a, b = joined[0]
        return RecordRef("stances", row["id"], label, "overview", f"pair={a}-{b}")
    return RecordRef("stances", row["id"], label, "timeline", f"actors={row['speaker'][0]}")


def _record_refs(dataset: Dataset, table: str) -> list[tuple[RecordRef, list[str]]]:
    frame = dataset[table]
    pairs = set(known_pairs(dataset)) if table == "stances" else set()
    refs = []
    for _, row in frame.iterrows():
        if table == "relations":
            a, b = sorted((row["a"], row["b"]))
            ref = RecordRef(
                table, row["id"], f"{row['kind']} {row['a']}–{row['b']}", "overview", f"pair={a}-{b}"
            )
        elif table == "events":
            ref = RecordRef(
                table,
                row["id"],
                f"{row['date']} {row['title']}",
                "timeline",
                f"actors={','.join(row['actors'])}",
            )
        elif table == "stances":
            ref = _stance_ref(row, pairs)
        elif table == "trade":
            ref = RecordRef(table, row["id"], f"{row['label']}, {row['period']}", "trade", "")
        elif table == "corridors":
            ref = RecordRef(table, row["id"], row["name"], "corridors", "")
        elif table == "waypoints":
            ref = RecordRef(
                table, record_key(table, row), f"{row['place']} ({row['role']}, editorial)", "corridors", ""
            )
        elif table == "tiers":
            ref = RecordRef(table, row["id"], f"tier: {row['name']}", "overview", "")
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

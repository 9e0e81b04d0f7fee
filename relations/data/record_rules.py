"""Rules within one record or one table that the schema cannot say: ISO codes, date order and basis,
the shape of a trade row, a corridor's waypoint sequence, a source's unexplained gaps."""

import re
from collections.abc import Iterator

import pycountry

from relations.data.problems import Problem
from relations.data.reading import RawDataset, list_items
from relations.dates import parse_partial_date

NOT_STATED = "not stated in archived text"

SOURCE_METADATA = ("outlet", "title", "author", "published", "url")


def country_problems(raw: RawDataset) -> Iterator[Problem]:
    table = raw.tables.get("countries")
    if table is None:
        return
    for record in table.records:
        code, kind = record.values["code"].strip(), record.values["type"].strip()
        is_iso = pycountry.countries.get(alpha_3=code) is not None
        if kind == "country" and not is_iso:
            yield Problem(table.path, record.line, "code", f"{code!r} is not an ISO 3166-1 alpha-3 code")
        if kind != "country" and is_iso:
            yield Problem(
                table.path, record.line, "code", f"{code!r} is an ISO country code; a {kind} needs its own"
            )


def _date_or_none(value: str):
    try:
        return parse_partial_date(value.strip())[0] if value.strip() else None
    except ValueError:
        return None  # already reported as a cell problem


def relation_problems(raw: RawDataset) -> Iterator[Problem]:
    table = raw.tables.get("relations")
    if table is None:
        return
    for record in table.records:
        values = record.values
        if values["a"].strip() == values["b"].strip():
            yield Problem(table.path, record.line, "b", "a relation needs two different parties")
        if values["tier"].strip() and values["kind"].strip() != "partnership":
            yield Problem(table.path, record.line, "tier", "only partnerships have a tier")
        start, end = _date_or_none(values["start"]), _date_or_none(values["end"])
        if start and end and end < start:
            yield Problem(table.path, record.line, "end", "ends before it starts")


def trade_shape_problems(raw: RawDataset) -> Iterator[Problem]:
    """A share says what it is a share of; a partner is there exactly when there is a flow to one."""
    table = raw.tables.get("trade")
    if table is None:
        return
    for record in table.records:
        values = {k: v.strip() for k, v in record.values.items()}
        if values["measure"] == "share" and not values["share_of"]:
            yield Problem(table.path, record.line, "share_of", "a share needs what it is a share of")
        if values["measure"] != "share" and values["share_of"]:
            yield Problem(table.path, record.line, "share_of", "only a share is a share of something")
        if values["flow"] == "not_imported" and values["partner"]:
            yield Problem(table.path, record.line, "partner", "what is not imported has no partner")
        if values["flow"] != "not_imported" and not values["partner"]:
            yield Problem(
                table.path, record.line, "partner", f"an {values['flow'] or 'any'} flow needs a partner"
            )


DATED = {
    "relations": ("start", "start_basis"),
    "events": ("date", "date_basis"),
    "trade": ("period", "period_basis"),
    "stances": ("date", "date_basis"),
}


def date_basis_problems(raw: RawDataset) -> Iterator[Problem]:
    """A date or period says how it is known, in a field; no date, no basis."""
    for name, (date, basis) in DATED.items():
        table = raw.tables.get(name)
        if table is None:
            continue
        for record in table.records:
            has_date, has_basis = bool(record.values[date].strip()), bool(record.values[basis].strip())
            if has_date and not has_basis:
                yield Problem(
                    table.path, record.line, basis, f"say how {date} is known: stated, resolved or inferred"
                )
            if has_basis and not has_date:
                yield Problem(table.path, record.line, basis, f"no {date}, so nothing for a basis to qualify")


CROSSING_ROLES = {"border crossing", "gauge change"}


def waypoint_problems(raw: RawDataset) -> Iterator[Problem]:
    """A corridor is a line: its waypoints run 1, 2, 3… with no gap or repeat; a crossing joins two countries."""
    table = raw.tables.get("waypoints")
    if table is None:
        return
    field = raw.schemas["waypoints"].field("countries")
    sequences: dict[str, list[tuple[int, int]]] = {}
    for record in table.records:
        values = record.values
        countries = list_items(field, values["countries"])
        expected = 2 if values["role"].strip() in CROSSING_ROLES else 1
        if countries and len(countries) != expected:
            yield Problem(
                table.path,
                record.line,
                "countries",
                f"a {values['role'].strip()} lists {expected} country code(s), found {len(countries)}",
            )
        if re.fullmatch(r"\d+", values["seq"].strip()):
            sequences.setdefault(values["corridor"].strip(), []).append((int(values["seq"]), record.line))
    for corridor, steps in sequences.items():
        for position, (seq, line) in enumerate(sorted(steps), start=1):
            if seq != position:
                yield Problem(
                    table.path,
                    line,
                    "seq",
                    f"corridor {corridor!r}: expected waypoint {position} here, found {seq} (a gap or a repeat)",
                )
                break


def source_problems(raw: RawDataset) -> Iterator[Problem]:
    table = raw.tables.get("sources")
    if table is None:
        return
    for record in table.records:
        empty = [c for c in SOURCE_METADATA if not record.values[c].strip()]
        if empty and NOT_STATED not in record.values["note"]:
            yield Problem(
                table.path,
                record.line,
                empty[0],
                f"empty {', '.join(empty)}: say '{NOT_STATED}' in the note rather than leave it unexplained",
            )

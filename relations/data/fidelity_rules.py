"""Over-claim, refused mechanically: a derived figure surer than its inputs, a party none of its quotes
names, a bloc or group code used with a meaning its countries.csv row does not give."""

import contextlib
import math
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from relations.data.formulas import FormulaError, evaluate, referenced_ids
from relations.data.precision import decimals, significant_figures, supported_figures
from relations.data.problems import Problem
from relations.data.quotes import normalise
from relations.data.reading import RawDataset, RawTable, list_items
from relations.data.schema import Field

EXACT_MATCH = 1e-9  # relative: a derived value this close to its formula's result was not rounded


def trade_problems(raw: RawDataset) -> Iterator[Problem]:
    table = raw.tables.get("trade")
    if table is None:
        return
    values: dict[str, float] = {}
    texts = {r.values["id"].strip(): r.values["value"].strip() for r in table.records}
    qualifiers = {r.values["id"].strip(): r.values["qualifier"].strip() for r in table.records}
    for record in table.records:
        with contextlib.suppress(ValueError):  # a non-number is reported as a cell problem
            values[record.values["id"].strip()] = float(record.values["value"])
    for record in table.records:
        basis, formula = record.values["basis"].strip(), record.values["formula"].strip()
        if basis != "derived":
            if formula:
                yield Problem(
                    table.path,
                    record.line,
                    "formula",
                    f"only derived figures have a formula, this one is {basis}",
                )
            continue
        if not formula:
            yield Problem(
                table.path, record.line, "formula", "a derived figure needs the formula it was computed with"
            )
            continue
        own_id = record.values["id"].strip()
        try:
            computed = evaluate(formula, {k: v for k, v in values.items() if k != own_id})
        except FormulaError as err:
            yield Problem(table.path, record.line, "formula", str(err))
            continue
        stored = values.get(own_id)
        if stored is None:
            continue
        inputs = dict.fromkeys(referenced_ids(formula))
        yield from _derived_precision(
            table.path,
            record.line,
            (texts[own_id], stored, qualifiers[own_id]),
            computed,
            formula,
            {i: (texts[i], qualifiers[i]) for i in inputs},
        )


BOUND_ROUNDING = {
    "at_least": "up: a lower bound rounds down",
    "at_most": "down: an upper bound rounds up",
}


def _rounded_within(stored: float, computed: float, unit: float, qualifier: str) -> bool:
    """Rounded to the stored digits; a bound only the safe way (a lower bound down, an upper one up)."""
    slack = unit * EXACT_MATCH + abs(computed) * EXACT_MATCH
    if qualifier == "at_least":
        return -slack <= computed - stored < unit + slack
    if qualifier == "at_most":
        return -slack <= stored - computed < unit + slack
    return abs(stored - computed) <= unit / 2 + slack


def _derived_precision(
    path: Path,
    line: int,
    own: tuple[str, float, str],
    computed: float,
    formula: str,
    inputs: dict[str, tuple[str, str]],
) -> Iterator[Problem]:
    """A derived figure is no more precise and no surer than its inputs."""
    text, stored, qualifier = own
    reasons = []
    if not math.isclose(stored, computed, rel_tol=EXACT_MATCH, abs_tol=EXACT_MATCH):
        unit = 10.0 ** -decimals(text)
        if not _rounded_within(stored, computed, unit, qualifier):
            wrong_way = qualifier in BOUND_ROUNDING and _rounded_within(stored, computed, unit, "approx")
            message = (
                f"{stored:g} rounds its formula's {computed:.6g} {BOUND_ROUNDING[qualifier]}"
                if wrong_way
                else f"{stored:g} differs from its formula's {computed:.6g}"
            )
            yield Problem(path, line, "value", message)
            return
        bounds = frozenset(i for i, (_, q) in inputs.items() if q in BOUND_ROUNDING)
        support = supported_figures(formula, {i: t for i, (t, _) in inputs.items()}, bounds).sig
        figures = significant_figures(text)
        if figures > support:
            yield Problem(
                path,
                line,
                "value",
                f"{text} has {figures} significant figures, more precise than its inputs: "
                f"rounded from {computed:.6g}, they support at most {support:g}",
            )
        if qualifier == "exact":
            reasons.append(f"it is rounded from {computed:.6g}")
    weak = sorted({q for _, q in inputs.values()} - {"exact"})
    if "approx" in weak and qualifier != "approx":
        reasons.append("an input is approx, so this figure is approx too")
    elif weak and qualifier == "exact":
        reasons.append(f"an input is {weak[0]}")
    if reasons:
        yield Problem(
            path, line, "qualifier", f"{qualifier} claims more than its inputs: {'; '.join(reasons)}"
        )


PARTY_FIELDS = {
    "relations": ("a", "b"),
    "events": ("actors",),
    "stances": ("speaker", "subject"),
    "waypoints": ("countries",),
}

EVERY_ROLE = {"party", "reporter", "import partner", "export partner", "total partner"}


def _country_rows(raw: RawDataset) -> dict[str, dict[str, str]]:
    table = raw.tables.get("countries")
    return {r.values["code"].strip(): r.values for r in table.records} if table else {}


def _uses(raw: RawDataset) -> Iterator[tuple[RawTable, int, str, str, str]]:
    """(table, line, column, code, role) for every code the dataset uses."""
    for name, columns in PARTY_FIELDS.items():
        table = raw.tables.get(name)
        if table is None:
            continue
        for record in table.records:
            for column in columns:
                for code in list_items(raw.schemas[name].field(column), record.values[column]):
                    yield table, record.line, column, code, "party"
    table = raw.tables.get("trade")
    for record in table.records if table else []:
        yield table, record.line, "reporter", record.values["reporter"].strip(), "reporter"
        partner, flow = record.values["partner"].strip(), record.values["flow"].strip()
        if partner and flow in ("import", "export", "total"):
            yield table, record.line, "partner", partner, f"{flow} partner"


def role_problems(raw: RawDataset) -> Iterator[Problem]:
    """One code, one meaning: a code is used only in the roles its countries.csv row gives."""
    countries = raw.tables.get("countries")
    if countries is None:
        return
    field = raw.schemas["countries"].field("roles")
    roles: dict[str, set[str]] = {}
    for record in countries.records:
        code, kind = record.values["code"].strip(), record.values["type"].strip()
        listed = set(list_items(field, record.values["roles"]))
        if not listed and kind != "country":
            yield Problem(
                countries.path, record.line, "roles", f"a {kind} lists the roles its code may be used in"
            )
        roles[code] = listed or (EVERY_ROLE if kind == "country" else set())
    rows = _country_rows(raw)
    for table, line, column, code, role in _uses(raw):
        if code in roles and role not in roles[code]:
            given = "; ".join(sorted(roles[code])) or "none"
            yield Problem(
                table.path,
                line,
                column,
                f"{code!r} ({rows[code]['name'].strip()}) is used as {role}, a meaning its countries.csv row "
                f"does not give (roles: {given})",
            )


def _names_of(row: dict[str, str], aliases: Field) -> list[str]:
    return [row["name"].strip(), *list_items(aliases, row["aliases"])]


def _mentions(text: str, word: str) -> bool:
    return _mention_pattern(word).search(text) is not None


@lru_cache(maxsize=8192)
def _mention_pattern(word: str) -> re.Pattern:
    """Whole words; abbreviations in capitals (US, PRC) match only in capitals, so 'us' is not the US.
    Compiled once per name: with every country's names, re's own cache of 512 patterns kept missing."""
    word = normalise(word)
    flags = 0 if word.upper() == word else re.IGNORECASE
    return re.compile(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", flags)


MENTIONED_FIELDS = (("relations", ("a", "b")), ("events", ("actors",)), ("stances", ("speaker", "subject")))


def _party_codes(raw: RawDataset) -> set[str]:
    """Codes that may stand for a party; any other code used as one is a role problem, reported once."""
    countries = raw.tables.get("countries")
    field = raw.schemas["countries"].field("roles")
    return {
        r.values["code"].strip()
        for r in countries.records
        if r.values["type"].strip() == "country" or "party" in list_items(field, r.values["roles"])
    }


def mention_problems(raw: RawDataset) -> Iterator[Problem]:
    """A relation, event or stance names only parties its own quotes name (by name, demonym or metonym;
    a leader's name is no alias). A stance's lone speaker may instead be named by its voice."""
    citations = raw.tables.get("citations")
    countries = raw.tables.get("countries")
    if citations is None or countries is None:
        return
    quotes = {r.values["id"].strip(): normalise(r.values["quote"]) for r in citations.records}
    rows = _country_rows(raw)
    parties = _party_codes(raw)
    aliases = raw.schemas["countries"].field("aliases")
    for name, columns in MENTIONED_FIELDS:
        table = raw.tables.get(name)
        if table is None:
            continue
        schema = raw.schemas[name]
        for record in table.records:
            cited = [
                quotes[c]
                for c in list_items(schema.field("citations"), record.values["citations"])
                if c in quotes
            ]
            if not cited:
                continue  # a missing or dangling citation is reported on its own
            voice = normalise(record.values.get("voice", ""))
            voiced = bool(voice) and any(voice.lower() in q.lower() for q in cited)
            for column in columns:
                codes = list_items(schema.field(column), record.values[column])
                for code in codes:
                    if code not in rows or code not in parties:
                        continue  # reported as a dangling reference, or as a code used out of its role
                    words = _names_of(rows[code], aliases)
                    if any(_mentions(q, w) for q in cited for w in words):
                        continue
                    if column == "speaker" and len(codes) == 1 and voiced:
                        continue  # the quote names who speaks ("Lukashenko said"); the voice column says so
                    yield Problem(
                        table.path,
                        record.line,
                        column,
                        f"{code!r} is named in none of its quotes (looked for: {', '.join(words)}"
                        + (", or a voice found in a quote)" if column == "speaker" else ")"),
                    )

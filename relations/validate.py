"""Checks the whole dataset and reports every problem as `path:line: column: message`."""

import contextlib
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pycountry

from relations.csvfile import RawTable, read_raw_table
from relations.dates import parse_partial_date
from relations.downloads import FORMULA_TRIGGERS
from relations.formulas import FormulaError, evaluate, referenced_ids
from relations.precision import decimals, significant_figures, supported_figures
from relations.problems import Problem
from relations.quotes import normalise, paragraph_of
from relations.schema import DESCRIPTOR, Field, TableSchema, read_schemas

NOT_STATED = "not stated in archived text"
SOURCE_METADATA = ("outlet", "title", "author", "published", "url")
EXACT_MATCH = 1e-9  # relative: a derived value this close to its formula's result was not rounded


@dataclass(frozen=True)
class RawDataset:
    data_dir: Path
    schemas: dict[str, TableSchema]
    tables: dict[str, RawTable]


def read_raw_dataset(data_dir: Path) -> tuple[RawDataset | None, list[Problem]]:
    """Reads every declared table; structural problems (missing files, columns) come back too."""
    try:
        schemas = read_schemas(data_dir)
    except (OSError, ValueError, KeyError) as err:
        return None, [Problem(data_dir / DESCRIPTOR, 1, "-", f"cannot read schema: {err}")]
    tables: dict[str, RawTable] = {}
    problems: list[Problem] = []
    for name, schema in schemas.items():
        table, read_problems = read_raw_table(data_dir / schema.path)
        problems += read_problems
        if table is None:
            continue
        missing = [f for f in schema.field_names if f not in table.header]
        unexpected = [c for c in table.header if c not in schema.field_names]
        problems += [Problem(table.path, 1, col, "missing column") for col in missing]
        problems += [Problem(table.path, 1, col, "unexpected column") for col in unexpected]
        if not missing:
            tables[name] = table
    return RawDataset(data_dir, schemas, tables), problems


def validate_dataset(data_dir: Path, archive_dir: Path | None = None) -> list[Problem]:
    raw, problems = read_raw_dataset(data_dir)
    if raw is not None:
        problems += check_loaded(raw)
        if archive_dir is not None:
            problems += list(_quote_problems(raw, archive_dir))
    return sorted(set(problems))


def check_loaded(raw: RawDataset) -> list[Problem]:
    """Every check that needs only the data itself (no archive)."""
    problems: list[Problem] = []
    for name, table in raw.tables.items():
        problems += _cell_problems(raw.schemas[name], table)
    problems += _foreign_key_problems(raw)
    problems += _country_problems(raw)
    problems += _relation_problems(raw)
    problems += _trade_problems(raw)
    problems += _trade_shape_problems(raw)
    problems += _date_basis_problems(raw)
    problems += _role_problems(raw)
    problems += _mention_problems(raw)
    problems += _source_problems(raw)
    problems += _waypoint_problems(raw)
    return problems


def list_items(field: Field, text: str) -> list[str]:
    if field.separator is None:
        return [text.strip()] if text.strip() else []
    return [item.strip() for item in text.split(field.separator) if item.strip()]


def _value_problem(field: Field, value: str) -> str | None:
    if field.type == "integer":
        if not re.fullmatch(r"-?\d+", value):
            return f"{value!r} is not an integer"
        if field.minimum is not None and int(value) < field.minimum:
            return f"{value} is below the minimum {field.minimum}"
    elif field.type == "number":
        try:
            number = float(value)
        except ValueError:
            return f"{value!r} is not a number"
        if not math.isfinite(number):
            return f"{value!r} is not a finite number"
        if field.minimum is not None and number < field.minimum:
            return f"{value} is below the minimum {field.minimum:g}"
        if field.maximum is not None and number > field.maximum:
            return f"{value} is above the maximum {field.maximum:g}"
    elif field.type == "boolean" and value not in ("true", "false"):
        return f"{value!r} is not a boolean (true or false)"
    if field.type == "string" and value.startswith(FORMULA_TRIGGERS):
        return f"{value[:20]!r} starts with {value[0]!r}, which spreadsheets run as a formula"
    if field.enum and value not in field.enum:
        return f"{value!r} is not one of: {', '.join(field.enum)}"
    if field.pattern and not re.fullmatch(field.pattern, value):
        return f"{value!r} does not match the pattern {field.pattern}"
    if field.format == "partial-date":
        try:
            parse_partial_date(value)
        except ValueError as err:
            return str(err)
    if field.format == "uri":
        url = urlparse(value)
        if url.scheme not in ("http", "https") or not url.netloc:
            return f"{value!r} is not an http(s) URL"
    return None


def _cell_problems(schema: TableSchema, table: RawTable) -> Iterator[Problem]:
    seen: dict[str, dict[str, int]] = {f.name: {} for f in schema.fields if f.unique}
    for record in table.records:
        for field in schema.fields:
            text = record.values[field.name].strip()
            if not text:
                if field.required:
                    message = (
                        "record cites nothing (every record needs a citation)"
                        if field.name == "citations"
                        else "required value is missing"
                    )
                    yield Problem(table.path, record.line, field.name, message)
                continue
            for item in list_items(field, text):
                message = _value_problem(field, item)
                if message:
                    yield Problem(table.path, record.line, field.name, message)
            if field.unique:
                first = seen[field.name].setdefault(text, record.line)
                if first != record.line:
                    yield Problem(
                        table.path, record.line, field.name, f"duplicate {text!r} (first on line {first})"
                    )


def _keys(raw: RawDataset, resource: str, key: str) -> set[str]:
    table = raw.tables.get(resource)
    return {r.values[key].strip() for r in table.records} if table else set()


def _foreign_key_problems(raw: RawDataset) -> Iterator[Problem]:
    for name, table in raw.tables.items():
        schema = raw.schemas[name]
        for fk in schema.foreign_keys:
            if fk.resource not in raw.tables:
                continue
            known = _keys(raw, fk.resource, fk.key)
            field = schema.field(fk.field)
            target = raw.schemas[fk.resource].path
            for record in table.records:
                for item in list_items(field, record.values[fk.field]):
                    if item not in known:
                        yield Problem(table.path, record.line, fk.field, f"{item!r} is not an id in {target}")


def _country_problems(raw: RawDataset) -> Iterator[Problem]:
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


def _relation_problems(raw: RawDataset) -> Iterator[Problem]:
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


def _trade_problems(raw: RawDataset) -> Iterator[Problem]:
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


def _trade_shape_problems(raw: RawDataset) -> Iterator[Problem]:
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


def _date_basis_problems(raw: RawDataset) -> Iterator[Problem]:
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


def _role_problems(raw: RawDataset) -> Iterator[Problem]:
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
    """Whole words; abbreviations in capitals (US, PRC) match only in capitals, so 'us' is not the US."""
    word = normalise(word)
    flags = 0 if word.upper() == word else re.IGNORECASE
    return re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text, flags) is not None


def _mention_problems(raw: RawDataset) -> Iterator[Problem]:
    """A relation or stance names only parties its own quotes name (by name, demonym or metonym)."""
    citations = raw.tables.get("citations")
    countries = raw.tables.get("countries")
    if citations is None or countries is None:
        return
    quotes = {r.values["id"].strip(): normalise(r.values["quote"]) for r in citations.records}
    rows = _country_rows(raw)
    aliases = raw.schemas["countries"].field("aliases")
    for name, columns in (("relations", ("a", "b")), ("stances", ("speaker", "subject"))):
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
                    if code not in rows:
                        continue  # reported as a dangling reference
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


CROSSING_ROLES = {"border crossing", "gauge change"}


def _waypoint_problems(raw: RawDataset) -> Iterator[Problem]:
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


def _source_problems(raw: RawDataset) -> Iterator[Problem]:
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


def _quote_problems(raw: RawDataset, archive_dir: Path) -> Iterator[Problem]:
    sources, citations = raw.tables.get("sources"), raw.tables.get("citations")
    if sources is None or citations is None:
        return
    texts: dict[str, str] = {}
    for record in sources.records:
        archive = record.values["archive"].strip()
        path = archive_dir / archive
        if not archive or not re.fullmatch(r"[A-Za-z0-9_.-]+\.txt", archive):
            continue  # reported as a cell problem; never read outside the archive
        if path.is_file():
            texts[record.values["id"].strip()] = path.read_text(encoding="utf-8")
        else:
            yield Problem(
                sources.path, record.line, "archive", f"archived text {archive!r} not found in {archive_dir}"
            )
    for record in citations.records:
        source, quote = record.values["source"].strip(), record.values["quote"]
        if source not in texts or not quote.strip():
            continue
        found = paragraph_of(quote, texts[source])
        if found is None:
            archive = next(r.values["archive"] for r in sources.records if r.values["id"].strip() == source)
            yield Problem(citations.path, record.line, "quote", f"not found verbatim in {archive}")
            continue
        locator = record.values["locator"].strip()
        if locator and locator != f"para {found}":
            yield Problem(
                citations.path, record.line, "locator", f"says {locator!r} but the quote is in para {found}"
            )

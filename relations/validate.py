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
from relations.formulas import FormulaError, evaluate
from relations.problems import Problem
from relations.quotes import paragraph_of
from relations.schema import DESCRIPTOR, Field, TableSchema, read_schemas

NOT_STATED = "not stated in archived text"
SOURCE_METADATA = ("outlet", "title", "author", "published", "url")
DERIVED_TOLERANCE = 1e-3  # relative: stored derived values are rounded to 4 decimals


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
        if stored is not None and not math.isclose(stored, computed, rel_tol=DERIVED_TOLERANCE):
            yield Problem(
                table.path, record.line, "value", f"{stored:g} differs from its formula's {computed:.6g}"
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

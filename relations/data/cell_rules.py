"""Cell by cell, as datapackage.json declares: types, required values, enums, patterns, unique ids, foreign keys."""

import math
import re
from collections.abc import Iterator
from urllib.parse import urlparse

from relations.data.problems import Problem
from relations.data.reading import RawDataset, RawTable, list_items
from relations.data.schema import Field, TableSchema
from relations.dates import parse_partial_date
from relations.downloads import FORMULA_TRIGGERS


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


def cell_problems(schema: TableSchema, table: RawTable) -> Iterator[Problem]:
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


def foreign_key_problems(raw: RawDataset) -> Iterator[Problem]:
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

"""Reads the CSV tables a datapackage.json declares, every cell as text with the line it started on:
validation, not the parser, decides what a cell means."""

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from relations.data.problems import Problem
from relations.data.schema import DESCRIPTOR, Field, TableSchema, read_schemas


@dataclass(frozen=True)
class Record:
    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class RawTable:
    path: Path
    header: list[str]
    records: list[Record]
    digest: str  # of the text read: what the checks saw


def read_raw_table(path: Path) -> tuple[RawTable | None, list[Problem]]:
    """Every cell as text, so that validation, not the parser, decides what a cell means."""
    if not path.exists():
        return None, [Problem(path, 1, "-", "file not found")]
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        return None, [Problem(path, 1, "-", f"not UTF-8 text ({err.reason} at byte {err.start})")]
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    problems: list[Problem] = []
    header: list[str] | None = None
    records: list[Record] = []
    next_line = 1
    try:
        for cells in reader:
            line, next_line = next_line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [cell.strip() for cell in cells]
                continue
            if len(cells) != len(header):
                problems.append(Problem(path, line, "-", f"expected {len(header)} cells, found {len(cells)}"))
                continue
            records.append(Record(line, dict(zip(header, cells, strict=True))))
    except csv.Error as err:
        problems.append(Problem(path, reader.line_num, "-", f"malformed CSV: {err}"))
    if header is None:
        return None, [*problems, Problem(path, 1, "-", "file is empty (no header row)")]
    return RawTable(path, header, records, hashlib.sha256(text.encode()).hexdigest()), problems


@dataclass(frozen=True)
class RawDataset:
    data_dir: Path
    schemas: dict[str, TableSchema]
    tables: dict[str, RawTable]

    @property
    def content_hash(self) -> str:
        """Of the schemas and the text of every table as read: two reads with one hash hold the same data."""
        digest = hashlib.sha256(repr(sorted(self.schemas.items())).encode())
        for name, table in sorted(self.tables.items()):
            digest.update(f"|{name}|{table.path.name}|{table.digest}".encode())
        return digest.hexdigest()


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


def list_items(field: Field, text: str) -> list[str]:
    if field.separator is None:
        return [text.strip()] if text.strip() else []
    return [item.strip() for item in text.split(field.separator) if item.strip()]

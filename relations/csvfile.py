"""Reads a CSV file into records that remember the line they started on."""

import csv
from dataclasses import dataclass
from pathlib import Path

from relations.problems import Problem


@dataclass(frozen=True)
class Record:
    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class RawTable:
    path: Path
    header: list[str]
    records: list[Record]


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
    return RawTable(path, header, records), problems

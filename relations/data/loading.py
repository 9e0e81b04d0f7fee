"""Loads the validated CSV tables as typed DataFrames, refusing a dataset with any problem."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from relations.data.problems import DatasetError
from relations.data.reading import RawTable, list_items, read_raw_dataset
from relations.data.schema import TableSchema, read_package_metadata
from relations.data.validation import check_loaded

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_ARCHIVE_DIR = PROJECT_ROOT.parent / "shared" / "seeds"


@dataclass(frozen=True)
class DatasetVersion:
    content_hash: str
    updated: str

    def __str__(self) -> str:
        return f"{self.content_hash} ({self.updated})"


@dataclass(frozen=True)
class Dataset:
    tables: dict[str, pd.DataFrame]
    version: DatasetVersion

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def dataset_version(data_dir: Path) -> DatasetVersion:
    """A short content hash changes with any edit, so figures and slides name the data they show."""
    digest = hashlib.sha256()
    for path in [*sorted(data_dir.glob("*.csv")), data_dir / "datapackage.json"]:
        if path.exists():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    try:
        updated = str(read_package_metadata(data_dir).get("updated", ""))
    except (OSError, ValueError):
        updated = ""
    return DatasetVersion(digest.hexdigest()[:12], updated)


def _typed_frame(schema: TableSchema, table: RawTable) -> pd.DataFrame:
    columns: dict[str, list] = {}
    for field in schema.fields:
        cells = [r.values[field.name].strip() for r in table.records]
        if field.separator is not None:
            columns[field.name] = [list_items(field, c) for c in cells]
        elif field.type == "integer":
            columns[field.name] = pd.array([int(c) if c else None for c in cells], dtype="Int64")
        elif field.type == "number":
            columns[field.name] = [float(c) if c else float("nan") for c in cells]
        elif field.type == "boolean":
            columns[field.name] = [c == "true" for c in cells]
        else:
            columns[field.name] = cells
    frame = pd.DataFrame(columns, columns=schema.field_names)
    frame.insert(0, "line", [r.line for r in table.records])
    return frame


def load_dataset(data_dir: Path = DEFAULT_DATA_DIR) -> Dataset:
    """Raises DatasetError listing every problem; quotes are checked by `validate`, not here."""
    raw, problems = read_raw_dataset(data_dir)
    if raw is not None:
        problems += check_loaded(raw)
    if problems or raw is None:
        raise DatasetError(problems)
    tables = {name: _typed_frame(raw.schemas[name], t) for name, t in raw.tables.items()}
    return Dataset(tables, dataset_version(data_dir))

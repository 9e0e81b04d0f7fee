"""Loads the validated CSV tables as typed DataFrames, refusing a dataset with any problem."""

import contextlib
import dataclasses
import functools
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pandas as pd

from relations.data.checked import passed_before, remember_passed
from relations.data.problems import DatasetError
from relations.data.reading import RawTable, list_items, read_raw_dataset
from relations.data.schema import DESCRIPTOR, TableSchema, read_package_metadata
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
    _derived: dict = dataclasses.field(default_factory=dict, compare=False, repr=False)  # see per_dataset

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


T = TypeVar("T")


def per_dataset(compute: Callable[[Dataset], T]) -> Callable[[Dataset], T]:
    """For lookups that depend on the dataset alone (names by code, focusable countries): computed
    once per loaded dataset, not on every page view. The dataset is shared read-only between
    sessions, and so is what this returns: callers must not modify it."""

    @functools.wraps(compute)
    def derived(dataset: Dataset) -> T:
        try:
            return dataset._derived[compute]
        except KeyError:
            value = dataset._derived[compute] = compute(dataset)
            return value

    return derived


def _data_files(data_dir: Path) -> list[Path]:
    return [*sorted(data_dir.glob("*.csv")), data_dir / DESCRIPTOR]


def _is_data_file(name: str) -> bool:
    return name.endswith(".csv") or name == DESCRIPTOR


def _file_stamps(data_dir: Path) -> tuple:
    """Name, size and modification time of every data file: what changes when a file is edited. One
    directory read (os.scandir) instead of a glob and a stat per path: every page view asks, twice,
    and the glob took ≈0.3 CPU-ms of each ask inside a busy replica."""
    stamps = []
    with contextlib.suppress(OSError), os.scandir(data_dir) as entries:
        for entry in entries:
            if _is_data_file(entry.name):
                with contextlib.suppress(OSError):
                    info = entry.stat()
                    stamps.append((entry.name, info.st_size, info.st_mtime_ns))
    return tuple(sorted(stamps))


_VERSIONS: dict[Path, tuple[tuple, DatasetVersion]] = {}


def dataset_version(data_dir: Path) -> DatasetVersion:
    """A short content hash changes with any edit, so figures and slides name the data they show.
    Every page view asks (an edited CSV shows on the next rerun); the files are hashed again only
    when a file's size or modification time has changed, not on every view (≈3 ms a view)."""
    stamps = _file_stamps(data_dir)
    known = _VERSIONS.get(data_dir)
    if known is not None and known[0] == stamps:
        return known[1]
    digest = hashlib.sha256()
    for path in _data_files(data_dir):
        if path.exists():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    try:
        updated = str(read_package_metadata(data_dir).get("updated", ""))
    except (OSError, ValueError):
        updated = ""
    version = DatasetVersion(digest.hexdigest()[:12], updated)
    _VERSIONS[data_dir] = (stamps, version)
    return version


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
    """Raises DatasetError listing every problem; quotes are checked by `validate`, not here. Data
    that passed the checks before, unchanged, with the same checking code, is not checked again
    (relations/data/checked.py); `validate` always checks."""
    raw, problems = read_raw_dataset(data_dir)
    if raw is not None and (problems or not passed_before(raw)):
        problems += check_loaded(raw)
        if not problems:
            remember_passed(raw)
    if problems or raw is None:
        raise DatasetError(problems)
    tables = {name: _typed_frame(raw.schemas[name], t) for name, t in raw.tables.items()}
    return Dataset(tables, dataset_version(data_dir))

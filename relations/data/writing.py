"""The dataset's write path: build the would-be dataset in a scratch copy, validate all of it, and only
then replace the changed files, each atomically (a temporary file renamed over it), under a lock so two
curators at once never lose each other's rows."""

import csv
import fcntl
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from relations.data.problems import Problem
from relations.data.validation import validate_dataset

LOCK_NAME = ".curation.lock"


@contextmanager
def dataset_lock(data_dir: Path) -> Iterator[None]:
    """One writer at a time: the second command waits for the first, then reads what it wrote."""
    with open(data_dir / LOCK_NAME, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def appended(text: str, header: list[str], rows: list[dict[str, str]]) -> str:
    """The file's text with rows added at its end in its own line endings, so a diff shows just them."""
    newline = "\r\n" if "\r\n" in text else "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    if text and not text.endswith(("\n", "\r")):
        text += newline
    return text + out.getvalue()


def header_of(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [cell.strip() for cell in next(csv.reader(handle))]


def _replace_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _relocated(problem: Problem, scratch: Path, real: Path) -> Problem:
    """A problem found in the scratch copy, reported at the real file's path."""
    try:
        return Problem(
            real / problem.path.relative_to(scratch), problem.line, problem.column, problem.message
        )
    except ValueError:
        return problem


def commit(data_dir: Path, archive_dir: Path, changes: dict[Path, bytes]) -> list[Problem]:
    """changes: absolute path (in data_dir or archive_dir) -> its complete new content. Returns the
    problems of the would-be dataset; when there are any, nothing is written."""
    with tempfile.TemporaryDirectory(prefix="relations-curation-") as scratch_root:
        scratch = Path(scratch_root)
        scratch_data, scratch_archive = scratch / "data", scratch / "archive"
        shutil.copytree(data_dir, scratch_data, ignore=shutil.ignore_patterns(LOCK_NAME, "geo"))
        shutil.copytree(archive_dir, scratch_archive) if archive_dir.is_dir() else scratch_archive.mkdir()
        for path, data in changes.items():
            inside_data = path.is_relative_to(data_dir)
            target = (scratch_data if inside_data else scratch_archive) / path.relative_to(
                data_dir if inside_data else archive_dir
            )
            target.write_bytes(data)
        problems = validate_dataset(scratch_data, scratch_archive)
        if problems:
            return [
                _relocated(_relocated(p, scratch_data, data_dir), scratch_archive, archive_dir)
                for p in problems
            ]
    # Archive first: a source row must never point at a text that is not there yet.
    for path in sorted(changes, key=lambda p: p.is_relative_to(data_dir)):
        _replace_atomically(path, changes[path])
    return []

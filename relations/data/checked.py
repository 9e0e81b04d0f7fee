"""Which datasets have passed the loader's checks before, kept on disk by content: a dataset is
checked once per edit, not on every load. At 100× today's size the checks take ≈0.7 s of every export
and of each server process's first load; a dataset that passed them still passes them until a file
or the code that checks it changes. Only passes are kept: a dataset with problems is checked (and its
problems reported) every time. A mark is trusted only in a directory of the user's own: one planted
by someone else would skip the checks that keep formulas out of CSV downloads and links on http(s)."""

import contextlib
import hashlib
import os
import sys
from functools import cache
from importlib.metadata import version as package_version
from pathlib import Path

from relations.data.reading import RawDataset
from relations.file_cache import cache_dir, write_atomically

# The code the checks run: the data package (readers, schema, rules) and the helpers its rules call.
_RELATIONS = Path(__file__).resolve().parents[1]
CHECK_CODE = (
    *sorted((_RELATIONS / "data").glob("*.py")),
    _RELATIONS / "dates.py",
    _RELATIONS / "downloads.py",
)
# Country codes are checked against pycountry's ISO 3166 list, derived figures with pandas' eval.
CHECK_PACKAGES = ("pycountry", "pandas", "numpy")


@cache
def _checks_version() -> str:
    digest = hashlib.sha256(sys.version.encode())
    for path in CHECK_CODE:
        digest.update(path.name.encode() + path.read_bytes())
    for package in CHECK_PACKAGES:
        digest.update(f"{package}={package_version(package)}".encode())
    return digest.hexdigest()


def _mark(raw: RawDataset) -> Path:
    key = hashlib.sha256(f"{_checks_version()}|{raw.content_hash}".encode()).hexdigest()[:32]
    return cache_dir() / "checked" / key


def passed_before(raw: RawDataset) -> bool:
    mark = _mark(raw)
    try:  # an unreadable cache directory costs the load its shortcut, nothing more
        return all(path.stat().st_uid == os.getuid() for path in (mark.parent, mark))
    except OSError:
        return False


def remember_passed(raw: RawDataset) -> None:
    # A read-only or full cache directory costs the next load its checks, nothing more.
    with contextlib.suppress(OSError):
        mark = _mark(raw)
        mark.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if mark.parent.stat().st_uid == os.getuid():
            write_atomically(mark, b"")

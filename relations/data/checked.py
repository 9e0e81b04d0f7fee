"""Which datasets have passed the loader's checks before, kept on disk by content: a dataset is
checked once per edit, not once per process. At 100× today's size the checks take ≈0.7 s of every
export and every replica's start; a dataset that passed them still passes them until a file or the
code that checks it changes. Only passes are kept: a dataset with problems is checked (and its
problems reported) every time."""

import contextlib
import hashlib
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
CHECK_PACKAGES = ("pycountry",)  # country codes are checked against its ISO 3166 list


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
    return _mark(raw).exists()


def remember_passed(raw: RawDataset) -> None:
    # A read-only or full cache directory costs the next load its checks, nothing more.
    with contextlib.suppress(OSError):
        write_atomically(_mark(raw), b"")

"""Where exports keep what they made: rendered files, fonts, fitted layouts and replayed exports, in
one cache directory. Light on purpose (the standard library only): a repeated export reads its files
back without importing the renderer, pandas or Altair."""

import contextlib
import os
import threading
from pathlib import Path

CACHE_LIMIT_BYTES = 200_000_000  # rendered files kept in the cache directory, oldest dropped first


def cache_dir() -> Path:
    """RELATIONS_CACHE_DIR, else $XDG_CACHE_HOME/relations, else ~/.cache/relations."""
    if os.environ.get("RELATIONS_CACHE_DIR"):
        return Path(os.environ["RELATIONS_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "relations"


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _cache_path(key: str, fmt: str) -> Path:
    return cache_dir() / "files" / key[:2] / f"{key}.{fmt}"


def cached_file(key: str, fmt: str) -> bytes | None:
    path = _cache_path(key, fmt)
    try:
        data = path.read_bytes()
        os.utime(path)  # pruning drops the least recently used
        return data
    except OSError:
        return None


def store_file(key: str, fmt: str, data: bytes) -> None:
    with contextlib.suppress(OSError):  # a read-only or full cache directory costs speed, never the export
        write_atomically(_cache_path(key, fmt), data)


def prune_cache(limit: int = CACHE_LIMIT_BYTES) -> None:
    """Oldest files first, until the cache holds at most limit bytes."""
    root = cache_dir() / "files"
    if not root.is_dir():
        return
    files = sorted((p.stat().st_mtime, p.stat().st_size, p) for p in root.glob("*/*") if p.is_file())
    total = sum(size for _, size, _ in files)
    for _, size, path in files:
        if total <= limit:
            break
        path.unlink(missing_ok=True)
        total -= size

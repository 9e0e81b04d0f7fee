"""A repeated `python -m relations export` answered from the cache without loading the data or
building a chart: the export is named by the data files, the view, the formats, the date and the code
that makes it; its files come from the rendered-file cache (relations/export.py). Imports nothing
heavy, so a hit costs a few milliseconds plus copying the files."""

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import sys
import time
from importlib.metadata import version as package_version
from pathlib import Path

from relations.file_cache import cache_dir, cached_file, write_atomically

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_DATA_DIR = PACKAGE_DIR.parent / "data"  # as relations.data.loading.DEFAULT_DATA_DIR, without pandas
FORMATS = ("png", "svg", "pdf", "pptx")
PACKAGES = ("altair", "pandas", "vl-convert-python", "fonttools", "pillow", "python-pptx", "geopandas")


def _code_version() -> str:
    """Every source file of the package and the shipped geometry, and the packages that shape a figure."""
    digest = hashlib.sha256()
    for path in sorted([*PACKAGE_DIR.rglob("*.py"), *(PACKAGE_DIR.parent / "data" / "geo").glob("*.json")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for package in PACKAGES:
        try:
            digest.update(f"{package}={package_version(package)}".encode())
        except Exception:
            digest.update(package.encode())
    return digest.hexdigest()


def export_key(data_dir: Path, view: str, formats: list[str], generated: dt.date) -> str:
    digest = hashlib.sha256(_code_version().encode())
    for path in [*sorted(data_dir.glob("*.csv")), data_dir / "datapackage.json"]:
        if path.exists():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    digest.update(json.dumps([view, formats, generated.isoformat()]).encode())
    return digest.hexdigest()[:32]


def _index_path(key: str) -> Path:
    return cache_dir() / "exports" / f"{key}.json"


def remember(
    key: str, manifest: dict, sources: dict[str, tuple[str, str]], notices: list[str], figures: int
) -> None:
    """sources: file name -> (cache key, format) in the rendered-file cache."""
    record = {"manifest": manifest, "sources": sources, "notices": notices, "figures": figures}
    with contextlib.suppress(OSError):
        write_atomically(_index_path(key), json.dumps(record, ensure_ascii=False).encode("utf-8"))


def _formats(text: str) -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    if not formats or any(f not in FORMATS for f in formats):
        raise ValueError(text)
    return formats


def replay_export(argv: list[str]) -> int | None:
    """The export's exit code when it could be answered from the cache; None to run it for real."""
    parser = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    parser.add_argument("--out", type=Path)  # not required: argparse would print its own error for the CLI's
    parser.add_argument("--format", default="png,svg,pdf,pptx")
    parser.add_argument("--view", default="")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)
    try:
        args, rest = parser.parse_known_args(argv)
        formats = _formats(args.format)
    except (argparse.ArgumentError, ValueError, SystemExit):
        return None
    if rest or args.out is None or not args.data.is_dir():
        return None
    started = time.perf_counter()
    key = export_key(args.data, args.view, formats, dt.date.today())
    try:
        record = json.loads(_index_path(key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = {}
    for name, (file_key, fmt) in record["sources"].items():
        data = cached_file(file_key, fmt)
        if data is None:
            return None
        files[name] = data
    for notice in record["notices"]:
        print(f"notice: {notice}", file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    total = len(files)
    for done, (name, data) in enumerate(files.items(), start=1):
        (args.out / name).write_bytes(data)
        print(f"[{done}/{total}] {name}", file=sys.stderr, flush=True)
    (args.out / "manifest.json").write_text(
        json.dumps(record["manifest"], ensure_ascii=False, indent=2), encoding="utf-8"
    )
    seconds = time.perf_counter() - started
    print(
        f"{total} files ({sum(len(d) for d in files.values()):,} bytes) for {record['figures']} figures in "
        f"{seconds:.1f} s (from the cache): {args.out / 'manifest.json'}"
    )
    return 0

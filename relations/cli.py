"""The command-line contract: `python -m relations validate | dump | export | add-source | add-quote |
add-relation | add-event | add-figure`."""

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

from relations.export_replay import DEFAULT_DATA_DIR, FORMATS

T = TypeVar("T")
CORE_COMMANDS = ("validate", "dump", "export")


def _validate(args: argparse.Namespace) -> int:
    from relations.data.loading import DEFAULT_ARCHIVE_DIR
    from relations.data.validation import validate_dataset

    archive = args.archive
    if archive is None and DEFAULT_ARCHIVE_DIR.is_dir():
        archive = DEFAULT_ARCHIVE_DIR
    if archive is not None and not archive.is_dir():
        print(f"{archive}: archive directory not found", file=sys.stderr)
        return 1
    problems = validate_dataset(args.data, archive)
    for problem in problems:
        print(problem)
    checked = f"quotes checked against {archive}" if archive else "quotes not checked (no archive)"
    print(f"{len(problems)} problem(s); {checked}", file=sys.stderr)
    return 1 if problems else 0


def _dump(args: argparse.Namespace) -> int:
    from relations.data.loading import load_dataset
    from relations.data.problems import DatasetError

    try:
        dataset = load_dataset(args.data)
    except DatasetError as err:
        print(err, file=sys.stderr)
        return 1
    payload = {
        name: json.loads(frame.drop(columns="line").to_json(orient="records", force_ascii=False))
        for name, frame in dataset.tables.items()
    }
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


def _formats(text: str) -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise argparse.ArgumentTypeError(f"formats are {', '.join(FORMATS)}; got {text!r}")
    return formats


def _noting(items: Iterator[T], seen: list[T]) -> Iterator[T]:
    """Passes items on, keeping each in seen: the export builds its figures as it goes."""
    for item in items:
        seen.append(item)
        yield item


def _export(args: argparse.Namespace) -> int:
    from relations.export_replay import export_key, remember
    from relations.render import render_pool

    started = time.perf_counter()
    generated = dt.date.today()
    # The render threads start Vega while this one imports pandas, Altair and python-pptx, loads the
    # data and builds the charts.
    with render_pool() as pool:
        from altair.utils.schemapi import debug_mode

        from relations.data.loading import load_dataset
        from relations.data.problems import DatasetError
        from relations.export import export_figures
        from relations.views import iter_view_figures, parse_view_query

        try:
            dataset = load_dataset(args.data)
        except DatasetError as err:
            print(err, file=sys.stderr)
            return 1
        view, notices = parse_view_query(args.view, dataset)
        for notice in notices:
            print(f"notice: {notice}", file=sys.stderr)
        built: list = []  # the figures, as the export builds them
        # Altair checks every chart part against the schema as it is made (≈15% of building the
        # figures); the test suite validates every figure's spec, and the export's are the same.
        with debug_mode(False):
            written = export_figures(
                _noting(iter_view_figures(dataset, view), built),
                args.out,
                args.format,
                dataset.version,
                generated,
                progress=lambda done, total, name: print(
                    f"[{done}/{total}] {name}", file=sys.stderr, flush=True
                ),
                view=view.as_record(),
                pool=pool,
            )
    manifest = json.loads((args.out / "manifest.json").read_text(encoding="utf-8"))
    figure_count = len(built)
    remember(
        export_key(args.data, args.view, args.format, generated),
        manifest,
        {f.file: (f.cache_key, f.format) for f in written},
        notices,
        figure_count,
    )
    seconds = time.perf_counter() - started
    total_bytes = sum(f.bytes for f in written)
    print(
        f"{len(written)} files ({total_bytes:,} bytes) for {figure_count} figures in {seconds:.1f} s: {args.out / 'manifest.json'}"
    )
    return 0


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Every command's parser; for a core command named on the command line, only its own (all that
    parse_args reads then): the others import what it does not need, such as pandas and the curation
    code (≈0.7 s before an export could start its render threads)."""
    parser = argparse.ArgumentParser(prog="python -m relations", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    wanted = (command,) if command in CORE_COMMANDS else CORE_COMMANDS
    if "validate" in wanted:
        from relations.data.loading import DEFAULT_ARCHIVE_DIR

        validate = commands.add_parser("validate", help="check the dataset; exit 1 on any problem")
        validate.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)
        validate.add_argument(
            "--archive",
            type=Path,
            default=None,
            help=f"archived article texts for quote checks (default: {DEFAULT_ARCHIVE_DIR} if present)",
        )
        validate.set_defaults(run=_validate)
    if "dump" in wanted:
        dump = commands.add_parser("dump", help="the whole dataset as one JSON object")
        dump.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)
        dump.set_defaults(run=_dump)
    if "export" in wanted:
        export = commands.add_parser("export", help="every figure as slide-ready files plus manifest.json")
        export.add_argument("--out", type=Path, required=True)
        export.add_argument(
            "--format", type=_formats, default="png,svg,pdf,pptx", help="comma-separated: png,svg,pdf,pptx"
        )
        export.add_argument(
            "--view", default="", help="a link's query, e.g. 'focus=BLR&layer=sanctions&actors=BLR,CHN'"
        )
        export.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)
        export.set_defaults(run=_export)
    if command not in CORE_COMMANDS:
        from relations.curate_cli import add_curation_commands

        add_curation_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv[0] if argv else None).parse_args(argv)
    return args.run(args)

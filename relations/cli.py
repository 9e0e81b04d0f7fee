"""The command-line contract: `python -m relations validate | dump | export`."""

import argparse
import json
import sys
from pathlib import Path

from relations.dataset import DEFAULT_ARCHIVE_DIR, DEFAULT_DATA_DIR, load_dataset
from relations.problems import DatasetError
from relations.validate import validate_dataset


def _validate(args: argparse.Namespace) -> int:
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m relations", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check the dataset; exit 1 on any problem")
    validate.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)
    validate.add_argument(
        "--archive",
        type=Path,
        default=None,
        help=f"archived article texts for quote checks (default: {DEFAULT_ARCHIVE_DIR} if present)",
    )
    validate.set_defaults(run=_validate)
    dump = commands.add_parser("dump", help="the whole dataset as one JSON object")
    dump.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)
    dump.set_defaults(run=_dump)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)

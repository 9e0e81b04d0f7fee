"""`python -m relations add-source | add-quote | add-relation | add-event | add-figure`: each validates
the whole would-be dataset, writes atomically under a lock, and prints the new id as its last line;
on refusal it exits 1 with the reason and leaves every file byte-identical."""

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from relations.data import curation
from relations.data.loading import DEFAULT_ARCHIVE_DIR, DEFAULT_DATA_DIR
from relations.data.writing import commit, dataset_lock

RELATION_KINDS = (
    "partnership",
    "alliance",
    "union",
    "sanction",
    "tariff",
    "tension",
    "trade",
    "initiative",
    "war",
    "outreach",
)


def _run(args: argparse.Namespace, make: Callable[[], curation.Addition]) -> int:
    if not args.data.is_dir():
        print(f"{args.data}: data directory not found", file=sys.stderr)
        return 1
    with dataset_lock(args.data):
        try:
            addition = make()
        except curation.Refused as refusal:
            print(f"refused: {refusal}", file=sys.stderr)
            return 1
        problems = commit(args.data, args.archive, addition.changes)
    if problems:
        print("refused: the dataset would not validate; nothing was written:", file=sys.stderr)
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    for path in addition.changes:
        print(f"wrote {path}", file=sys.stderr)
    print(addition.new_id)
    return 0


def _add_source(args: argparse.Namespace) -> int:
    return _run(args, lambda: curation.add_source(
        args.data, args.archive, args.file, args.outlet, args.title, args.date, args.author, args.url
    ))  # fmt: skip


def _add_quote(args: argparse.Namespace) -> int:
    return _run(args, lambda: curation.add_quote(args.data, args.archive, args.source_id, args.text))


def _add_relation(args: argparse.Namespace) -> int:
    return _run(args, lambda: curation.add_relation(
        args.data, args.a, args.b, args.kind, args.quote, args.summary, args.tier, args.start, args.end, args.directed
    ))  # fmt: skip


def _add_event(args: argparse.Namespace) -> int:
    return _run(args, lambda: curation.add_event(
        args.data, args.date, args.actors.split(","), args.title, args.kind, args.quote, args.place, args.axis_label
    ))  # fmt: skip


def _add_figure(args: argparse.Namespace) -> int:
    return _run(args, lambda: curation.add_figure(
        args.data, args.id, args.label, args.reporter, args.partner, args.flow, args.commodity, args.measure,
        args.period, args.unit, args.quote, args.value, args.qualifier, args.formula,
    ))  # fmt: skip


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE_DIR, help="archived article texts")


def add_curation_commands(commands: argparse._SubParsersAction) -> None:
    source = commands.add_parser("add-source", help="archive an article's text and add its sources.csv row")
    source.add_argument("file", type=Path)
    source.add_argument("--outlet", required=True)
    source.add_argument("--title", required=True)
    source.add_argument("--date", required=True, help="YYYY, YYYY-MM or YYYY-MM-DD, as the article gives it")
    source.add_argument("--author", default="")
    source.add_argument("--url", default="")
    source.set_defaults(run=_add_source)

    quote = commands.add_parser(
        "add-quote", help="a sentence from an archived article, stored exactly as it is there"
    )
    quote.add_argument("source_id")
    quote.add_argument("text")
    quote.set_defaults(run=_add_quote)

    relation = commands.add_parser("add-relation", help="a relation between two parties, citing quotes")
    relation.add_argument("a")
    relation.add_argument("b")
    relation.add_argument("kind", choices=RELATION_KINDS)
    relation.add_argument("--quote", action="append", default=[], required=True)
    relation.add_argument("--summary", required=True)
    relation.add_argument("--tier", default="")
    relation.add_argument("--start", default="")
    relation.add_argument("--end", default="")
    relation.add_argument("--directed", action="store_true", help="a acts on b (sanctions)")
    relation.set_defaults(run=_add_relation)

    event = commands.add_parser("add-event", help="a dated event for the timeline, citing quotes")
    event.add_argument("date")
    event.add_argument("actors", help="comma-separated codes, e.g. BLR,CHN")
    event.add_argument("title")
    event.add_argument("--kind", required=True)
    event.add_argument("--quote", action="append", default=[], required=True)
    event.add_argument("--place", default="")
    event.add_argument("--axis-label", default="")
    event.set_defaults(run=_add_event)

    figure = commands.add_parser(
        "add-figure", help="a trade figure: reported (--value) or derived (--formula)"
    )
    figure.add_argument("id")
    figure.add_argument("--label", required=True)
    figure.add_argument("--reporter", required=True)
    figure.add_argument("--partner", required=True)
    figure.add_argument("--flow", required=True, choices=("import", "export", "total"))
    figure.add_argument("--commodity", required=True)
    figure.add_argument("--measure", required=True, choices=("value", "volume", "growth", "share", "rank"))
    figure.add_argument("--period", required=True)
    figure.add_argument("--unit", required=True)
    figure.add_argument("--quote", action="append", default=[], required=True)
    figure.add_argument("--value", default="")
    figure.add_argument("--qualifier", default="exact", choices=("exact", "approx", "at_least", "at_most"))
    figure.add_argument("--formula", default="")
    figure.set_defaults(run=_add_figure)

    for parser in (source, quote, relation, event, figure):
        _common(parser)

"""Prints the seconds for exporting every figure as PNG, SVG and PDF plus the deck (budget 10 s on
2 cores), with the time per format.

Run: .venv/bin/python -m benchmarks.export
"""

import datetime as dt
import tempfile
import time
from pathlib import Path

from relations.dataset import load_dataset
from relations.export import FORMATS, export_figures
from relations.views import parse_view_query, view_figures

BUDGET_SECONDS = 10.0


def main() -> None:
    dataset = load_dataset()
    started = time.perf_counter()
    view, _ = parse_view_query("", dataset)
    figures = view_figures(dataset, view)
    built = time.perf_counter() - started
    stamps: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as out:
        files = export_figures(
            figures,
            Path(out),
            list(FORMATS),
            dataset.version,
            dt.date.today(),
            progress=lambda done, total, name: stamps.append((name, time.perf_counter())),
        )
    total = time.perf_counter() - started
    per_item: dict[str, float] = {}
    previous = started + built
    for name, stamp in stamps:
        item = name.rsplit(".", 1)[0]  # a figure's formats come from one render
        per_item[item] = per_item.get(item, 0.0) + stamp - previous
        previous = stamp
    print(f"figures: {len(figures)}, files: {len(files)}, bytes: {sum(f.bytes for f in files):,}")
    print(f"build figures: {built:.2f} s")
    for item, seconds in per_item.items():
        print(f"  {item}: {seconds:.2f} s")
    print(
        f"total: {total:.2f} s (budget {BUDGET_SECONDS:.0f} s) {'ok' if total <= BUDGET_SECONDS else 'OVER'}"
    )


if __name__ == "__main__":
    main()

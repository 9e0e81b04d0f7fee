"""Prints what each part of a page adds to its time to complete in Chromium: pages made of chosen
parts (benchmarks/parts_app.py) each opened right after the hello page (hello_chart_app.py), as
benchmarks/page_complete.py opens the dashboard's, with the median and spread of the ratios. It tells
what a page can hold within the 1.2× page budget. One replica serves every variant (?parts=).

Run: .venv/bin/python -m benchmarks.page_parts [--rounds N] [VARIANT ...]
A variant is parts joined by "+", e.g. selectbox, selectbox+radio, no-chart+map (a dashboard chart
alone after the title), no-chart+map-select (the map with its click selection, as the map page
draws it). Without variants, every part of parts_app.py once.
"""

import argparse
import os
import statistics
from contextlib import ExitStack
from pathlib import Path

from playwright.sync_api import sync_playwright

from benchmarks.load.browser import chart_count, render_seconds
from benchmarks.load.deployment import ROOT, start_replica
from tests.browser import CHROMIUM, CHROMIUM_ARGS, new_context

HERE = Path(__file__).parent
HELLO = "hello"
DEFAULT_VARIANTS = (
    "selectbox",
    "radio",
    "multiselect",
    "pills",
    "segmented",
    "markdown",
    "expander",
    "tabs",
    "popover",
    "notice",
    "sidebar",
    "chart",
    "no-chart+map",
    "no-chart+ladder",
    "no-chart+corridors",
    "no-chart+trade-0",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("variants", nargs="*", default=list(DEFAULT_VARIANTS))
    args = parser.parse_args()
    with ExitStack() as stack:
        environment = {"PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        hello = start_replica(stack, HERE / "hello_chart_app.py", "relations", {}).url
        parts = start_replica(stack, HERE / "parts_app.py", "relations", environment).url
        urls = {HELLO: f"{hello}/relations/"}
        urls |= {
            variant: f"{parts}/relations/?parts={variant.replace('+', ',')}" for variant in args.variants
        }
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = new_context(browser, viewport={"width": 1440, "height": 900})
        charts = {name: chart_count(context, url) for name, url in urls.items()}
        ratios: dict[str, list[float]] = {variant: [] for variant in args.variants}
        hello: list[float] = []
        for _ in range(args.rounds):
            for variant in args.variants:
                hello.append(render_seconds(context, urls[HELLO], charts[HELLO]))
                ratios[variant].append(render_seconds(context, urls[variant], charts[variant]) / hello[-1])
        browser.close()
    print(f"page parts in Chromium, 1440×900, each after a hello view, median of {args.rounds}:")
    for variant, found in ratios.items():
        print(f"    {variant:<28} {statistics.median(found):5.2f}× hello ({min(found):.2f}–{max(found):.2f})")
    print(f"    {HELLO:<28} {statistics.median(hello) * 1000:5.0f} ms")


if __name__ == "__main__":
    main()

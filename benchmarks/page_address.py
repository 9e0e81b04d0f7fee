"""Prints what opening a page at its own address costs in Chromium, direct to the replica: the hello
page served as a two-page app (hello_pages_app.py), opened at its root and at its second page's
address, each right after a view of the one-page hello app and as a ratio to it (median and quartiles
of N rounds). Opened at a page's address, Streamlit's frontend first asks that address for its health
and host config, gets two 404s and waits its 100 ms retry delay before asking the base path; this
tells whether the wait shows in a page's time to complete.

Run: .venv/bin/python -m benchmarks.page_address [--rounds N]
"""

import argparse
import statistics
from contextlib import ExitStack
from pathlib import Path

from playwright.sync_api import sync_playwright

from benchmarks.load.browser import chart_count, render_seconds
from benchmarks.load.deployment import start_replica
from tests.browser import CHROMIUM, CHROMIUM_ARGS, new_context

HERE = Path(__file__).parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=11)
    args = parser.parse_args()
    with ExitStack() as stack:
        hello = start_replica(stack, HERE / "hello_chart_app.py", "relations", {}).url + "/relations/"
        pages = start_replica(stack, HERE / "hello_pages_app.py", "relations", {}).url
        urls = {"at its root": f"{pages}/relations/", "at a page address": f"{pages}/relations/two"}
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = new_context(browser, viewport={"width": 1440, "height": 900})
        hello_charts = chart_count(context, hello)
        charts = {name: chart_count(context, url) for name, url in urls.items()}
        ratios: dict[str, list[float]] = {name: [] for name in urls}
        for _ in range(args.rounds):
            for name, url in urls.items():
                reference = render_seconds(context, hello, hello_charts)
                ratios[name].append(render_seconds(context, url, charts[name]) / reference)
        browser.close()
    print(
        f"the hello page as a two-page app, direct, median of {args.rounds} (quartiles), × the one-page hello:"
    )
    for name, values in ratios.items():
        low, _, high = statistics.quantiles(values, n=4)
        print(f"    {name:<18} {statistics.median(values):.2f}× ({low:.2f}–{high:.2f})")


if __name__ == "__main__":
    main()

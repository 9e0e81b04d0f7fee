"""Prints each page's time to complete in Chromium (navigation to every chart drawn and Streamlit
idle) and its ratio to a one-chart hello page measured in the same run (budget 1.2×): one replica of
each, one tab at a time, each page between two hello views and its ratio to their mean, median of N
rounds (with the spread of the rounds' ratios).
With --proxy, each replica sits behind the project's nginx.conf, as a shared link reaches it (the page
shell names its base path, the maps' shapes come from nginx's cache); without, the browser talks to the
replicas as with `streamlit run`.

Run: .venv/bin/python -m benchmarks.page_complete [--rounds N] [--proxy]
"""

import argparse
import statistics
from contextlib import ExitStack
from pathlib import Path

from playwright.sync_api import sync_playwright

from benchmarks.load.browser import chart_count, render_seconds
from benchmarks.load.deployment import ROOT, deployment, start_replica
from relations.navigation import PAGES
from tests.browser import CHROMIUM, CHROMIUM_ARGS, new_context

BUDGET = 1.2
HELLO = "hello"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--proxy", action="store_true", help="through nginx.conf, one replica each")
    args = parser.parse_args()
    pages = [page.url_path for page in PAGES]
    samples: dict[str, list[float]] = {page: [] for page in [*pages, HELLO]}
    with ExitStack() as stack:
        scripts = ROOT / "app.py", Path(__file__).with_name("hello_chart_app.py")
        if args.proxy:
            app, hello = (stack.enter_context(deployment(script, count=1)) for script in scripts)
        else:
            app, hello = (start_replica(stack, script, "relations", {}) for script in scripts)
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = new_context(browser, viewport={"width": 1440, "height": 900})
        urls = {page: f"{app.url}/relations/{page}" for page in pages}
        urls[HELLO] = f"{hello.url}/relations/"
        # Static files cached, every figure built once (a warm server), and each page's charts counted.
        charts = {page: chart_count(context, url) for page, url in urls.items()}
        print(
            "charts per page: " + ", ".join(f"{p or 'overview'} {n}" for p, n in charts.items()), flush=True
        )
        # Each page between two hello views, and its ratio to their mean: the hello page's own time
        # moves by a third between runs on a busy machine, so a ratio to one median of it moved as much;
        # a ratio to the view before alone moved with whatever that one view met.
        ratios: dict[str, list[float]] = {page: [] for page in pages}
        samples[HELLO].append(render_seconds(context, urls[HELLO], charts[HELLO]))
        for _ in range(args.rounds):
            for page in pages:
                samples[page].append(render_seconds(context, urls[page], charts[page]))
                samples[HELLO].append(render_seconds(context, urls[HELLO], charts[HELLO]))
                ratios[page].append(samples[page][-1] / statistics.mean(samples[HELLO][-2:]))
        browser.close()
    route = "through nginx.conf" if args.proxy else "direct to the replicas"
    print(
        f"page complete in Chromium, 1440×900, {route}, median of {args.rounds} (budget {BUDGET}× the mean of the "
        "hello views just before and after):"
    )
    for page in pages:
        ratio = statistics.median(ratios[page])
        spread = f"{min(ratios[page]):.2f}–{max(ratios[page]):.2f}"
        verdict = "ok" if ratio <= BUDGET else "OVER"
        print(
            f"    {page:<10} {statistics.median(samples[page]) * 1000:6.0f} ms  {ratio:5.2f}× hello "
            f"({spread})  {verdict}"
        )
    print(f"    {HELLO:<10} {statistics.median(samples[HELLO]) * 1000:6.0f} ms")


if __name__ == "__main__":
    main()

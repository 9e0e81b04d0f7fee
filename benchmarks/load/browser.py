"""The real-browser half of the hybrid load test: one headless Chromium opening pages through the proxy
while the protocol-level users load the servers, timing what a person sees (navigation to every chart
drawn and Streamlit idle). Runs as its own process (Locust's gevent patches would not mix with
Playwright): ``python -m benchmarks.load.browser URL --pages map trade --seconds 60 --out FILE``.
"""

import argparse
import json
import time

from playwright.sync_api import sync_playwright

from tests.browser import CHART_DRAWN, CHROMIUM, CHROMIUM_ARGS, new_context

TIMEOUT_MS = 60_000
# The page's script has run to its end on a connected session: Streamlit marks its root with the run's
# state, "initial" until the first run starts. Until then the page holds no chart at all, so waiting only
# for "no running indicator" and "every chart drawn" was met at once, by a page with nothing on it yet.
IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app !== null && app.dataset.testScriptState === 'notRunning'
    && app.dataset.testConnectionState === 'CONNECTED'
    && !document.querySelector('[data-testid="stStatusWidget"]');
}"""
# Every chart's first render done: no element still stands in a placeholder (Streamlit shows a skeleton
# while it loads a chart's code, after the script has sent it), and each chart drawn (CHART_DRAWN: marks
# in its SVG, or shapes filled on its canvas, counted in contexts made by tests.browser.new_context).
DRAWN = f"""(charts) => !document.querySelector('[data-testid="stSkeleton"]')
  && document.querySelectorAll('.vega-embed').length >= charts
  && [...document.querySelectorAll('.vega-embed')].every({CHART_DRAWN})"""
SETTLE_MS = 1000  # a page that stays idle and drawn this long has shown everything it will


def chart_count(context, url: str) -> int:
    """How many charts the page shows once it has settled: what a timed view waits for, since between
    a session's first run and its rerun through app.py the page is idle with none of its charts. The
    same count, idle and drawn, twice SETTLE_MS apart."""
    page = context.new_page()
    try:
        page.goto(url, timeout=TIMEOUT_MS)
        page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
        counts: list[int] = []
        while len(counts) < 2 or counts[-1] != counts[-2]:
            if len(counts) > 20:
                raise RuntimeError(f"{url} never settled: chart counts {counts}")
            page.wait_for_timeout(SETTLE_MS)
            page.wait_for_function(IDLE, timeout=TIMEOUT_MS, polling=50)
            page.wait_for_function(DRAWN, arg=0, timeout=TIMEOUT_MS, polling=50)
            counts.append(page.locator(".vega-embed").count())
        return counts[-1]
    finally:
        page.close()


def render_seconds(context, url: str, charts: int) -> float:
    """A new tab (a new Streamlit session) from navigation to its title, its charts (see chart_count)
    drawn and its script run to the end."""
    page = context.new_page()
    try:
        started = time.perf_counter()
        page.goto(url, timeout=TIMEOUT_MS)
        page.wait_for_selector("h1", timeout=TIMEOUT_MS)
        page.wait_for_function(DRAWN, arg=charts, timeout=TIMEOUT_MS, polling=50)
        page.wait_for_function(IDLE, timeout=TIMEOUT_MS, polling=50)
        if page.locator('[data-testid="stException"]').count():
            raise RuntimeError("exception element on the page")
        return time.perf_counter() - started
    finally:
        page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "app_url", help="the app's URL with its base path, e.g. http://127.0.0.1:8080/relations"
    )
    parser.add_argument("--pages", nargs="+", default=["map?focus=CHN&layer=ties"])
    parser.add_argument("--seconds", type=float, default=60, help="keep opening pages this long")
    parser.add_argument("--views", type=int, default=0, help="or stop after this many views")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = new_context(browser, viewport={"width": 1400, "height": 1000})
        # The analyst has opened each page before; what each shows is what a view waits for.
        charts = {page: chart_count(context, f"{args.app_url}/{page}") for page in args.pages}
        print(f"charts per page: {charts}", flush=True)
        until = time.monotonic() + args.seconds
        while time.monotonic() < until and not (args.views and len(results) >= args.views):
            page = args.pages[len(results) % len(args.pages)]
            try:
                results.append(
                    {
                        "page": page,
                        "seconds": round(render_seconds(context, f"{args.app_url}/{page}", charts[page]), 3),
                    }
                )
            except Exception as error:  # a timeout or an exception element: an error, and go on
                results.append({"page": page, "error": f"{type(error).__name__}: {str(error)[:160]}"})
        browser.close()
    with open(args.out, "w") as out:
        json.dump(results, out)


if __name__ == "__main__":
    main()

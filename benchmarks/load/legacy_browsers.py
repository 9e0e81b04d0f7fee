"""Concurrent analysts through the shared link: N headless Chromium sessions (default 10) opening the
relations map and trade pages through nginx and two replicas, all on this machine (127.0.0.1 only).
Prints p50/p95 render time, the error count, and p95 against one session alone in the same run.
Targets: 0 errors, p95 <= 3x the single session.

Run: .venv/bin/python -m benchmarks.load [--sessions N]
"""

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

from playwright.async_api import async_playwright

from tests.browser import CHROMIUM, CHROMIUM_ARGS, replicas_behind_proxy

ROOT = Path(__file__).resolve().parent.parent
PAGES = {  # path -> what "rendered" means on it
    "/relations/map?focus=CHN&layer=ties": "() => document.querySelectorAll('.vega-embed path').length > 150",
    "/relations/trade": "() => document.querySelectorAll('.vega-embed').length >= 4",
}
MAX_SESSIONS = 30
SESSION_TIMEOUT_MS = 90_000
RATIO_TARGET = 3.0
# Many browsers on one screenless machine: Chromium would treat most as backgrounded and throttle their
# timers and renderers, which measures Chromium's scheduling, not the dashboard.
LOAD_ARGS = [
    *CHROMIUM_ARGS,
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]
POLL_MS = 50  # interval polling: the default, requestAnimationFrame, is throttled in unfocused pages


async def render_seconds(context, url: str, drawn: str) -> float:
    """A new tab (a new Streamlit session), from navigation to the charts drawn and Streamlit idle."""
    page = await context.new_page()
    try:
        started = time.perf_counter()
        await page.goto(url, timeout=SESSION_TIMEOUT_MS)
        await page.wait_for_function(drawn, timeout=SESSION_TIMEOUT_MS, polling=POLL_MS)
        await page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
            timeout=SESSION_TIMEOUT_MS,
            polling=POLL_MS,
        )
        if await page.locator('[data-testid="stException"]').count():
            raise RuntimeError("exception element on the page")
        return time.perf_counter() - started
    finally:
        await page.close()


def cpu_seconds(*needles: str) -> float:
    """CPU time used so far by this machine's processes whose command line holds every needle."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if all(needle in cmdline for needle in needles):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
        except (OSError, IndexError, ValueError):
            continue  # the process ended while we looked
    return total


CPU_GROUPS = {"replicas": ("streamlit", "baseUrlPath"), "nginx": ("nginx",)}  # long-lived processes


def machine_busy_seconds() -> float:
    """All cores' non-idle time: Chromium's renderers exit with their tabs, so they are counted here."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


async def run(proxy_url: str, replica_urls: list[str], sessions: int) -> None:
    """Each simulated analyst has a running browser of their own that has opened the dashboard before
    (as on any working day), and opens it again in a new tab: a new Streamlit session. One shared
    Chromium would instead queue every page behind its single browser and raster processes."""
    paths = list(PAGES)
    async with async_playwright() as playwright:
        browsers = await asyncio.gather(
            *(playwright.chromium.launch(executable_path=CHROMIUM, args=LOAD_ARGS) for _ in range(sessions))
        )
        contexts = await asyncio.gather(
            *(browser.new_context(viewport={"width": 1400, "height": 1000}) for browser in browsers)
        )
        for replica in replica_urls:  # warm every replica's figure cache, directly
            for path in paths:
                await render_seconds(contexts[0], replica + path, PAGES[path])
        for index, context in enumerate(contexts):  # each analyst's earlier visit, one at a time
            await render_seconds(
                context, proxy_url + paths[index % len(paths)], PAGES[paths[index % len(paths)]]
            )
        single = [await render_seconds(contexts[0], proxy_url + path, PAGES[path]) for path in paths * 2]
        before = {group: cpu_seconds(*needles) for group, needles in CPU_GROUPS.items()}
        busy_before, wall_before = machine_busy_seconds(), time.perf_counter()
        results = await asyncio.gather(
            *(
                render_seconds(context, proxy_url + paths[i % len(paths)], PAGES[paths[i % len(paths)]])
                for i, context in enumerate(contexts)
            ),
            return_exceptions=True,
        )
        used = {group: cpu_seconds(*needles) - before[group] for group, needles in CPU_GROUPS.items()}
        busy, wall = machine_busy_seconds() - busy_before, time.perf_counter() - wall_before
        await asyncio.gather(*(browser.close() for browser in browsers))
    times = sorted(r for r in results if isinstance(r, float))
    errors = [r for r in results if not isinstance(r, float)]
    baseline = statistics.median(single)
    p50 = statistics.median(times) if times else float("nan")
    p95 = times[max(0, round(0.95 * len(times)) - 1)] if times else float("nan")
    print(f"sessions: {sessions} concurrent ({', '.join(paths)})")
    print(f"single session (median of {len(single)}): {baseline:.2f} s")
    print(f"concurrent: p50 {p50:.2f} s, p95 {p95:.2f} s, max {times[-1] if times else float('nan'):.2f} s")
    print(f"errors: {len(errors)}" + "".join(f"\n  {type(e).__name__}: {str(e)[:120]}" for e in errors))
    cores = os.cpu_count() or 1
    print(
        f"CPU during the concurrent phase: machine busy {busy:.1f} s of {wall * cores:.1f} s on {cores} cores "
        f"({busy / (wall * cores):.0%}); " + ", ".join(f"{g} {s:.1f} s" for g, s in used.items())
    )
    ratio = p95 / baseline
    verdict = "ok" if not errors and ratio <= RATIO_TARGET else "OVER TARGET"
    print(f"p95 / single: {ratio:.2f} (target <= {RATIO_TARGET:.0f}) {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sessions", type=int, default=10)
    args = parser.parse_args()
    if not 1 <= args.sessions <= MAX_SESSIONS:
        sys.exit(f"--sessions must be between 1 and {MAX_SESSIONS}")
    missing = [
        tool
        for tool, path in (("chromium", CHROMIUM), ("nginx", "/usr/sbin/nginx"))
        if not (shutil.which(tool) or Path(path).exists())
    ]
    if missing:
        sys.exit(f"missing: {', '.join(missing)} (bash .ci/run installs them)")
    with replicas_behind_proxy(ROOT) as deployment:
        asyncio.run(run(deployment.url, deployment.replica_urls, args.sessions))


if __name__ == "__main__":
    main()

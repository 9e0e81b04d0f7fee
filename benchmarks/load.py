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


async def render_seconds(browser, url: str, drawn: str) -> float:
    """From navigation to the charts drawn and Streamlit idle."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = await context.new_page()
        started = time.perf_counter()
        await page.goto(url, timeout=SESSION_TIMEOUT_MS)
        await page.wait_for_function(drawn, timeout=SESSION_TIMEOUT_MS)
        await page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=SESSION_TIMEOUT_MS
        )
        if await page.locator('[data-testid="stException"]').count():
            raise RuntimeError("exception element on the page")
        return time.perf_counter() - started
    finally:
        await context.close()


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


CPU_GROUPS = {"replicas": ("streamlit", "baseUrlPath"), "nginx": ("nginx",), "chromium": ("chromium",)}


async def run(proxy_url: str, sessions: int) -> None:
    paths = list(PAGES)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in paths * 2:  # warm the figure caches; new contexts may land on either replica
            await render_seconds(browser, proxy_url + path, PAGES[path])
        single = [
            await render_seconds(browser, proxy_url + path, PAGES[path]) for path in paths for _ in range(2)
        ]
        before = {group: cpu_seconds(*needles) for group, needles in CPU_GROUPS.items()}
        results = await asyncio.gather(
            *(
                render_seconds(browser, proxy_url + paths[i % len(paths)], PAGES[paths[i % len(paths)]])
                for i in range(sessions)
            ),
            return_exceptions=True,
        )
        used = {group: cpu_seconds(*needles) - before[group] for group, needles in CPU_GROUPS.items()}
        await browser.close()
    times = sorted(r for r in results if isinstance(r, float))
    errors = [r for r in results if not isinstance(r, float)]
    baseline = statistics.median(single)
    p50 = statistics.median(times) if times else float("nan")
    p95 = times[max(0, round(0.95 * len(times)) - 1)] if times else float("nan")
    print(f"sessions: {sessions} concurrent ({', '.join(paths)})")
    print(f"single session (median of {len(single)}): {baseline:.2f} s")
    print(f"concurrent: p50 {p50:.2f} s, p95 {p95:.2f} s, max {times[-1] if times else float('nan'):.2f} s")
    print(f"errors: {len(errors)}" + "".join(f"\n  {type(e).__name__}: {str(e)[:120]}" for e in errors))
    print("CPU seconds during the concurrent phase: " + ", ".join(f"{g} {s:.1f}" for g, s in used.items()))
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
    with replicas_behind_proxy(ROOT) as (proxy_url, _):
        asyncio.run(run(proxy_url, args.sessions))


if __name__ == "__main__":
    main()

"""Prints each page's warm rerun time (AppTest, median of N reruns). Budget: 150 ms.

Run: .venv/bin/python -m benchmarks.page_rerun [--runs N]
"""

import argparse
import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from relations.navigation import PAGES

APP = str(Path(__file__).resolve().parent.parent / "app.py")
BUDGET_MS = 150


def warm_rerun_ms(page_path: str, runs: int = 5, **params: str) -> float:
    """Median wall time of a rerun after the first (cold) one, which fills the caches."""
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page_path).run()
    if at.exception:
        raise RuntimeError(f"{page_path}: {at.exception[0].value}")
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{'page':<16}{'warm rerun (ms)':>16}  budget {BUDGET_MS} ms")
    for page in PAGES:
        ms = warm_rerun_ms(page.path, args.runs)
        print(f"{page.title:<16}{ms:>16.1f}  {'ok' if ms <= BUDGET_MS else 'OVER'}")


if __name__ == "__main__":
    main()

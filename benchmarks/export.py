"""Prints the seconds for exporting every figure as PNG, SVG and PDF plus the deck (budget 3 s on
2 cores): the real command, end to end, wall clock from process start, median of N runs, each with an
empty cache (a fresh RELATIONS_CACHE_DIR: nothing rendered before, fonts cut anew), then repeated
(files from the cache).

Run: .venv/bin/python -m benchmarks.export [--runs N]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_SECONDS = 3.0


def export_seconds(cache: str) -> tuple[float, dict]:
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "relations", "export", "--out", out, "--format", "png,svg,pdf,pptx"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            env={**os.environ, "RELATIONS_CACHE_DIR": cache},
        )
        seconds = time.perf_counter() - started
        manifest = json.loads((Path(out) / "manifest.json").read_text())
    return seconds, manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    timings, repeats = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as cache:
            seconds, manifest = export_seconds(cache)
            timings.append(seconds)
            repeats.append(export_seconds(cache)[0])
    files = manifest["files"]
    figures = {f["figure"] for f in files} - {"deck"}
    print(f"figures: {len(figures)}, files: {len(files)}, bytes: {sum(f['bytes'] for f in files):,}")
    print(f"runs (empty cache): {', '.join(f'{t:.2f}' for t in timings)} s")
    print(f"repeated (from the cache): {', '.join(f'{t:.2f}' for t in repeats)} s")
    median = statistics.median(timings)
    print(
        f"export, median wall clock: {median:.2f} s (budget {BUDGET_SECONDS:.0f} s) {'ok' if median <= BUDGET_SECONDS else 'OVER'}"
    )


if __name__ == "__main__":
    main()

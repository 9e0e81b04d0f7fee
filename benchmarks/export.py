"""Prints the seconds for exporting every figure as PNG, SVG and PDF plus the deck (budget 10 s on
2 cores): the real command, end to end, wall clock from process start, median of N runs.

Run: .venv/bin/python -m benchmarks.export [--runs N]
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_SECONDS = 10.0


def export_seconds() -> tuple[float, dict]:
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "relations", "export", "--out", out, "--format", "png,svg,pdf,pptx"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        seconds = time.perf_counter() - started
        manifest = json.loads((Path(out) / "manifest.json").read_text())
    return seconds, manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    timings = []
    for _ in range(args.runs):
        seconds, manifest = export_seconds()
        timings.append(seconds)
    files = manifest["files"]
    figures = {f["figure"] for f in files} - {"deck"}
    print(f"figures: {len(figures)}, files: {len(files)}, bytes: {sum(f['bytes'] for f in files):,}")
    print(f"runs: {', '.join(f'{t:.2f}' for t in timings)} s")
    median = statistics.median(timings)
    print(
        f"export, median wall clock: {median:.2f} s (budget {BUDGET_SECONDS:.0f} s) {'ok' if median <= BUDGET_SECONDS else 'OVER'}"
    )


if __name__ == "__main__":
    main()

"""How the costs grow with the data: builds the synthetic dataset (benchmarks/synthetic.py) at 1×, 10×
and 100× today's size in a temporary directory and prints, for each, validate time, load time (new data,
and the same data again: checked once), the
warm rerun of every page (AppTest, median), the largest map payload and the export time in the
cases benchmarks/export.py measures (first on a machine, a new view, new data, repeated). Targets at 100×:
validate ≤ 3 s, warm rerun ≤ 150 ms, map payload ≤ 150 KB, export of a new view ≤ 6 s.

Run: .venv/bin/python -m benchmarks.scale [--factors 1,10,100] [--runs 5]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.export import export_cases
from benchmarks.synthetic import counts, generate

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"validate_s": 3.0, "rerun_ms": 150.0, "map_kb": 150.0, "export_s": 6.0}


def _timed(command: list[str], env: dict | None = None) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return seconds


def _largest_maps(data_dir: Path) -> tuple[int, str]:
    """The largest relation map spec + data over the busiest focus countries, and the corridors map, as
    the page sends it (the world's shapes linked, see benchmarks/map_payload.py)."""
    from benchmarks.map_payload import page_bytes, world_shapes_url
    from relations.charts.corridors import corridor_figure
    from relations.charts.relation_map import LAYERS, MapView, relation_map_figure
    from relations.data.loading import load_dataset
    from relations.views import focusable_countries

    dataset = load_dataset(data_dir)
    relations = dataset["relations"]
    busiest = list(
        (relations["a"].value_counts().add(relations["b"].value_counts(), fill_value=0)).sort_values().index
    )
    focusable = set(focusable_countries(dataset))  # countries the map can centre on
    focuses = [*[c for c in reversed(busiest) if c in focusable][:5], "CHN", "BLR"]
    url = world_shapes_url()
    largest, which = 0, ""
    for focus in dict.fromkeys(focuses):
        for layer in LAYERS:
            size = page_bytes(relation_map_figure(dataset, MapView(focus, layer)).spec, url)
            if size > largest:
                largest, which = size, f"{focus} {layer}"
    size = page_bytes(corridor_figure(dataset).spec, url)
    if size > largest:
        largest, which = size, "rail corridors"
    return largest, which


def measure(factor: int, runs: int, work: Path) -> dict:
    data_dir, archive_dir = generate(factor, work / f"x{factor}")
    rows = counts(data_dir)
    python = sys.executable
    validate_s = _timed(
        [python, "-m", "relations", "validate", "--data", str(data_dir), "--archive", str(archive_dir)]
    )
    from relations.data.loading import load_dataset

    os.environ["RELATIONS_CACHE_DIR"] = str(work / f"cache-x{factor}")  # nothing checked before
    started = time.perf_counter()
    load_dataset(data_dir)  # new data: checked, and remembered as passed (relations/data/checked.py)
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    load_dataset(data_dir)
    load_again_s = time.perf_counter() - started
    os.environ["RELATIONS_DATA_DIR"] = str(data_dir)
    os.environ["RELATIONS_ARCHIVE_DIR"] = str(archive_dir)
    from benchmarks.page_rerun import warm_rerun_ms
    from relations.navigation import PAGES

    reruns = {}
    for page in PAGES:
        try:
            reruns[page.title] = warm_rerun_ms(page.path, runs)
        except Exception as err:
            reruns[page.title] = float("nan")
            print(f"  {page.title}: {err}", file=sys.stderr)
    map_bytes, map_name = _largest_maps(data_dir)
    cases, _ = export_cases(1, data_dir)
    return {
        "factor": factor,
        "rows": rows,
        "validate_s": validate_s,
        "load_s": load_s,
        "load_again_s": load_again_s,
        "rerun_ms": reruns,
        "map_bytes": map_bytes,
        "map": map_name,
        "export_first_s": cases["first on a machine"][0][0],
        "export_s": cases["new view"][0][0],
        "export_cpu_s": cases["new view"][0][1],
        "export_new_data_s": cases["new data"][0][0],
        "export_repeat_s": cases["repeated"][0][0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--factors", default="1,10,100")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="relations-scale-") as tmp:
        for factor in [int(f) for f in args.factors.split(",")]:
            print(f"{factor}×: generating and measuring…", file=sys.stderr, flush=True)
            results.append(measure(factor, args.runs, Path(tmp)))
    pages = list(results[0]["rerun_ms"])
    print("| | " + " | ".join(f"{r['factor']}×" for r in results) + " | target at 100× |")
    print("| --- |" + " --- |" * (len(results) + 1))
    for table in ("sources", "citations", "relations", "events", "trade", "stances", "countries"):
        print(f"| {table} rows | " + " | ".join(str(r["rows"].get(table, "")) for r in results) + " | |")
    print("| validate (s) | " + " | ".join(f"{r['validate_s']:.2f}" for r in results) + " | ≤ 3 |")
    print("| load, new data (s) | " + " | ".join(f"{r['load_s']:.2f}" for r in results) + " | |")
    print("| load, checked before (s) | " + " | ".join(f"{r['load_again_s']:.2f}" for r in results) + " | |")
    for page in pages:
        print(
            f"| warm rerun {page} (ms) | "
            + " | ".join(f"{r['rerun_ms'][page]:.0f}" for r in results)
            + " | ≤ 150 |"
        )
    print(
        "| largest map (KB) | "
        + " | ".join(f"{r['map_bytes'] / 1000:.0f} ({r['map']})" for r in results)
        + " | ≤ 150 |"
    )
    print(
        "| export, first on a machine (s) | "
        + " | ".join(f"{r['export_first_s']:.2f}" for r in results)
        + " | |"
    )
    print("| export, new view (s) | " + " | ".join(f"{r['export_s']:.2f}" for r in results) + " | ≤ 6 |")
    print("| export, new view (CPU s) | " + " | ".join(f"{r['export_cpu_s']:.2f}" for r in results) + " | |")
    print("| export, new data (s) | " + " | ".join(f"{r['export_new_data_s']:.2f}" for r in results) + " | |")
    print("| export, repeated (s) | " + " | ".join(f"{r['export_repeat_s']:.2f}" for r in results) + " | |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()

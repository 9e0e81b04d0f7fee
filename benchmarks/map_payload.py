"""Prints the bytes of every map's Vega-Lite spec with its inline data (budget 250 KB), and the
relations map page's warm rerun time.

Run: .venv/bin/python -m benchmarks.map_payload
"""

import json

from benchmarks.page_rerun import warm_rerun_ms
from relations.charts.corridors import corridor_figure
from relations.charts.relation_map import LAYERS, MapView, focus_relations, relation_map_figure
from relations.dataset import load_dataset

BUDGET_BYTES = 250_000


def main() -> None:
    dataset = load_dataset()
    countries = dataset["countries"]
    focusable = sorted(countries.loc[countries["type"] == "country", "code"])
    print(f"{'map':<28}{'spec+data bytes':>16}  budget {BUDGET_BYTES:,}")
    largest = 0
    for focus in focusable:
        for layer in LAYERS:
            view = MapView(focus, layer)
            if focus_relations(dataset, view).empty:
                continue
            size = len(json.dumps(relation_map_figure(dataset, view).spec).encode())
            largest = max(largest, size)
            print(f"{focus + ' ' + layer:<28}{size:>16,}  {'ok' if size <= BUDGET_BYTES else 'OVER'}")
    corridors = len(json.dumps(corridor_figure(dataset).spec).encode())
    print(f"{'rail corridors':<28}{corridors:>16,}  {'ok' if corridors <= BUDGET_BYTES else 'OVER'}")
    print(f"largest map: {max(largest, corridors):,} bytes")
    print(f"relations map page warm rerun: {warm_rerun_ms('pages/map.py'):.1f} ms")
    print(f"rail corridors page warm rerun: {warm_rerun_ms('pages/corridors.py'):.1f} ms")


if __name__ == "__main__":
    main()

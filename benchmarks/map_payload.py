"""Prints the bytes of every map's Vega-Lite spec with its inline data (budget 100 KB), as the page
sends it and as the slide export draws it, and the map pages' warm rerun time.

Run: .venv/bin/python -m benchmarks.map_payload
"""

import json
from datetime import date

from benchmarks.page_rerun import warm_rerun_ms
from relations.charts.corridors import corridor_figure
from relations.charts.relation_map import LAYERS, MapView, focus_relations, relation_map_figure
from relations.data.loading import load_dataset
from relations.export import slide_spec

BUDGET_BYTES = 100_000


def main() -> None:
    dataset = load_dataset()
    countries = dataset["countries"]
    focusable = sorted(countries.loc[countries["type"] == "country", "code"])
    print(f"{'map':<28}{'page bytes':>12}{'slide bytes':>13}  budget {BUDGET_BYTES:,}")
    largest = 0
    for focus in focusable:
        for layer in LAYERS:
            view = MapView(focus, layer)
            if focus_relations(dataset, view).empty:
                continue
            figure = relation_map_figure(dataset, view)
            size = len(json.dumps(figure.spec).encode())
            slide = len(json.dumps(slide_spec(figure, dataset.version, date.today())).encode())
            largest = max(largest, size)
            ok = "ok" if max(size, slide) <= BUDGET_BYTES else "OVER"
            print(f"{focus + ' ' + layer:<28}{size:>12,}{slide:>13,}  {ok}")
    figure = corridor_figure(dataset)
    corridors = len(json.dumps(figure.spec).encode())
    slide = len(json.dumps(slide_spec(figure, dataset.version, date.today())).encode())
    print(
        f"{'rail corridors':<28}{corridors:>12,}{slide:>13,}  {'ok' if max(corridors, slide) <= BUDGET_BYTES else 'OVER'}"
    )
    print(f"largest map: {max(largest, corridors):,} bytes")
    print(f"relations map page warm rerun: {warm_rerun_ms('pages/map.py'):.1f} ms")
    print(f"rail corridors page warm rerun: {warm_rerun_ms('pages/corridors.py'):.1f} ms")


if __name__ == "__main__":
    main()

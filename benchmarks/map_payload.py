"""Prints the bytes of every map's spec with its inline data (budget 100 KB), as the page sends it
(compiled to Vega, the world's shapes linked: one file a browser fetches once, its size printed too)
and as the slide export draws it (Vega-Lite, shapes inline, cut to the frame), and the map pages'
warm rerun time.

Run: .venv/bin/python -m benchmarks.map_payload
"""

import gzip
import json
from datetime import date

from benchmarks.page_rerun import warm_rerun_ms
from relations.charts.corridors import corridor_figure
from relations.charts.page_vega import page_vega
from relations.charts.relation_map import LAYERS, MapView, focus_relations, relation_map_figure
from relations.charts.world_link import linked_to_world, world_url
from relations.data.loading import load_dataset
from relations.export import slide_spec
from relations.geo import WORLD_TOPOJSON
from relations.navigation import COMPONENT_ROUTE

BUDGET_BYTES = 100_000


def world_shapes_url() -> str:
    """As long as the address the page gives (pages/shared.py world_geometry_url)."""
    return world_url("relations", f"{COMPONENT_ROUTE}/pages.shared.world", WORLD_TOPOJSON.read_bytes())


def page_bytes(spec: dict, url: str) -> int:
    return len(json.dumps(page_vega(linked_to_world(spec, url))).encode())


def main() -> None:
    dataset = load_dataset()
    shapes = WORLD_TOPOJSON.read_bytes()
    url = world_shapes_url()
    print(
        f"world shapes, fetched once per browser and kept: {len(shapes):,} bytes "
        f"({len(gzip.compress(shapes)):,} compressed)"
    )
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
            size = page_bytes(figure.spec, url)
            slide = len(json.dumps(slide_spec(figure, dataset.version, date.today())).encode())
            largest = max(largest, size)
            ok = "ok" if max(size, slide) <= BUDGET_BYTES else "OVER"
            print(f"{focus + ' ' + layer:<28}{size:>12,}{slide:>13,}  {ok}")
    figure = corridor_figure(dataset)
    corridors = page_bytes(figure.spec, url)
    slide = len(json.dumps(slide_spec(figure, dataset.version, date.today())).encode())
    print(
        f"{'rail corridors':<28}{corridors:>12,}{slide:>13,}  {'ok' if max(corridors, slide) <= BUDGET_BYTES else 'OVER'}"
    )
    print(f"largest map: {max(largest, corridors):,} bytes")
    print(f"relations map page warm rerun: {warm_rerun_ms('pages/map.py'):.1f} ms")
    print(f"rail corridors page warm rerun: {warm_rerun_ms('pages/corridors.py'):.1f} ms")


if __name__ == "__main__":
    main()

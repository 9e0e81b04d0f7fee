"""Performance properties that are sizes or behaviour, not times: map payloads, the compact geometry
drawing what the full geometry draws, the rendered-file cache, the synthetic dataset's validity."""

import io
import json
import subprocess
import sys

import numpy as np
import pytest
import vl_convert as vlc
from PIL import Image

from benchmarks.synthetic import OUTLET, generate
from relations.charts.basemap import WORLD_DATASET, fitted_projection
from relations.charts.corridors import belarus_section_figure, corridor_figure
from relations.charts.relation_map import LAYERS, MapView, focus_relations, relation_map_figure
from relations.data.loading import load_dataset
from relations.data.validation import validate_dataset
from relations.export import export_figures, slide_spec
from relations.geo import default_world
from relations.views import focusable_countries, map_countries, parse_view_query, view_figures
from tests.conftest import REAL_DATA, ROOT
from tests.test_export import GENERATED

MAP_BUDGET = 100_000


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(REAL_DATA)


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RELATIONS_CACHE_DIR", str(tmp_path / "cache"))


def test_every_slide_map_is_under_100_kb(dataset):
    """What the export draws: the geometry cut to what the fitted frame can show."""
    version = dataset.version
    for focus in focusable_countries(dataset):
        for layer in LAYERS:
            view = MapView(focus, layer)
            if focus_relations(dataset, view).empty:
                continue
            spec = slide_spec(relation_map_figure(dataset, view), version, GENERATED)
            assert len(json.dumps(spec).encode()) <= MAP_BUDGET, (focus, layer)
    for figure in (corridor_figure(dataset), belarus_section_figure(dataset)):
        assert len(json.dumps(slide_spec(figure, version, GENERATED)).encode()) <= MAP_BUDGET


def test_compact_world_keeps_ids_only_and_sends_geometry_once(dataset):
    world = default_world()
    compact = world.compact((8.0, 48.5, 40.0, 57.5))
    assert set(compact["objects"]) == {"countries"}
    geometries = compact["objects"]["countries"]["geometries"]
    assert all(set(g) <= {"type", "arcs", "id"} for g in geometries)
    assert {"112", "616", "643"} <= {g.get("id") for g in geometries}  # Belarus, Poland, Russia
    assert "032" not in {g.get("id") for g in geometries}  # Argentina is never in that frame
    assert len(json.dumps(compact)) < len(json.dumps(world.topology)) / 3
    spec = slide_spec(belarus_section_figure(dataset), dataset.version, GENERATED)
    assert json.dumps(spec).count('"Topology"') == 1


def _png(topology: dict, box, width: int, height: int) -> np.ndarray:
    ids = sorted(g.get("id", "") for g in default_world().topology["objects"]["countries"]["geometries"])
    spec = {
        "width": width,
        "height": height,
        "datasets": {WORLD_DATASET: topology},
        "data": {"name": WORLD_DATASET, "format": {"type": "topojson", "feature": "countries"}},
        "mark": {"type": "geoshape", "clip": True, "stroke": "white", "strokeWidth": 0.5},
        "encoding": {
            "color": {
                "field": "id",
                "type": "nominal",
                "legend": None,
                "scale": {"domain": ids, "scheme": "category20"},
            }
        },
        "projection": fitted_projection(box),
        "config": {"view": {"stroke": None}},
    }
    return np.asarray(Image.open(io.BytesIO(vlc.vegalite_to_png(spec, scale=2))).convert("RGB")).astype(int)


@pytest.mark.parametrize(
    "box",
    [
        (19.79, 23.8, 126.77, 64.41),
        (8.0, 48.5, 40.0, 57.5),
        (-127.31, 24.24, -71.31, 50.24),
        (100.0, -50.0, 179.0, 10.0),
    ],
)
def test_compact_world_draws_what_the_full_world_draws(box):
    """Phone column, desktop and slide shapes: the countries dropped are never in view, and the
    requantised, simplified arcs move borders by less than a pixel."""
    world = default_world()
    for width, height in ((340, 420), (760, 420), (900, 280)):
        full, compact = _png(world.topology, box, width, height), _png(world.compact(box), box, width, height)
        differing = (np.abs(full - compact).max(axis=2) > 60).mean()
        assert differing < 0.01, (box, width, height, differing)


def test_second_export_reuses_rendered_files(dataset, tmp_path):
    view, _ = parse_view_query("", dataset)
    figures = view_figures(dataset, view)[:3]
    first = export_figures(figures, tmp_path / "a", ["png", "svg", "pdf", "pptx"], dataset.version, GENERATED)
    cache = [p for p in (tmp_path / "cache" / "files").rglob("*") if p.is_file()]
    assert len(cache) == len(figures) * 3 + 1  # every figure file and the deck
    stamps = {p: p.stat().st_mtime_ns for p in cache}

    def refuse(*args, **kwargs):
        raise AssertionError("rendered again")

    import relations.export as export_module

    original = export_module.render_files
    export_module.render_files = refuse
    try:
        second = export_figures(
            figures, tmp_path / "b", ["png", "svg", "pdf", "pptx"], dataset.version, GENERATED
        )
    finally:
        export_module.render_files = original
    assert [f.record() for f in first] == [f.record() for f in second]
    for f in first:
        assert (tmp_path / "a" / f.file).read_bytes() == (tmp_path / "b" / f.file).read_bytes()
    assert {p for p in stamps} == {p for p in (tmp_path / "cache" / "files").rglob("*") if p.is_file()}


def test_repeated_cli_export_is_replayed_from_the_cache(tmp_path):
    env_cache = tmp_path / "cache"
    command = [sys.executable, "-m", "relations", "export", "--format", "svg", "--view", "focus=BLR"]

    def run(out):
        import os

        return subprocess.run(
            [*command, "--out", str(out)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "RELATIONS_CACHE_DIR": str(env_cache)},
        )

    first, second = run(tmp_path / "a"), run(tmp_path / "b")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "(from the cache)" in second.stdout and "(from the cache)" not in first.stdout
    assert (tmp_path / "a" / "manifest.json").read_text() == (tmp_path / "b" / "manifest.json").read_text()
    names = json.loads((tmp_path / "a" / "manifest.json").read_text())["files"]
    for entry in names:
        assert (tmp_path / "a" / entry["file"]).read_bytes() == (tmp_path / "b" / entry["file"]).read_bytes()


def test_synthetic_dataset_is_valid_and_fictional(tmp_path):
    data_dir, archive_dir = generate(3, tmp_path / "x3")
    assert validate_dataset(data_dir, archive_dir) == []
    dataset = load_dataset(data_dir)
    real = load_dataset(REAL_DATA)
    assert len(dataset["relations"]) == 3 * len(real["relations"])
    added = dataset["sources"][~dataset["sources"]["id"].isin(real["sources"]["id"])]
    assert len(added) and set(added["outlet"]) == {OUTLET}
    quotes = dataset["citations"][~dataset["citations"]["id"].isin(real["citations"]["id"])]
    assert quotes["quote"].str.contains(r"\(fictional item \d+\)\.$").all()
    assert (ROOT / "data" / "sources.csv").read_bytes() == (REAL_DATA / "sources.csv").read_bytes()


def test_every_focus_a_grown_dataset_offers_draws_a_map(tmp_path):
    """Relations over every ISO country include territories too small for the 1:110m map (Aruba,
    Andorra): the map offers only countries it can centre on, and a link to another gets a notice."""
    data_dir, _ = generate(3, tmp_path / "x3")
    dataset = load_dataset(data_dir)
    related = set(dataset["relations"]["a"]) | set(dataset["relations"]["b"])
    focusable = focusable_countries(dataset)
    shapeless = sorted(
        code
        for code in related - set(focusable)
        if dataset["countries"].set_index("code").loc[code, "type"] == "country"
    )
    assert shapeless, "the grown dataset relates territories the map cannot draw"
    assert set(focusable) <= set(map_countries())
    for focus in focusable[:: max(1, len(focusable) // 8)]:  # a sample across the alphabet
        assert relation_map_figure(dataset, MapView(focus, "ties")).spec["datasets"]
    _, notices = parse_view_query(f"focus={shapeless[0]}", dataset)
    assert len(notices) == 1 and "focus" in notices[0]

"""The page's charts compiled to Vega on the server: what Streamlit would have compiled, minus the
tooltips no chart asked for, with the click selection Streamlit looks for."""

import json

import pytest
from streamlit.elements import vega_charts

from relations.charts.page_vega import FRONTEND_PADDING, as_streamlit_prepares, page_vega, vega_marks
from relations.charts.world_link import linked_to_world
from relations.data.loading import load_dataset
from relations.views import parse_view_query, view_figures
from tests.conftest import REAL_DATA

WORLD = "/relations/component/pages.shared.world/countries-110m.json?v=0"


@pytest.fixture(scope="module")
def page_specs():
    dataset = load_dataset(REAL_DATA)
    view, _ = parse_view_query("pair=BLR-CHN", dataset)
    return {figure.id: linked_to_world(figure.spec, WORLD) for figure in view_figures(dataset, view)}


def test_every_page_chart_is_prepared_as_st_vega_lite_chart_prepares_it(page_specs):
    """Streamlit's own preparation (autosize) plus its frontend's bottom padding: if either changes in a
    new Streamlit, the compiled charts would no longer draw what the browser used to draw."""
    for figure_id, spec in page_specs.items():
        ours = as_streamlit_prepares(spec)
        assert ours.pop("padding") == spec.get("padding", FRONTEND_PADDING), figure_id
        assert ours == vega_charts._prepare_vega_lite_spec(spec, use_container_width=True), figure_id


def test_only_marks_the_chart_gives_a_tooltip_show_one(page_specs):
    """Streamlit's theme gave every mark a tooltip: over a corridor's line it read "true"."""
    vega = page_vega(page_specs["rail-corridors"])
    assert vega["config"]["mark"]["tooltip"] is None  # the frontend's theme merges under this
    with_tooltip = [m for m in vega_marks(vega) if "tooltip" in json.dumps(m.get("encode", {}))]
    assert with_tooltip  # the waypoints keep theirs
    assert len(with_tooltip) < len(vega_marks(vega))  # the lines have none


def test_the_maps_click_selection_stays_where_streamlit_looks_for_it(page_specs):
    vega = page_vega(page_specs["map-chn-ties"])
    assert "/schema/vega/" in vega["$schema"]
    assert vega_charts._extract_selection_parameters(vega) == {"country"}
    assert "country" in {signal["name"] for signal in vega["signals"]}  # what the frontend listens to
    assert "params" not in page_vega(page_specs["bilateral-trade"])


def test_maps_are_drawn_on_a_canvas_and_other_charts_as_svg(page_specs):
    """A map's countries are one path each: as SVG, every one was a DOM element for the browser to lay
    out and paint; on a canvas, Vega fills them and skips those outside the frame."""
    renderers = {
        figure_id: page_vega(spec).get("usermeta", {}).get("embedOptions", {}).get("renderer", "svg")
        for figure_id, spec in page_specs.items()
    }
    maps = {figure_id for figure_id, spec in page_specs.items() if "geoshape" in json.dumps(spec)}
    assert {"map-chn-ties", "rail-corridors"} <= maps
    assert {figure_id for figure_id, renderer in renderers.items() if renderer == "canvas"} == maps
    assert "bilateral-trade" in renderers and renderers["bilateral-trade"] == "svg"

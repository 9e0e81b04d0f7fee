"""Charts Altair shares instead of copying (relations/charts/layers.py) give the specs its copies give."""

import pandas as pd
import pytest

from relations.charts.layers import Layer, Layers
from relations.data.loading import load_dataset
from relations.views import parse_view_query, view_figures
from tests.conftest import REAL_DATA

# The default view, a pair with its timeline filter, and the sanctions map: every builder, and the
# map with and without its clickable selection.
QUERIES = ("", "pair=BLR-CHN&actors=BLR&match=any", "focus=BLR&layer=sanctions")


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(REAL_DATA)


def _specs(dataset, query: str) -> list[tuple[dict, dict]]:
    view, _ = parse_view_query(query, dataset)
    return [(figure.spec, figure.slide_source_spec) for figure in view_figures(dataset, view)]


def test_every_figure_is_the_same_with_shared_layers_as_with_copied_ones(dataset, monkeypatch):
    shared = {query: _specs(dataset, query) for query in QUERIES}
    monkeypatch.delattr(Layer, "__deepcopy__")
    monkeypatch.delattr(Layers, "__deepcopy__")
    copied = {query: _specs(dataset, query) for query in QUERIES}
    assert shared == copied


def test_layering_shares_a_layer_parts_and_changes_only_copies():
    points = Layer(pd.DataFrame({"x": [1, 2]})).mark_point().encode(x="x:Q")
    chart = Layers(layer=[points], width=200)
    assert chart.layer[0].encoding is points.encoding  # shared, not copied node by node
    wider = chart.properties(width=400)
    assert (chart.width, wider.width) == (200, 400)
    assert points.to_dict()["encoding"] == {"x": {"field": "x", "type": "quantitative"}}

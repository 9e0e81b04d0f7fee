"""Chart tables go to the browser as Arrow streams made from their rows (relations/charts/arrow_tables.py)."""

import pyarrow as pa

from relations.charts.arrow_tables import arrow_stream
from relations.charts.trade import trade_figures
from relations.data.loading import load_dataset
from tests.conftest import ROOT


def read_back(stream: bytes) -> pa.Table:
    return pa.ipc.open_stream(stream).read_all()


def test_every_chart_table_reads_back_as_its_rows():
    for figure in trade_figures(load_dataset(ROOT / "data")):
        for name, rows in figure.spec["datasets"].items():
            table = read_back(arrow_stream(rows))
            assert table.to_pylist() == rows, (figure.id, name)
            assert not table.schema.metadata  # no pandas description riding along


def test_a_key_missing_from_a_row_is_a_null_and_column_order_follows_first_appearance():
    table = read_back(arrow_stream([{"a": 1}, {"a": 2, "b": "x"}]))
    assert table.column_names == ["a", "b"]
    assert table.to_pylist() == [{"a": 1, "b": None}, {"a": 2, "b": "x"}]


def test_a_column_mixing_kinds_becomes_text_and_keeps_its_nulls():
    table = read_back(arrow_stream([{"v": 1}, {"v": "two"}, {"v": None}]))
    assert table.schema.field("v").type == pa.string()
    assert table.column("v").to_pylist() == ["1", "two", None]


def test_an_empty_table_is_still_a_stream():
    assert read_back(arrow_stream([])).num_rows == 0

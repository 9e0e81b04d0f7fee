"""A chart's tables as Arrow IPC streams, the form in which Streamlit sends a chart's named datasets.

Built from the rows themselves: through pandas, every table also carried pandas' description of its
columns and index (a JSON document in the schema), 40–60 % of the bytes of the small tables a chart
holds, sent again with every page view and decoded by every browser.
"""

import pyarrow as pa


def _column(values: list) -> pa.Array:
    """A column that mixes kinds (a number in one row, text in another) becomes text, as Streamlit
    makes it; nulls stay null."""
    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([None if value is None else str(value) for value in values], type=pa.string())


def arrow_stream(rows: list[dict]) -> bytes:
    """Every key any row has is a column, in order of first appearance; a row without it holds null."""
    names = list(dict.fromkeys(name for row in rows for name in row))
    table = pa.table({name: _column([row.get(name) for row in rows]) for name in names})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()

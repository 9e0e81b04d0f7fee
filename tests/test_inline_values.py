"""The charts' tables are the rows Altair's own transformer makes, whatever the columns hold."""

import math

import altair as alt
import numpy as np
import pandas as pd
import pytest
from altair.vegalite.data import default_data_transformer

from relations.charts.inline_values import inline_values


def _awkward_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["Belarus", None, "China"],
            "count": [1, 2, 3],
            "share": [0.25, math.nan, math.inf],
            "drawn": [True, False, True],
            "date": pd.to_datetime(["2023-02-28", None, "2023-03-02"]),
            "zoned": pd.to_datetime(["2023-02-28T10:00", "2023-03-01T00:00", None]).tz_localize(
                "Asia/Shanghai"
            ),
            "mixed": [np.array([1, 2]), None, "text"],
            "missing": [np.nan, pd.NA, pd.NaT],
        }
    )


def test_rows_are_altairs_for_every_kind_of_column():
    frame = _awkward_frame()
    assert inline_values(frame) == default_data_transformer(frame)
    rows = inline_values(frame)["values"]
    assert rows[1]["name"] is None and rows[1]["share"] is None and rows[2]["share"] is None
    assert rows[0]["date"] == "2023-02-28T00:00:00" and rows[1]["date"] == ""
    assert rows[0]["mixed"] == [1, 2] and rows[1]["missing"] is None


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame({"tier": pd.Categorical(["a", None, "b"])}),  # categories: Altair's own way
        pd.DataFrame({"n": pd.array([1, None, 3], dtype="Int64")}),  # nullable integers
        pd.DataFrame({"a": [1, 2]}, index=pd.MultiIndex.from_tuples([(1, 2), (3, 4)])),
        pd.DataFrame(index=range(3)),  # no columns
    ],
)
def test_anything_else_goes_to_altairs_default(frame):
    try:
        expected = default_data_transformer(frame)
    except ValueError as err:  # a hierarchical index: the same refusal
        with pytest.raises(ValueError, match=str(err)):
            inline_values(frame)
        return
    assert inline_values(frame) == expected


def test_the_row_limit_is_altairs():
    with pytest.raises(alt.MaxRowsError):
        inline_values(pd.DataFrame({"n": range(5001)}))


def test_charts_use_it():
    import relations.figures  # noqa: F401  enables it for every chart

    spec = alt.Chart(_awkward_frame()).mark_point().encode(x="count:Q").to_dict()
    assert spec["datasets"][next(iter(spec["datasets"]))] == inline_values(_awkward_frame())["values"]

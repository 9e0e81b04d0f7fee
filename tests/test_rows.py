"""relations.rows.records gives the rows to_dict("records") gives."""

import math

import pandas as pd

from relations.rows import records


def _same(a, b) -> bool:
    return type(a) is type(b) and (a == b or (isinstance(a, float) and math.isnan(a) and math.isnan(b)))


def test_records_are_pandas_records_for_every_kind_of_column():
    frame = pd.DataFrame(
        {
            "text": ["a", None, "ć"],
            "count": [1, 2, 3],
            "share": [0.5, float("nan"), 2.0],
            "flag": [True, False, True],
            "items": [["BLR"], [], ["CHN", "RUS"]],
            "when": pd.to_datetime(["2023-03-01", "2024-01-01", None]),
            "nullable": pd.array([1, None, 3], dtype="Int64"),
        }
    )
    expected = frame.to_dict("records")
    got = records(frame)
    assert len(got) == len(expected) == 3
    for mine, theirs in zip(got, expected, strict=True):
        assert list(mine) == list(theirs)
        for name in theirs:
            assert _same(mine[name], theirs[name]) or (pd.isna(mine[name]) and pd.isna(theirs[name])), name


def test_an_empty_frame_has_no_records():
    assert records(pd.DataFrame({"a": []})) == []

"""Long lists are paged: 500 articles or 2,000 events come a page at a time, and a link lands on its page."""

import pytest

from relations.charts import timeline
from relations.data.loading import load_dataset
from relations.paging import span_holding, spans
from tests.conftest import REAL_DATA


def test_spans_cover_the_list_once():
    pages = spans(53, 25)
    assert [p.label for p in pages] == ["1–25", "26–50", "51–53"]
    assert sum(p.stop - p.start for p in pages) == 53
    assert spans(0, 25)[0].label == "1–0" and len(spans(0, 25)) == 1
    assert span_holding(0, 53, 25) == 0 and span_holding(25, 53, 25) == 1 and span_holding(52, 53, 25) == 2


def test_timeline_pages_through_events_in_date_order(monkeypatch):
    dataset = load_dataset(REAL_DATA)
    monkeypatch.setattr(timeline, "EVENTS_PER_PAGE", 5)
    ids = timeline.matching_event_ids(dataset)
    assert len(ids) > 10
    first, second = timeline.timeline_figure(dataset), timeline.timeline_figure(dataset, page=1)
    assert list(first.data["id"]) == ids[:5] and list(second.data["id"]) == ids[5:10]
    assert first.subtitle.startswith(f"Events 1–5 of {len(ids)}.")
    last = timeline.timeline_figure(dataset, page=99)  # past the end: the last page, not an error
    assert list(last.data["id"]) == ids[(len(ids) - 1) // 5 * 5 :]


@pytest.mark.parametrize("rule", ["all", "any"])
def test_matching_ids_agree_with_the_drawn_rows(rule):
    dataset = load_dataset(REAL_DATA)
    ids = timeline.matching_event_ids(dataset, ("BLR", "CHN"), rule)
    assert list(timeline.timeline_figure(dataset, ("BLR", "CHN"), rule).data["id"]) == ids

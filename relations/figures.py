"""A figure: one chart with its title, footnotes and data, shared by the page, the tests and the slides."""

from dataclasses import dataclass, field
from functools import cached_property

import altair as alt
import pandas as pd

from relations.charts import inline_values
from relations.citing import Footnote

# Every chart's tables made by inline_values: the same rows as Altair's default, ≈15× faster.
alt.data_transformers.enable(inline_values.NAME)


@dataclass(frozen=True)
class Figure:
    id: str
    title: str  # a headline: what the chart shows, no footnote markers
    subtitle: str  # starts with a capital; never refers to hover or clicks, so it reads on a slide
    chart: alt.TopLevelMixin
    footnotes: list[Footnote]
    data: pd.DataFrame
    summary: str  # the text alternative
    key_lines: list[str] = field(default_factory=list)  # short keys printed under the subtitle
    slide_chart: alt.TopLevelMixin | None = None  # a layout for the 16:9 slide, where the page's does not fit
    slide_subtitle: str | None = None  # the slide's, where its layout shows less than the page does
    draws_markers: bool = False  # the chart itself writes [n] markers (the ladder): its slide keys them

    @cached_property
    def spec(self) -> dict:
        """The Vega-Lite spec, computed once. Schema validation is left to the test suite
        (test_every_figure_spec_is_valid_vega_lite): at run time it cost ≈30% of building a figure."""
        spec = self.chart.to_dict(validate=False)
        spec["description"] = self.summary  # Vega gives the drawn SVG this as its accessible name
        return spec

    @cached_property
    def slide_source_spec(self) -> dict:
        """What the slide export lays out: the slide layout when the figure has one, else the page's spec."""
        return self.spec if self.slide_chart is None else self.slide_chart.to_dict(validate=False)

    @property
    def subtitle_on_slide(self) -> str:
        return self.slide_subtitle or self.subtitle

    def keyed(self, subtitle: str) -> str:
        """subtitle and the key to the signs the chart writes, each key line a sentence of its own."""
        return " ".join([subtitle, *(f"{line}." for line in self.key_lines)])

    @property
    def citation_ids(self) -> list[str]:
        return [note.citation_id for note in self.footnotes]

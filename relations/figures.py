"""A figure: one chart with its title, footnotes and data, shared by the page, the tests and the slides."""

from dataclasses import dataclass

import altair as alt
import pandas as pd

from relations.citing import Footnote


@dataclass(frozen=True)
class Figure:
    id: str
    title: str
    subtitle: str
    chart: alt.TopLevelMixin
    footnotes: list[Footnote]
    data: pd.DataFrame

    @property
    def citation_ids(self) -> list[str]:
        return [note.citation_id for note in self.footnotes]

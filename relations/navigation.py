"""The one list of pages: app.py builds navigation from it, tests and the README check against it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    title: str
    path: str
    url_path: str
    icon: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("Overview", "pages/overview.py", "overview", ":material/handshake:"),
    PageSpec("Relations map", "pages/map.py", "map", ":material/public:"),
    PageSpec("Rail corridors", "pages/corridors.py", "corridors", ":material/train:"),
    PageSpec("Trade", "pages/trade.py", "trade", ":material/bar_chart:"),
    PageSpec("Timeline", "pages/timeline.py", "timeline", ":material/timeline:"),
    PageSpec("Sources", "pages/sources.py", "sources", ":material/format_quote:"),
)
# Only in navigation when the app is started for curation (RELATIONS_CURATION=1) and no sign-in is
# configured: the shared link stays read-only.
CURATE = PageSpec("Curate", "pages/curate.py", "curate", ":material/edit_note:")

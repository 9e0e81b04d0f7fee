"""The one list of pages: app.py builds navigation from it, tests and the README check against it."""

from dataclasses import dataclass


def base_path_prefix(base_url_path: str) -> str:
    """server.baseUrlPath as the path every address of the app starts with: "relations" and
    "/relations/" -> "/relations/", "" -> "/"."""
    inner = "/".join(part for part in base_url_path.split("/") if part)
    return f"/{inner}/" if inner else "/"


# Where Streamlit serves a declared component's files, under the base path (the world's shapes, pages/
# shared.py world_geometry_url).
COMPONENT_ROUTE = "component"


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

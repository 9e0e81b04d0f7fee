"""The README is the user's manual: it must name every page and every data table."""

import json

from relations.navigation import CURATE, PAGES
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_lists_every_page_with_its_address():
    """Each row of the Pages table names the page and the address it opens at (the first at /)."""

    def row(page) -> str:
        return f"| {page.title} (`/{'' if page is PAGES[0] else page.url_path}`) |"

    missing = [page.title for page in (*PAGES, CURATE) if row(page) not in README]
    assert missing == []


def test_readme_lists_every_table():
    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    missing = [r["path"] for r in descriptor["resources"] if f"`{r['path']}`" not in README]
    assert missing == []


def test_readme_quickstart_has_the_two_commands():
    assert "streamlit run app.py" in README
    assert "bash .ci/run" in README


def test_every_page_file_is_in_navigation():
    page_files = {p.name for p in (ROOT / "pages").glob("*.py")} - {"__init__.py", "shared.py"}
    assert page_files == {page.path.removeprefix("pages/") for page in (*PAGES, CURATE)}


def test_page_files_are_named_like_their_urls():
    """Until app.py has run once in a process, Streamlit looks a page up by its file name: a file
    named unlike its URL shows "Page not found" to the first visitor of a fresh server."""
    assert all(page.path == f"pages/{page.url_path}.py" for page in (*PAGES, CURATE))

"""The page shell each replica answers at its root and page addresses names the app's base path."""

import re

import pytest

from relations.navigation import PAGES
from relations.page_shell import STREAMLIT_SHELL, page_shell_routes, shell_naming_base_path

NAMING = re.compile(
    r"<head><script>window\.__streamlit=\{BACKEND_BASE_URL:location\.origin\+(\"[^\"]*\")\}</script>"
)


@pytest.mark.parametrize(
    ("base_url_path", "named"), [("relations", '"/relations/"'), ("/a/b/", '"/a/b/"'), ("", '"/"')]
)
def test_the_shell_names_the_base_path_first_in_its_head(base_url_path, named):
    original = STREAMLIT_SHELL.read_text(encoding="utf-8")
    shell = shell_naming_base_path(original, base_url_path)
    found = NAMING.search(shell)
    assert found and found.group(1) == named
    # Before Streamlit's own module, which reads window.__streamlit when it loads.
    assert found.start() < shell.index('<script type="module"')
    assert NAMING.sub("<head>", shell) == original  # nothing else in the shell changed


def test_a_shell_without_a_head_is_refused_with_the_reason():
    with pytest.raises(ValueError, match="no <head>"):
        shell_naming_base_path("<html><body></body></html>", "relations")


def test_the_root_and_every_page_address_answer_the_naming_shell_uncached():
    routes = page_shell_routes("relations", [page.url_path for page in PAGES])
    addresses = ["/relations/", *(f"/relations/{page.url_path}" for page in PAGES)]
    assert sorted(route.path for route in routes) == sorted(addresses)
    for route in routes:
        response = route.endpoint(None)
        assert response.status_code == 200, route.path
        assert response.headers["cache-control"] == "no-cache"
        assert NAMING.search(response.body.decode()).group(1) == '"/relations/"'

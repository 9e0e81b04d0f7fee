"""What each replica's server adds to Streamlit's: a page shell naming the base path at the root and every
page address, and digest-addressed files (the world's shapes) that browsers may keep."""

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from relations.navigation import PAGES
from relations.serving import (
    KEPT,
    STREAMLIT_SHELL,
    KeepDigestAddressedFiles,
    page_shell_routes,
    shell_naming_base_path,
)

NAMING = re.compile(
    r"<head><script>window\.__streamlit=\{BACKEND_BASE_URL:location\.origin\+location\.pathname"
    r'\.replace\(/(?P<pattern>[^,]*)/,""\)\}</script>'
)


def test_the_shell_names_the_base_path_first_in_its_head():
    original = STREAMLIT_SHELL.read_text(encoding="utf-8")
    shell = shell_naming_base_path(original)
    found = NAMING.search(shell)
    assert found
    # Before Streamlit's own module, which reads window.__streamlit when it loads.
    assert found.start() < shell.index('<script type="module"')
    assert NAMING.sub("<head>", shell) == original  # nothing else in the shell changed


@pytest.mark.parametrize(
    ("address", "base"),
    [
        ("/relations/", "/relations/"),
        ("/relations/map", "/relations/"),
        ("/", "/"),
        ("/map", "/"),
        ("/team/relations/trade", "/team/relations/"),  # behind a proxy that adds a prefix
    ],
)
def test_the_named_base_path_is_the_address_up_to_its_last_slash(address, base):
    """The shell is answered at the base path and one page below it (page_shell_routes), so the path
    up to the last slash is the base, whatever prefix a proxy added or stripped on the way."""
    pattern = NAMING.search(shell_naming_base_path(STREAMLIT_SHELL.read_text(encoding="utf-8")))["pattern"]
    assert re.sub(pattern, "", address, count=1) == base


def test_a_shell_without_a_head_is_refused_with_the_reason():
    with pytest.raises(ValueError, match="no <head>"):
        shell_naming_base_path("<html><body></body></html>")


def test_the_root_and_every_page_address_answer_the_naming_shell_uncached():
    routes = page_shell_routes("relations", [page.url_path for page in PAGES])
    addresses = ["/relations/", *(f"/relations/{page.url_path}" for page in PAGES)]
    assert sorted(route.path for route in routes) == sorted(addresses)
    for route in routes:
        response = route.endpoint(None)
        assert response.status_code == 200, route.path
        assert response.headers["cache-control"] == "no-cache"
        assert NAMING.search(response.body.decode())


def cache_control_answered(path: str, query: bytes, status: int = 200) -> list[bytes]:
    """The cache-control headers a request for path?query gets through the middleware, in front of an
    app answering status with Streamlit's "public"."""

    async def streamlit_like(scope, receive, send):
        await send(
            {"type": "http.response.start", "status": status, "headers": [(b"cache-control", b"public")]}
        )
        await send({"type": "http.response.body", "body": b"{}"})

    sent = []

    async def send(message):
        sent.append(message)

    middleware = KeepDigestAddressedFiles(streamlit_like, prefix="/relations/component/")
    scope = {"type": "http", "path": path, "query_string": query}
    # In a thread of its own: the browser tests' client keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, middleware(scope, None, send)).result()
    return [value for key, value in sent[0]["headers"] if key == b"cache-control"]


def test_a_digest_addressed_world_file_may_be_kept_and_nothing_else_changes():
    world = "/relations/component/pages.shared.world/countries-110m.json"
    assert cache_control_answered(world, b"v=2516c915867c") == [KEPT]
    assert cache_control_answered(world, b"") == [b"public"]
    assert cache_control_answered(world, b"dev=1") == [
        b"public"
    ]  # no digest: a new file could share the address
    assert cache_control_answered(world, b"v=2516c915867c", status=404) == [b"public"]
    assert cache_control_answered("/relations/map", b"v=1") == [b"public"]

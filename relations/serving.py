"""What each replica's server adds to Streamlit's (app.py's st.App): a page shell that names the app's
base path, and the world's shapes kept by browsers.

Opened on a page address such as /relations/map, Streamlit's frontend cannot tell the app's base path
from the page's name, so it asks /relations/map/_stcore/health first, gets a 404 (two in the browser
console), waits its retry delay and asks /relations/_stcore/health (streamlit/streamlit#7074): a
tenth of a hello page's time on every shared link to a page. Named in the shell as
window.__streamlit.BACKEND_BASE_URL, which the frontend reads before it connects, the first request
is the right one. The world's shapes (relations/charts/world_link.py) are served with their digest in
the address but only "public" for a cache policy, so a browser fetched all 108 KB again for every map
view (≈20 ms before the map could draw): marked immutable, as nginx.conf marks them, it keeps them.
"""

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import parse_qs

import streamlit
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from relations.navigation import base_path_prefix

STREAMLIT_SHELL = Path(streamlit.__file__).parent / "static" / "index.html"


# Every address the shell is answered at is the base path or one page below it, so the base path is the
# address up to its last "/", read in the browser: right through a proxy that adds or strips a prefix,
# and nothing from the server's configuration is written into the page.
NAMING_SCRIPT = (
    '<script>window.__streamlit={BACKEND_BASE_URL:location.origin+location.pathname.replace(/[^/]*$/,"")}'
    "</script>"
)


def shell_naming_base_path(shell: str) -> str:
    """The shell with a first script in its head that names the base path."""
    if "<head>" not in shell:
        raise ValueError("Streamlit's page shell has no <head> to name the base path in")
    return shell.replace("<head>", f"<head>{NAMING_SCRIPT}", 1)


def page_shell_routes(base_url_path: str, page_url_paths: Iterable[str]) -> list[Route]:
    """A route for the app's root and each page's address answering the shell that names the base
    path, not cached (as Streamlit answers its shell), ahead of Streamlit's own static files. Any other
    address still gets Streamlit's shell and its "Page not found". Made here, so a Streamlit whose shell
    has changed fails at the server's start, not on every page."""
    named = shell_naming_base_path(STREAMLIT_SHELL.read_text(encoding="utf-8"))

    def shell(_: Request) -> HTMLResponse:
        return HTMLResponse(named, headers={"Cache-Control": "no-cache"})

    prefix = base_path_prefix(base_url_path)
    addresses = [prefix, *(prefix + path for path in page_url_paths)]
    return [Route(address, shell) for address in addresses]


KEPT = b"public, max-age=604800, immutable"  # a week, as nginx.conf keeps them


class KeepDigestAddressedFiles:
    """ASGI middleware: a successful answer for an address under prefix carrying a digest (?v=, see
    world_link.world_url) may be kept by browsers, since a new file gets a new address."""

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app, self.prefix = app, prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        addressed = scope["type"] == "http" and scope["path"].startswith(self.prefix)
        if not (addressed and parse_qs(scope.get("query_string", b"").decode("latin-1")).get("v")):
            await self.app(scope, receive, send)
            return

        async def send_kept(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
                message = {**message, "headers": [*headers, (b"cache-control", KEPT)]}
            await send(message)

        await self.app(scope, receive, send_kept)

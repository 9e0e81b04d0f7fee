"""One page view spoken in Streamlit's own websocket protocol, as the browser speaks it (no browser).

What a browser does when an analyst opens a link, minus the static files and the maps' world shapes
(nginx serves those from its cache, and the browser keeps them): GET the page's HTML, GET
``_stcore/health`` and ``_stcore/host-config`` (the health answer sets the ``_streamlit_xsrf``
cookie the proxy's sticky hash keys on), then open ``_stcore/stream`` with that
cookie, offering the subprotocols ``streamlit, <xsrf token>`` (Streamlit reads the second entry as the
XSRF token and compares it with the cookie), and send one ``BackMsg.rerun_script`` carrying the page
name and query string. The view is finished at ``ForwardMsg.script_finished`` followed by a short quiet
period; an ``exception`` element, a ``page_not_found`` or a failed script counts as an error.

No websocket pings are sent (browsers send none). Used by the Locust user (``locustfile.py``) and the
smoke test; it imports nothing from Locust, so it works with plain ``requests`` too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import websocket  # websocket-client: blocking sockets, cooperative under Locust's gevent
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

XSRF_COOKIE = "_streamlit_xsrf"
QUIET_SECONDS = 0.25  # nothing more arrives this long after script_finished: the page is complete
TIMEOUT_SECONDS = 60.0


@dataclass
class PageView:
    """What one page view took and produced."""

    page: str
    ok: bool = False
    seconds: float = 0.0  # from the first HTTP request to script_finished
    connect_seconds: float = 0.0  # HTTP preamble + websocket handshake
    messages: int = 0  # ForwardMsgs received
    deltas: int = 0  # of which element/block deltas
    bytes: int = 0
    errors: list[str] = field(default_factory=list)
    navigation: list[str] = field(default_factory=list)  # the page names the sidebar lists


def split_page(page: str) -> tuple[str, str]:
    """'map?focus=CHN' -> ('map', 'focus=CHN')."""
    name, _, query = page.partition("?")
    return name.strip("/"), query


def rerun_message(page_name: str, query: str, url: str) -> bytes:
    """The BackMsg a browser sends once its websocket is open: run the script for this page."""
    msg = BackMsg()
    state = msg.rerun_script
    state.query_string = query
    state.page_name = page_name
    state.page_script_hash = ""  # a fresh tab knows the page only by its URL
    info = state.context_info
    info.timezone = "Europe/Berlin"
    info.timezone_offset = -60
    info.locale = "en-GB"
    info.url = url
    info.is_embedded = False
    info.color_scheme = "light"
    return msg.SerializeToString()


def problems_in(msg: ForwardMsg) -> list[str]:
    """What in this ForwardMsg a person would see as a failure."""
    kind = msg.WhichOneof("type")
    if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
        element = msg.delta.new_element
        if element.WhichOneof("type") == "exception":
            return [f"exception element: {element.exception.type}: {element.exception.message[:120]}"]
    if kind == "page_not_found":
        return [f"page not found: {msg.page_not_found.page_name!r}"]
    if kind == "script_finished" and msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
        return ["script finished with a compile error"]
    return []


def load_page(http, base_url: str, page: str, *, timeout: float = TIMEOUT_SECONDS) -> list[str]:
    """The browser's HTTP requests before its websocket: the page's HTML, then the health and
    host-config answers (the health answer sets the XSRF cookie). Returns what failed."""
    base_url = base_url.rstrip("/")
    page_name, query = split_page(page)
    page_url = f"{base_url}/{page_name}" + (f"?{query}" if query else "")
    for path in (page_url, f"{base_url}/_stcore/health", f"{base_url}/_stcore/host-config"):
        try:
            response = http.get(path, timeout=timeout)
        except OSError as error:
            return [f"GET {urlsplit(path).path}: {type(error).__name__}: {error}"]
        if response.status_code != 200:
            return [f"GET {urlsplit(path).path}: HTTP {response.status_code}"]
    return []


def open_page(
    http,
    base_url: str,
    page: str,
    *,
    quiet: float = QUIET_SECONDS,
    timeout: float = TIMEOUT_SECONDS,
    preamble: bool = True,
) -> PageView:
    """One page view: ``http`` is a requests-compatible session (its cookie jar is the browser's),
    ``base_url`` the app's root with its base path (``http://127.0.0.1:8080/relations``), ``page``
    the URL path and query below it (``map?focus=CHN``). Never raises for server-side failures: they
    are in ``PageView.errors``."""
    base_url = base_url.rstrip("/")
    page_name, query = split_page(page)
    page_url = f"{base_url}/{page_name}" + (f"?{query}" if query else "")
    view = PageView(page)
    started = time.perf_counter()
    try:
        if preamble:
            view.errors += load_page(http, base_url, page, timeout=timeout)
            if view.errors:
                return view
        token = http.cookies.get(XSRF_COOKIE)
        if not token:
            view.errors.append("no XSRF cookie after the page load")
            return view
        split = urlsplit(base_url)
        ws = websocket.create_connection(
            f"ws://{split.netloc}{split.path}/_stcore/stream",
            timeout=timeout,
            subprotocols=["streamlit", token],
            origin=f"{split.scheme}://{split.netloc}",
            cookie="; ".join(f"{name}={value}" for name, value in http.cookies.items()),
            enable_multithread=False,
        )
    except (OSError, websocket.WebSocketException) as error:
        view.errors.append(f"connect: {type(error).__name__}: {error}")
        return view
    try:
        view.connect_seconds = time.perf_counter() - started
        ws.send_binary(rerun_message(page_name, query, page_url))
        deadline = started + timeout
        finished_at = None
        while True:
            now = time.perf_counter()
            if finished_at is None and now > deadline:
                view.errors.append(f"no script_finished within {timeout:.0f} s")
                break
            ws.settimeout(quiet if finished_at is not None else max(0.01, deadline - now))
            try:
                frame = ws.recv()
            except websocket.WebSocketTimeoutException:
                if finished_at is not None:
                    break  # quiet after the finish: the page is complete
                continue
            msg = ForwardMsg()
            msg.ParseFromString(frame)
            view.messages += 1
            view.bytes += len(frame)
            kind = msg.WhichOneof("type")
            view.deltas += kind == "delta"
            if kind == "navigation":
                view.navigation = [p.page_name for p in msg.navigation.app_pages if not p.is_hidden]
            view.errors += problems_in(msg)
            if kind == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                finished_at = time.perf_counter()
                view.seconds = finished_at - started
    except (OSError, websocket.WebSocketException) as error:
        view.errors.append(f"websocket: {type(error).__name__}: {error}")
    finally:
        ws.close()
    view.ok = not view.errors and view.seconds > 0
    return view

"""Locust users that speak Streamlit's websocket protocol (no browser): one core drives hundreds.

Each user looks like a browser to the proxy: it loads the page first (HTML, health, host-config: the
health answer sets the ``_streamlit_xsrf`` cookie the sticky hash keys on) and carries its cookies on
the websocket. A page view is a new websocket session (a new tab): ``BackMsg.rerun_script`` with the
page and query string, then ``script_finished`` and a short quiet period (``protocol.open_page``).

Configured by environment variables, so the same file runs under ``python -m benchmarks.load`` (one
local Locust per scenario) and distributed (``locust -f ... --master`` on one machine,
``locust -f ... --worker --master-host=...`` on many):

- ``LOAD_BASE_PATH`` the app's base path (``relations``); the host is Locust's ``--host``.
- ``LOAD_PAGES`` whitespace-separated pages below it (``map?focus=CHN&layer=ties overview``); users
  take them in turn.
- ``LOAD_MODE``
  ``closed``: each user opens page after page (one cookie, a new session per view), no think time;
  ``burst``: each user loads the page, waits for ``LOAD_START_AT`` (epoch seconds, shared by every
  worker), opens one view and stops;
  ``arrivals``: open loop, each user starts new analysts (fresh cookies) at Poisson arrivals of
  ``LOAD_RATE`` per second for ``LOAD_DURATION`` seconds, whether or not earlier ones have finished,
  then waits for them and stops.
- ``LOAD_VIEWS`` (closed) stop once this process has started that many views.
- ``LOAD_RESULTS`` a file to append one JSON line per view to (page, ok, seconds, errors, ...).

A process whose users have all stopped by themselves quits, so a run ends when its work is done;
``--run-time`` bounds it in any case.
"""

import json
import os
import random
import time
from itertools import count

import gevent
import requests
from locust import User, events, task
from locust.exception import StopUser

from benchmarks.load.protocol import PageView, load_page, open_page

BASE_PATH = os.environ.get("LOAD_BASE_PATH", "relations").strip("/")
PAGES = os.environ.get("LOAD_PAGES", "map?focus=CHN&layer=ties").split() or [""]  # "": the default page
MODE = os.environ.get("LOAD_MODE", "closed")
RATE = float(os.environ.get("LOAD_RATE", "1"))
DURATION = float(os.environ.get("LOAD_DURATION", "60"))
START_AT = float(os.environ.get("LOAD_START_AT", "0"))
VIEWS = int(os.environ.get("LOAD_VIEWS", "0"))
RESULTS = os.environ.get("LOAD_RESULTS")

_user_numbers = count()
_views_started = count(1)
_running_users = set()


def record(environment, view: PageView, started: float, user: int) -> None:
    """One view to Locust's statistics (request type PAGE, named by page) and to LOAD_RESULTS."""
    environment.events.request.fire(
        request_type="PAGE",
        name=view.page,
        response_time=view.seconds * 1000 if view.ok else (time.perf_counter() - started) * 1000,
        response_length=view.bytes,
        exception=RuntimeError("; ".join(view.errors)) if view.errors else None,
        context={},
    )
    if RESULTS:
        line = {
            "page": view.page,
            "ok": view.ok,
            "seconds": round(view.seconds, 4),
            "connect_seconds": round(view.connect_seconds, 4),
            "messages": view.messages,
            "deltas": view.deltas,
            "bytes": view.bytes,
            "errors": view.errors,
            "user": user,
            "at": round(time.time(), 3),
        }
        with open(RESULTS, "a") as out:
            out.write(json.dumps(line) + "\n")


class StreamlitUser(User):
    """An analyst with the dashboard's link (see the module docstring for the modes)."""

    def on_start(self) -> None:
        self.number = next(_user_numbers)
        self.pages = PAGES[self.number % len(PAGES) :] + PAGES[: self.number % len(PAGES)]
        self.views = 0
        self.base_url = f"{self.host.rstrip('/')}/{BASE_PATH}" if BASE_PATH else self.host.rstrip("/")
        self.http = requests.Session()  # the browser's cookie jar
        _running_users.add(self.number)

    def on_stop(self) -> None:
        self.http.close()
        _running_users.discard(self.number)

    def next_page(self) -> str:
        page = self.pages[self.views % len(self.pages)]
        self.views += 1
        return page

    def view(self, http, page: str, *, preamble: bool = True) -> None:
        started = time.perf_counter()
        record(
            self.environment, open_page(http, self.base_url, page, preamble=preamble), started, self.number
        )

    def done(self) -> None:
        """This user's work is over; the last one out of this process ends the run."""
        _running_users.discard(self.number)
        if not _running_users and self.environment.runner is not None:
            gevent.spawn_later(0.1, self.environment.runner.quit)
        raise StopUser()

    @task
    def analyst(self) -> None:
        if MODE == "burst":
            page = self.next_page()
            problems = load_page(self.http, self.base_url, page)
            gevent.sleep(max(0.0, START_AT - time.time()))
            if problems:
                record(self.environment, PageView(page, errors=problems), time.perf_counter(), self.number)
            else:
                self.view(self.http, page, preamble=False)
            self.done()
        elif MODE == "arrivals":
            rng = random.Random(self.number)
            generating_until = time.monotonic() + DURATION
            next_at = time.monotonic() + rng.expovariate(RATE)
            arrivals = []
            while next_at < generating_until:
                gevent.sleep(max(0.0, next_at - time.monotonic()))
                arrivals.append(gevent.spawn(self.view, requests.Session(), self.next_page()))
                next_at += rng.expovariate(RATE)
            gevent.joinall(arrivals, timeout=90)
            self.done()
        else:
            if VIEWS and next(_views_started) > VIEWS:
                self.done()
            self.view(self.http, self.next_page())


@events.init_command_line_parser.add_listener
def _describe(parser) -> None:
    parser.description = __doc__

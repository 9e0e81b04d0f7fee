"""Serving many analysts: the load benchmark (issue 12). Everything on 127.0.0.1, bounded, self-stopping.

Starts the dashboard (two replicas of app.py behind nginx.conf) and the title-only reference page
(benchmarks/hello_app.py, served the same way), then runs the scenarios with Locust users that speak
Streamlit's websocket protocol (benchmarks/load/locustfile.py) and, in the sustained scenario, one real
Chromium beside them (benchmarks/load/browser.py). Per page it prints p50/p95/p99 time to a finished
page, errors, server CPU-ms per page view (from the replicas' process times) and its ratio to the hello
page, and per replica the RSS at start, peak and after the users leave.

Scenarios (``--scenarios``, default all, in this order):
  cost       each page and the hello page, one view at a time, in interleaved batches (``--cost-rounds``
             of ``--cost-batch`` views): single-user time, CPU-ms per view, forward messages, bytes;
             ratio to hello (target <= 1.5) and its spread over the rounds
  capacity   closed loop, every page in turn, ``--capacity-users`` users for ``--capacity-seconds``:
             page views per second per replica core (views / replica CPU-seconds) and overall
  burst      ``--burst-users`` (100) users open the map at once: 0 errors, every session finishes;
             each replica's health endpoint probed every 100 ms throughout (target: <= 1 s)
  sustained  open-loop arrivals at half the measured capacity for ``--sustained-seconds`` (60), one
             Chromium beside them: p95 <= 2x the single-user time of the same page in this run, 0 errors
  soak       ``--soak-sessions`` (500) sessions opened and closed: RSS back within 50 MB of the
             warmed-up start on each replica

Run: .venv/bin/python -m benchmarks.load [--scenarios cost,burst] [--json test-artifacts/load.json]
Needs nginx and (sustained) Chromium; locust from benchmarks/requirements.txt.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import requests

from benchmarks.load.deployment import ROOT, Deployment, deployment
from benchmarks.load.protocol import open_page
from tests.browser import ARTIFACTS

PAGES = {  # page (below the base path) -> its name in the README
    "overview": "Overview",
    "map?focus=CHN&layer=ties": "Relations map",
    "corridors": "Rail corridors",
    "trade": "Trade",
    "timeline": "Timeline",
    "sources": "Sources",
}
MAP = "map?focus=CHN&layer=ties"
HELLO = ""  # the hello app's only page
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
COST_TARGET = 1.5
HEALTH_TARGET_S = 1.0
SUSTAINED_TARGET = 2.0
SOAK_TARGET_MB = 50


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    return "n/a" if math.isnan(seconds) else f"{seconds * 1000:.0f} ms"


class Monitor:
    """Background sampling while a scenario runs: each replica's RSS every 200 ms (peak) and, when
    asked, its health endpoint every 100 ms, directly (as a Kubernetes probe would reach a pod)."""

    def __init__(self, deployments: list[Deployment], probe_health: bool = False) -> None:
        self.replicas = [replica for d in deployments for replica in d.replicas]
        self.base_paths = {replica.url: d.base_path for d in deployments for replica in d.replicas}
        self.peak_mb = {replica.url: replica.rss_mb() for replica in self.replicas}
        self.health: dict[str, list[float]] = {replica.url: [] for replica in self.replicas}
        self.health_failures: dict[str, int] = {replica.url: 0 for replica in self.replicas}
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._sample_rss, daemon=True)]
        if probe_health:
            self._threads += [
                threading.Thread(target=self._probe, args=(replica.url,), daemon=True)
                for replica in self.replicas
            ]

    def _sample_rss(self) -> None:
        while not self._stop.wait(0.2):
            for replica in self.replicas:
                self.peak_mb[replica.url] = max(self.peak_mb[replica.url], replica.rss_mb())

    def _probe(self, url: str) -> None:
        health = f"{url}/{self.base_paths[url]}/_stcore/health"
        while not self._stop.wait(0.1):
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(health, timeout=5) as response:
                    response.read()
                self.health[url].append(time.perf_counter() - started)
            except OSError:
                self.health_failures[url] += 1

    def __enter__(self) -> Monitor:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=10)


def run_locust(
    target: Deployment,
    pages: list[str],
    *,
    mode: str,
    users: int,
    spawn_rate: float,
    run_time: int,
    env: dict[str, str] | None = None,
) -> tuple[list[dict], float, float]:
    """One headless Locust run against ``target``; returns its per-view records, the replicas'
    CPU-seconds spent and the wall time. ``run_time`` bounds it; it ends sooner when its users are done."""
    with tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False) as handle:
        results = Path(handle.name)
    command = [
        *(sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary"),
        *("-u", str(users), "-r", str(spawn_rate), "-t", f"{run_time}s", "--stop-timeout", "30"),
        *("--host", target.url, "--exit-code-on-error", "0", "--loglevel", "WARNING"),
    ]
    variables = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "LOAD_BASE_PATH": target.base_path,
        "LOAD_PAGES": " ".join(pages),
        "LOAD_MODE": mode,
        "LOAD_RESULTS": str(results),
        **(env or {}),
    }
    cpu, wall = target.cpu_seconds(), time.perf_counter()
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "load-locust.log").open("a") as log:
        subprocess.run(
            command, cwd=ROOT, env=variables, check=True, timeout=run_time + 60, stdout=log, stderr=log
        )
    cpu, wall = target.cpu_seconds() - cpu, time.perf_counter() - wall
    records = [json.loads(line) for line in results.read_text().splitlines()] if results.exists() else []
    results.unlink(missing_ok=True)
    return records, cpu, wall


def summarise(records: list[dict]) -> dict:
    times = [r["seconds"] for r in records if r["ok"]]
    errors = [e for r in records for e in r["errors"]]
    return {
        "views": len(records),
        "finished": len(times),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
        "p50_s": percentile(times, 50),
        "p95_s": percentile(times, 95),
        "p99_s": percentile(times, 99),
        "max_s": max(times, default=float("nan")),
    }


def print_views(title: str, records: list[dict], pages: list[str]) -> dict:
    print(f"  {title}")
    result = {}
    for page in pages:
        s = summarise([r for r in records if r["page"] == page])
        result[page] = s
        print(
            f"    {PAGES.get(page, page or 'hello'):<15} views {s['views']:>4}  p50 {ms(s['p50_s']):>8}  "
            f"p95 {ms(s['p95_s']):>8}  p99 {ms(s['p99_s']):>8}  errors {s['errors']}"
            + (f"  ({'; '.join(s['error_samples'])[:200]})" if s["errors"] else "")
        )
    return result


def warm(target: Deployment, pages: list[str]) -> None:
    """Every page twice on every replica, directly: figure caches filled, scripts compiled."""
    for replica in target.replicas:
        for page in pages * 2:
            view = open_page(requests.Session(), f"{replica.url}/{target.base_path}", page)
            if not view.ok:
                raise RuntimeError(f"warm-up of {page} on {replica.url} failed: {view.errors}")


def scenario_cost(app: Deployment, hello: Deployment, rounds: int, batch: int) -> dict:
    """One view at a time through the proxy, in batches of ``batch`` views of one page, pages and
    hello interleaved in every round so they share the machine's noise. A batch's CPU is the replicas'
    CPU clock over it (the last closed session's cleanup included; deployment.process_cpu_seconds).
    One reading per batch still takes in the cleanup that follows a view, and divides the error of
    the coarse fallback times by the batch size. The ratio to
    hello is the page's CPU over hello's, summed over the rounds; each round's own ratio gives the
    spread."""
    samples: dict[str, list[dict]] = {page: [] for page in [*PAGES, HELLO]}
    for _ in range(rounds):
        for page, rows in samples.items():
            target = hello if page == HELLO else app
            before = target.cpu_seconds()
            views = [open_page(requests.Session(), target.app_url, page) for _ in range(batch)]
            time.sleep(0.15)  # the closed session's cleanup belongs to this batch
            rows.append({"cpu_s": (target.cpu_seconds() - before) / batch, "views": views})
    hello_cpu = [row["cpu_s"] for row in samples[HELLO]]
    hello_time = statistics.median(v.seconds for row in samples[HELLO] for v in row["views"])
    print(f"cost per page view ({rounds} rounds of {batch} views each, one at a time, through the proxy):")
    print(
        f"    {'page':<15} {'time p50':>9} {'CPU-ms/view':>11} {'x hello':>8} {'rounds':>11} "
        f"{'time x hello':>13} {'messages':>9} {'deltas':>7} {'KB':>6}"
    )
    result = {}
    for page, rows in samples.items():
        cpu = [row["cpu_s"] for row in rows]
        cpu_ms = statistics.fmean(cpu) * 1000
        ratio = sum(cpu) / sum(hello_cpu)
        per_round = [c / h for c, h in zip(cpu, hello_cpu, strict=True)]
        views = [v for row in rows for v in row["views"]]
        seconds = statistics.median(v.seconds for v in views)
        last = views[-1]
        errors = sum(not v.ok for v in views)
        result[page or "hello"] = {
            "single_user_s": seconds,
            "cpu_ms": cpu_ms,
            "cpu_ratio": ratio,
            "cpu_ratio_rounds": [min(per_round), max(per_round)],
            "time_ratio": seconds / hello_time,
            "messages": last.messages,
            "deltas": last.deltas,
            "kb": last.bytes / 1024,
            "errors": errors,
        }
        verdict = "" if page == HELLO else ("ok" if ratio <= COST_TARGET else "OVER 1.5x")
        print(
            f"    {PAGES.get(page, 'hello'):<15} {ms(seconds):>9} {cpu_ms:>9.1f} ms "
            f"{ratio:>7.2f}x {min(per_round):>5.2f}-{max(per_round):<5.2f} {seconds / hello_time:>12.2f}x "
            f"{last.messages:>9} {last.deltas:>7} {last.bytes / 1024:>6.0f}"
            f"  {verdict}" + (f" errors {errors}" if errors else "")
        )
    return result


def scenario_capacity(app: Deployment, hello: Deployment, users: int, seconds: int) -> dict:
    result = {}
    print(f"capacity (closed loop, {users} users, {seconds} s, every page in turn; hello the same way):")
    for name, target, pages in (("dashboard", app, list(PAGES)), ("hello", hello, [HELLO])):
        line = target.access_log_lines()
        records, cpu, wall = run_locust(
            target, pages, mode="closed", users=users, spawn_rate=users, run_time=seconds
        )
        done = [r for r in records if r["ok"]]
        per_core = len(done) / cpu if cpu else float("nan")
        result[name] = {
            "views": len(records),
            "errors": sum(bool(r["errors"]) for r in records),
            "views_per_s": len(done) / wall,
            "replica_cpu_s": cpu,
            "views_per_replica_core_s": per_core,
            "cpu_ms_per_view": 1000 * cpu / max(1, len(done)),
            "spread": target.websocket_spread(line),
            "summary": summarise(records),
        }
        print(
            f"  {name:<9} {len(done) / wall:5.1f} views/s on this machine ({len(done)} views, "
            f"{result[name]['errors']} errors, p50 {ms(result[name]['summary']['p50_s'])}, "
            f"p95 {ms(result[name]['summary']['p95_s'])}); replicas used {cpu:.1f} CPU-s: "
            f"{per_core:.1f} views per replica core-second ({1000 * cpu / max(1, len(done)):.0f} CPU-ms/view); "
            f"sessions per replica {result[name]['spread']}"
        )
    result["ratio_to_hello"] = (
        result["hello"]["views_per_replica_core_s"] / result["dashboard"]["views_per_replica_core_s"]
    )
    print(f"  a dashboard view costs {result['ratio_to_hello']:.2f}x a hello view under load")
    return result


def scenario_burst(app: Deployment, users: int) -> dict:
    line = app.access_log_lines()
    spawn = min(users, 50)
    start_at = time.time() + users / spawn + 4  # every user has loaded the page and holds its cookie
    with Monitor([app], probe_health=True) as monitor:
        time.sleep(1)
        records, cpu, _wall = run_locust(
            app,
            [MAP],
            mode="burst",
            users=users,
            spawn_rate=spawn,
            run_time=120,
            env={"LOAD_START_AT": str(start_at)},
        )
        time.sleep(1)
    s = summarise(records)
    health = {
        url: {
            "probes": len(t),
            "max_s": max(t, default=float("nan")),
            "p99_s": percentile(t, 99),
            "failures": monitor.health_failures[url],
        }
        for url, t in monitor.health.items()
    }
    spread = app.websocket_spread(line)
    print(f"burst ({users} users open the map at once):")
    print(
        f"  finished {s['finished']}/{users}, errors {s['errors']}, p50 {ms(s['p50_s'])}, p95 {ms(s['p95_s'])}, "
        f"p99 {ms(s['p99_s'])}, last {ms(s['max_s'])}; replicas used {cpu:.1f} CPU-s "
        f"({1000 * cpu / max(1, s['finished']):.0f} CPU-ms/view); sessions per replica {spread}"
        + (f"\n  errors: {s['error_samples']}" if s["errors"] else "")
    )
    for url, h in health.items():
        verdict = "ok" if h["max_s"] <= HEALTH_TARGET_S and not h["failures"] else "OVER 1 s"
        print(
            f"  health {url}: {h['probes']} probes, p99 {ms(h['p99_s'])}, max {ms(h['max_s'])}, "
            f"failures {h['failures']}  {verdict}"
        )
    ok = s["finished"] == users and s["errors"] == 0
    print(f"  {'ok' if ok else 'FAILED'}: every session finished without error")
    return {
        **s,
        "users": users,
        "cpu_s": cpu,
        "spread": spread,
        "health": health,
        "peak_rss_mb": monitor.peak_mb,
    }


def scenario_sustained(app: Deployment, rate: float, seconds: int, single: dict, browser: bool) -> dict:
    line = app.access_log_lines()
    with ExitStack() as stack:
        probe = None
        if browser:
            out = Path(tempfile.mkstemp(suffix=".json")[1])
            stack.callback(out.unlink, missing_ok=True)
            probe = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "benchmarks.load.browser",
                    app.app_url,
                    "--pages",
                    MAP,
                    "trade",
                    "--seconds",
                    str(seconds),
                    "--out",
                    str(out),
                ],
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
        records, cpu, _wall = run_locust(
            app,
            list(PAGES),
            mode="arrivals",
            users=1,
            spawn_rate=1,
            run_time=seconds + 90,
            env={"LOAD_RATE": str(rate), "LOAD_DURATION": str(seconds)},
        )
        browser_views = []
        if probe is not None:
            probe.wait(timeout=120)
            browser_views = json.loads(out.read_text()) if out.stat().st_size else []
    print(
        f"sustained (open-loop arrivals at {rate:.2f}/s for {seconds} s, every page in turn, new analyst each):"
    )
    per_page = print_views(
        f"{len(records)} views, replicas used {cpu:.1f} CPU-s, sessions per replica "
        f"{app.websocket_spread(line)}",
        records,
        list(PAGES),
    )
    verdicts = {}
    for page, s in per_page.items():
        limit = SUSTAINED_TARGET * single[page]["single_user_s"]
        verdicts[page] = s["p95_s"] <= limit and s["errors"] == 0
        print(
            f"    {PAGES[page]:<15} p95 / single-user {s['p95_s'] / single[page]['single_user_s']:.2f} "
            f"(target <= {SUSTAINED_TARGET:.0f})  {'ok' if verdicts[page] else 'OVER'}"
        )
    result = {"rate": rate, "seconds": seconds, "pages": per_page, "cpu_s": cpu, "ok": all(verdicts.values())}
    if browser:
        times = [v["seconds"] for v in browser_views if "seconds" in v]
        errors = [v["error"] for v in browser_views if "error" in v]
        result["chromium"] = {
            "views": len(browser_views),
            "p50_s": percentile(times, 50),
            "max_s": max(times, default=float("nan")),
            "errors": errors,
        }
        print(
            f"  Chromium beside them: {len(browser_views)} pages (map, trade), time to charts drawn p50 "
            f"{ms(percentile(times, 50))}, max {ms(max(times, default=float('nan')))}, errors {len(errors)}"
        )
    return result


def metric(replica_url: str, base_path: str, family: str) -> float:
    """Sum of a family's values on Streamlit's /_stcore/metrics (text format)."""
    url = f"{replica_url}/{base_path}/_stcore/metrics?families={family}"
    with urllib.request.urlopen(url, timeout=10) as response:
        text = response.read().decode()
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(family))


def scenario_soak(app: Deployment, sessions: int, users: int, settle: float) -> dict:
    time.sleep(2)
    start = {r.url: r.rss_mb() for r in app.replicas}
    with Monitor([app]) as monitor:
        records, _cpu, wall = run_locust(
            app,
            list(PAGES),
            mode="closed",
            users=users,
            spawn_rate=users,
            run_time=150,
            env={"LOAD_VIEWS": str(sessions)},
        )
    left = {r.url: r.rss_mb() for r in app.replicas}
    time.sleep(settle)
    after = {r.url: r.rss_mb() for r in app.replicas}
    active = {r.url: metric(r.url, app.base_path, "active_sessions") for r in app.replicas}
    s = summarise(records)
    print(
        f"soak ({len(records)} sessions opened and closed by {users} users in {wall:.0f} s, "
        f"errors {s['errors']}, p95 {ms(s['p95_s'])}):"
    )
    result = {"sessions": len(records), "errors": s["errors"], "replicas": {}}
    for r in app.replicas:
        growth = after[r.url] - start[r.url]
        result["replicas"][r.url] = {
            "start_mb": start[r.url],
            "peak_mb": monitor.peak_mb[r.url],
            "left_mb": left[r.url],
            "after_mb": after[r.url],
            "growth_mb": growth,
            "active_sessions_after": active[r.url],
        }
        print(
            f"  {r.url}: RSS start {start[r.url]:.0f} MB, peak {monitor.peak_mb[r.url]:.0f} MB, when the users "
            f"left {left[r.url]:.0f} MB, {settle:.0f} s later {after[r.url]:.0f} MB ({growth:+.0f} MB; "
            f"active sessions {active[r.url]:.0f})  {'ok' if growth <= SOAK_TARGET_MB else 'OVER 50 MB'}"
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scenarios", default="cost,capacity,burst,sustained,soak")
    parser.add_argument("--cost-rounds", type=int, default=8)
    parser.add_argument(
        "--cost-batch", type=int, default=5, help="views per CPU reading in the cost scenario"
    )
    parser.add_argument("--capacity-users", type=int, default=8)
    parser.add_argument("--capacity-seconds", type=int, default=30)
    parser.add_argument("--burst-users", type=int, default=100)
    parser.add_argument("--sustained-seconds", type=int, default=60)
    parser.add_argument("--soak-sessions", type=int, default=500)
    parser.add_argument("--soak-users", type=int, default=16)
    parser.add_argument("--soak-settle", type=float, default=10)
    parser.add_argument("--no-browser", action="store_true", help="sustained without the Chromium session")
    parser.add_argument(
        "--switch-interval", type=float, help="set the replicas' sys.setswitchinterval (seconds), to compare"
    )
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument(
        "--replica-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an environment variable for every replica, to compare settings (e.g. STREAMLIT_SERVER_FILE_WATCHER_TYPE=auto)",
    )
    args = parser.parse_args()
    scenarios = args.scenarios.split(",")
    bounds = {
        "--burst-users": (args.burst_users, 1, 300),
        "--sustained-seconds": (args.sustained_seconds, 5, 90),
        "--soak-sessions": (args.soak_sessions, 1, 1000),
        "--capacity-seconds": (args.capacity_seconds, 5, 90),
        "--capacity-users": (args.capacity_users, 1, 100),
    }
    for flag, (value, low, high) in bounds.items():
        if not low <= value <= high:
            sys.exit(f"{flag} must be between {low} and {high}")
    report: dict = {"machine_cores": os.cpu_count()}
    replica_env = dict(item.split("=", 1) for item in args.replica_env)
    report["switch_interval"] = args.switch_interval
    report["replica_env"] = replica_env
    with (
        deployment(ROOT / "app.py", env=replica_env, switch_interval=args.switch_interval) as app,
        deployment(
            ROOT / "benchmarks" / "hello_app.py", env=replica_env, switch_interval=args.switch_interval
        ) as hello,
    ):
        print(f"dashboard: {app.app_url} (replicas {[r.url for r in app.replicas]}); hello: {hello.app_url}")
        warm(app, list(PAGES))
        warm(hello, [HELLO])
        report["rss_warm_mb"] = {r.url: r.rss_mb() for r in app.replicas}
        if "cost" in scenarios or "sustained" in scenarios:
            report["cost"] = scenario_cost(app, hello, args.cost_rounds, args.cost_batch)
        if "capacity" in scenarios or "sustained" in scenarios:
            report["capacity"] = scenario_capacity(app, hello, args.capacity_users, args.capacity_seconds)
        if "burst" in scenarios:
            report["burst"] = scenario_burst(app, args.burst_users)
        if "sustained" in scenarios:
            rate = report["capacity"]["dashboard"]["views_per_s"] / 2
            report["sustained"] = scenario_sustained(
                app, rate, args.sustained_seconds, report["cost"], not args.no_browser
            )
        if "soak" in scenarios:
            report["soak"] = scenario_soak(app, args.soak_sessions, args.soak_users, args.soak_settle)
        report["rss_end_mb"] = {r.url: r.rss_mb() for r in app.replicas}
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1, default=str))
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()

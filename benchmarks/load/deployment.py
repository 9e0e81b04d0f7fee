"""Replicas behind nginx on 127.0.0.1, with their processes at hand (CPU times, RSS) for the load run.

Same shape as the shared deployment (README "Shared deployment"): N ``streamlit run`` replicas under
one base path with one cookie secret, nginx configured from the project's ``nginx.conf`` in front.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import secrets
import string
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil

from tests.browser import ARTIFACTS, _stop, free_port, require_tool, wait_healthy

ROOT = Path(__file__).resolve().parent.parent.parent
_LIBC = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)


def process_cpu_seconds(process: psutil.Process) -> float:
    """The process's CPU clock (clock_getcpuclockid): nanoseconds, where the user and system times in
    /proc tick by 10 ms and are charged by sampling, so a batch of five 12 ms views read ±40 % and a
    page's ratio to hello moved by 0.2 between runs. Falls back to those times where the clock is not
    available."""
    clock = ctypes.c_int()
    if _LIBC.clock_getcpuclockid(process.pid, ctypes.byref(clock)) == 0:
        with contextlib.suppress(OSError):
            return time.clock_gettime(clock.value)
    times = process.cpu_times()
    return times.user + times.system


@dataclass(frozen=True)
class Replica:
    url: str  # root URL, without the base path
    process: psutil.Process

    @property
    def port(self) -> str:
        return self.url.rsplit(":", 1)[1]

    def cpu_seconds(self) -> float:
        """CPU time of the replica process so far, its threads included (ended ones too)."""
        return process_cpu_seconds(self.process)

    def rss_mb(self) -> float:
        return self.process.memory_info().rss / 2**20


@dataclass(frozen=True)
class Deployment:
    url: str  # the proxy's root URL
    base_path: str
    replicas: list[Replica]
    access_log: Path

    @property
    def app_url(self) -> str:
        return f"{self.url}/{self.base_path}"

    def cpu_seconds(self) -> float:
        return sum(replica.cpu_seconds() for replica in self.replicas)

    def websocket_spread(self, since_line: int = 0) -> dict[str, int]:
        """How many websocket sessions nginx routed to each replica port (from its access log)."""
        spread = Counter({replica.port: 0 for replica in self.replicas})
        for line in self.access_log.read_text().splitlines()[since_line:]:
            parts = line.split(" ")
            if len(parts) > 2 and "_stcore/stream" in line and parts[2] == "101":
                spread[parts[1].rsplit(":", 1)[-1]] += 1
        return dict(spread)

    def access_log_lines(self) -> int:
        return len(self.access_log.read_text().splitlines()) if self.access_log.exists() else 0


def start_replica(
    stack: ExitStack, script: Path, base_path: str, env: dict[str, str], switch_interval: float | None = None
) -> Replica:
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = stack.enter_context((ARTIFACTS / f"load-replica-{port}.log").open("w"))
    # ``switch_interval``: the interpreter's GIL switch interval (default 5 ms), to compare settings.
    launcher = ("-m", "streamlit")
    if switch_interval is not None:
        launcher = (
            "-c",
            f"import runpy, sys; sys.setswitchinterval({switch_interval}); sys.argv[0] = 'streamlit'; "
            "runpy.run_module('streamlit', run_name='__main__')",
        )
    command = [
        sys.executable,
        *launcher,
        *("run", str(script)),
        *("--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true"),
        *("--server.baseUrlPath", base_path),
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **env}
    )
    stack.callback(_stop, process)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, process, health_path=f"/{base_path}/_stcore/health")
    return Replica(url, psutil.Process(process.pid))


@contextmanager
def deployment(
    script: Path,
    base_path: str = "relations",
    count: int = 2,
    env: dict[str, str] | None = None,
    switch_interval: float | None = None,
) -> Iterator[Deployment]:
    """``count`` replicas of ``script`` (run from the project root, so with its .streamlit/config.toml)
    sharing a fresh cookie secret (``env``: more variables for them, e.g. STREAMLIT_SERVER_* settings
    to compare), behind nginx from the project's nginx.conf, all on 127.0.0.1."""
    nginx = require_tool("nginx", "/usr/sbin/nginx", "apt-get install nginx")
    env = {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32), **(env or {})}
    with ExitStack() as stack:
        replicas = [start_replica(stack, script, base_path, env, switch_interval) for _ in range(count)]
        prefix = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="relations-load-")))
        port = free_port()
        config = string.Template((ROOT / "nginx.conf").read_text()).safe_substitute(
            PREFIX=prefix,
            LISTEN_ADDRESS="127.0.0.1",
            LISTEN_PORT=port,
            **{f"REPLICA_{i}_PORT": replica.port for i, replica in enumerate(replicas, start=1)},
        )
        if count != 2:  # the template names two upstream servers
            servers = "".join(f"        server 127.0.0.1:{replica.port};\n" for replica in replicas)
            lines = [line for line in config.splitlines(keepends=True) if "server 127.0.0.1:" not in line]
            at = next(i for i, line in enumerate(lines) if "hash $cookie__streamlit_xsrf" in line) + 1
            config = "".join([*lines[:at], servers, *lines[at:]])
        if base_path != "relations":
            config = config.replace("/relations/", f"/{base_path}/")
        (prefix / "nginx.conf").write_text(config)
        directives = "daemon off;" + (" user root;" if os.geteuid() == 0 else "")
        log = stack.enter_context((ARTIFACTS / f"load-nginx-{port}.log").open("w"))
        process = subprocess.Popen(
            [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", directives],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        stack.callback(_stop, process)
        proxy_url = f"http://127.0.0.1:{port}"
        wait_healthy(proxy_url, process, health_path=f"/{base_path}/_stcore/health")
        yield Deployment(proxy_url, base_path, replicas, prefix / "access.log")

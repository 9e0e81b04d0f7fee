"""Serving many analysts: at most RELATIONS_SCRIPT_SLOTS page scripts run at once in a replica, and
what every page view asks for again is answered from memory."""

import threading
import time

import pytest
from streamlit.runtime.scriptrunner.script_cache import ScriptCache

from pages import shared


@pytest.fixture
def slots(monkeypatch):
    def configure(value: str) -> None:
        monkeypatch.setenv("RELATIONS_SCRIPT_SLOTS", value)
        shared._script_slots.cache_clear()

    yield configure
    shared._script_slots.cache_clear()


def most_at_once(workers: int) -> int:
    """Run `workers` scripts that each hold their slot for a moment; how many were inside at once."""
    inside, peak, lock = 0, 0, threading.Lock()

    def script() -> None:
        nonlocal inside, peak
        with shared.script_slot():
            with lock:
                inside += 1
                peak = max(peak, inside)
            time.sleep(0.05)
            with lock:
                inside -= 1

    threads = [threading.Thread(target=script) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    return peak


def test_scripts_beyond_the_slots_wait(slots):
    slots("2")
    assert most_at_once(6) == 2


def test_zero_slots_means_no_limit(slots):
    slots("0")
    assert most_at_once(6) == 6


def test_a_failing_script_gives_its_slot_back(slots):
    slots("1")
    with pytest.raises(RuntimeError), shared.script_slot():
        raise RuntimeError("a page raised (st.rerun and st.stop raise too)")
    assert most_at_once(2) == 1  # the slot is free again: the next scripts run, one at a time


def test_recent_results_are_computed_once_and_stay_bounded(monkeypatch):
    monkeypatch.setattr(shared, "_RECENT", type(shared._RECENT)())
    monkeypatch.setattr(shared, "MAX_RECENT", 3)
    calls = []

    def compute(n: int):
        calls.append(n)
        return [n]

    first = shared.recent(("k", 1), lambda: compute(1))
    assert shared.recent(("k", 1), lambda: compute(1)) is first and calls == [1]
    for n in (2, 3, 4):
        shared.recent(("k", n), lambda n=n: compute(n))
    assert len(shared._RECENT) == 3 and ("k", 1) not in shared._RECENT  # the oldest went first
    shared.recent(("k", 1), lambda: compute(1))
    assert calls == [1, 2, 3, 4, 1]


class FakeRuntime:
    def __init__(self) -> None:
        self._script_cache = ScriptCache()


@pytest.mark.parametrize("watcher, kept", [("none", True), ("auto", False)])
def test_compiled_scripts_are_kept_only_without_a_file_watcher(monkeypatch, tmp_path, watcher, kept):
    """Streamlit empties its script cache when a replica's last session closes; without a file watcher
    (production) the compiled scripts stay, with one an edit is still picked up."""
    runtime = FakeRuntime()
    monkeypatch.setattr(shared.Runtime, "exists", staticmethod(lambda: True))
    monkeypatch.setattr(shared.Runtime, "instance", staticmethod(lambda: runtime))
    monkeypatch.setattr(shared.st, "get_option", lambda name: watcher)
    script = tmp_path / "page.py"
    script.write_text("x = 1\n")
    shared.keep_compiled_scripts.cache_clear()
    try:
        shared.keep_compiled_scripts()
    finally:
        shared.keep_compiled_scripts.cache_clear()
    compiled = runtime._script_cache.get_bytecode(str(script))
    runtime._script_cache.clear()  # what Streamlit does when the last session closes
    assert (runtime._script_cache.get_bytecode(str(script)) is compiled) is kept

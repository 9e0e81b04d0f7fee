"""Shared fixtures: the minimal fixture dataset, the archive to check quotes against, a live server."""

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "data"
REAL_DATA = ROOT / "data"
SEEDS = ROOT.parent / "shared" / "seeds"


def build_dataset(target: Path, broken_case: str | None = None) -> Path:
    """The minimal dataset under the real schema, with one broken case's files laid over it."""
    shutil.copytree(FIXTURES / "minimal", target)
    shutil.copy(REAL_DATA / "datapackage.json", target)
    if broken_case:
        for path in (FIXTURES / "broken" / broken_case).iterdir():
            shutil.copy(path, target / path.name)
    return target


@pytest.fixture
def minimal_data(tmp_path: Path) -> Path:
    return build_dataset(tmp_path / "data")


@pytest.fixture
def fixture_archive() -> Path:
    return FIXTURES / "archive"


@pytest.fixture(scope="session")
def quoted_dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The real data against the real seeds when ../shared/seeds is there (CI has it);
    on a clean clone without it, the minimal dataset against the tiny archive it was written for."""
    if SEEDS.is_dir():
        return REAL_DATA, SEEDS
    return build_dataset(tmp_path_factory.mktemp("quoted") / "data"), FIXTURES / "archive"


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for every browser test (each test opens its own context)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_ARGS, require_chromium

    executable = require_chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()

"""Regenerates the README's screenshots: every page at 1440×900 (desktop) and 390×844 (phone).

Run: .venv/bin/python -m tests.screenshots.capture [page ...]   (writes tests/screenshots/*.png)"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser import CHROMIUM_ARGS, require_chromium, streamlit_server, wait_for_app

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
VIEWPORTS = {"desktop": (1440, 900), "phone": (390, 844)}
VIEWS = {
    "overview": "overview",
    "map": "map?focus=CHN&layer=ties",
    "sanctions": "map?focus=BLR&layer=sanctions",
    "corridors": "corridors",
    "trade": "trade",
    "timeline": "timeline",
    "sources": "sources",
}


def main(names: list[str]) -> None:
    with streamlit_server(ROOT) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS)
        for name in names or list(VIEWS):
            for device, (width, height) in VIEWPORTS.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(f"{url}/{VIEWS[name]}")
                wait_for_app(page)
                if device == "phone":  # the whole column at phone width (the page scrolls inside stMain)
                    tall = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
                    page.set_viewport_size({"width": width, "height": min(tall, 6000)})
                    wait_for_app(page)
                page.screenshot(path=OUT / f"{name}-{device}.png")
                page.close()
                print(f"{name}-{device}.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])

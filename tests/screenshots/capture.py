"""Regenerates the README's screenshots: every page at 1440×900 (desktop) and 390×844 (phone, the
whole column), and slides.png, a contact sheet of the exported slides.

Run: .venv/bin/python -m tests.screenshots.capture [page ... | slides]   (writes tests/screenshots/*.png)"""

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from tests.browser import CHROMIUM_ARGS, new_context, require_chromium, streamlit_server, wait_for_app

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


SHEET_COLUMNS, THUMB_WIDTH = 3, 640


def slides_sheet() -> None:
    """Every exported slide (the real CLI, default view) as a thumbnail, three to a row."""
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [sys.executable, "-m", "relations", "export", "--out", out, "--format", "png"],
            cwd=ROOT,
            check=True,
        )
        slides = [Image.open(path).convert("RGB") for path in sorted(Path(out).glob("*.png"))]
        thumbs = [slide.resize((THUMB_WIDTH, THUMB_WIDTH * slide.height // slide.width)) for slide in slides]
        rows = -(-len(thumbs) // SHEET_COLUMNS)
        height = thumbs[0].height
        sheet = Image.new("RGB", (SHEET_COLUMNS * (THUMB_WIDTH + 8) + 8, rows * (height + 8) + 8), "#bbbbbb")
        for i, thumb in enumerate(thumbs):
            sheet.paste(
                thumb, (8 + (i % SHEET_COLUMNS) * (THUMB_WIDTH + 8), 8 + (i // SHEET_COLUMNS) * (height + 8))
            )
        sheet.save(OUT / "slides.png", optimize=True)
        print("slides.png")


def main(names: list[str]) -> None:
    if "slides" in names:
        slides_sheet()
        names = [n for n in names if n != "slides"]
        if not names:
            return
    with streamlit_server(ROOT) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS)
        for name in names or list(VIEWS):
            for device, (width, height) in VIEWPORTS.items():
                page = new_context(browser, viewport={"width": width, "height": height}).new_page()
                page.goto(f"{url}/{VIEWS[name]}")
                wait_for_app(page)
                if device == "phone":  # the whole column at phone width (the page scrolls inside stMain)
                    tall = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
                    page.set_viewport_size({"width": width, "height": min(tall, 6000)})
                    wait_for_app(page)
                page.screenshot(path=OUT / f"{name}-{device}.png")
                page.context.close()
                print(f"{name}-{device}.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])

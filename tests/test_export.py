"""Slide exports read back from disk: sizes, parseable files, slide counts, citations in the notes."""

import datetime as dt
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from PIL import Image
from pptx import Presentation
from pypdf import PdfReader

from relations.charts.style import FONT
from relations.data.loading import load_dataset
from relations.export import FORMATS, export_figures, slide_spec, source_line
from relations.render import render_files
from relations.views import parse_view_query, view_figures
from tests.conftest import REAL_DATA, ROOT

GENERATED = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(REAL_DATA)


@pytest.fixture(scope="module")
def exported(dataset, tmp_path_factory):
    view, notices = parse_view_query("focus=BLR&layer=sanctions&actors=BLR,CHN", dataset)
    assert notices == []
    figures = view_figures(dataset, view)
    out = tmp_path_factory.mktemp("export")
    files = export_figures(figures, out, list(FORMATS), dataset.version, GENERATED, view=view.as_record())
    return figures, out, files


def test_every_figure_in_every_format_and_a_deck(exported):
    figures, out, files = exported
    assert len(figures) == 9
    assert sorted(f.file for f in files) == sorted(
        [f"{fig.id}.{fmt}" for fig in figures for fmt in ("png", "svg", "pdf")] + ["deck.pptx"]
    )
    for file in files:
        assert (out / file.file).stat().st_size == file.bytes > 0


def test_png_is_full_hd(exported):
    figures, out, _ = exported
    for figure in figures:
        with Image.open(out / f"{figure.id}.png") as image:
            assert image.size == (1920, 1080)


def test_svg_parses_and_carries_title_and_source_line(exported):
    figures, out, _ = exported
    for figure in figures:
        root = ET.parse(out / f"{figure.id}.svg").getroot()
        text = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
        assert figure.title.split(" [")[0] in text
        assert "Dataset version" in text and GENERATED.isoformat() in text


def test_pdf_opens_with_one_page(exported):
    figures, out, _ = exported
    for figure in figures:
        assert len(PdfReader(out / f"{figure.id}.pdf").pages) == 1


def test_deck_has_a_slide_per_figure_with_citations_in_notes(exported, dataset):
    figures, out, _ = exported
    deck = Presentation(out / "deck.pptx")
    assert len(deck.slides) == len(figures)
    assert deck.slide_width * 9 == deck.slide_height * 16
    quotes = dataset["citations"].set_index("id")["quote"]
    for slide, figure in zip(deck.slides, figures, strict=True):
        notes = slide.notes_slide.notes_text_frame.text
        assert notes.startswith(figure.title)
        assert all(quotes[cid] in notes for cid in figure.citation_ids)
    # What a file browser shows: the first headline whole, and a count of the rest.
    title = deck.core_properties.title
    assert title.startswith(figures[0].title) and f"{len(figures) - 1} more" in title
    assert not any(figure.title in title for figure in figures[1:])
    assert "python-pptx" not in deck.core_properties.comments


def test_manifest_lists_files_with_figure_and_citations(exported, dataset):
    figures, out, _ = exported
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["dataset_version"] == dataset.version.content_hash
    assert manifest["view"]["map"] == {"focus": "BLR", "layer": "sanctions", "selected": None}
    by_file = {entry["file"]: entry for entry in manifest["files"]}
    trade = by_file["bilateral-trade.png"]
    assert trade["figure"] == "bilateral-trade" and "C004-trade" in trade["citations"]
    assert trade["bytes"] == (out / "bilateral-trade.png").stat().st_size
    assert set(by_file["deck.pptx"]["citations"]) == {c for f in figures for c in f.citation_ids}


def test_text_is_drawn_with_the_shipped_font():
    """vl-convert silently drops text in a font it cannot find: check that ink reaches the pixels."""
    spec = {
        "title": "Ink",
        "data": {"values": [{}]},
        "mark": {"type": "text", "text": "MMMM", "fontSize": 40},
        "config": {"font": FONT},
    }
    image = Image.open(io.BytesIO(render_files(spec, ("png",))["png"])).convert("L")
    dark = sum(1 for pixel in image.get_flattened_data() if pixel < 128)
    assert dark > 200


def test_slide_footer_names_outlets_and_gaps(dataset):
    figure = next(
        f for f in view_figures(dataset, parse_view_query("", dataset)[0]) if f.id == "bilateral-trade"
    )
    line = source_line(figure)
    assert "New Statesman, 1 March 2023" in line and "(undated)" in line and "not stated" not in line
    footer = slide_spec(figure, dataset.version, GENERATED)["vconcat"][-1]["data"]["values"]
    assert footer[-1]["line"].startswith(f"Dataset version {dataset.version.content_hash}")


def run_export(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "relations", "export", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_hostile_view_falls_back_with_notices(tmp_path):
    hostile = "focus=<script>alert(1)</script>&layer=../../etc/passwd&pair=CHN-" + "A" * 100 + "&actors=ZZZ"
    result = run_export("--out", str(tmp_path), "--format", "svg", "--view", hostile)
    assert result.returncode == 0, result.stderr
    notices = [line for line in result.stderr.splitlines() if line.startswith("notice:")]
    assert len(notices) == 4
    assert "<script>" not in result.stderr
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["view"]["map"]["focus"] == "CHN" and manifest["view"]["map"]["layer"] == "ties"
    assert "[9/9]" in result.stderr  # progress on the terminal


def test_cli_rejects_unknown_format(tmp_path):
    result = run_export("--out", str(tmp_path), "--format", "png,gif")
    assert result.returncode == 2
    assert "formats are png, svg, pdf, pptx" in result.stderr


def test_every_figure_spec_is_valid_vega_lite(dataset):
    """Figure.spec skips Altair's schema validation for speed; this is where it happens."""
    view, _ = parse_view_query("pair=BLR-CHN", dataset)
    for figure in view_figures(dataset, view):
        figure.chart.to_dict(validate=True)  # raises on an invalid spec


def _numbers(text: str) -> set[int]:
    """Every footnote number in the markers of text: '[3, 20–22]' -> {3, 20, 21, 22}."""
    found = set()
    for marker in re.findall(r"\[(\d[\d–, ]*)\]", text):
        for part in marker.split(","):
            low, _, high = part.strip().partition("–")
            found |= set(range(int(low), int(high or low) + 1))
    return found


def test_every_marker_a_slide_draws_is_keyed_in_its_source_line(exported):
    """A slide dropped into a briefing has no speaker notes: its footer names the source of each
    marker it draws ([22–24] on the ladder's rungs)."""
    figures, out, _ = exported
    drawn_markers = 0
    for figure in figures:
        root = ET.parse(out / f"{figure.id}.svg").getroot()
        texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
        footer = source_line(figure)
        drawn = _numbers(" ".join(t for t in texts if not t.startswith("Sources:")))
        drawn_markers += len(drawn)
        assert drawn <= _numbers(footer), (figure.id, drawn - _numbers(footer))
        if not drawn:  # a slide that writes no marker is not cluttered with numbers in its footer
            assert not _numbers(footer), (figure.id, footer)
    assert drawn_markers, "the ladder draws its rungs' markers"


def test_every_headline_fits_the_one_line_the_deck_title_has(exported):
    """The deck's editable title is one line over the picture's headline: a headline that wraps on
    the slide would push its subtitle down under the title box, and a longer one widened the slide."""
    from relations.charts.style import SLIDE_PADDING, SLIDE_TITLE_SIZE, SLIDE_WIDTH, text_width

    figures, _, _ = exported
    room = SLIDE_WIDTH - 2 * SLIDE_PADDING
    for figure in figures:
        assert text_width(figure.title, SLIDE_TITLE_SIZE, bold=True) <= room, figure.title

"""Shortcuts in slide rendering draw the same picture: a fit kept from before, the PNG drawn from the
PDF, the PNG written without Pillow's filters, the base cut of the font."""

import datetime as dt
import io
import json
import re

import numpy as np
import pytest
import vl_convert as vlc
from PIL import Image

from relations import render
from relations.data.loading import load_dataset
from relations.export import slide_spec
from relations.views import parse_view_query, view_figures
from tests.conftest import REAL_DATA


@pytest.fixture(scope="module")
def figures():
    dataset = load_dataset(REAL_DATA)
    view, _ = parse_view_query("", dataset)
    return {f.id: (f, dataset.version) for f in view_figures(dataset, view)}


@pytest.fixture
def drawings(monkeypatch, tmp_path):
    """Every Vega drawing made, in a cache directory of the test's own."""
    monkeypatch.setenv("RELATIONS_CACHE_DIR", str(tmp_path))
    made: list[dict] = []
    to_svg = render.to_svg

    def counted(spec: dict) -> str:
        made.append(spec)
        return to_svg(spec)

    monkeypatch.setattr(render, "to_svg", counted)
    return made


def _spec(figures, figure_id: str, generated: dt.date = dt.date(2026, 1, 1)) -> dict:
    figure, version = figures[figure_id]
    return slide_spec(figure, version, generated)


def _two_passes(spec: dict) -> str:
    svg = render.to_svg(spec)
    fitted = render.fitted_spec(spec, svg)
    return render.to_svg(fitted) if fitted else svg


def _unnumbered(svg: str) -> str:
    """Vega numbers clip paths across a process's drawings; the drawings are otherwise the same."""
    return re.sub(r"clip\d+", "clip", svg)


@pytest.mark.parametrize("figure_id", ["bilateral-trade", "map-chn-ties", "timeline"])
def test_a_kept_fit_draws_the_slide_once_and_the_same(figures, drawings, figure_id):
    spec = _spec(figures, figure_id)
    expected = _unnumbered(_two_passes(spec))
    drawings.clear()
    assert _unnumbered(render.fitted_svg(spec)) == expected
    assert len(drawings) == 2  # measured, then drawn to the frame
    drawings.clear()
    assert _unnumbered(render.fitted_svg(spec)) == expected
    assert len(drawings) == 1
    drawings.clear()
    next_day = _spec(figures, figure_id, dt.date(2026, 1, 2))  # the footer's date is data: same layout
    assert render.svg_size(render.fitted_svg(next_day)) == (960, 540)
    assert len(drawings) == 1


def test_a_fit_that_misses_the_frame_is_measured_again(figures, drawings):
    spec = _spec(figures, "potash-imports")
    expected = _unnumbered(_two_passes(spec))
    path = render._fit_path(render._layout_key(spec))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([[500, 100] for _ in spec["vconcat"]]))
    drawings.clear()
    assert _unnumbered(render.fitted_svg(spec)) == expected
    assert len(drawings) == 3  # the kept sizes, then from the start
    assert json.loads(path.read_text()) != [[500, 100] for _ in spec["vconcat"]]


def _pixels(svg: str) -> np.ndarray:
    """The slide's PNG as an export draws it: the SVG to PDF, the PDF to PNG."""
    return np.asarray(Image.open(io.BytesIO(render.slide_png(vlc.svg_to_pdf(svg)))))


def _blocks(pixels: np.ndarray, size: int = 8) -> np.ndarray:
    """Mean colour of each size × size block: two rasterisers' edge smoothing averages out, a missing
    label or shape does not."""
    height, width, channels = pixels.shape
    return pixels.reshape(height // size, size, width // size, size, channels).mean(axis=(1, 3))


@pytest.mark.parametrize("figure_id", ["map-chn-ties", "rail-corridors-belarus", "timeline", "potash-supply"])
def test_the_png_drawn_from_the_pdf_is_the_slide(figures, drawings, figure_id):
    """PDFium draws the PNG from the PDF instead of resvg from the SVG: the same picture to the eye, at
    1920×1080 in RGB. Every 8×8 block within 40 of 255 levels of resvg's drawing (they differ by
    12–20 at most, at glyph edges); three labels left out differ by 66–163."""
    render._register_fonts()
    plain = render.drawn_with_base_cut(
        render.framed_svg(render.fitted_svg(_spec(figures, figure_id)), embed_font=False)
    )
    drawn = Image.open(io.BytesIO(render.slide_png(vlc.svg_to_pdf(plain))))
    assert (drawn.mode, drawn.size) == ("RGB", (1920, 1080))
    resvg = np.asarray(Image.open(io.BytesIO(vlc.svg_to_png(plain, scale=render.PNG_SCALE))).convert("RGB"))
    difference = np.abs(_blocks(np.asarray(drawn).astype(float)) - _blocks(resvg.astype(float)))
    assert difference.max() < 40
    unlabelled = re.sub(r"<text[^>]*>.*?</text>", "", plain, count=3, flags=re.S)
    assert np.abs(_blocks(_pixels(unlabelled).astype(float)) - _blocks(resvg.astype(float))).max() >= 40


def test_the_unfiltered_png_holds_the_same_pixels(figures):
    """rgb_png writes the slide itself instead of Pillow: the same RGB pixels, and a file Pillow reads."""
    svg = render.framed_svg(render.fitted_svg(_spec(figures, "timeline")), embed_font=False)
    drawn = Image.open(io.BytesIO(vlc.svg_to_png(svg, scale=render.PNG_SCALE)))
    written = Image.open(io.BytesIO(render.rgb_png(drawn)))
    assert (written.mode, written.size) == ("RGB", (1920, 1080))
    assert np.array_equal(np.asarray(written), np.asarray(drawn.convert("RGB")))


def test_png_and_pdf_drawn_with_the_base_cut_have_the_same_text(figures, drawings):
    """The base cut under its own family draws the same pixels as the full font (it only makes svg2pdf's
    per-glyph font reads cheaper); an SVG with a character outside the cut keeps the full font."""
    render._register_fonts()
    plain = render.framed_svg(render.fitted_svg(_spec(figures, "timeline")), embed_font=False)
    cut = render.drawn_with_base_cut(plain)
    assert f'font-family="{render.BASE_CUT_FAMILY}, sans-serif"' in cut and render.FONT_FAMILY not in cut
    assert np.array_equal(_pixels(plain), _pixels(cut))
    assert b"RelationsBaseCut" in vlc.svg_to_pdf(cut)  # the PDF embeds the cut
    outside = plain.replace(">Feb 2022<", ">Feb 2022 \u4e2d\u56fd<", 1)  # 中国: not in the cut
    assert outside != plain
    assert render.drawn_with_base_cut(outside) == outside

"""Server-side rendering of Vega-Lite specs with vl-convert, using the font the project ships.
Light on purpose (vl-convert, Pillow): export's worker processes import only this module."""

import io
import xml.etree.ElementTree as ET
from functools import cache

import font_source_sans_pro
import vl_convert as vlc
from PIL import Image

SLIDE_PIXELS = (1920, 1080)
SLIDE_MARGIN = 48
MAX_SCALE = 3.0  # small figures are enlarged at most this much: type stays in proportion on a projector
PNG_COMPRESSION = 3  # zlib level: a third of the default's time for ~10% more bytes


@cache
def _register_fonts() -> None:
    """vl-convert sees only the fonts it is told about; the app's font comes from a pip package,
    so a fresh machine renders the same text with no system fonts installed."""
    vlc.register_font_directory(font_source_sans_pro.font_directory)


def to_svg(spec: dict) -> str:
    _register_fonts()
    return vlc.vegalite_to_svg(spec)


def svg_size(svg: str) -> tuple[float, float]:
    root = ET.fromstring(svg)
    return float(root.get("width", "0").removesuffix("px")), float(root.get("height", "0").removesuffix("px"))


def slide_png(svg: str) -> bytes:
    """Exactly 1920×1080: the chart rasterised once at the scale that fits the margins, centred on white.
    (Rasterising larger and shrinking cost 3 s for the two-panel corridor map; this costs under 1 s.)"""
    _register_fonts()
    box = (SLIDE_PIXELS[0] - 2 * SLIDE_MARGIN, SLIDE_PIXELS[1] - 2 * SLIDE_MARGIN)
    width, height = svg_size(svg)
    scale = min(box[0] / width, box[1] / height, MAX_SCALE)
    chart = Image.open(io.BytesIO(vlc.svg_to_png(svg, scale=scale))).convert("RGB")
    chart.thumbnail(box, Image.Resampling.LANCZOS)  # only trims a rounding pixel
    slide = Image.new("RGB", SLIDE_PIXELS, "white")
    slide.paste(chart, ((SLIDE_PIXELS[0] - chart.width) // 2, (SLIDE_PIXELS[1] - chart.height) // 2))
    out = io.BytesIO()
    slide.save(out, format="PNG", compress_level=PNG_COMPRESSION)
    return out.getvalue()


def render_files(spec: dict, formats: tuple[str, ...]) -> dict[str, bytes]:
    """Vega runs once (to SVG); PNG and PDF are converted from that SVG."""
    svg = to_svg(spec)
    converters = {
        "svg": lambda: svg.encode("utf-8"),
        "png": lambda: slide_png(svg),
        "pdf": lambda: vlc.svg_to_pdf(svg),
    }
    unknown = [f for f in formats if f not in converters]
    if unknown:
        raise ValueError(f"unknown figure format {unknown[0]!r}")
    return {fmt: converters[fmt]() for fmt in formats}

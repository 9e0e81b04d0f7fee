"""Server-side rendering of Vega-Lite specs with vl-convert, using the font the project ships.
Light on purpose (vl-convert, Pillow, fontTools): export's worker processes import only this module."""

import base64
import io
import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import font_source_sans_pro
import vl_convert as vlc
from fontTools import subset
from fontTools.ttLib import TTFont
from PIL import Image

SLIDE_FRAME = (960, 540)  # the slide in px; 1 px = 1 pt on a 540 pt high slide
PNG_SCALE = 2  # 1920×1080
PNG_COMPRESSION = 3  # zlib level: a third of the default's time for ~10% more bytes
FONT_FAMILY = "Source Sans Pro"
FONT_FILES = {"normal": "SourceSansPro-Regular.otf", "bold": "SourceSansPro-Bold.otf"}
SVG_NS = "http://www.w3.org/2000/svg"


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


def _font_face(weight: str, text: str) -> str:
    """The font, cut down to the characters this SVG uses (a few KB instead of 230 KB), as a data URL."""
    font = TTFont(Path(font_source_sans_pro.font_directory) / FONT_FILES[weight])
    subsetter = subset.Subsetter(subset.Options())
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = None
    font.save(out)
    data = base64.b64encode(out.getvalue()).decode("ascii")
    return (
        f"@font-face{{font-family:'{FONT_FAMILY}';font-weight:{weight};"
        f"src:url(data:font/otf;base64,{data}) format('opentype');}}"
    )


def _used_text(svg: str) -> str:
    texts = re.findall(r">([^<>]+)</text>|>([^<>]+)</tspan>", svg)
    chars = {ch for pair in texts for part in pair for ch in part}
    return "".join(sorted(chars | set("0123456789 ")))


def framed_svg(svg: str) -> str:
    """The chart at the top of a 960×540 frame, centred across it (scaled down if it is larger), on white, with the font
    embedded: every export is slide-shaped and reads the same on a machine without the font."""
    width, height = svg_size(svg)
    frame_w, frame_h = SLIDE_FRAME
    scale = min(1.0, frame_w / width, frame_h / height)
    w, h = width * scale, height * scale
    x, y = (frame_w - w) / 2, 0.0  # top-aligned: the headline sits where the deck's editable title goes
    inner = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    opening = re.match(r"<svg[^>]*>", inner).group(0)
    replaced = re.sub(r'\s(width|height|viewBox|x|y)="[^"]*"', "", opening).replace(
        "<svg",
        f'<svg x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" viewBox="0 0 {width} {height}"',
        1,
    )
    inner = replaced + inner[len(opening) :]
    text = _used_text(svg)
    style = "".join(_font_face(weight, text) for weight in FONT_FILES)
    return (
        f'<svg xmlns="{SVG_NS}" xmlns:xlink="http://www.w3.org/1999/xlink" width="{frame_w}" height="{frame_h}" '
        f'viewBox="0 0 {frame_w} {frame_h}"><defs><style>{style}</style></defs>'
        f'<rect width="{frame_w}" height="{frame_h}" fill="white"/>{inner}</svg>'
    )


def slide_png(svg: str) -> bytes:
    """Exactly 1920×1080 from the framed SVG."""
    _register_fonts()
    png = vlc.svg_to_png(svg, scale=PNG_SCALE)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=PNG_COMPRESSION)
    return out.getvalue()


def render_files(spec: dict, formats: tuple[str, ...]) -> dict[str, bytes]:
    """Vega runs once (to SVG); the framed SVG gives PNG and PDF."""
    framed = framed_svg(to_svg(spec))
    converters = {
        "svg": lambda: framed.encode("utf-8"),
        "png": lambda: slide_png(framed),
        "pdf": lambda: vlc.svg_to_pdf(framed),
    }
    unknown = [f for f in formats if f not in converters]
    if unknown:
        raise ValueError(f"unknown figure format {unknown[0]!r}")
    return {fmt: converters[fmt]() for fmt in formats}

"""Server-side rendering of Vega-Lite specs with vl-convert, using the font the project ships."""

from functools import cache

import font_source_sans_pro
import vl_convert as vlc


@cache
def _register_fonts() -> None:
    """vl-convert sees only the fonts it is told about; the app's font comes from a pip package,
    so a fresh machine renders the same text with no system fonts installed."""
    vlc.register_font_directory(font_source_sans_pro.font_directory)


def to_png(spec: dict, scale: float = 1.0) -> bytes:
    _register_fonts()
    return vlc.vegalite_to_png(spec, scale=scale)


def to_svg(spec: dict) -> str:
    _register_fonts()
    return vlc.vegalite_to_svg(spec)


def to_pdf(spec: dict) -> bytes:
    _register_fonts()
    return vlc.vegalite_to_pdf(spec)


def svg_to_png(svg: str, scale: float = 1.0) -> bytes:
    """Rasterises an SVG already rendered by to_svg: one Vega run serves every format."""
    _register_fonts()
    return vlc.svg_to_png(svg, scale=scale)


def svg_to_pdf(svg: str) -> bytes:
    _register_fonts()
    return vlc.svg_to_pdf(svg)

"""Server-side rendering of figures with vl-convert, using the font the project ships."""

from functools import cache

import altair as alt
import font_source_sans_pro
import vl_convert as vlc


@cache
def _register_fonts() -> None:
    """vl-convert sees only the fonts it is told about; the app's font comes from a pip package,
    so a fresh machine renders the same text with no system fonts installed."""
    vlc.register_font_directory(font_source_sans_pro.font_directory)


def spec_of(chart: alt.TopLevelMixin) -> dict:
    return chart.to_dict()


def to_png(chart: alt.TopLevelMixin, scale: float = 1.0) -> bytes:
    _register_fonts()
    return vlc.vegalite_to_png(spec_of(chart), scale=scale)


def to_svg(chart: alt.TopLevelMixin) -> str:
    _register_fonts()
    return vlc.vegalite_to_svg(spec_of(chart))


def to_pdf(chart: alt.TopLevelMixin) -> bytes:
    _register_fonts()
    return vlc.vegalite_to_pdf(spec_of(chart))

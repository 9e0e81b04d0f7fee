"""Server-side rendering of Vega-Lite specs with vl-convert, using the font the project ships.
It imports only what drawing needs (vl-convert, PDFium, Pillow, numpy, fontTools), not pandas or
Altair, so the render threads start Vega before the export imports them.

Where the time goes (benchmarks/export.py): Vega → SVG once per figure; the framed SVG → PDF (svg2pdf,
in vl-convert), the PDF → PNG (PDFium); the SVG file embeds a subset of the font. Subsetting from the
whole font decompiles its layout tables every time (≈0.25 s per weight per figure), so the font is
cut once to the scripts a dataset can use (a "base", cached on disk) and each SVG's subset is cut
from that, memoised by character set. The PDF is drawn from the frame without the embedded font:
svg2pdf draws text with the registered fonts and ignores @font-face (the base cut, under a family of
its own: see _base_cut_directory), and embeds what it draws, which PDFium then draws for the PNG."""

import base64
import contextlib
import hashlib
import io
import json
import re
import struct
import threading
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import font_source_sans_pro
import numpy as np
import pypdfium2 as pdfium
import vl_convert as vlc
from fontTools import version as fonttools_version
from fontTools.ttLib import TTFont
from PIL import Image

from relations.file_cache import cache_dir, write_atomically

EXPORT_WORKERS = 2  # render threads: a deployment's two cores
_PDFIUM = threading.Lock()  # PDFium is not thread-safe: one drawing at a time (≈25 ms each)
SLIDE_FRAME = (960, 540)  # the slide in px; 1 px = 1 pt on a 540 pt high slide
PNG_SCALE = 2  # 1920×1080
PNG_COMPRESSION = 3  # zlib level: a third of the default's time for ~10% more bytes
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FONT_FAMILY = "Source Sans Pro"
# The base cut's family name for PNG and PDF (_base_cut_directory): not "Source …", which the font's
# licence (SIL OFL) reserves for the original.
BASE_CUT_FAMILY = "Relations Base Cut"
FONT_FILES = {"normal": "SourceSansPro-Regular.otf", "bold": "SourceSansPro-Bold.otf"}
SVG_NS = "http://www.w3.org/2000/svg"
SPACER = "slide-spacer"  # names start so: the empty rows that centre a short chart on its slide
# What a curated dataset about countries can write: Latin (with Latin-1 and Extended-A/B), Greek,
# Cyrillic, punctuation, currency, letterlike symbols, arrows, maths (≈ ≥), geometric shapes.
BASE_RANGES = (
    (0x20, 0x24F),
    (0x370, 0x3FF),
    (0x400, 0x4FF),
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
    (0x2100, 0x214F),
    (0x2190, 0x21FF),
    (0x2200, 0x22FF),
    (0x25A0, 0x25FF),
)
# Every SVG's subset holds printable ASCII and the punctuation the charts write, so most figures share
# one subset (memoised per process, kept on disk): cutting one costs ≈0.15 s per weight.
ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F)) + "–—‘’“”…·•≈≥≤±×→←↑↓°"


def _font_path(weight: str) -> Path:
    return Path(font_source_sans_pro.font_directory) / FONT_FILES[weight]


@cache
def _font_directory() -> str:
    """A directory holding only the two faces the charts use. The package ships 24 (OTF and TTF of 12
    styles); vl-convert would index them all, and picked the TTF for bold."""
    directory = cache_dir() / "fonts" / "registered"
    directory.mkdir(parents=True, exist_ok=True)
    for weight in FONT_FILES:
        source, target = _font_path(weight), directory / FONT_FILES[weight]
        if not target.exists() or target.stat().st_size != source.stat().st_size:
            write_atomically(target, source.read_bytes())
    return str(directory)


@cache
def _register_fonts() -> None:
    """vl-convert sees only the fonts it is told about; the app's font comes from a pip package,
    so a fresh machine renders the same text with no system fonts installed."""
    vlc.register_font_directory(_font_directory())
    vlc.register_font_directory(_base_cut_directory())


@cache
def _base_cut_directory() -> str:
    """The base cut of both faces (see _base_font) under a family name of its own, BASE_CUT_FAMILY,
    for drawing PDFs (and so PNGs). svg2pdf opens and parses the font file again for every glyph it
    draws (≈5,400 times for the timeline slide): from the 79 KB cut instead of the 230 KB font, a PDF
    takes ≈30 % less time, the same drawing. Its own name, because Vega measures text with the
    registered fonts: the full font keeps the real name, so a character outside the cut is measured
    and drawn as before (an SVG that uses one is drawn with the full font)."""
    named = hashlib.sha256(
        f"{BASE_CUT_FAMILY}|{_base_key('normal')}|{_base_key('bold')}".encode()
    ).hexdigest()
    directory = cache_dir() / "fonts" / f"base-cut-{named[:16]}"
    directory.mkdir(parents=True, exist_ok=True)
    for weight, name in FONT_FILES.items():
        target = directory / name
        if target.exists():
            continue
        font = TTFont(io.BytesIO(_base_font(weight)))
        style = "Bold" if weight == "bold" else "Regular"
        for record in font["name"].names:
            if record.nameID in (1, 16):  # family, typographic family
                record.string = BASE_CUT_FAMILY
            elif record.nameID == 4:  # full name
                record.string = f"{BASE_CUT_FAMILY} {style}"
            elif record.nameID == 6:  # PostScript name
                record.string = f"{BASE_CUT_FAMILY.replace(' ', '')}-{style}"
        out = io.BytesIO()
        font.save(out)
        write_atomically(target, out.getvalue())
    return str(directory)


@cache
def _base_cut_characters() -> frozenset[str]:
    """The characters both faces of the base cut draw (the font covers only part of BASE_RANGES)."""
    maps = [set(TTFont(io.BytesIO(_base_font(weight)))["cmap"].getBestCmap()) for weight in FONT_FILES]
    return frozenset(chr(code) for code in set.intersection(*maps))


def drawn_with_base_cut(svg: str) -> str:
    """svg with its text set in the base cut (see _base_cut_directory) when the cut draws every
    character it holds; else as it is."""
    if not set(_used_text(svg)) <= _base_cut_characters():
        return svg
    family = re.escape(f'font-family="{FONT_FAMILY}')
    return re.sub(rf'{family}(?=(, sans-serif)?")', f'font-family="{BASE_CUT_FAMILY}', svg)


def warm_up() -> None:
    """While the caller imports and builds its charts: start vl-convert's Vega workers, svg2pdf and
    PDFium (≈0.2 s the first time in a process), read the base fonts."""
    vlc.warm_up_workers()
    slide_png(vlc.svg_to_pdf(to_svg({"data": {"values": [{}]}, "mark": {"type": "text", "text": "Warm"}})))
    for weight in FONT_FILES:
        _base_font(weight)


@contextlib.contextmanager
def render_pool(workers: int = EXPORT_WORKERS) -> Iterator[ThreadPoolExecutor]:
    """Threads that render while the caller builds its charts, one per core. vl-convert lets go of
    the interpreter lock while it draws, with a Vega worker of its own per thread, and PDFium's calls
    (ctypes) let go too, so the threads draw on both cores while this one builds the next figure:
    no worker processes to start, each importing Python and starting Vega again. Opened first, so
    the CLI starts Vega before it imports pandas and Altair and loads the data."""
    vlc.configure(num_workers=workers)
    _register_fonts()  # once, before any thread asks for it
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="render")
    pool.submit(warm_up)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def to_svg(spec: dict) -> str:
    _register_fonts()
    return vlc.vegalite_to_svg(spec)


def svg_size(svg: str) -> tuple[float, float]:
    root = ET.fromstring(svg)
    return float(root.get("width", "0").removesuffix("px")), float(root.get("height", "0").removesuffix("px"))


def _base_key(weight: str) -> str:
    source = _font_path(weight)
    text = f"{fonttools_version}|{source.name}|{source.stat().st_size}|{BASE_RANGES}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@cache
def _base_font(weight: str) -> bytes:
    """The font cut to BASE_RANGES, made once per machine (≈0.6 s) and kept in the cache directory."""
    path = cache_dir() / "fonts" / f"{weight}-{_base_key(weight)}.otf"
    if path.exists():
        return path.read_bytes()
    from fontTools import subset  # imported only to cut a font (≈0.14 s), not by every worker and export

    font = TTFont(_font_path(weight))
    subsetter = subset.Subsetter(subset.Options(notdef_outline=True))
    subsetter.populate(unicodes=[c for low, high in BASE_RANGES for c in range(low, high + 1)])
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    write_atomically(path, out.getvalue())
    return out.getvalue()


def _in_base(text: str) -> bool:
    return all(any(low <= ord(ch) <= high for low, high in BASE_RANGES) for ch in text)


@cache
def _font_face(weight: str, text: str) -> str:
    """The font, cut down to the characters this SVG uses (a few KB instead of 230 KB), as a data URL.
    Cut from the base font (≈0.07 s) unless a character lies outside it; memoised per character set."""
    path = (
        cache_dir()
        / "fonts"
        / f"{weight}-{_base_key(weight)}-{hashlib.sha256(text.encode()).hexdigest()[:16]}.css"
    )
    if path.exists():
        return path.read_text(encoding="ascii")
    from fontTools import subset  # as in _base_font

    source = io.BytesIO(_base_font(weight)) if _in_base(text) else _font_path(weight)
    font = TTFont(source)
    subsetter = subset.Subsetter(subset.Options())
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = None
    font.save(out)
    data = base64.b64encode(out.getvalue()).decode("ascii")
    face = (
        f"@font-face{{font-family:'{FONT_FAMILY}';font-weight:{weight};"
        f"src:url(data:font/otf;base64,{data}) format('opentype');}}"
    )
    with contextlib.suppress(OSError):
        write_atomically(path, face.encode("ascii"))
    return face


def _used_text(svg: str) -> str:
    texts = re.findall(r">([^<>]+)</text>|>([^<>]+)</tspan>", svg)
    chars = {ch for pair in texts for part in pair for ch in part}
    return "".join(sorted(chars | set(ALWAYS)))


def _uses_bold(svg: str) -> bool:
    return bool(re.search(r'font-weight="(bold|[6-9]00)"|font-weight:\s*(bold|[6-9]00)', svg))


def fitted_spec(spec: dict, svg: str) -> dict | None:
    """The slide spec with its rows resized so the drawing is exactly the 960×540 frame, or None when it
    is already (within a px) or is not a slide's vconcat. Vega sizes the plot, not its axes and legends,
    so the first drawing tells how much they take: every row gets the width left over, the spacers
    around a short chart (relations/export.py) share the height left over, and a chart too tall for
    the frame gives up its excess. So nothing is scaled: the type keeps its stated size and the headline
    sits at the slide's padding, where the deck's editable title goes."""
    rows = spec.get("vconcat")
    if not isinstance(rows, list):
        return None
    width, height = svg_size(svg)
    frame_w, frame_h = SLIDE_FRAME
    dw, dh = frame_w - width, frame_h - height
    if abs(dw) <= 1 and abs(dh) <= 1:
        return None
    spacers = [i for i, r in enumerate(rows) if str(r.get("name", "")).startswith(SPACER)]
    resized = []
    for row in rows:
        row = dict(row)
        if isinstance(row.get("width"), (int, float)):
            row["width"] = max(1, int(row["width"] + dw))
        resized.append(row)
    dh = round(dh)
    shares = [dh // len(spacers) + (dh % len(spacers) if n == 0 else 0) for n in range(len(spacers))]
    if spacers and all(resized[i]["height"] + share >= 1 for i, share in zip(spacers, shares, strict=True)):
        for i, share in zip(spacers, shares, strict=True):
            resized[i]["height"] += share
    else:
        # No spacers (or too little room in them): the chart takes up, or gives back, what is left over.
        chart = next(i for i, r in enumerate(resized) if not str(r.get("name", "")).startswith(SPACER))
        if isinstance(resized[chart].get("height"), (int, float)):
            resized[chart]["height"] = max(1, int(resized[chart]["height"] + dh))
    return {**spec, "vconcat": [_clip_to_plot(row) for row in resized]}


def _clip_to_plot(row: dict) -> dict:
    """A map cut to its plot by the projection (relations/export.py) is cut to the resized plot."""
    projection = row.get("projection")
    if not isinstance(projection, dict) or "clipExtent" not in projection:
        return row
    margin = -projection["clipExtent"][0][0]
    extent = [[-margin, -margin], [row["width"] + margin, row["height"] + margin]]
    return {**row, "projection": {**projection, "clipExtent": extent}}


def framed_svg(svg: str, embed_font: bool = True) -> str:
    """The chart at the top left of a 960×540 frame (scaled down only if it is still larger), on white,
    with the font embedded: every export is slide-shaped and reads the same on a machine without the
    font."""
    width, height = svg_size(svg)
    frame_w, frame_h = SLIDE_FRAME
    scale = min(1.0, frame_w / width, frame_h / height)
    x, y = 0.0, 0.0  # the headline at the slide's padding, where the deck's editable title goes
    inner = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    opening = re.match(r"<svg[^>]*>", inner).group(0)
    body = inner[len(opening) : inner.rindex("</svg>")]
    # A group, not a nested <svg>: a nested viewport is drawn into a layer of its own, a transform costs nothing.
    inner = f'<g transform="translate({x:.1f},{y:.1f}) scale({scale:.6g})">{body}</g>'
    style = ""
    if embed_font:
        text = _used_text(svg)
        weights = [w for w in FONT_FILES if w == "normal" or _uses_bold(svg)]
        style = f"<defs><style>{''.join(_font_face(weight, text) for weight in weights)}</style></defs>"
    return (
        f'<svg xmlns="{SVG_NS}" xmlns:xlink="http://www.w3.org/1999/xlink" width="{frame_w}" height="{frame_h}" '
        f'viewBox="0 0 {frame_w} {frame_h}">{style}'
        f'<rect width="{frame_w}" height="{frame_h}" fill="white"/>{inner}</svg>'
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def rgb_png(image: Image.Image) -> bytes:
    """image as an 8-bit RGB PNG whose rows are stored unfiltered. Pillow tries all five PNG filters on
    every row and keeps the best, ≈70 ms a 1920×1080 slide; a slide is mostly flat colour, which zlib
    packs as well unfiltered (≈20 ms, and ≈10% fewer bytes). The same pixels either way."""
    pixels = np.asarray(image.convert("RGB"))
    height, width, _ = pixels.shape
    rows = np.zeros((height, 1 + 3 * width), np.uint8)  # each row led by its filter byte, 0: none
    rows[:, 1:] = pixels.reshape(height, -1)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits a channel, RGB, no interlace
    return (
        PNG_SIGNATURE
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(rows, PNG_COMPRESSION))
        + _png_chunk(b"IEND", b"")
    )


def slide_png(pdf: bytes) -> bytes:
    """Exactly 1920×1080 in RGB, drawn by PDFium from the slide's PDF, which an export makes anyway.
    vl-convert's own PNG (resvg) lays the text out again and reads the font file for every glyph it
    draws: ≈0.2 s a slide, plus ≈0.07 s re-encoding its RGBA. PDFium draws the PDF in ≈25 ms, text
    from the fonts the PDF embeds; the picture is the same to the eye (tests/test_render.py)."""
    with _PDFIUM:
        document = pdfium.PdfDocument(pdf)
        try:
            image = document[0].render(scale=PNG_SCALE, rev_byteorder=True, may_draw_forms=False).to_pil()
        finally:
            document.close()
    return rgb_png(image)


def slide_pdf(svg: str) -> bytes:
    _register_fonts()
    return vlc.svg_to_pdf(svg)


def _layout_key(spec: dict) -> str:
    """A slide spec named by its layout: everything but the data values (the footer's date, the rows
    and shapes drawn) and by the code that draws it. Two specs with one key usually fit the frame at
    the same row sizes: tomorrow's export of a view, or the same charts after a data update."""

    def skeleton(value):
        if isinstance(value, dict):
            return {k: skeleton(v) for k, v in value.items() if k not in ("values", "datasets")}
        if isinstance(value, list):
            return [skeleton(v) for v in value]
        return value

    return spec_digest(skeleton(spec), _code_version())


def spec_digest(spec: dict, code_version: str) -> str:
    """A spec's name in a cache on disk: its canonical JSON and the version of the code that uses it."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(f"{code_version}|{text}".encode()).hexdigest()[:32]


@cache
def _code_version() -> str:
    return f"{hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]}|{vlc.__version__}"


def _fit_path(key: str) -> Path:
    return cache_dir() / "fits" / f"{key}.json"


def _row_sizes(spec: dict) -> list[list]:
    return [[row.get("width"), row.get("height")] for row in spec["vconcat"]]


def _with_row_sizes(spec: dict, sizes: list[list]) -> dict | None:
    """spec with its rows at sizes (as fitted_spec sized them), or None when sizes do not fit its rows."""
    rows = spec["vconcat"]
    if len(sizes) != len(rows):
        return None
    resized = []
    for row, (width, height) in zip(rows, sizes, strict=True):
        row = dict(row)
        for name, size in (("width", width), ("height", height)):
            if size is not None:
                row[name] = size
        resized.append(_clip_to_plot(row))
    return {**spec, "vconcat": resized}


def fitted_svg(spec: dict) -> str:
    """The slide drawn to the frame (see fitted_spec). The first drawing only measures what axes and
    legends take, so the sizes it leads to are kept on disk by the spec's layout (_layout_key): a
    spec laid out before is drawn once at those sizes, and again from the start, as a spec never seen,
    when that drawing misses the frame (its axes or legends changed with its data)."""
    if not isinstance(spec.get("vconcat"), list):
        return to_svg(spec)
    key = _layout_key(spec)
    try:
        known = _with_row_sizes(spec, json.loads(_fit_path(key).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        known = None
    if known is not None:
        svg = to_svg(known)
        if fitted_spec(known, svg) is None:
            return svg
    svg = to_svg(spec)
    fitted = fitted_spec(spec, svg)
    if fitted is not None:
        svg = to_svg(fitted)
    with contextlib.suppress(OSError):
        write_atomically(_fit_path(key), json.dumps(_row_sizes(fitted or spec)).encode("utf-8"))
    return svg


def render_files(spec: dict, formats: tuple[str, ...]) -> dict[str, bytes]:
    """Vega runs once (to SVG; twice for a layout not fitted before); the frame gives the PDF, the PDF
    the PNG, and the frame with the font embedded the SVG file."""
    unknown = [f for f in formats if f not in ("svg", "png", "pdf")]
    if unknown:
        raise ValueError(f"unknown figure format {unknown[0]!r}")
    svg = fitted_svg(spec)
    drawn = {"png", "pdf"} & set(formats)
    pdf = slide_pdf(drawn_with_base_cut(framed_svg(svg, embed_font=False))) if drawn else b""
    converters = {
        "svg": lambda: framed_svg(svg).encode("utf-8"),
        "png": lambda: slide_png(pdf),
        "pdf": lambda: pdf,
    }
    return {fmt: converters[fmt]() for fmt in formats}

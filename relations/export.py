"""Slide-ready files from the same figures the pages show: PNG 1920×1080, SVG, PDF, a PPTX deck,
and a manifest that lists each file with its figure and citations."""

import datetime as dt
import hashlib
import io
import json
import textwrap
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, as_completed
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version as package_version
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from relations import render
from relations.charts.basemap import compact_world_datasets
from relations.charts.palette import MUTED
from relations.charts.style import (
    FONT,
    FOOTER_CHARS,
    FOOTER_LINE,
    FOOTER_SIZE,
    SLIDE_LABEL_SIZE,
    SLIDE_PADDING,
    SLIDE_PLOT_WIDTH,
    SLIDE_SPACING,
    SLIDE_SUBTITLE_SIZE,
    SLIDE_TITLE_SIZE,
    SLIDE_WIDTH,
    SUBTITLE_CHARS,
    slide_plot_height,
)
from relations.citing import bracketed
from relations.data.loading import DatasetVersion
from relations.export_replay import FORMATS as FORMATS  # the formats an export writes, named once there
from relations.figures import Figure
from relations.file_cache import cached_file, prune_cache, store_file
from relations.geo import default_world
from relations.render import render_files, render_pool, spec_digest

SLIDE_WIDTH_EMU, SLIDE_HEIGHT_EMU = Emu(12_192_000), Emu(6_858_000)  # 13.333 in × 7.5 in, 16:9
DECK_AUTHOR = "Geopolitical relations dashboard"
# The slide is laid out at 960×540 px, i.e. 1 px = 1 pt on a 540 pt high 16:9 slide (rendered ×2 to PNG);
# its geometry is in relations/charts/style.py, where builders that lay out for a slide read it too.
SUBTITLE_PADDING, TITLE_OFFSET = 6, 10
# The editable title: a box exactly one headline line high over the picture's own headline, its first
# baseline where Vega puts the headline's (top of the title + the font's ascent, 0.984 em in Source Sans
# Pro); white, so the picture's copy does not show through, and ending above the subtitle.
TITLE_LINE = 1.2  # PowerPoint's single line spacing, in ems of the font's size
TITLE_FONT = "Source Sans Pro"
MIN_CENTRING_ROOM = 40  # px: a plot at most this much shorter than the room is not moved
NOTES_MIN_PT, NOTES_MAX_PT, NOTES_BUDGET = 6, 12, 400  # notes type shrinks with the square root of the text


def source_line(figure: Figure) -> str:
    """Outlets or titles and dates, as the articles state them: what a reader can recognise. A chart
    that writes [n] markers (the ladder's rungs) gets each source's quote numbers too, so a marker can
    be looked up on the slide itself (the speaker notes list the quotes by the same numbers)."""
    numbers: dict[str, list[int]] = {}
    for note in figure.footnotes:
        numbers.setdefault(note.short_attribution, []).append(note.number)
    listed = [
        f"{name} {bracketed(found)}" if figure.draws_markers else name for name, found in numbers.items()
    ]
    return "Sources: " + "; ".join(listed) if listed else "Sources: none"


def footer_lines(figure: Figure, version: DatasetVersion, generated: dt.date) -> list[str]:
    lines = textwrap.wrap(source_line(figure), FOOTER_CHARS)
    lines.append(
        f"Dataset version {version.content_hash} ({version.updated}) · generated {generated.isoformat()} · figure {figure.id}"
    )
    return lines


def _plot_size(inner: dict, subtitle_lines: int, footer_count: int) -> tuple[int, int, int]:
    """Width and height of the plot on the 960×540 slide, and the room there is for it once title,
    subtitle, legend and footer have theirs. Maps take all the room; other charts keep their own
    height up to the room (a builder that lays out for a slide, as the timeline does, fits in it). The
    slide is never scaled down, so its type stays at the sizes the slide layout states."""
    room = slide_plot_height(subtitle_lines, footer_count)
    height = room
    natural_height = inner.get("height", height)
    if "projection" not in inner and isinstance(natural_height, int):
        height = min(natural_height, room)
    return SLIDE_PLOT_WIDTH, height, room


def _spacer(width: int, height: int, where: str) -> dict:
    return {
        "name": f"{render.SPACER}-{where}",
        "data": {"values": [{}]},
        "mark": {"type": "text", "text": ""},
        "width": width,
        "height": height,
    }


def _shapes_cut_to_plot(top: dict, width: int, height: int) -> dict:
    """Country shapes cut to the plot by the projection (clipExtent) instead of drawn whole and masked
    (clip): a country running far off the frame (Russia on the Belarus section) is otherwise drawn
    whole, and every masked layer cost resvg (which drew the PNGs then) a canvas-sized mask. Same
    picture, a fraction of the time. Labels, lines and points keep their mask."""
    margin = 1  # the white border stroke along the cut stays outside the plot
    top = {
        **top,
        "projection": {
            **top["projection"],
            "clipExtent": [[-margin, -margin], [width + margin, height + margin]],
        },
    }
    layers = []
    for layer in top.get("layer", []):
        mark = layer.get("mark")
        if isinstance(mark, dict) and mark.get("type") == "geoshape" and mark.get("clip"):
            layer = {**layer, "mark": {**mark, "clip": False}}
        layers.append(layer)
    if layers:
        top["layer"] = layers
    return top


def slide_spec(figure: Figure, version: DatasetVersion, generated: dt.date) -> dict:
    """The page's chart laid out for a 960×540 slide: headline, subtitle, the chart filling the frame,
    then the source line and dataset version, with type a projector carries (sizes in px = pt at 540 pt)."""
    top = dict(figure.slide_source_spec)
    datasets = compact_world_datasets(top, default_world())
    top.pop("datasets", None)
    top.pop("config", None)
    # The slide layout's own schema (the page's spec is not built for a slide: it costs a to_dict).
    schema = top.pop("$schema", None)
    subtitle = textwrap.wrap(figure.keyed(figure.subtitle_on_slide), SUBTITLE_CHARS)
    lines = footer_lines(figure, version, generated)
    width, height, room = _plot_size(top, len(subtitle), len(lines))
    top["width"], top["height"] = width, height
    if isinstance(top.get("projection"), dict):
        top = _shapes_cut_to_plot(top, width, height)
    footer = {
        "data": {"values": [{"row": i, "line": line} for i, line in enumerate(lines)]},
        "mark": {"type": "text", "align": "left", "baseline": "top", "fontSize": FOOTER_SIZE, "color": MUTED},
        "encoding": {
            "text": {"field": "line", "type": "nominal"},
            "y": {"field": "row", "type": "ordinal", "axis": None},
            "x": {"value": 0},
        },
        "width": width,
        "height": FOOTER_LINE * len(lines),
    }
    # A chart shorter than the room sits in the middle of it and the source lines at the foot of the
    # slide, so a slide of two numbers or two bars does not leave its lower half empty.
    spare = room - height - 2 * SLIDE_SPACING
    rows = [top, footer]
    if spare >= MIN_CENTRING_ROOM:
        rows = [_spacer(width, spare // 2, "above"), top, _spacer(width, spare - spare // 2, "below"), footer]
    spec = {
        "$schema": schema,
        "vconcat": rows,
        "spacing": SLIDE_SPACING,
        "title": {
            "text": figure.title,
            "subtitle": subtitle,
            "anchor": "start",
            "fontSize": SLIDE_TITLE_SIZE,
            "subtitleFontSize": SLIDE_SUBTITLE_SIZE,
            "subtitleColor": MUTED,
            "subtitlePadding": SUBTITLE_PADDING,
            "offset": TITLE_OFFSET,
        },
        "padding": SLIDE_PADDING,
        "autosize": {"type": "pad"},
        # Legends stay beside their chart, above the footer, instead of moving to the bottom of the concat.
        "resolve": {
            "legend": {
                channel: "independent" for channel in ("color", "stroke", "strokeDash", "opacity", "shape")
            }
        },
        "config": {
            "font": FONT,
            "axis": {
                "labelFontSize": SLIDE_LABEL_SIZE,
                "titleFontSize": SLIDE_LABEL_SIZE,
                "titleColor": MUTED,
            },
            "legend": {"labelFontSize": SLIDE_LABEL_SIZE, "titleFontSize": SLIDE_LABEL_SIZE, "labelLimit": 0},
            "view": {"stroke": None},
        },
    }
    if datasets:
        spec["datasets"] = datasets
    return spec


def speaker_notes(figure: Figure, version: DatasetVersion) -> str:
    quotes = [f"[{n.number}] “{n.quote}” — {n.attribution}, {n.locator}" for n in figure.footnotes]
    return "\n".join(
        [figure.title, figure.subtitle_on_slide, "", "Citations:", *quotes, "", f"Dataset version {version}"]
    )


def _fit_notes(slide, text: str) -> None:
    """The printed notes page holds every citation: the notes box takes the page below a small slide
    image, and the type shrinks with the amount of text."""
    notes_slide = slide.notes_slide
    frame = notes_slide.notes_text_frame
    frame.text = text
    frame.word_wrap = True
    size = max(NOTES_MIN_PT, min(NOTES_MAX_PT, int(NOTES_BUDGET / max(len(text), 1) ** 0.5)))
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(size)
    for shape in notes_slide.placeholders:
        if shape.placeholder_format.type == PP_PLACEHOLDER.SLIDE_IMAGE:
            shape.left, shape.top, shape.width, shape.height = (
                Inches(2.25),
                Inches(0.4),
                Inches(3.0),
                Inches(1.69),
            )
        elif shape.placeholder_format.type == PP_PLACEHOLDER.BODY:
            shape.left, shape.top, shape.width, shape.height = (
                Inches(0.5),
                Inches(2.25),
                Inches(6.5),
                Inches(8.2),
            )


def title_box() -> tuple[float, float, float, float]:
    """Left, top, width and height in pt of the editable title: the slide layout's headline box (at
    the padding, one 28 pt line high, as wide as the slide inside its padding)."""
    return (
        float(SLIDE_PADDING),
        float(SLIDE_PADDING),
        float(SLIDE_WIDTH - 2 * SLIDE_PADDING),
        SLIDE_TITLE_SIZE * TITLE_LINE,
    )


def subtitle_top() -> float:
    """Where the picture's subtitle starts, in pt from the top: below the headline and its padding."""
    return SLIDE_PADDING + SLIDE_TITLE_SIZE + SUBTITLE_PADDING


def place_title(title, text: str) -> None:
    """The editable title over the picture's headline: same left and top, same face, size and weight,
    no insets, one line. Its white fill hides the picture's copy, so the slide shows one headline,
    and ends above the subtitle."""
    left, top, width, height = title_box()
    title.left, title.top, title.width, title.height = Pt(left), Pt(top), Pt(width), Pt(height)
    title.text = text
    title.fill.solid()
    title.fill.fore_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    frame = title.text_frame
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.word_wrap = False
    # Where the deck's face is missing, a wider fallback shrinks to the box instead of wrapping onto the subtitle.
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    for paragraph in frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        paragraph.line_spacing = 1.0
        paragraph.space_before = paragraph.space_after = Pt(0)
        for run in paragraph.runs:
            run.font.size, run.font.bold, run.font.name = Pt(SLIDE_TITLE_SIZE), True, TITLE_FONT


def deck_title(headlines: list[str]) -> str:
    """What a file browser or a slide library shows for the deck: its first headline and how many more
    there are (every headline joined ran to hundreds of characters, and was cut off mid-word)."""
    if not headlines:
        return DECK_AUTHOR
    more = len(headlines) - 1
    return headlines[0] if not more else f"{headlines[0]}, and {more} more figure{'s' if more > 1 else ''}"


def deck(
    slides: Iterable[tuple[Figure, bytes]], version: DatasetVersion, generated: dt.date | None = None
) -> bytes:
    """One 16:9 slide per figure: an editable title, the figure picture with its text alternative,
    citations in the notes, and deck properties that name the project and the dataset version."""
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = SLIDE_WIDTH_EMU, SLIDE_HEIGHT_EMU
    title_only = presentation.slide_layouts[5]
    figures = []
    for figure, png in slides:
        figures.append(figure)
        slide = presentation.slides.add_slide(title_only)
        title = slide.shapes.title
        place_title(title, figure.title)
        # The picture carries its own headline for use outside the deck; on the slide the editable
        # title sits over it in the same place, so the two read as one.
        picture = slide.shapes.add_picture(
            io.BytesIO(png), 0, 0, width=SLIDE_WIDTH_EMU, height=SLIDE_HEIGHT_EMU
        )
        picture._element.nvPicPr.cNvPr.set("descr", figure.summary)
        picture._element.nvPicPr.cNvPr.set("name", figure.title)
        slide.shapes._spTree.remove(title._element)
        slide.shapes._spTree.append(title._element)  # the title above the picture, first in reading order
        _fit_notes(slide, speaker_notes(figure, version))
    properties = presentation.core_properties
    properties.author = properties.last_modified_by = DECK_AUTHOR
    properties.title = deck_title([f.title for f in figures])
    properties.subject = f"Dataset version {version.content_hash} ({version.updated})"
    properties.keywords = "relations; citations"
    properties.comments = (
        "One slide per figure; the quotes behind each are in its speaker notes."  # not python-pptx's
    )
    stamp = dt.datetime.combine(generated or dt.date.today(), dt.time())
    properties.created = properties.modified = stamp
    properties.revision = 1
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def deck_of_figures(figures: list[Figure], version: DatasetVersion, generated: dt.date) -> bytes:
    return _cached_deck(
        figures,
        {f.id: figure_files(f, ["png"], version, generated)["png"] for f in figures},
        version,
        generated,
    )


@dataclass(frozen=True)
class ExportedFile:
    figure: str
    file: str
    format: str
    title: str
    citations: list[str]
    bytes: int
    cache_key: str = field(default="", compare=False)  # where the rendered-file cache keeps it

    def record(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "cache_key"}


# --- The cache of rendered files -------------------------------------------------------------------
# A file is named by what it is made from: the slide spec (which holds the dataset version, the view's
# data, the headline and the generation date), its format, and the code and packages that render it.
# So a repeated export, or a page's slide download of a figure already exported, reads files back.


@cache
def renderer_version() -> str:
    sources = [Path(render.__file__), Path(__file__)]
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in sources))
    for package in (
        "vl-convert-python",
        "pypdfium2",
        "fonttools",
        "pillow",
        "python-pptx",
        "font-source-sans-pro",
    ):
        try:
            digest.update(f"{package}={package_version(package)}".encode())
        except Exception:
            digest.update(package.encode())
    return digest.hexdigest()[:16]


def spec_key(spec: dict) -> str:
    return spec_digest(spec, renderer_version())


def _deck_key(
    figures: list[Figure], pngs: dict[str, bytes], version: DatasetVersion, generated: dt.date
) -> str:
    parts = [renderer_version(), str(version), generated.isoformat()]
    for f in figures:
        parts += [f.id, f.title, f.subtitle, f.summary, speaker_notes(f, version)]
        parts.append(hashlib.sha256(pngs[f.id]).hexdigest())
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _cached_deck(
    figures: list[Figure], pngs: dict[str, bytes], version: DatasetVersion, generated: dt.date
) -> bytes:
    key = _deck_key(figures, pngs, version, generated)
    data = cached_file(key, "pptx")
    if data is None:
        data = deck([(f, pngs[f.id]) for f in figures], version, generated)
        store_file(key, "pptx", data)
    return data


def figure_files(
    figure: Figure, formats: Iterable[str], version: DatasetVersion, generated: dt.date
) -> dict[str, bytes]:
    """One figure's slide files, from the cache when they were rendered before."""
    spec = slide_spec(figure, version, generated)
    key = spec_key(spec)
    files = {fmt: cached_file(key, fmt) for fmt in formats}
    missing = tuple(fmt for fmt, data in files.items() if data is None)
    if missing:
        for fmt, data in render_files(spec, missing).items():
            store_file(key, fmt, data)
            files[fmt] = data
    return files


def export_figures(
    figures: Iterable[Figure],
    out_dir: Path,
    formats: list[str],
    version: DatasetVersion,
    generated: dt.date,
    progress: Callable[[int, int, str], None] = lambda done, total, name: None,
    view: dict | None = None,
    pool: Executor | None = None,
) -> list[ExportedFile]:
    """Writes every figure in every format (PNG rendered once, reused by the deck) and manifest.json.
    Files rendered before with the same spec come from the cache; the rest are rendered in pool (or in
    render.render_pool, opened here). figures may be a generator that builds them: each is sent to the
    render threads as soon as it is built, so rendering starts while the rest are still being drawn.
    Progress lines come once every figure is built, so each knows the total."""
    out_dir.mkdir(parents=True, exist_ok=True)
    figure_formats = [f for f in formats if f != "pptx"]
    needed = tuple([*figure_formats, *(["png"] if "pptx" in formats and "png" not in figure_formats else [])])
    built: list[Figure] = []
    keys: dict[str, str] = {}
    rendered: dict[str, dict[str, bytes]] = {}
    written: list[ExportedFile] = []

    def write(figure: Figure) -> None:
        for fmt in figure_formats:
            data = rendered[figure.id][fmt]
            name = f"{figure.id}.{fmt}"
            (out_dir / name).write_bytes(data)
            written.append(
                ExportedFile(
                    figure.id, name, fmt, figure.title, figure.citation_ids, len(data), keys[figure.id]
                )
            )
            progress(len(written), total, name)

    with ExitStack() as stack:
        futures = {}
        executor = pool
        for figure in figures:
            built.append(figure)
            spec = slide_spec(figure, version, generated)
            keys[figure.id] = spec_key(spec)
            files = {fmt: cached_file(keys[figure.id], fmt) for fmt in needed}
            rendered[figure.id] = {fmt: data for fmt, data in files.items() if data is not None}
            missing = tuple(fmt for fmt, data in files.items() if data is None)
            if missing:
                if executor is None:  # opened only when something is not in the cache
                    executor = stack.enter_context(render_pool())
                futures[executor.submit(render_files, spec, missing)] = figure
        total = len(built) * len(figure_formats) + ("pptx" in formats)
        pending = {figure.id for figure in futures.values()}
        for figure in built:  # written once the total is known, so every progress line has it
            if figure.id not in pending:
                write(figure)
        for future in as_completed(futures):
            figure = futures[future]
            for fmt, data in future.result().items():
                store_file(keys[figure.id], fmt, data)
                rendered[figure.id][fmt] = data
            write(figure)
    if futures:
        prune_cache()
    order = {figure.id: i for i, figure in enumerate(built)}
    written.sort(key=lambda f: (order[f.figure], figure_formats.index(f.format)))
    if "pptx" in formats:
        pngs = {fid: files["png"] for fid, files in rendered.items()}
        data = _cached_deck(built, pngs, version, generated)
        (out_dir / "deck.pptx").write_bytes(data)
        cited = sorted({c for f in built for c in f.citation_ids})
        deck_key = _deck_key(built, pngs, version, generated)
        written.append(ExportedFile("deck", "deck.pptx", "pptx", "All figures", cited, len(data), deck_key))
        progress(len(written), total, "deck.pptx")
    manifest = {
        "dataset_version": version.content_hash,
        "dataset_updated": version.updated,
        "generated": generated.isoformat(),
        "view": view or {},
        "files": [file.record() for file in written],
    }
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return written

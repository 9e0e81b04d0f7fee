"""Slide-ready files from the same figures the pages show: PNG 1920×1080, SVG, PDF, a PPTX deck,
and a manifest that lists each file with its figure and citations."""

import datetime as dt
import io
import json
import multiprocessing
import textwrap
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from relations.charts.palette import MUTED
from relations.charts.style import FONT
from relations.dataset import DatasetVersion
from relations.figures import Figure
from relations.render import render_files

EXPORT_WORKERS = 2  # the machine's cores
SLIDE_WIDTH_EMU, SLIDE_HEIGHT_EMU = Emu(12_192_000), Emu(6_858_000)  # 13.333 in × 7.5 in, 16:9
FORMATS = ("png", "svg", "pdf", "pptx")
DECK_AUTHOR = "Geopolitical relations dashboard"
# The slide is laid out at 960×540 px, i.e. 1 px = 1 pt on a 540 pt high 16:9 slide (rendered ×2 to PNG).
SLIDE_WIDTH, SLIDE_HEIGHT, SLIDE_PADDING = 960, 540, 24
SLIDE_TITLE_SIZE, SLIDE_SUBTITLE_SIZE, SLIDE_LABEL_SIZE, FOOTER_SIZE = 28, 16, 14, 12
SLIDE_TITLE_BLOCK, SUBTITLE_LINE, FOOTER_LINE, SLIDE_LEGEND_BLOCK = 48, 20, 15, 64
SLIDE_AXIS_ALLOWANCE = 90  # y-axis labels and a legend beside the plot
SUBTITLE_CHARS = 115
FOOTER_CHARS = 150
NOTES_MIN_PT, NOTES_MAX_PT, NOTES_BUDGET = 6, 12, 400  # notes type shrinks with the square root of the text


def source_line(figure: Figure) -> str:
    """Outlets or titles and dates, as the articles state them: what a reader can recognise."""
    seen = dict.fromkeys(note.short_attribution for note in figure.footnotes)
    return "Sources: " + "; ".join(seen) if seen else "Sources: none"


def footer_lines(figure: Figure, version: DatasetVersion, generated: dt.date) -> list[str]:
    lines = textwrap.wrap(source_line(figure), FOOTER_CHARS)
    lines.append(
        f"Dataset version {version.content_hash} ({version.updated}) · generated {generated.isoformat()} · figure {figure.id}"
    )
    return lines


def _plot_size(inner: dict, subtitle_lines: int, footer_count: int) -> tuple[int, int]:
    """What is left of the 960×540 slide for the plot once title, subtitle, legend and footer have room."""
    chrome = (
        SLIDE_TITLE_BLOCK + SUBTITLE_LINE * subtitle_lines + FOOTER_LINE * footer_count + SLIDE_LEGEND_BLOCK
    )
    height = SLIDE_HEIGHT - 2 * SLIDE_PADDING - chrome
    natural_height = inner.get("height", height)
    if "projection" not in inner and isinstance(natural_height, int):
        # Charts of a few rows keep their own height; a long timeline keeps its rows apart and the whole
        # slide is scaled to fit instead of squeezing labels onto each other. Maps take all there is.
        height = natural_height
    return SLIDE_WIDTH - 2 * SLIDE_PADDING - SLIDE_AXIS_ALLOWANCE, height


def slide_spec(figure: Figure, version: DatasetVersion, generated: dt.date) -> dict:
    """The page's chart laid out for a 960×540 slide: headline, subtitle, the chart filling the frame,
    then the source line and dataset version, with type a projector carries (sizes in px = pt at 540 pt)."""
    top = dict(figure.slide_source_spec)
    datasets = top.pop("datasets", None)
    for key in ("$schema", "config"):
        top.pop(key, None)
    subtitle = textwrap.wrap(" ".join([figure.subtitle, *figure.key_lines]), SUBTITLE_CHARS)
    lines = footer_lines(figure, version, generated)
    width, height = _plot_size(top, len(subtitle), len(lines))
    top["width"], top["height"] = width, height
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
    spec = {
        "$schema": figure.spec.get("$schema"),
        "vconcat": [top, footer],
        "spacing": 14,
        "title": {
            "text": figure.title,
            "subtitle": subtitle,
            "anchor": "start",
            "fontSize": SLIDE_TITLE_SIZE,
            "subtitleFontSize": SLIDE_SUBTITLE_SIZE,
            "subtitleColor": MUTED,
            "subtitlePadding": 6,
            "offset": 10,
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
        [figure.title, figure.subtitle, "", "Citations:", *quotes, "", f"Dataset version {version}"]
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
        title.left, title.top, title.width, title.height = (
            Inches(0.23),
            Inches(0.22),
            Inches(12.8),
            Inches(0.58),
        )
        title.text = figure.title
        title.fill.solid()
        title.fill.fore_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        title.text_frame.vertical_anchor = MSO_ANCHOR.TOP
        title.text_frame.word_wrap = False
        for paragraph in title.text_frame.paragraphs:
            paragraph.alignment = PP_ALIGN.LEFT
            for run in paragraph.runs:
                run.font.size, run.font.bold = Pt(28), True
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
    properties.title = "; ".join(f.title for f in figures)[:250] or "Geopolitical relations"
    properties.subject = f"Dataset version {version.content_hash} ({version.updated})"
    properties.keywords = "relations; citations"
    stamp = dt.datetime.combine(generated or dt.date.today(), dt.time())
    properties.created = properties.modified = stamp
    properties.revision = 1
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def deck_of_figures(figures: list[Figure], version: DatasetVersion, generated: dt.date) -> bytes:
    return deck(
        [(f, figure_files(f, ["png"], version, generated)["png"]) for f in figures], version, generated
    )


@dataclass(frozen=True)
class ExportedFile:
    figure: str
    file: str
    format: str
    title: str
    citations: list[str]
    bytes: int


def figure_files(
    figure: Figure, formats: Iterable[str], version: DatasetVersion, generated: dt.date
) -> dict[str, bytes]:
    return render_files(slide_spec(figure, version, generated), tuple(formats))


def export_figures(
    figures: list[Figure],
    out_dir: Path,
    formats: list[str],
    version: DatasetVersion,
    generated: dt.date,
    progress: Callable[[int, int, str], None] = lambda done, total, name: None,
    view: dict | None = None,
) -> list[ExportedFile]:
    """Writes every figure in every format (PNG rendered once, reused by the deck) and manifest.json."""
    out_dir.mkdir(parents=True, exist_ok=True)
    figure_formats = [f for f in formats if f != "pptx"]
    total = len(figures) * len(figure_formats) + ("pptx" in formats)
    written: list[ExportedFile] = []
    pngs: dict[str, bytes] = {}
    needed = tuple([*figure_formats, *(["png"] if "pptx" in formats and "png" not in figure_formats else [])])
    specs = [slide_spec(figure, version, generated) for figure in figures]
    # Two processes for two cores; spawned, because forking after vl-convert has started its threads is unsafe.
    with ProcessPoolExecutor(
        max_workers=EXPORT_WORKERS, mp_context=multiprocessing.get_context("spawn")
    ) as pool:
        rendered = pool.map(render_files, specs, [needed] * len(specs))
        for figure, files in zip(figures, rendered, strict=True):
            pngs[figure.id] = files.get("png", b"")
            for fmt in figure_formats:
                data = files[fmt]
                name = f"{figure.id}.{fmt}"
                (out_dir / name).write_bytes(data)
                written.append(
                    ExportedFile(figure.id, name, fmt, figure.title, figure.citation_ids, len(data))
                )
                progress(len(written), total, name)
    if "pptx" in formats:
        data = deck([(f, pngs[f.id]) for f in figures], version, generated)
        (out_dir / "deck.pptx").write_bytes(data)
        cited = sorted({c for f in figures for c in f.citation_ids})
        written.append(ExportedFile("deck", "deck.pptx", "pptx", "All figures", cited, len(data)))
        progress(len(written), total, "deck.pptx")
    manifest = {
        "dataset_version": version.content_hash,
        "dataset_updated": version.updated,
        "generated": generated.isoformat(),
        "view": view or {},
        "files": [file.__dict__ for file in written],
    }
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return written

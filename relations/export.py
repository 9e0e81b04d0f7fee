"""Slide-ready files from the same figures the pages show: PNG 1920×1080, SVG, PDF, a PPTX deck,
and a manifest that lists each file with its figure and citations."""

import copy
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
from pptx.util import Emu

from relations.charts.style import LABEL_SIZE, MUTED
from relations.dataset import DatasetVersion
from relations.figures import Figure
from relations.render import render_files

EXPORT_WORKERS = 2  # the machine's cores
SLIDE_WIDTH_EMU, SLIDE_HEIGHT_EMU = Emu(12_192_000), Emu(6_858_000)  # 13.333 in × 7.5 in, 16:9
FORMATS = ("png", "svg", "pdf", "pptx")
FOOTER_CHARS = 150


def source_line(figure: Figure) -> str:
    """Outlets and dates as the archive states them; a gap says so rather than guessing."""
    seen: dict[str, str] = {}
    for note in figure.footnotes:
        name = note.outlet or (f"“{note.title}”" if note.title else f"source {note.source_id}")
        seen.setdefault(note.source_id, f"{name} ({note.published or 'date not stated'})")
    return "Sources: " + "; ".join(seen.values()) if seen else "Sources: none"


def footer_lines(figure: Figure, version: DatasetVersion, generated: dt.date) -> list[str]:
    lines = textwrap.wrap(source_line(figure), FOOTER_CHARS)
    lines.append(
        f"Dataset version {version.content_hash} ({version.updated}) · generated {generated.isoformat()} · figure {figure.id}"
    )
    return lines


def slide_spec(figure: Figure, version: DatasetVersion, generated: dt.date) -> dict:
    """The page's spec with a footer view appended: source line, dataset version, generation date."""
    spec = copy.copy(figure.spec)
    lines = footer_lines(figure, version, generated)
    footer = {
        "data": {"values": [{"row": i, "line": line} for i, line in enumerate(lines)]},
        "mark": {
            "type": "text",
            "align": "left",
            "baseline": "top",
            "fontSize": LABEL_SIZE - 2,
            "color": MUTED,
        },
        "encoding": {
            "text": {"field": "line", "type": "nominal"},
            "y": {"field": "row", "type": "ordinal", "axis": None},
            "x": {"value": 0},
        },
        "width": 640,
        "height": 16 * len(lines),
    }
    spec["vconcat"] = [*spec["vconcat"], footer]
    # Legends stay beside their chart, above the footer, instead of moving to the bottom of the concat.
    spec["resolve"] = {
        "legend": {channel: "independent" for channel in ("color", "stroke", "strokeDash", "opacity")}
    }
    return spec


def speaker_notes(figure: Figure, version: DatasetVersion) -> str:
    quotes = [f"[{n.number}] “{n.quote}” — {n.attribution}, {n.locator}" for n in figure.footnotes]
    return "\n".join(
        [figure.title, figure.subtitle, "", "Citations:", *quotes, "", f"Dataset version {version}"]
    )


def deck(slides: Iterable[tuple[Figure, bytes]], version: DatasetVersion) -> bytes:
    """One 16:9 slide per figure, the picture full-bleed, its citations in the speaker notes."""
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = SLIDE_WIDTH_EMU, SLIDE_HEIGHT_EMU
    blank = presentation.slide_layouts[6]
    for figure, png in slides:
        slide = presentation.slides.add_slide(blank)
        slide.shapes.add_picture(io.BytesIO(png), 0, 0, width=SLIDE_WIDTH_EMU, height=SLIDE_HEIGHT_EMU)
        slide.notes_slide.notes_text_frame.text = speaker_notes(figure, version)
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def deck_of_figures(figures: list[Figure], version: DatasetVersion, generated: dt.date) -> bytes:
    return deck([(f, figure_files(f, ["png"], version, generated)["png"]) for f in figures], version)


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
        data = deck([(f, pngs[f.id]) for f in figures], version)
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

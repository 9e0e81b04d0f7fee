"""Every quote verbatim in its archived article, at the paragraph its locator gives."""

import re
from collections.abc import Iterator
from pathlib import Path

from relations.data.problems import Problem
from relations.data.quotes import paragraph_of
from relations.data.reading import RawDataset


def quote_problems(raw: RawDataset, archive_dir: Path) -> Iterator[Problem]:
    sources, citations = raw.tables.get("sources"), raw.tables.get("citations")
    if sources is None or citations is None:
        return
    texts: dict[str, str] = {}
    for record in sources.records:
        archive = record.values["archive"].strip()
        path = archive_dir / archive
        if not archive or not re.fullmatch(r"[A-Za-z0-9_.-]+\.txt", archive):
            continue  # reported as a cell problem; never read outside the archive
        if path.is_file():
            texts[record.values["id"].strip()] = path.read_text(encoding="utf-8")
        else:
            yield Problem(
                sources.path, record.line, "archive", f"archived text {archive!r} not found in {archive_dir}"
            )
    for record in citations.records:
        source, quote = record.values["source"].strip(), record.values["quote"]
        if source not in texts or not quote.strip():
            continue
        found = paragraph_of(quote, texts[source])
        if found is None:
            archive = next(r.values["archive"] for r in sources.records if r.values["id"].strip() == source)
            yield Problem(citations.path, record.line, "quote", f"not found verbatim in {archive}")
            continue
        locator = record.values["locator"].strip()
        if locator and locator != f"para {found}":
            yield Problem(
                citations.path, record.line, "locator", f"says {locator!r} but the quote is in para {found}"
            )

"""The curation commands' logic: turn an analyst's request into the rows to add, or refuse with a
message that says what to do. Writing (validation of the whole would-be dataset, atomic replace, the
lock) is relations/writing.py's job; the commands here only read."""

import csv
import difflib
import hashlib
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pycountry

from relations.data.formulas import FormulaError, evaluate, referenced_ids
from relations.data.precision import supported_figures
from relations.data.quotes import normalise, paragraphs
from relations.data.record_rules import NOT_STATED
from relations.data.writing import appended, header_of
from relations.dates import parse_partial_date


class Refused(Exception):
    """A request the dataset cannot take; the message says why and what to do instead."""


@dataclass(frozen=True)
class Addition:
    new_id: str
    changes: dict[Path, bytes]  # absolute path -> complete new content


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _with_rows(path: Path, rows: list[dict[str, str]]) -> bytes:
    return appended(path.read_text(encoding="utf-8"), header_of(path), rows).encode("utf-8")


def next_id(existing: list[str], prefix: str, width: int) -> str:
    """S005 after S004, R20 after R19: one more than the largest number already used."""
    numbers = [int(m.group(1)) for i in existing if (m := re.fullmatch(rf"{prefix}(\d+)", i))]
    return f"{prefix}{(max(numbers) + 1 if numbers else 0):0{width}d}"


def _list(ids: list[str]) -> str:
    return ";".join(ids)


# --- sources ---------------------------------------------------------------------------------------


def add_source(
    data_dir: Path,
    archive_dir: Path,
    article: Path,
    outlet: str,
    title: str,
    date: str,
    author: str = "",
    url: str = "",
) -> Addition:
    try:
        text = article.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise Refused(f"{article}: cannot read the article as UTF-8 text ({err})") from err
    if not text.strip():
        raise Refused(f"{article}: the article is empty")
    try:
        parse_partial_date(date)
    except ValueError as err:
        raise Refused(f"--date: {err}") from err
    archived = {p.name: p for p in archive_dir.glob("*.txt")} if archive_dir.is_dir() else {}
    for name, path in sorted(archived.items()):
        if normalise(path.read_text(encoding="utf-8")) == normalise(text):
            raise Refused(f"{article}: this article is already archived as {name}")
    sources_path = data_dir / "sources.csv"
    sources = read_rows(sources_path)
    new_id = next_id([s["id"] for s in sources], "S", 3)
    number = max([int(n[:3]) for n in archived if n[:3].isdigit()] + [len(sources) - 1]) + 1
    archive_name = f"{number:03d}_{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}.txt"
    missing = [name for name, value in (("author", author), ("URL", url)) if not value.strip()]
    note = f"{', '.join(missing)}: {NOT_STATED}" if missing else ""
    row = {
        "id": new_id,
        "outlet": outlet.strip(),
        "title": title.strip(),
        "author": author.strip(),
        "published": date,
        "url": url.strip(),
        "archive": archive_name,
        "note": note,
    }
    return Addition(
        new_id,
        {archive_dir / archive_name: text.encode("utf-8"), sources_path: _with_rows(sources_path, [row])},
    )


# --- quotes ----------------------------------------------------------------------------------------


def _normalised_with_positions(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, where it came from in the original."""
    chars, positions = [], []
    for index, char in enumerate(text):
        char = " " if char.isspace() else normalise(char)  # one character in, one out
        if char == " " and (not chars or chars[-1] == " "):
            continue
        chars.append(char)
        positions.append(index)
    return "".join(chars), positions


def find_quote(article: str, wanted: str) -> list[tuple[int, str]]:
    """Every (paragraph number, exact original text) where the wanted words occur, tolerating only
    spaces and typographic quote marks and dashes; the stored quote is the article's own characters."""
    needle = normalise(wanted)
    found = []
    for number, paragraph in enumerate(paragraphs(article), start=1):
        flat, positions = _normalised_with_positions(paragraph)
        start = flat.find(needle)
        while needle and start != -1:
            end = start + len(needle) - 1
            found.append((number, paragraph[positions[start] : positions[end] + 1]))
            start = flat.find(needle, start + 1)
    return found


def nearest_passage(article: str, wanted: str) -> str:
    sentences = [s for p in paragraphs(article) for s in re.split(r"(?<=[.!?”\"])\s+", p) if s.strip()]
    scored = sorted(
        sentences, key=lambda s: difflib.SequenceMatcher(None, normalise(s), normalise(wanted)).ratio()
    )
    return scored[-1] if scored else ""


def _quote_id(source_id: str, quote: str, existing: set[str]) -> str:
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", quote) if len(w) > 3] or ["quote"]
    stem = f"C{source_id.lstrip('S')}"
    for count in range(2, len(words) + 1):
        candidate = f"{stem}-{'-'.join(words[:count])}"
        if candidate not in existing:
            return candidate
    suffix = 2
    while f"{stem}-{words[0]}-{suffix}" in existing:
        suffix += 1
    return f"{stem}-{words[0]}-{suffix}"


def add_quote(data_dir: Path, archive_dir: Path, source_id: str, text: str) -> Addition:
    sources = {s["id"]: s for s in read_rows(data_dir / "sources.csv")}
    if source_id not in sources:
        raise Refused(f"unknown source {source_id!r}; sources.csv has {', '.join(sorted(sources))}")
    article_path = archive_dir / sources[source_id]["archive"]
    if not article_path.is_file():
        raise Refused(
            f"{source_id}: archived text {sources[source_id]['archive']} not found in {archive_dir}"
        )
    article = article_path.read_text(encoding="utf-8")
    matches = find_quote(article, text)
    if not matches:
        raise Refused(
            f"not in {article_path.name}: {text!r}\nnearest passage: {nearest_passage(article, text)!r}"
        )
    if len(matches) > 1:
        where = ", ".join(f"para {number}" for number, _ in matches)
        raise Refused(
            f"found {len(matches)} times in {article_path.name} ({where}): add words so it is found once"
        )
    ((number, exact),) = matches
    citations_path = data_dir / "citations.csv"
    citations = read_rows(citations_path)
    duplicate = next(
        (
            c["id"]
            for c in citations
            if c["source"] == source_id and normalise(c["quote"]) == normalise(exact)
        ),
        None,
    )
    if duplicate:
        raise Refused(f"already quoted as {duplicate}")
    new_id = _quote_id(source_id, exact, {c["id"] for c in citations})
    row = {"id": new_id, "source": source_id, "quote": exact, "locator": f"para {number}", "note": ""}
    return Addition(new_id, {citations_path: _with_rows(citations_path, [row])})


# --- records ---------------------------------------------------------------------------------------


def _known_quotes(data_dir: Path, quote_ids: list[str]) -> None:
    if not quote_ids:
        raise Refused("cite at least one quote (--quote ID); add it first with add-quote")
    known = {c["id"] for c in read_rows(data_dir / "citations.csv")}
    unknown = [q for q in quote_ids if q not in known]
    if unknown:
        raise Refused(f"unknown quote {unknown[0]!r}: add it with add-quote first")


def _country_rows(data_dir: Path, codes: list[str], quote_ids: list[str]) -> list[dict[str, str]]:
    """A valid ISO 3166-1 alpha-3 code not yet listed becomes a countries row with its ISO name."""
    listed = {c["code"] for c in read_rows(data_dir / "countries.csv")}
    rows = []
    for code in dict.fromkeys(codes):
        if code in listed:
            continue
        country = pycountry.countries.get(alpha_3=code) if re.fullmatch(r"[A-Z]{3}", code) else None
        if country is None:
            raise Refused(f"{code!r} is neither in countries.csv nor an ISO 3166-1 alpha-3 country code")
        rows.append(
            {
                "code": code,
                "name": getattr(country, "common_name", country.name),
                "type": "country",
                "citations": _list(quote_ids),
                "note": "added with add-relation/add-event (ISO name)",
            }
        )
    return rows


def _record_addition(
    data_dir: Path, table: str, row: dict[str, str], countries: list[dict[str, str]]
) -> Addition:
    path = data_dir / f"{table}.csv"
    changes = {path: _with_rows(path, [row])}
    if countries:
        countries_path = data_dir / "countries.csv"
        changes[countries_path] = _with_rows(countries_path, countries)
    return Addition(row["id"], changes)


def add_relation(
    data_dir: Path, a: str, b: str, kind: str, quote_ids: list[str], summary: str,
    tier: str = "", start: str = "", end: str = "", directed: bool = False,
) -> Addition:  # fmt: skip
    _known_quotes(data_dir, quote_ids)
    a, b = a.strip().upper(), b.strip().upper()
    countries = _country_rows(data_dir, [a, b], quote_ids)
    relations = read_rows(data_dir / "relations.csv")
    row = {
        "id": next_id([r["id"] for r in relations], "R", 2), "a": a, "b": b, "kind": kind, "tier": tier,
        "directed": "true" if directed else "false", "start": start, "end": end,
        "start_basis": "stated" if start else "", "summary": summary.strip(),
        "citations": _list(quote_ids), "note": "",
    }  # fmt: skip
    return _record_addition(data_dir, "relations", row, countries)


def add_event(
    data_dir: Path, date: str, actors: list[str], title: str, kind: str, quote_ids: list[str],
    place: str = "", axis_label: str = "",
) -> Addition:  # fmt: skip
    _known_quotes(data_dir, quote_ids)
    codes = [code.strip().upper() for code in actors if code.strip()]
    countries = _country_rows(data_dir, codes, quote_ids)
    events = read_rows(data_dir / "events.csv")
    row = {
        "id": next_id([e["id"] for e in events], "E", 2), "date": date, "actors": _list(codes), "title": title.strip(),
        "kind": kind, "place": place.strip(), "axis_label": axis_label.strip(), "date_basis": "stated",
        "citations": _list(quote_ids), "note": "",
    }  # fmt: skip
    return _record_addition(data_dir, "events", row, countries)


def add_figure(
    data_dir: Path, figure_id: str, label: str, reporter: str, partner: str, flow: str, commodity: str,
    measure: str, period: str, unit: str, quote_ids: list[str], value: str = "", qualifier: str = "exact",
    formula: str = "",
) -> Addition:  # fmt: skip
    """A reported figure takes --value; a derived one takes --formula and its value is computed."""
    _known_quotes(data_dir, quote_ids)
    figures = {f["id"]: f for f in read_rows(data_dir / "trade.csv")}
    if figure_id in figures:
        raise Refused(f"figure id {figure_id!r} already exists")
    if formula:
        if value:
            raise Refused("a derived figure's value is computed from --formula; do not give --value")
        try:
            evaluate(formula, {k: float(v["value"]) for k, v in figures.items()})  # names and syntax
            measured = supported_figures(formula, {k: figures[k]["value"] for k in referenced_ids(formula)})
        except (FormulaError, ValueError) as err:
            raise Refused(f"--formula: {err}") from err
        # Stored to the figures its inputs support, and no more exact than they are.
        if math.isinf(measured.sig):
            value = f"{measured.value:g}"
        else:
            value = f"{measured.value:.{int(measured.sig)}g}"
            qualifier = "approx" if qualifier == "exact" else qualifier
        basis = "derived"
    else:
        if not value:
            raise Refused("give --value for a reported figure, or --formula for a derived one")
        basis = "reported"
    codes = [reporter.strip().upper(), partner.strip().upper()]
    countries = _country_rows(data_dir, codes, quote_ids)
    row = {
        "id": figure_id, "label": label.strip(), "reporter": codes[0], "partner": codes[1], "flow": flow,
        "commodity": commodity, "measure": measure, "period": period, "value": value, "unit": unit,
        "qualifier": qualifier, "basis": basis, "formula": formula, "period_basis": "stated" if period else "",
        "citations": _list(quote_ids), "note": "",
    }  # fmt: skip
    return _record_addition(data_dir, "trade", row, countries)


ID_PREFIXES = {"relations": ("R", 2), "events": ("E", 2)}
COUNTRY_FIELDS = ("a", "b", "actors", "reporter", "partner")


def add_row(data_dir: Path, table: str, values: dict[str, str]) -> Addition:
    """One record from a form whose fields come from datapackage.json (the Curate page): the id is
    assigned where the table numbers its rows, cited quotes must exist, and new ISO countries are added."""
    quote_ids = [q for q in values.get("citations", "").split(";") if q]
    _known_quotes(data_dir, quote_ids)
    path = data_dir / f"{table}.csv"
    row = {k: v.strip() for k, v in values.items()}
    if table in ID_PREFIXES and not row.get("id"):
        prefix, width = ID_PREFIXES[table]
        row["id"] = next_id([r["id"] for r in read_rows(path)], prefix, width)
    codes = [c.strip().upper() for f in COUNTRY_FIELDS if f in row for c in row[f].split(";") if c.strip()]
    for field in COUNTRY_FIELDS:
        if field in row:
            row[field] = ";".join(c.strip().upper() for c in row[field].split(";") if c.strip())
    return _record_addition(data_dir, table, row, _country_rows(data_dir, codes, quote_ids))


def added_text(addition: Addition) -> dict[str, str]:
    """file name -> the lines the addition appends (new files whole): what a curator previews."""
    preview = {}
    for path, data in addition.changes.items():
        old = path.read_bytes() if path.exists() else b""
        preview[path.name] = (
            data[len(old) :].decode("utf-8") if data.startswith(old) else data.decode("utf-8")
        )
    return preview

"""Reads view state from URL query values, falling back to defaults with a notice on bad input."""

import re
from dataclasses import dataclass

from relations.profile import Pair, pair_key

MAX_PARAM_LENGTH = 64
_PAIR = re.compile(r"^([A-Z]{2,5})-([A-Z]{2,5})$")


@dataclass(frozen=True)
class Parsed:
    value: object
    notice: str | None = None


def parse_pair(
    raw: str | None, known: list[Pair], default: Pair | None, outside: str | None = None
) -> Parsed:
    """The notice never echoes the raw value: a link must not be able to put text on the page. outside
    says why a well-formed pair is not among the known ones, where "no relation" is not the reason
    (the map knows only pairs with its focus); without a default, the page shows no pair."""
    if raw is None or raw == "":
        return Parsed(default)
    shown = "showing the default pair" if default else "showing no pair"
    match = _PAIR.match(raw.strip().upper()) if len(raw) <= MAX_PARAM_LENGTH else None
    if not match:
        return Parsed(default, f"The link's `pair` is not a pair of codes like BLR-CHN; {shown}.")
    pair = pair_key(*match.groups())
    if pair not in known:
        reason = outside or f"The dataset has no relation between {pair[0]} and {pair[1]}"
        return Parsed(default, f"{reason}; {shown}.")
    return Parsed(pair)


def format_pair(pair: Pair) -> str:
    return f"{pair[0]}-{pair[1]}"


_CODE = re.compile(r"^[A-Z]{2,5}$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def parse_codes(raw: str | None, known: list[str], name: str, upper: bool = True) -> Parsed:
    """A comma-separated list of codes or ids; unknown ones are dropped with a notice naming the parameter."""
    if not raw:
        return Parsed([])
    if len(raw) > MAX_PARAM_LENGTH * 4:
        return Parsed([], f"The link's `{name}` is too long; showing all.")
    items = [item.strip().upper() if upper else item.strip() for item in raw.split(",") if item.strip()]
    items = list(dict.fromkeys(items))  # a code named twice is chosen once
    good = [item for item in items if (_CODE if upper else _ID).match(item) and item in known]
    if len(good) < len(items):
        return Parsed(good, f"The link's `{name}` had codes this dataset does not know; they were ignored.")
    return Parsed(good)


def parse_id(raw: str | None, known: set[str], name: str) -> Parsed:
    if not raw:
        return Parsed(None)
    if not _ID.match(raw) or raw not in known:
        return Parsed(None, f"The link's `{name}` does not name an entry in this dataset.")
    return Parsed(raw)


def parse_choice(
    raw: str | None, choices: list[str], default: str, name: str, default_label: str | None = None
) -> Parsed:
    """One value out of a known list (a country code, a layer); case-insensitive for codes. The notice
    names the default as the page's control does (default_label: "China", not "CHN")."""
    if not raw:
        return Parsed(default)
    match = next(
        (c for c in choices if len(raw) <= MAX_PARAM_LENGTH and c.lower() == raw.strip().lower()), None
    )
    if match is None:
        return Parsed(
            default,
            f"The link's `{name}` is not one of the choices here; showing {default_label or default}.",
        )
    return Parsed(match)

"""ISO 8601 dates at the precision a source gives: 2022, 2022-09 or 2022-09-16."""

import datetime as dt
import re

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(value: str) -> tuple[dt.date, str]:
    """The first day the value can mean, and its precision ('year', 'month' or 'day')."""
    match = _PARTIAL.match(value)
    if not match:
        raise ValueError(f"{value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = match.groups()
    try:
        date = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as err:
        raise ValueError(f"{value!r} is not a calendar date ({err})") from err
    precision = "day" if day else "month" if month else "year"
    return date, precision


def month_end(date: dt.date) -> dt.date:
    following = (date.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def last_day(value: str) -> dt.date:
    """The last day the value can mean: '2023' is 31 December 2023. Sorting by it puts 'sometime in
    2023' after the dated days of 2023 instead of before them."""
    date, precision = parse_partial_date(value)
    if precision == "year":
        return dt.date(date.year, 12, 31)
    return month_end(date) if precision == "month" else date


MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def date_in_words(value: str) -> str:
    """'2022-09' -> 'September 2022', '2023-02-28' -> '28 February 2023': dates as a reader says them.
    Text that is not an ISO date is returned as it is."""
    try:
        date, precision = parse_partial_date(value)
    except ValueError:
        return value
    if precision == "year":
        return str(date.year)
    if precision == "month":
        return f"{MONTHS[date.month - 1]} {date.year}"
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"

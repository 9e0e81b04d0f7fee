"""CSV downloads that a spreadsheet opens as data, never as formulas."""

import csv

import pandas as pd

# Cells starting with these are run as formulas by Excel, LibreOffice and Google Sheets (OWASP CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise_formula(text: str) -> str:
    """A leading apostrophe makes spreadsheets show the text as typed."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def safe_csv(frame: pd.DataFrame) -> bytes:
    """Text cells are neutralised; numeric columns stay numbers (a negative number is not a formula)."""
    guarded = frame.copy()
    for column in guarded.columns:
        if not pd.api.types.is_numeric_dtype(guarded[column]) and not pd.api.types.is_bool_dtype(
            guarded[column]
        ):
            guarded[column] = guarded[column].map(
                lambda v: neutralise_formula(v) if isinstance(v, str) else v
            )
    # Every text cell quoted: a line break inside a cell (even a bare carriage return before "=") stays
    # inside its quotes, where spreadsheets read it as text; numbers stay unquoted numbers.
    return guarded.to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC).encode("utf-8")

"""Evaluates the arithmetic stored with derived figures, so a derived number can be recomputed."""

import re

import pandas as pd

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class FormulaError(ValueError):
    pass


def referenced_ids(formula: str) -> list[str]:
    return _NAME.findall(formula)


def evaluate(formula: str, values: dict[str, float]) -> float:
    """Arithmetic over other figures' ids; anything else (calls, attributes) is refused."""
    missing = [name for name in referenced_ids(formula) if name not in values]
    if missing:
        raise FormulaError(f"unknown id {', '.join(repr(m) for m in missing)}")
    if re.search(r"[^A-Za-z0-9_ .+\-*/()]|\*\*|//", formula):  # ** and // are operators of their own
        raise FormulaError("only numbers, ids, + - * / and parentheses are allowed")
    try:
        result = pd.eval(formula, engine="python", local_dict=dict(values))
    except (SyntaxError, ZeroDivisionError, ValueError, TypeError) as err:
        raise FormulaError(f"cannot evaluate: {err}") from err
    return float(result)


def substitute(formula: str, values: dict[str, float]) -> str:
    """The formula with each id replaced by its value, as a reader checks it: '5 / (1 + 33 / 100)'."""
    return _NAME.sub(lambda m: f"{values[m.group()]:g}" if m.group() in values else m.group(), formula)

"""How precise a derived figure may be: significant figures carried through its formula.

Each input keeps the precision it is written with ("1.91" has three significant figures, "9.1" has
one decimal); numbers written in a formula (1, 100) are exact. Products and quotients keep the fewest
significant figures of their operands; sums and differences keep the fewest decimals. A derived value
that equals its formula's result exactly (50 * 25 / 100 = 12.5) was not rounded and claims no more than
its inputs; one that was rounded may carry at most the significant figures its inputs support. A bound
("exceeding 5 billion") is an exact threshold: its written value limits no precision, while the rounded
figures combined with it (a growth of 33%) still do."""

import ast
import math
from dataclasses import dataclass

EXACT = math.inf


@dataclass(frozen=True)
class Measured:
    value: float
    sig: float  # significant figures; inf for exact constants


def significant_figures(text: str) -> int:
    """'1.91' -> 3, '0.091' -> 2, '50' -> 2 (an integer's trailing zeros count), '3' -> 1."""
    digits = text.strip().lstrip("+-").lower().split("e")[0].replace(".", "").lstrip("0")
    return max(len(digits), 1)


def decimals(text: str) -> int:
    """Digits after the decimal point as written: '1.75' -> 2, '3' -> 0."""
    mantissa = text.strip().lower().split("e")[0]
    return len(mantissa.split(".")[1]) if "." in mantissa else 0


def _magnitude(value: float) -> int:
    return math.floor(math.log10(abs(value))) if value else 0


def _decimals_of(m: Measured) -> float:
    return EXACT if m.sig == EXACT else m.sig - 1 - _magnitude(m.value)


def _sig_from_decimals(value: float, places: float) -> float:
    return EXACT if places == EXACT else max(places + 1 + _magnitude(value), 1)


def _carry(node: ast.AST, inputs: dict[str, Measured]) -> Measured:
    if isinstance(node, ast.Expression):
        return _carry(node.body, inputs)
    if isinstance(node, ast.Name):
        return inputs[node.id]
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return Measured(float(node.value), EXACT)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _carry(node.operand, inputs)
        return Measured(-inner.value if isinstance(node.op, ast.USub) else inner.value, inner.sig)
    if isinstance(node, ast.BinOp):
        left, right = _carry(node.left, inputs), _carry(node.right, inputs)
        if isinstance(node.op, ast.Add | ast.Sub):
            value = left.value + right.value if isinstance(node.op, ast.Add) else left.value - right.value
            return Measured(value, _sig_from_decimals(value, min(_decimals_of(left), _decimals_of(right))))
        if isinstance(node.op, ast.Mult | ast.Div):
            value = left.value * right.value if isinstance(node.op, ast.Mult) else left.value / right.value
            return Measured(value, min(left.sig, right.sig))
    raise ValueError(f"cannot carry precision through {ast.dump(node)}")


def supported_figures(formula: str, inputs: dict[str, str], bounds: frozenset[str] = frozenset()) -> Measured:
    """The formula's result and the significant figures its written inputs support. An input named in
    `bounds` is a threshold ("exceeding 5 billion" claims more than 5.000…), so it limits nothing."""
    measured = {
        name: Measured(float(text), EXACT if name in bounds else significant_figures(text))
        for name, text in inputs.items()
    }
    return _carry(ast.parse(formula, mode="eval"), measured)

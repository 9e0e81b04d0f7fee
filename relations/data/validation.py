"""Checks the whole dataset and reports every problem as `path:line: column: message`: the rules live
in cell_rules, record_rules, fidelity_rules and quote_rules; the app's loader runs the same ones."""

from pathlib import Path

from relations.data.cell_rules import cell_problems, foreign_key_problems
from relations.data.fidelity_rules import mention_problems, role_problems, trade_problems
from relations.data.problems import Problem
from relations.data.quote_rules import quote_problems
from relations.data.reading import RawDataset, read_raw_dataset
from relations.data.record_rules import (
    country_problems,
    date_basis_problems,
    relation_problems,
    source_problems,
    trade_shape_problems,
    waypoint_problems,
)

RULES = (
    foreign_key_problems,
    country_problems,
    relation_problems,
    trade_problems,
    trade_shape_problems,
    date_basis_problems,
    role_problems,
    mention_problems,
    source_problems,
    waypoint_problems,
)


def validate_dataset(data_dir: Path, archive_dir: Path | None = None) -> list[Problem]:
    raw, problems = read_raw_dataset(data_dir)
    if raw is not None:
        problems += check_loaded(raw)
        if archive_dir is not None:
            problems += list(quote_problems(raw, archive_dir))
    return sorted(set(problems))


def check_loaded(raw: RawDataset) -> list[Problem]:
    """Every check that needs only the data itself (no archive): what the app's loader runs too."""
    problems: list[Problem] = []
    for name, table in raw.tables.items():
        problems += cell_problems(raw.schemas[name], table)
    for rule in RULES:
        problems += rule(raw)
    return problems

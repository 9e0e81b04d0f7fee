"""A data problem located at file, line and column, the unit every check reports."""

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    path: Path
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}: {self.column}: {self.message}"


def display_path(path: Path) -> str:
    """Paths relative to the working directory read best in a terminal and in CI logs."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


class DatasetError(Exception):
    """Raised when the dataset cannot be loaded; carries every problem, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

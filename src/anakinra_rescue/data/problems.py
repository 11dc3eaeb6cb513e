"""The one error type of the data contract: a list of problems, each naming file, line, column, value and rule."""

import json
from dataclasses import asdict, dataclass

import pandas as pd

MAX_PROBLEMS_IN_MESSAGE = 200
HEADER_LINE = 1  # a CSV file's line numbers, as a text editor shows them
FIRST_DATA_LINE = 2  # the first data row; a frame's row index i is line i + FIRST_DATA_LINE


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as the input allows.

    ``line`` is the 1-based line of the CSV file (the header is line 1), or
    ``None`` for a problem with the whole file. ``rule`` is a stable identifier
    that tests and machines can rely on; ``message`` says the rule in plain words.
    """

    file: str
    line: int | None
    column: str | None
    value: str | None
    rule: str
    message: str

    def as_text(self) -> str:
        """One line: ``file:line: column 'x', value 'v': message [rule]``."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where]
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        if self.value is not None:
            parts.append(f"value {self.value!r}")
        return ", ".join(parts) + f": {self.message} [{self.rule}]"


class CohortValidationError(ValueError):
    """Raised by :func:`anakinra_rescue.data.io.load_cohort` with every problem found, not only the first."""

    def __init__(self, problems: list[Problem], source: str = "input"):
        self.problems = sorted(problems, key=_problem_order)
        self.source = source
        super().__init__(self.report())

    def report(self) -> str:
        """The human-readable report: a count, then one line per problem (the first 200)."""
        count = len(self.problems)
        lines = [f"{count} problem{'s' if count != 1 else ''} found in {self.source}:"]
        lines += ["  " + problem.as_text() for problem in self.problems[:MAX_PROBLEMS_IN_MESSAGE]]
        if count > MAX_PROBLEMS_IN_MESSAGE:
            lines.append(f"  ... and {count - MAX_PROBLEMS_IN_MESSAGE} more (use --format json for all)")
        return "\n".join(lines)

    def report_json(self) -> str:
        """The same report for machines: ``{"valid": false, "problem_count": N, "problems": [...]}``."""
        return json.dumps(
            {"valid": False, "source": self.source, "problem_count": len(self.problems),
             "problems": [asdict(problem) for problem in self.problems]},
            indent=2,
        )


def _problem_order(problem: Problem) -> tuple:
    return (problem.file, problem.line if problem.line is not None else -1, problem.column or "", problem.rule)


def located_problems(frame: pd.DataFrame, mask: pd.Series, file: str, column: str, rule: str,
                     message: str) -> list[Problem]:
    """One problem per row of ``frame`` where ``mask`` holds, located at that row's CSV line and ``column``.

    The frame's index is the row's position among the data lines (line - FIRST_DATA_LINE); the value is
    the cell's text (a date as YYYY-MM-DD, an empty cell as "").
    """
    mask = mask.fillna(False).astype(bool)
    if not mask.any():
        return []
    cells = frame.loc[mask, column]
    return [Problem(file, int(index) + FIRST_DATA_LINE, column, _as_text(value), rule, message)
            for index, value in zip(cells.index, cells)]


def _as_text(value) -> str:
    if pd.isna(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)

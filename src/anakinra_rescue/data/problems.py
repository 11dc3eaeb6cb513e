"""The one error type of the data contract: a list of problems, each naming file, line, column, value and rule."""

import json
import re
from dataclasses import asdict, dataclass

import pandas as pd

MAX_PROBLEMS_IN_MESSAGE = 200
GROUP_FROM = 4  # a problem repeated on this many lines or more (same file, column, rule) is reported once, with a count
LINES_LISTED = 8  # lines named in a grouped report line; --format json lists every problem
# Words hospital exports write for a missing value; the data contract wants an empty cell.
MISSING_WORDS = {"na", "n/a", "nan", "null", "none", "missing", "-", "--", ".", "?", "nd", "unknown"}
DAY_MONTH_YEAR = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}( .*)?$")
TIME_OF_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")


def hint_for(problem: "Problem") -> str | None:
    """What to change in the export, for the common ways a hospital's file differs from the contract; None when the
    message says it all."""
    value = (problem.value or "").strip()
    if value.lower() in MISSING_WORDS and problem.rule not in ("missing_column", "unknown_column", "duplicate_header"):
        return f"{value!r} looks like a missing value: leave the cell empty instead"
    if problem.rule == "unparseable_date" and DAY_MONTH_YEAR.match(value):
        return "write dates as ISO 8601, YYYY-MM-DD (06/04/2020 is 2020-04-06); a spreadsheet can export them so"
    if problem.rule == "unparseable_date" and TIME_OF_DAY.match(value):
        return "the column holds dates, not times of day: write the date alone, YYYY-MM-DD (midnight, 00:00:00, is accepted)"
    return None


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

    def groups(self) -> list[list[Problem]]:
        """The problems in report order, those repeated on :data:`GROUP_FROM` or more lines of one file, column and
        rule gathered into one group (a wrong date format is one problem on 887 lines, not 887 problems)."""
        by_key: dict[tuple, list[Problem]] = {}
        for problem in self.problems:
            by_key.setdefault((problem.file, problem.column, problem.rule, problem.message, hint_for(problem)), []).append(
                problem
            )
        found, seen = [], set()
        for problem in self.problems:
            key = (problem.file, problem.column, problem.rule, problem.message, hint_for(problem))
            group = by_key[key]
            if len(group) >= GROUP_FROM:
                if key not in seen:
                    seen.add(key)
                    found.append(group)
            else:
                found.append([problem])
        return found

    def report(self) -> str:
        """The human-readable report: a count, then one line per problem or group of repeated problems (the first
        200), each with a hint where the export can be fixed in a known way."""
        count, groups = len(self.problems), self.groups()
        grouped = sum(len(group) > 1 for group in groups)
        lines = [
            f"{count} problem{'s' if count != 1 else ''} found in {self.source}"
            + (f", {len(groups)} distinct" if grouped else "")
            + ":"
        ]
        for group in groups[:MAX_PROBLEMS_IN_MESSAGE]:
            lines.append("  " + (group[0].as_text() if len(group) == 1 else _group_text(group)))
            hint = hint_for(group[0])
            if hint:
                lines.append(f"    hint: {hint}")
        if len(groups) > MAX_PROBLEMS_IN_MESSAGE:
            lines.append(f"  ... and {len(groups) - MAX_PROBLEMS_IN_MESSAGE} more (use --format json for all)")
        return "\n".join(lines)

    def report_json(self) -> str:
        """The same report for machines: ``{"valid": false, "problem_count": N, "problems": [...]}``."""
        return json.dumps(
            {
                "valid": False,
                "source": self.source,
                "problem_count": len(self.problems),
                "problems": [{**asdict(problem), "hint": hint_for(problem)} for problem in self.problems],
            },
            indent=2,
        )


def _group_text(group: list[Problem]) -> str:
    """One report line for a repeated problem: where, how many lines, the first lines and values, the rule."""
    first = group[0]
    lines = ", ".join(str(problem.line) for problem in group[:LINES_LISTED]) + (", ..." if len(group) > LINES_LISTED else "")
    values = sorted({problem.value for problem in group if problem.value is not None})
    shown = ", ".join(repr(value) for value in values[:3]) + (f" and {len(values) - 3} other values" if len(values) > 3 else "")
    column = f", column '{first.column}'" if first.column is not None else ""
    return (
        f"{first.file}{column}: {len(group)} lines ({lines})"
        + (f", values {shown}" if values else "")
        + f": {first.message} [{first.rule}]"
    )


def _problem_order(problem: Problem) -> tuple:
    return (problem.file, problem.line if problem.line is not None else -1, problem.column or "", problem.rule)


def located_problems(frame: pd.DataFrame, mask: pd.Series, file: str, column: str, rule: str, message: str) -> list[Problem]:
    """One problem per row of ``frame`` where ``mask`` holds, located at that row's CSV line and ``column``.

    The frame's index is the row's position among the data lines (line - FIRST_DATA_LINE); the value is
    the cell's text (a date as YYYY-MM-DD, an empty cell as "").
    """
    mask = mask.fillna(False).astype(bool)
    if not mask.any():
        return []
    cells = frame.loc[mask, column]
    return [
        Problem(file, int(index) + FIRST_DATA_LINE, column, _as_text(value), rule, message)
        for index, value in zip(cells.index, cells)
    ]


def _as_text(value) -> str:
    if pd.isna(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)
